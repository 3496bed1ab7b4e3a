"""The serializer writes serde_json's bytes: declared order, explicit nulls, compact, UTF-8."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from codex_analytics_contract import EVENT_VERSIONS, parse_event, serialize_batch, serialize_event
from codex_analytics_contract.registry import EVENT_KEYS, EVENT_PARAM_KEYS
from tests.conftest import pass_examples
from tests.support.reducing import wire


def load(event_type: str, index: int = 0) -> dict[str, Any]:
    """A valid example of the newest version of `event_type`."""
    path = pass_examples("events", event_type, EVENT_VERSIONS[event_type][0])[index]
    data: dict[str, Any] = json.loads(Path(path).read_bytes())
    return data


def serde_json(value: Any) -> bytes:
    """What serde_json::to_vec writes for the same value (compact, UTF-8, lowercase \\u00XX)."""
    return wire(value).encode()


def test_strings_are_escaped_like_serde_json() -> None:
    event = load("codex_turn_steer_event")
    tricky = (
        'quote " backslash \\ newline \n tab \t cr \r bell \x07 nul \x00 del \x7f é 漢 😀 \u2028'
    )
    event["event_params"]["thread_id"] = tricky
    data = serialize_event(parse_event(serde_json(event)))
    assert data == serde_json(event)
    assert "é 漢 😀".encode() in data  # raw UTF-8, no \\u escapes
    assert b"\\u0007" in data and b"\\u0000" in data and b"\\n" in data


def test_large_unsigned_integers_survive() -> None:
    event = load("codex_turn_steer_event")
    event["event_params"]["created_at"] = 2**64 - 1
    data = serialize_event(parse_event(serde_json(event)))
    assert b"18446744073709551615" in data


def test_key_order_is_the_schema_order_whatever_the_input_order() -> None:
    event = load("codex_turn_event")
    params = event["event_params"]
    shuffled = {
        "event_params": dict(reversed(list(params.items()))),
        "event_type": event["event_type"],
    }
    data = serialize_event(parse_event(serde_json(shuffled)))
    decoded = json.loads(data)
    assert tuple(decoded) == EVENT_KEYS["codex_turn_event"]
    assert tuple(decoded["event_params"]) == EVENT_PARAM_KEYS["codex_turn_event"]
    assert data == serde_json(event)


def test_every_example_serializes_in_registry_order() -> None:
    for path in pass_examples("events"):
        event = parse_event(path.read_bytes())
        decoded = json.loads(serialize_event(event))
        assert tuple(decoded) == EVENT_KEYS[decoded["event_type"]]
        # every version's own declared order (the newest version's is in the registry); an
        # optional key that is absent is left out
        declared = tuple(type(event.event_params).model_fields)
        assert tuple(decoded["event_params"]) == tuple(
            key for key in declared if key in decoded["event_params"]
        )
        if type(event).schema_version == EVENT_VERSIONS[decoded["event_type"]][0]:  # type: ignore[attr-defined]
            assert declared == EVENT_PARAM_KEYS[decoded["event_type"]]


def test_batches_isolate_accepted_line_events() -> None:
    a = parse_event(serde_json(load("codex_turn_event")))
    b = parse_event(serde_json(load("codex_turn_steer_event")))
    lines = parse_event(serde_json(load("codex_accepted_line_fingerprints")))
    bodies = serialize_batch([a, b, lines, lines, a, b])
    assert len(bodies) == 4
    first, second, third, fourth = (json.loads(body) for body in bodies)
    assert [e["event_type"] for e in first["events"]] == [
        "codex_turn_event",
        "codex_turn_steer_event",
    ]
    assert [e["event_type"] for e in second["events"]] == ["codex_accepted_line_fingerprints"]
    assert [e["event_type"] for e in third["events"]] == ["codex_accepted_line_fingerprints"]
    assert len(fourth["events"]) == 2
    assert bodies[0] == b'{"events":[' + serialize_event(a) + b"," + serialize_event(b) + b"]}"
    assert serialize_batch([]) == []


def test_batch_bodies_are_valid_request_bodies() -> None:
    from tests.contract import jsonschema_oracle

    events = [parse_event(p.read_bytes()) for p in pass_examples("events")]
    bodies = serialize_batch(events)
    validator = jsonschema_oracle.batch_validator()
    for body in bodies:
        assert list(validator.iter_errors(json.loads(body))) == []
    assert sum(len(json.loads(b)["events"]) for b in bodies) == len(events)
    assert list(validator.iter_errors({"events": []}))  # an empty request is never sent


def test_reduce_encoder_batches_exactly_like_serialize_batch() -> None:
    from codex_analytics_contract.reduce_cli import encode_events

    order = ("codex_turn_event", "codex_accepted_line_fingerprints")
    order += ("codex_accepted_line_fingerprints", "codex_turn_steer_event", "codex_turn_event")
    events = [json.loads(serde_json(load(name))) for name in order]
    models = [parse_event(serde_json(event)) for event in events]
    bodies = encode_events(events, batches=True)
    assert bodies == serialize_batch(models)
    assert len(bodies) == 4
    assert encode_events(events, batches=False) == [serialize_event(m) for m in models]
