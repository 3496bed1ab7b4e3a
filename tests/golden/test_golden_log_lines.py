"""The documented backend log lines (spec/two-views.md §5), reproduced end to end: the expected
event of the golden scenario that stands for each line (tests/scenarios/golden_*, built with the
one fact builder) goes through the typed models, the wire bytes and the backend view and equals
the line field by field; and each line, back in its wire view, is valid at 1-0-0."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codex_analytics_contract import (
    denormalize,
    normalize,
    parse_event,
    serialize_event,
    validate_event,
)
from codex_analytics_contract.logline import flatten, parse_log_line, to_backend_event
from tests.contract import jsonschema_oracle
from tests.support.scenarios import SCENARIOS_DIR

LINES = (Path(__file__).parent / "log_lines.txt").read_text(encoding="utf-8").splitlines()

# The golden scenario folder that reproduces each line of log_lines.txt, in the file's order.
GOLDEN_SCENARIOS = (
    "golden_compaction_manual_standalone_local",
    "golden_compaction_auto_pre_turn",
    "golden_compaction_auto_mid_turn",
    "golden_compaction_remote_manual_standalone",
    "golden_subagent_thread_spawn",
    "golden_subagent_review",
    "golden_thread_initialized_cli_new",
    "golden_thread_initialized_cli_resumed",
    "golden_thread_initialized_cli_forked",
    "golden_thread_initialized_exec_new",
)
GOLDEN = list(zip(GOLDEN_SCENARIOS, LINES, strict=True))


def logged_value(value: Any) -> str:
    """How the backend prints a scalar in a key=value line."""
    return "None" if value is None else str(value)


def logged_params(backend_params: dict[str, Any], form: str) -> dict[str, Any]:
    """The params as a log line of `form` shows them."""
    if form == "dict":
        return backend_params
    return {k: logged_value(v) for k, v in flatten(backend_params).items()}


def test_every_line_has_a_golden_scenario_and_both_forms_occur() -> None:
    assert {p.name for p in SCENARIOS_DIR.glob("golden_*")} == set(GOLDEN_SCENARIOS)
    forms = {parse_log_line(line).form for line in LINES}
    assert forms == {"dict", "kv"}


@pytest.mark.parametrize(("name", "line"), GOLDEN, ids=[name for name, _ in GOLDEN])
def test_line_is_reproduced(name: str, line: str) -> None:
    logged = parse_log_line(line)
    expected = (SCENARIOS_DIR / name / "events.ndjson").read_bytes().splitlines()
    (wire,) = [e for e in expected if json.loads(e)["event_type"] == logged.event_type]
    event = parse_event(wire)  # the typed models
    assert serialize_event(event) == wire
    backend = normalize(json.loads(wire))
    assert backend["event_type"] == logged.event_type
    assert logged_params(backend["event_params"], logged.form) == logged.params


@pytest.mark.parametrize("line", LINES)
def test_line_in_wire_view_is_valid_at_1_0_0(line: str) -> None:
    wire = denormalize(to_backend_event(parse_log_line(line)))
    assert jsonschema_oracle.errors("events", wire["event_type"], wire, "1-0-0") == []
    event = validate_event(wire, version="1-0-0")
    # and its canonical wire bytes parse back to the same event
    assert parse_event(serialize_event(event), version="1-0-0") == event


def test_key_value_line_is_nested_in_a_fresh_process() -> None:
    # pydantic resolves the models' forward references on first use; reading a key=value line
    # must not depend on anything having used the models before
    kv = next(line for line in LINES if parse_log_line(line).form == "kv")
    script = (
        "import json, sys\n"
        "from codex_analytics_contract.logline import parse_log_line, to_backend_event\n"
        "print(json.dumps(to_backend_event(parse_log_line(sys.stdin.read()))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], input=kv, capture_output=True, text=True, check=True
    )
    params = json.loads(proc.stdout)["event_params"]
    assert params["app_server_client"]["client_name"] == "codex-tui"
    assert params["runtime"]["runtime_os"] == "macos"
