"""The ten documented log lines (spec/two-views.md §5), reproduced end to end (models -> wire
bytes -> backend view) and compared field by field; and each line, back in its wire view, is
valid at 1-0-0."""

from __future__ import annotations

import json
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
from tests.golden.cases import CASES

LINES = (Path(__file__).parent / "log_lines.txt").read_text(encoding="utf-8").splitlines()


def test_there_are_ten_lines_of_both_forms() -> None:
    assert len(LINES) == len(CASES) == 10
    forms = [parse_log_line(line).form for line in LINES]
    assert forms.count("dict") == 6 and forms.count("kv") == 4


def _logged(value: Any) -> str:
    """How the backend prints a scalar in a key=value line."""
    return "None" if value is None else str(value)


@pytest.mark.parametrize(
    ("line", "case"), list(zip(LINES, CASES, strict=True)), ids=[c[0] for c in CASES]
)
def test_line_is_reproduced(line: str, case: tuple[str, Any]) -> None:
    _, build = case
    wire = serialize_event(build())
    backend = normalize(json.loads(wire))
    logged = parse_log_line(line)
    assert logged.event_type == backend["event_type"]
    if logged.form == "dict":
        assert backend["event_params"] == logged.params  # every field, nested, equal
        assert set(backend["event_params"]) == set(logged.params)
    else:
        ours = {k: _logged(v) for k, v in flatten(backend["event_params"]).items()}
        assert ours == logged.params  # every flattened key and its printed value


@pytest.mark.parametrize("line", LINES)
def test_line_in_wire_view_is_valid_at_1_0_0(line: str) -> None:
    wire = denormalize(to_backend_event(parse_log_line(line)))
    assert jsonschema_oracle.errors("events", wire["event_type"], wire) == []
    event = validate_event(wire)
    # and its canonical wire bytes parse back to the same event
    assert parse_event(serialize_event(event)) == event
