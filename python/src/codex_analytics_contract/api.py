"""Parse, validate and serialize events and facts.

Validation is strict, as JSON Schema is: `"1"` is not an integer and `1` is not a boolean.
Serialization writes the bytes the Rust emitter sends: keys in declared (wire) order, explicit
nulls, compact separators, UTF-8 without `\\u` escapes for non-ASCII, serde_json's escapes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Final

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import SchemaValidator

from codex_analytics_contract._generated.registry import EVENT_MODELS, FACT_MODELS, Event, Fact
from codex_analytics_contract.conditionals import (
    Check,
    check_conditionals,
    fact_check,
    fact_json_validator,
    has_conditionals,
)
from codex_analytics_contract.errors import UnknownEventTypeError, Violation
from codex_analytics_contract.violations import contract_error, error_for

EVENT_ADAPTER: Final[TypeAdapter[Event]] = TypeAdapter(Event)
FACT_ADAPTER: Final[TypeAdapter[Fact]] = TypeAdapter(Fact)
# The compiled validators, called directly on the hot path (no Python wrapper layers).
_EVENT_VALIDATOR: Final = EVENT_ADAPTER.validator
_FACT_VALIDATOR: Final = FACT_ADAPTER.validator

#: The one event type that travels alone in its request (spec/wire-format.md §2.2).
ISOLATED_EVENT_TYPES: Final[frozenset[str]] = frozenset({"codex_accepted_line_fingerprints"})


def parse_event(data: bytes | str, event_type: str | None = None) -> Event:
    """Parse one event from JSON bytes into its typed model (raises a ContractError).

    With `event_type`, the bytes must be an event of that type (its own model, not the union).
    """
    try:
        if event_type is None:
            return _EVENT_VALIDATOR.validate_json(data, strict=True)  # type: ignore[no-any-return]
        model = EVENT_MODELS.get(event_type)
        if model is None:
            raise UnknownEventTypeError(
                [Violation("$.event_type", "a known event type", repr(event_type), "unknown")]
            )
        return model.model_validate_json(data, strict=True)  # type: ignore[return-value]
    except ValidationError as exc:
        raise contract_error(exc, data, "event_type", EVENT_MODELS) from None


def validate_event(event: Mapping[str, Any] | BaseModel) -> Event:
    """Validate an event given as a JSON-like mapping (or a model) and return the typed model."""
    if isinstance(event, BaseModel):
        event = event.model_dump(mode="json", by_alias=True)
    try:
        return EVENT_ADAPTER.validate_python(event, strict=True)
    except ValidationError as exc:
        raise contract_error(exc, event, "event_type", EVENT_MODELS) from None


def parse_fact(data: bytes | str | Mapping[str, Any]) -> Fact:
    """Parse one reducer input fact (JSON bytes or a JSON-like mapping) into its typed model."""
    try:
        if isinstance(data, Mapping):
            fact: Fact = _FACT_VALIDATOR.validate_python(data, strict=True)
            instance: Any = data
        else:
            fact = _FACT_VALIDATOR.validate_json(data, strict=True)
            instance = None
    except ValidationError as exc:
        raise contract_error(exc, data, "fact", FACT_MODELS) from None
    name = type(fact).__name__
    if has_conditionals(name):
        if instance is None and isinstance(data, bytes | str):
            instance = json.loads(data)
        found = check_conditionals(name, instance)
        if found:
            raise error_for(found)
    return fact


class _FactChecks(dict[str, Check | None]):
    """Fast yes/no check per fact kind (see `fact_accepted`), built on first use."""

    def __missing__(self, kind: str) -> Check | None:
        model = FACT_MODELS.get(kind)
        if model is None:
            return None
        check = self[kind] = fact_check(model)
        return check


FACT_CHECKS: Final = _FactChecks()


def fact_accepted(data: dict[str, Any]) -> bool:
    """Would `parse_fact` accept this JSON object (as parsed from JSON text)? A fast yes/no
    that builds no models; False is no verdict (call `parse_fact` for the error, if any)."""
    kind = data.get("fact")
    check = FACT_CHECKS[kind] if type(kind) is str else None
    return check is not None and check(data)


@cache
def fact_line_validator() -> SchemaValidator | None:
    """One validator that checks a fact JSON line and returns the fact dict in one pass (see
    `conditionals.fact_json_validator`), built on first use. Call `validate_json(line,
    strict=True)`: a returned dict is what `from_json(line)` gives and `parse_fact` accepts;
    a ValidationError is no verdict (check the line the usual way)."""
    return fact_json_validator(FACT_MODELS)


def serialize_event(event: BaseModel) -> bytes:
    """The exact bytes the Rust emitter sends for this event."""
    return event.__pydantic_serializer__.to_json(event, by_alias=True)


def serialize_batch(events: Iterable[BaseModel]) -> list[bytes]:
    """Request bodies `{"events":[...]}` for events in emission order (see `request_bodies`)."""
    return request_bodies((getattr(e, "event_type", None), serialize_event(e)) for e in events)


def request_bodies(events: Iterable[tuple[str | None, bytes]]) -> list[bytes]:
    """Request bodies `{"events":[...]}` for (event type, wire bytes) pairs in emission order.

    Consecutive ordinary events share a request; every accepted-line-fingerprints event travels
    alone in its own request (spec/wire-format.md §2.2). No request is produced for an empty list.
    """
    bodies: list[bytes] = []
    pending: list[bytes] = []
    isolated = ISOLATED_EVENT_TYPES
    for event_type, data in events:
        if event_type in isolated:
            if pending:
                bodies.append(b'{"events":[' + b",".join(pending) + b"]}")
                pending = []
            bodies.append(b'{"events":[' + data + b"]}")
        else:
            pending.append(data)
    if pending:
        bodies.append(b'{"events":[' + b",".join(pending) + b"]}")
    return bodies
