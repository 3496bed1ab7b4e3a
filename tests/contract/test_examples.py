"""Every example is judged the same way by jsonschema and by the package, and every valid
event re-serializes to the exact bytes it was read from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_analytics_contract import (
    EVENT_TYPES,
    EVENT_VERSIONS,
    FACT_KINDS,
    FACT_VERSIONS,
    ContractError,
    matching_versions,
    parse_event,
    parse_fact,
    serialize_event,
)
from codex_analytics_contract.errors import MissingFieldError, UnexpectedFieldError
from tests.conftest import (
    example_id,
    example_name,
    example_version,
    fail_examples,
    load_fail,
    pass_examples,
)
from tests.contract import jsonschema_oracle

EVENT_PASS = pass_examples("events")
EVENT_FAIL = fail_examples("events")
FACT_PASS = pass_examples("facts")
FACT_FAIL = fail_examples("facts")


def _read_line(path: Path) -> bytes:
    data = path.read_bytes()
    assert b"\n" not in data.rstrip(b"\n"), f"{path}: a pass example is one line"
    return data.rstrip(b"\n")


def test_every_version_of_every_schema_has_examples() -> None:
    for kind, names, table in (
        ("events", EVENT_TYPES, EVENT_VERSIONS),
        ("facts", FACT_KINDS, FACT_VERSIONS),
    ):
        for name in names:
            for version in table[name]:
                where = f"{kind}/{name}/{version}"
                assert pass_examples(kind, name, version), f"no valid example for {where}"
                assert fail_examples(kind, name, version), f"no invalid example for {where}"


@pytest.mark.parametrize("path", EVENT_PASS, ids=example_id)
def test_valid_event_round_trips_byte_exactly(path: Path) -> None:
    data = _read_line(path)
    event_type, version = example_name(path), example_version(path)
    assert jsonschema_oracle.errors("events", event_type, json.loads(data), version) == []
    pinned = parse_event(data, version=version)
    assert type(pinned).schema_version == version  # type: ignore[attr-defined]
    assert serialize_event(pinned) == data
    # read without a version: the newest version that accepts it, the same bytes back
    event = parse_event(data)
    assert event.event_type == event_type
    found = matching_versions(data)
    assert version in found and type(event).schema_version == found[0]  # type: ignore[attr-defined]
    assert serialize_event(event) == data
    # the batch body accepts it too
    assert (
        list(jsonschema_oracle.batch_validator().iter_errors({"events": [json.loads(data)]})) == []
    )


@pytest.mark.parametrize("path", FACT_PASS, ids=example_id)
def test_valid_fact_parses(path: Path) -> None:
    data = _read_line(path)
    fact, version = example_name(path), example_version(path)
    assert jsonschema_oracle.errors("facts", fact, json.loads(data), version) == []
    assert parse_fact(data, version=version).fact == fact
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
    event_type, version = example_name(path), example_version(path)
    assert jsonschema_oracle.errors("events", event_type, case["instance"], version), (
        "jsonschema accepts it"
    )
    with pytest.raises(ContractError) as info:
        parse_event(json.dumps(case["instance"]), event_type=event_type, version=version)
    assert _path_matches(info.value, case["error_path"]), (
        f"{case['reason']}: expected an error at {case['error_path']}, got {info.value}"
    )
    message = str(info.value)
    assert info.value.path in message and "expected" in message and "got" in message


@pytest.mark.parametrize("path", FACT_FAIL, ids=example_id)
def test_invalid_fact_is_rejected_with_its_path(path: Path) -> None:
    case = load_fail(path)
    fact, version = example_name(path), example_version(path)
    assert jsonschema_oracle.errors("facts", fact, case["instance"], version), (
        "jsonschema accepts it"
    )
    with pytest.raises(ContractError) as info:
        parse_fact(json.dumps(case["instance"]), version=version)
    assert _path_matches(info.value, case["error_path"]), (
        f"{case['reason']}: expected an error at {case['error_path']}, got {info.value}"
    )
