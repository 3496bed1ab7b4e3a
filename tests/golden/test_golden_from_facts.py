"""Issue #3's end-to-end golden check: for each of the ten documented log lines, the facts that
produced it go through the reducer, the serializer and `normalize`, and the result equals the
documented line field by field. Also: every scenario runs through the public, validating
`Reducer.ingest` (facts checked against the fact schemas, events against the event schemas) and
the package serializer writes exactly the expected bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_analytics_contract import normalize, parse_fact, serialize_event
from codex_analytics_contract.logline import flatten, parse_log_line
from tests.golden.test_golden_log_lines import LINES, _logged
from tests.reducer_core.test_scenarios import SCENARIOS_DIR, reducer_for, scenario_dirs

# scenario folder -> index of its line in log_lines.txt
GOLDEN = {
    "golden_compaction_manual_standalone_local": 0,
    "golden_compaction_auto_pre_turn": 1,
    "golden_compaction_auto_mid_turn": 2,
    "golden_compaction_remote_manual_standalone": 3,
    "golden_subagent_thread_spawn": 4,
    "golden_subagent_review": 5,
    "golden_thread_initialized_cli_new": 6,
    "golden_thread_initialized_cli_resumed": 7,
    "golden_thread_initialized_cli_forked": 8,
    "golden_thread_initialized_exec_new": 9,
}


@pytest.mark.parametrize(("name", "index"), sorted(GOLDEN.items()))
def test_golden_line_from_facts(name: str, index: int) -> None:
    folder = SCENARIOS_DIR / name
    reducer = reducer_for(folder)
    events = []
    for line in (folder / "facts.ndjson").read_bytes().splitlines():
        events.extend(reducer.ingest(parse_fact(line)))
    logged = parse_log_line(LINES[index])
    matching = [e for e in events if e.event_type == logged.event_type]
    assert len(matching) == 1
    backend = normalize(json.loads(serialize_event(matching[0])))
    if logged.form == "dict":
        assert backend["event_params"] == logged.params
    else:
        assert {k: _logged(v) for k, v in flatten(backend["event_params"]).items()} == logged.params


@pytest.mark.parametrize("folder", scenario_dirs(), ids=lambda p: p.name)
def test_scenario_through_the_validating_api(folder: Path) -> None:
    reducer = reducer_for(folder)
    actual: list[bytes] = []
    for line in (folder / "facts.ndjson").read_bytes().splitlines():
        if line.strip():
            actual.extend(serialize_event(e) for e in reducer.ingest(json.loads(line)))
    expected = (folder / "events.ndjson").read_bytes().splitlines()
    assert actual == expected
