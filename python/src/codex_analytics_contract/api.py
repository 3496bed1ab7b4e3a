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
from codex_analytics_contract.errors import (
    InputTypeError,
    InvalidJSONError,
    UnknownEventTypeError,
    Violation,
    WrongTypeError,
)
from codex_analytics_contract.json_numbers import (
    MAY_HOLD_NEGATIVE_ZERO,
    negative_zero_path,
    wire_json,
)
from codex_analytics_contract.violations import contract_error, error_for

EVENT_ADAPTER: Final[TypeAdapter[Event]] = TypeAdapter(Event)
FACT_ADAPTER: Final[TypeAdapter[Fact]] = TypeAdapter(Fact)
# The compiled validators, called directly on the hot path (no Python wrapper layers).
_EVENT_VALIDATOR: Final = EVENT_ADAPTER.validator
_FACT_VALIDATOR: Final = FACT_ADAPTER.validator

#: The one event type that travels alone in its request (wire spec §2.2).
ISOLATED_EVENT_TYPES: Final[frozenset[str]] = frozenset({"codex_accepted_line_fingerprints"})


def json_text(data: object, function: str, instead: str) -> bytes:
    """`data` as the UTF-8 bytes of JSON text (raises InputTypeError for another Python type,
    InvalidJSONError for a str that is not valid Unicode)."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        try:
            return data.encode("utf-8")
        except UnicodeEncodeError as exc:
            code = ord(data[exc.start])
            found = f"a lone surrogate U+{code:04X} at character {exc.start}"
            raise InvalidJSONError(
                [Violation("$", "JSON text that is valid Unicode", found, "string_unicode")]
            ) from None
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    raise InputTypeError(
        [
            Violation(
                "$",
                f"JSON text (bytes or str) for {function}(); for {instead}",
                f"a Python {type(data).__name__}",
                "input_type",
            )
        ]
    )


def parse_event(data: bytes | str, event_type: str | None = None) -> Event:
    """Parse one event from JSON bytes into its typed model (raises a ContractError).

    With `event_type`, the bytes must be an event of that type (its own model, not the union).
    Integers are strict, as serde_json reads them: `1.0` is not an integer and neither is `-0`
    (serde_json reads it as the float -0.0).
    """
    if data.__class__ is not bytes:
        data = json_text(data, "parse_event", "a mapping or a model call validate_event()")
    try:
        if event_type is None:
            event: Event = _EVENT_VALIDATOR.validate_json(data, strict=True)
        else:
            model = EVENT_MODELS.get(event_type)
            if model is None:
                raise UnknownEventTypeError(
                    [Violation("$.event_type", "a known event type", repr(event_type), "unknown")]
                )
            event = model.model_validate_json(data, strict=True)  # type: ignore[assignment]
    except ValidationError as exc:
        raise contract_error(exc, data, "event_type", EVENT_MODELS) from None
    if MAY_HOLD_NEGATIVE_ZERO(data) is not None:  # "item-0" (cheap to tell), or the number -0
        _reject_negative_zero(data)
    return event


def _reject_negative_zero(data: bytes) -> None:
    path = negative_zero_path(data)
    if path is not None:
        expected = "0 or -0.0 (serde_json reads -0 as the float -0.0, which is no integer)"
        raise WrongTypeError([Violation(path, expected, "-0", "int_type")])


def validate_event(event: Mapping[str, Any] | BaseModel) -> Event:
    """Validate an event given as a JSON-like mapping (or a model) and return the typed model."""
    if isinstance(event, BaseModel):
        event = event.model_dump(mode="json", by_alias=True)
    elif not isinstance(event, Mapping):
        raise InputTypeError(
            [
                Violation(
                    "$",
                    "a JSON-like mapping or a model for validate_event(); for JSON text call "
                    "parse_event()",
                    f"a Python {type(event).__name__}",
                    "input_type",
                )
            ]
        )
    try:
        return EVENT_ADAPTER.validate_python(event, strict=True)
    except ValidationError as exc:
        raise contract_error(exc, event, "event_type", EVENT_MODELS) from None


def parse_fact(data: bytes | str | Mapping[str, Any]) -> Fact:
    """Parse one reducer input fact (JSON bytes or a JSON-like mapping) into its typed model."""
    if not isinstance(data, bytes | Mapping):
        data = json_text(data, "parse_fact", "a model pass model.model_dump(mode='json')")
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
    """The exact bytes the Rust emitter sends for this event (floats as serde_json writes
    them: `1e16`, not `1e+16`)."""
    data: bytes = event.__pydantic_serializer__.to_json(event, by_alias=True)
    return data if data.find(b"+") < 0 else wire_json(data)  # wire_json's test, inlined


def serialize_batch(events: Iterable[BaseModel]) -> list[bytes]:
    """Request bodies `{"events":[...]}` for events in emission order.

    Consecutive ordinary events share a request; every accepted-line-fingerprints event travels
    alone in its own request (wire spec §2.2). No request is produced for an empty list.
    """
    bodies: list[bytes] = []
    pending: list[bytes] = []

    def flush() -> None:
        if pending:
            bodies.append(b'{"events":[' + b",".join(pending) + b"]}")
            pending.clear()

    for event in events:
        data = serialize_event(event)
        if getattr(event, "event_type", None) in ISOLATED_EVENT_TYPES:
            flush()
            bodies.append(b'{"events":[' + data + b"]}")
        else:
            pending.append(data)
    flush()
    return bodies
