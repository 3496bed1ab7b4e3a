"""Parse, validate and serialize events and facts.

Validation is strict, as JSON Schema is: `"1"` is not an integer and `1` is not a boolean.
Serialization writes the bytes the Rust emitter sends: keys in declared (wire) order, explicit
nulls, compact separators, UTF-8 without `\\u` escapes for non-ASCII, serde_json's escapes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import SchemaValidator, core_schema

from codex_analytics_contract._generated.tables import EVENT_VERSIONS as EVENT_NAMES
from codex_analytics_contract._generated.tables import FACT_VERSIONS as FACT_NAMES
from codex_analytics_contract.conditionals import check_conditionals, has_conditionals
from codex_analytics_contract.errors import (
    ContractError,
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
from codex_analytics_contract.versions import (
    accepting_versions,
    first_accepting,
    first_valid,
    model,
    newest_model,
    tag_of,
)
from codex_analytics_contract.violations import contract_error, error_for

if TYPE_CHECKING:
    from pydantic_core import CoreSchema

    from codex_analytics_contract._generated.registry import Event, Fact


class _Newest:
    """The type adapters of the newest models and their compiled validators (called directly
    on the hot path, no Python wrapper layers), built on first use: importing the package
    builds no model, the first parse does."""

    event_adapter: TypeAdapter[Event]
    fact_adapter: TypeAdapter[Fact]
    event_validator: SchemaValidator
    fact_validator: SchemaValidator

    def __getattr__(self, name: str) -> Any:
        if name not in type(self).__annotations__:
            raise AttributeError(name)
        from codex_analytics_contract._generated.registry import Event, Fact

        self.event_adapter = TypeAdapter(Event)
        self.fact_adapter = TypeAdapter(Fact)
        self.event_validator = self.event_adapter.validator  # type: ignore[assignment]
        self.fact_validator = self.fact_adapter.validator  # type: ignore[assignment]
        return getattr(self, name)


_NEWEST: Final = _Newest()
NEWEST_MODELS: Final = _NEWEST  # for the package's loaders (rows.py)

#: The one event type that travels alone in its request (spec/wire-format.md §2.2).
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


def parse_event(
    data: bytes | str, event_type: str | None = None, *, version: str | None = None
) -> Event:
    """Parse one event from JSON bytes into the typed model of its version (a ContractError if
    no version of its schema accepts it).

    The payload carries no version: the newest version that accepts it is returned (its model's
    `schema_version` says which; spec/versioning.md §3). `event_type` restricts the event to
    one type; `version="1-0-0"` pins one version (then `event_type` may be omitted). Integers
    are strict, as serde_json reads them: `1.0` is not an integer and neither is `-0` (serde_json
    reads it as the float -0.0).
    """
    raw = data if type(data) is bytes else json_text(data, "parse_event", _FOR_MAPPINGS)
    event = _parse_event(raw, event_type, version)
    if MAY_HOLD_NEGATIVE_ZERO(raw) is not None:  # "item-0" (cheap to tell), or the number -0
        reject_negative_zero(raw)
    return event


_FOR_MAPPINGS: Final = "a mapping or a model call validate_event()"


def reject_negative_zero(data: bytes) -> None:
    """A WrongTypeError naming the first `-0` number of the document, if it holds one."""
    path = negative_zero_path(data)
    if path is not None:
        raise negative_zero_error(path)


def negative_zero_error(path: str) -> WrongTypeError:
    """The error for a `-0` integer literal at `path` (the typed path's, on every path)."""
    expected = "0 or -0.0 (serde_json reads -0 as the float -0.0, which is no integer)"
    return WrongTypeError([Violation(path, expected, "-0", "int_type")])


def _parse_event(data: bytes, event_type: str | None, version: str | None) -> Event:
    if version is not None:
        pinned = _tag_for_pin("events", event_type or tag_of("events", data))
        return _event_version(data, pinned, version)  # type: ignore[return-value]
    found = first_valid("events", data, event_type)  # the common case: validated once
    if found is not None:
        return found  # type: ignore[no-any-return]
    # no version accepted it (or nothing could be ruled out): the exact error, as below
    try:
        if event_type is None:
            return _NEWEST.event_validator.validate_json(data, strict=True)  # type: ignore[no-any-return]
        newest = newest_model("events", event_type)
        if newest is None:
            raise UnknownEventTypeError(
                [Violation("$.event_type", "a known event type", repr(event_type), "unknown")]
            )
        return newest.model_validate_json(data, strict=True)  # type: ignore[return-value]
    except ValidationError as exc:
        error = contract_error(exc, data, "event_type", EVENT_NAMES)
    name = event_type or tag_of("events", data)
    if name is None or name not in EVENT_NAMES:
        raise error
    return first_accepting(  # type: ignore[return-value]
        "events", name, data, lambda v: _event_version(data, name, v), error
    )


def _tag_for_pin(kind: str, name: str | None) -> str:
    """The event type (fact kind) a pinned-version parse reads as; a payload without one is
    an UnknownEventTypeError."""
    if name is None:
        tag = "event_type" if kind == "events" else "fact"
        raise UnknownEventTypeError([Violation(f"$.{tag}", f"a known {tag}", "none", "unknown")])
    return name


def _event_version(data: bytes | str | Mapping[str, Any], name: str, version: str) -> BaseModel:
    """`data` as version `version` of event type `name` (a ContractError if it is not one)."""
    cls = model("events", name, version)
    try:
        if isinstance(data, Mapping):
            return cls.model_validate(data, strict=True)
        return cls.model_validate_json(data, strict=True)
    except ValidationError as exc:
        raise contract_error(exc, data, "event_type", EVENT_NAMES) from None


def matching_versions(data: bytes | str) -> list[str]:
    """Every version of the event's schema that accepts these bytes, newest first."""
    return accepting_versions("events", data, lambda name, v: _event_version(data, name, v))


def matching_fact_versions(data: bytes | str | Mapping[str, Any]) -> list[str]:
    """Every version of the fact's schema that accepts it, newest first."""
    return accepting_versions("facts", data, lambda name, v: _fact_version(data, name, v))


def validate_event(event: Mapping[str, Any] | BaseModel, *, version: str | None = None) -> Event:
    """Validate an event given as a JSON-like mapping (or a model) and return the typed model
    of the newest version that accepts it (`version=` pins one), as `parse_event` does."""
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
    name = tag_of("events", event)
    if version is not None:
        return _event_version(event, _tag_for_pin("events", name), version)  # type: ignore[return-value]
    try:
        return _NEWEST.event_adapter.validate_python(event, strict=True)
    except ValidationError as exc:
        error = contract_error(exc, event, "event_type", EVENT_NAMES)
    if name is None or name not in EVENT_NAMES:
        raise error
    return first_accepting(  # type: ignore[return-value]
        "events", name, event, lambda v: _event_version(event, name, v), error
    )


def parse_fact(data: bytes | str | Mapping[str, Any], *, version: str | None = None) -> Fact:
    """Parse one reducer input fact (JSON bytes or a JSON-like mapping) into the typed model of
    the newest version of its schema that accepts it (`version=` pins one)."""
    if not isinstance(data, bytes | Mapping):
        data = json_text(data, "parse_fact", "a model pass model.model_dump(mode='json')")
    name = tag_of("facts", data)
    if version is not None:
        return _fact_version(data, _tag_for_pin("facts", name), version)  # type: ignore[return-value]
    try:
        if isinstance(data, Mapping):
            fact: Any = _NEWEST.fact_validator.validate_python(data, strict=True)
        else:
            fact = _NEWEST.fact_validator.validate_json(data, strict=True)
        _check_conditionals(fact, data)
        return fact  # type: ignore[no-any-return]
    except ValidationError as exc:
        error = contract_error(exc, data, "fact", FACT_NAMES)
    except ContractError as exc:
        error = exc
    if name is None or name not in FACT_NAMES:
        raise error
    return first_accepting(  # type: ignore[return-value]
        "facts", name, data, lambda v: _fact_version(data, name, v), error
    )


def _fact_version(data: bytes | str | Mapping[str, Any], name: str, version: str) -> BaseModel:
    """`data` as version `version` of fact kind `name`, conditionals included."""
    cls = model("facts", name, version)
    try:
        if isinstance(data, Mapping):
            fact = cls.model_validate(data, strict=True)
        else:
            fact = cls.model_validate_json(data, strict=True)
    except ValidationError as exc:
        raise contract_error(exc, data, "fact", FACT_NAMES) from None
    _check_conditionals(fact, data)
    return fact


def _check_conditionals(fact: BaseModel, data: bytes | str | Mapping[str, Any]) -> None:
    """The conditional parts of the fact's schema (a ContractError naming the first)."""
    name = type(fact).__name__
    if has_conditionals(name):
        instance: Any = data if isinstance(data, Mapping) else json.loads(data)
        found = check_conditionals(name, instance)
        if found:
            raise error_for(found)


# -- the fast yes/no checks of the `reduce` hot path ---------------------------------------
#
# Validators built from the generated fact schemas (`_generated/fact_validators.py`, compiled
# from the JSON Schemas by the generator): no model instances, conditionals included. They
# accept only what the fact schemas accept; on a no, callers run `parse_fact` for the error.

Check = Callable[[Any], bool]


def _fact_core_schemas() -> dict[str, CoreSchema]:
    """The generated fact validator schemas (imported on first use, not with the package)."""
    from codex_analytics_contract._generated.fact_validators import FACT_CORE_SCHEMAS

    return FACT_CORE_SCHEMAS


class _FactChecks(dict[str, Check | None]):
    """Fast yes/no check per fact kind (see `fact_accepted`), built on first use; None for a
    kind that does not exist."""

    def __missing__(self, kind: str) -> Check | None:
        schema = _fact_core_schemas().get(kind)
        if schema is None:
            return None
        validate = SchemaValidator(schema).validate_python

        def check(data: Any) -> bool:
            try:
                validate(data, strict=True)
            except ValidationError:
                return False
            return True

        self[kind] = check
        return check


FACT_CHECKS: Final = _FactChecks()


def fact_accepted(data: dict[str, Any]) -> bool:
    """Would `parse_fact` accept this JSON object (as parsed from JSON text)? A fast yes/no
    that builds no models; False is no verdict (call `parse_fact` for the error, if any)."""
    kind = data.get("fact")
    check = FACT_CHECKS[kind] if type(kind) is str else None
    return check is not None and check(data)


#: The fact kinds `fact_line_validator` checks. Its dict comes back with each object's declared
#: keys first, then the others; the reducer reads the objects of these kinds by key (or only
#: the one key of a single-key object) and never copies such an object into an event, so the
#: order cannot show. guardian_review (copies `reviewed_action`) and the stateless kinds are
#: not among them: their lines are parsed and checked per kind.
JSON_FACT_KINDS: Final[frozenset[str]] = frozenset(
    {
        "initialize",
        "client_request",
        "client_response",
        "error_response",
        "server_request",
        "server_response",
        "effective_permissions_approval_response",
        "server_request_aborted",
        "notification",
        "subagent_thread_started",
        "compaction",
        "turn_resolved_config",
        "turn_token_usage",
    }
)


@cache
def fact_line_validator() -> SchemaValidator:
    """One validator that checks a fact JSON line of the `JSON_FACT_KINDS` and returns the fact
    dict in one pass, built on first use. Call `validate_json(line, strict=True)`: a returned
    dict equals what `from_json(line)` gives and `parse_fact` accepts; a ValidationError is no
    verdict (check the line the usual way)."""
    schemas = _fact_core_schemas()
    choices = {kind: schemas[kind] for kind in sorted(JSON_FACT_KINDS)}
    return SchemaValidator(core_schema.tagged_union_schema(choices, "fact"))


def serialize_event(event: BaseModel) -> bytes:
    """The exact bytes the Rust emitter sends for this event (floats as serde_json writes
    them: `1e16`, not `1e+16`)."""
    data: bytes = event.__pydantic_serializer__.to_json(event, by_alias=True)
    return data if data.find(b"+") < 0 else wire_json(data)  # wire_json's test, inlined


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
