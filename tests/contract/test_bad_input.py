"""Bad input gets a ContractError subclass naming the path, the expected and the actual value.
Validation is strict like JSON Schema: no "123" for an integer, no 1 for a boolean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codex_analytics_contract import (
    ContractError,
    InvalidJSONError,
    InvalidValueError,
    MissingFieldError,
    OutOfRangeError,
    UnexpectedFieldError,
    UnknownEventTypeError,
    WrongTypeError,
    parse_event,
    validate_event,
)
from tests.conftest import pass_examples
from tests.contract import jsonschema_oracle


def turn_steer() -> dict[str, Any]:
    line = pass_examples("events", "codex_turn_steer_event", "1-0-0")[0]
    data: dict[str, Any] = json.loads(Path(line).read_bytes())
    return data


def mutate(path: list[str | int], value: Any, *, delete: bool = False) -> dict[str, Any]:
    event = turn_steer()
    node: Any = event
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return event


CASES = [
    (
        "missing key",
        mutate(["event_params", "created_at"], None, delete=True),
        MissingFieldError,
        "$.event_params.created_at",
    ),
    (
        "extra key",
        mutate(["event_params", "surprise"], 1),
        UnexpectedFieldError,
        "$.event_params.surprise",
    ),
    (
        "string for integer",
        mutate(["event_params", "created_at"], "69623"),
        WrongTypeError,
        "$.event_params.created_at",
    ),
    (
        "float for integer",
        mutate(["event_params", "num_input_images"], 1.5),
        WrongTypeError,
        "$.event_params.num_input_images",
    ),
    (
        "negative u64",
        mutate(["event_params", "created_at"], -1),
        OutOfRangeError,
        "$.event_params.created_at",
    ),
    (
        "u64 overflow",
        mutate(["event_params", "created_at"], 2**64),
        OutOfRangeError,
        "$.event_params.created_at",
    ),
    (
        "wrong enum",
        mutate(["event_params", "result"], "maybe"),
        InvalidValueError,
        "$.event_params.result",
    ),
    (
        "int for boolean",
        mutate(["event_params", "app_server_client", "experimental_api_enabled"], 1),
        WrongTypeError,
        "$.event_params.app_server_client.experimental_api_enabled",
    ),
    (
        "unknown event type",
        mutate(["event_type"], "codex_nope"),
        UnknownEventTypeError,
        "$.event_type",
    ),
    (
        "null for non-null",
        mutate(["event_params", "thread_id"], None),
        WrongTypeError,
        "$.event_params.thread_id",
    ),
]


@pytest.mark.parametrize(("label", "instance", "error", "path"), CASES, ids=[c[0] for c in CASES])
def test_bad_event(
    label: str, instance: dict[str, Any], error: type[ContractError], path: str
) -> None:
    # jsonschema agrees that it is invalid
    assert jsonschema_oracle.errors("events", "codex_turn_steer_event", instance)
    for parse in (lambda: parse_event(json.dumps(instance)), lambda: validate_event(instance)):
        with pytest.raises(error) as info:
            parse()
        assert info.value.path == path
        message = str(info.value)
        assert path in message and "expected" in message and "got" in message


def test_missing_event_type_is_named() -> None:
    instance = turn_steer()
    del instance["event_type"]
    with pytest.raises(UnknownEventTypeError) as info:
        parse_event(json.dumps(instance))
    assert info.value.path == "$.event_type"


@pytest.mark.parametrize("data", [b"", b"{", b"[1,2", b"nope", b'{"a":1} {"b":2}'])
def test_invalid_json(data: bytes) -> None:
    with pytest.raises(InvalidJSONError) as info:
        parse_event(data)
    assert "JSON" in str(info.value)


def test_not_an_object() -> None:
    with pytest.raises(ContractError):
        parse_event(b"[1, 2]")


def test_every_violation_is_kept() -> None:
    instance = mutate(["event_params", "created_at"], "x")
    instance["event_params"]["result"] = "maybe"
    with pytest.raises(ContractError) as info:
        parse_event(json.dumps(instance))
    paths = {v.path for v in info.value.violations}
    assert {"$.event_params.created_at", "$.event_params.result"} <= paths
    assert "1 more violation" in str(info.value)
