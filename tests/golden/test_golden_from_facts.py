"""Issue #3's end-to-end golden check: for each of the documented log lines, the facts that
produced it go through the reducer, the serializer and `normalize`, and the result equals the
documented line field by field. Also: every scenario runs through the public, validating
`Reducer.ingest` (facts checked against the fact schemas, events against the event schemas) and
the package serializer writes exactly the expected bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_analytics_contract import normalize, parse_fact, serialize_event, validate_event
from codex_analytics_contract.logline import parse_log_line
from tests.golden.test_golden_log_lines import GOLDEN, logged_params
from tests.support.scenarios import SCENARIOS_DIR, reducer_for, scenario_dirs


@pytest.mark.parametrize(("name", "line"), GOLDEN, ids=[name for name, _ in GOLDEN])
def test_golden_line_from_facts(name: str, line: str) -> None:
    folder = SCENARIOS_DIR / name
    reducer = reducer_for(folder)
    events = []
    for fact in (folder / "facts.ndjson").read_bytes().splitlines():
        events.extend(reducer.ingest(parse_fact(fact)))
    logged = parse_log_line(line)
    (event,) = [e for e in events if e.event_type == logged.event_type]
    backend = normalize(json.loads(serialize_event(event)))
    assert logged_params(backend["event_params"], logged.form) == logged.params


@pytest.mark.parametrize("folder", scenario_dirs(), ids=lambda p: p.name)
def test_scenario_through_the_validating_api(folder: Path) -> None:
    reducer = reducer_for(folder)
    actual: list[bytes] = []
    for line in (folder / "facts.ndjson").read_bytes().splitlines():
        if line.strip():
            actual.extend(serialize_event(e) for e in reducer.ingest(json.loads(line)))
    versions = reducer.release.event_versions
    for raw in reducer.flush():  # end of input
        actual.append(serialize_event(validate_event(raw, version=versions[raw["event_type"]])))
    expected = (folder / "events.ndjson").read_bytes().splitlines()
    assert actual == expected
