"""Every example is judged the same way by jsonschema and by the package, and every valid
event re-serializes to the exact bytes it was read from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_analytics_contract import (
    EVENT_TYPES,
    FACT_KINDS,
    ContractError,
    parse_event,
    parse_fact,
    serialize_event,
)
from codex_analytics_contract.errors import MissingFieldError, UnexpectedFieldError
from tests.conftest import EXAMPLES, example_id, fail_examples, load_fail, pass_examples
from tests.contract import jsonschema_oracle

EVENT_PASS = pass_examples("events")
EVENT_FAIL = fail_examples("events")
FACT_PASS = pass_examples("facts")
FACT_FAIL = fail_examples("facts")


def _read_line(path: Path) -> bytes:
    data = path.read_bytes()
    assert b"\n" not in data.rstrip(b"\n"), f"{path}: a pass example is one line"
    return data.rstrip(b"\n")


def test_every_event_type_and_fact_kind_has_examples() -> None:
    for event_type in EVENT_TYPES:
        folder = EXAMPLES / "events" / event_type
        assert list(folder.glob("*.pass.json")), f"no valid example for {event_type}"
        assert list(folder.glob("*.fail.json")), f"no invalid example for {event_type}"
    for fact in FACT_KINDS:
        folder = EXAMPLES / "facts" / fact
        assert list(folder.glob("*.pass.json")), f"no valid example for fact {fact}"
        assert list(folder.glob("*.fail.json")), f"no invalid example for fact {fact}"


@pytest.mark.parametrize("path", EVENT_PASS, ids=example_id)
def test_valid_event_round_trips_byte_exactly(path: Path) -> None:
    data = _read_line(path)
    event_type = path.parent.name
    assert jsonschema_oracle.errors("events", event_type, json.loads(data)) == []
    event = parse_event(data)
    assert event.event_type == event_type
    assert serialize_event(event) == data
    # the batch body accepts it too
    assert (
        list(jsonschema_oracle.batch_validator().iter_errors({"events": [json.loads(data)]})) == []
    )


@pytest.mark.parametrize("path", FACT_PASS, ids=example_id)
def test_valid_fact_parses(path: Path) -> None:
    data = _read_line(path)
    fact = path.parent.name
    assert jsonschema_oracle.errors("facts", fact, json.loads(data)) == []
    assert parse_fact(data).fact == fact
    assert parse_fact(json.loads(data)).fact == fact


def _path_matches(error: ContractError, expected: str) -> bool:
    for violation in error.violations:
        if violation.path == expected:
            return True
        # A missing or unexpected key may be named by itself or (jsonschema style) by the
        # object that lacks or has it.
        parent = violation.path.rsplit(".", 1)[0]
        if isinstance(error, MissingFieldError | UnexpectedFieldError) and parent == expected:
            return True
    return False


@pytest.mark.parametrize("path", EVENT_FAIL, ids=example_id)
def test_invalid_event_is_rejected_with_its_path(path: Path) -> None:
    case = load_fail(path)
    event_type = path.parent.name
    assert jsonschema_oracle.errors("events", event_type, case["instance"]), "jsonschema accepts it"
    with pytest.raises(ContractError) as info:
        parse_event(json.dumps(case["instance"]), event_type=event_type)
    assert _path_matches(info.value, case["error_path"]), (
        f"{case['reason']}: expected an error at {case['error_path']}, got {info.value}"
    )
    message = str(info.value)
    assert info.value.path in message and "expected" in message and "got" in message


@pytest.mark.parametrize("path", FACT_FAIL, ids=example_id)
def test_invalid_fact_is_rejected_with_its_path(path: Path) -> None:
    case = load_fail(path)
    fact = path.parent.name
    assert jsonschema_oracle.errors("facts", fact, case["instance"]), "jsonschema accepts it"
    with pytest.raises(ContractError) as info:
        parse_fact(json.dumps(case["instance"]))
    assert _path_matches(info.value, case["error_path"]), (
        f"{case['reason']}: expected an error at {case['error_path']}, got {info.value}"
    )
