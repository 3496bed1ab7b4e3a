"""The opt-in fast path: decode and encode events with msgspec (`pip install '...[fast]'`).

The Structs are generated from the same schemas as the typed models
(`_generated/fast_models.py`) and accept exactly what the typed path accepts; the typed path
(`parse_event`, `serialize_event`) stays the reference and the default. What is the same:

* `decode_event(data)` picks the version as `parse_event` does: the newest version of the
  event type first, an older one only when the newest refuses the payload;
* a rejected payload raises the same ContractError as `parse_event` (path, expected, actual):
  on the error path only, the payload is parsed again by the typed path for the error;
* `encode_event(decode_event(x)) == serialize_event(parse_event(x))`: the Rust emitter's bytes.

If the two paths disagree on a payload, `PathsDisagreeError` says so: always when the fast path
refuses what the typed path accepts, and with `cross_check=True` also the other way round (that
check parses every payload twice, so it is off by default; the tests run it over every example
and a seeded differential).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

try:
    import msgspec
except ImportError as exc:  # pragma: no cover - exercised by the install without the extra
    raise ImportError(
        "codex_analytics_contract.fast needs msgspec: install the package with its `fast` "
        "extra (pip install 'codex-analytics-contract[fast]')"
    ) from exc

from pydantic import BaseModel

from codex_analytics_contract._generated import models
from codex_analytics_contract._generated.fast_models import (
    EVENT_STRUCTS,
    EVENTS_NOT_CARRIED,
    FACT_STRUCTS,
    FACTS_NOT_CARRIED,
    MAX_NESTING,
    OLDER_EVENT_STRUCTS,
    OPEN_VALUES,
    Event,
    Fact,
)
from codex_analytics_contract.api import parse_event, parse_fact, serialize_event

__all__ = [
    "EVENTS_NOT_CARRIED",
    "EVENT_STRUCTS",
    "FACTS_NOT_CARRIED",
    "FACT_STRUCTS",
    "NotCarriedError",
    "PathsDisagreeError",
    "decode_event",
    "decode_fact",
    "encode_event",
    "event_type_of",
    "to_dict",
    "to_model",
]

#: What msgspec raises for a payload it refuses (invalid UTF-8 and nesting deeper than Python's
#: recursion limit surface as the builtin errors).
_REFUSED: Final = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)

_EVENTS: Final = msgspec.json.Decoder(Event)
_FACTS: Final = msgspec.json.Decoder(Fact)
_ENCODER: Final = msgspec.json.Encoder()
_ANY: Final = msgspec.json.Decoder()


class PathsDisagreeError(RuntimeError):
    """The fast and the typed path judged one payload differently: a bug in one of them."""


class NotCarriedError(ValueError):
    """An event or fact msgspec cannot carry exactly (`EVENTS_NOT_CARRIED`,
    `FACTS_NOT_CARRIED`; none of the contract's events): use the typed path."""


class _Head(msgspec.Struct):
    """The tag of an event or fact, whatever else the object holds."""

    event_type: Any = None
    fact: Any = None


_HEAD: Final = msgspec.json.Decoder(_Head)


@cache
def _decoder(struct: type[msgspec.Struct]) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(struct)


def _head(data: bytes | str) -> _Head:
    try:
        return _HEAD.decode(data)
    except (*_REFUSED, TypeError):
        return _Head()


def decode_event(data: bytes | str, *, cross_check: bool = False) -> msgspec.Struct:
    """Decode one event from JSON into the Struct of the newest version that accepts it.

    Raises the ContractError `parse_event` raises for a payload the contract refuses.
    `cross_check=True` also parses with the typed path and raises PathsDisagreeError unless
    both accept the same version and write the same bytes.
    """
    try:
        event: msgspec.Struct = _EVENTS.decode(data)
    except _REFUSED:
        event = _older(data)
    else:
        if type(event) in OPEN_VALUES and not _nesting_ok(event):
            event = _older(data)
    if cross_check:
        _cross_check(data, event)
    return event


def _older(data: bytes | str) -> msgspec.Struct:
    """The error path of an event: an older version, or the typed path's error."""
    event_type = _head(data).event_type
    older = OLDER_EVENT_STRUCTS.get(event_type, ()) if type(event_type) is str else ()
    for struct in older:
        try:
            event: msgspec.Struct = _decoder(struct).decode(data)
        except _REFUSED:
            continue
        if _nesting_ok(event):
            return event
    found = _last_key_counts(data, (Event, *older))
    if found is not None:
        return found
    typed = parse_event(data)  # raises the contract's error
    if type(typed).__name__ in EVENTS_NOT_CARRIED:
        name = type(typed).__name__
        raise NotCarriedError(f"{name}: {EVENTS_NOT_CARRIED[name]}; use parse_event")
    raise PathsDisagreeError(
        f"the typed path accepts this {type(typed).__name__} event, the fast path refuses it"
    )


def _last_key_counts(data: bytes | str, kinds: tuple[Any, ...]) -> msgspec.Struct | None:
    """`data` read as the typed path reads a repeated key: the last one counts and the others
    are not checked (msgspec checks every one). None when no type of `kinds` accepts it."""
    try:
        value = _ANY.decode(data)
    except _REFUSED:
        return None
    for kind in kinds:
        try:
            found: msgspec.Struct = msgspec.convert(value, kind, strict=True)
        except (msgspec.ValidationError, RecursionError):
            continue
        if _nesting_ok(found):
            return found
    return None


def _nesting_ok(value: msgspec.Struct) -> bool:
    """Is every open value of `value` nested no deeper than the typed path's JSON parser reads?"""
    return all(_path_ok(value, path, level) for path, level in OPEN_VALUES.get(type(value), ()))


def _path_ok(node: Any, path: tuple[str, ...], level: int) -> bool:
    if not path:
        return _within(node, level)
    head, rest = path[0], path[1:]
    if head == "*":
        items = node.values() if type(node) is dict else node if type(node) is list else ()
        return all(_path_ok(item, rest, level) for item in items)
    child = getattr(node, head, None)  # None: another variant of a union, or null
    return child is None or _path_ok(child, rest, level)


def _within(value: Any, level: int) -> bool:
    """Is `value` (inside `level` containers) and all below it inside at most MAX_NESTING?"""
    if level > MAX_NESTING:
        return False
    if type(value) is dict:
        return all(_within(item, level + 1) for item in value.values())
    if type(value) is list:
        return all(_within(item, level + 1) for item in value)
    return True


def _cross_check(data: bytes | str, event: msgspec.Struct) -> None:
    try:
        typed = parse_event(data)
    except ValueError as exc:
        raise PathsDisagreeError(
            f"the fast path accepts this {type(event).__name__} event, the typed path refuses "
            f"it: {exc}"
        ) from None
    if type(typed).__name__ != type(event).__name__:
        raise PathsDisagreeError(
            f"the fast path reads {type(event).__name__}, the typed path {type(typed).__name__}"
        )
    fast_bytes, typed_bytes = encode_event(event), serialize_event(typed)
    if fast_bytes != typed_bytes:
        raise PathsDisagreeError(
            f"the two paths write {type(event).__name__} differently: fast {fast_bytes!r}, "
            f"typed {typed_bytes!r}"
        )


def decode_fact(data: bytes | str) -> msgspec.Struct:
    """Decode one reducer input fact into its Struct (the kinds in `FACT_STRUCTS`).

    Raises the ContractError `parse_fact` raises for a fact the contract refuses, and
    NotCarriedError for a valid fact of a kind the fast path does not carry.
    """
    try:
        fact: msgspec.Struct = _FACTS.decode(data)
    except _REFUSED:
        pass
    else:
        if _nesting_ok(fact):
            return fact
    found = _last_key_counts(data, (Fact,))
    if found is not None:
        return found
    kind = _head(data).fact
    typed = parse_fact(data)  # raises the contract's error
    if type(kind) is str and kind in FACTS_NOT_CARRIED:
        raise NotCarriedError(f"{kind}: {FACTS_NOT_CARRIED[kind]}; use parse_fact")
    raise PathsDisagreeError(
        f"the typed path accepts this {type(typed).__name__} fact, the fast path refuses it"
    )


def encode_event(event: msgspec.Struct) -> bytes:
    """The exact bytes the Rust emitter sends (the same as `serialize_event` of the model)."""
    return _ENCODER.encode(event)


def to_dict(value: msgspec.Struct) -> dict[str, Any]:
    """The JSON object of an event or fact (absent optional keys left out).

    Cost: one pass over the Struct building dicts and lists, no validation (a fraction of
    decoding the bytes again)."""
    built = msgspec.to_builtins(value)
    assert isinstance(built, dict)
    return built


def to_model(value: msgspec.Struct) -> BaseModel:
    """The typed model of an event or fact Struct (the same version, by class name).

    Cost: an encode plus a full typed validation of the bytes, about what `parse_event` costs;
    convert only where the typed model is needed."""
    model = getattr(models, type(value).__name__, None)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{type(value).__name__} is no event or fact Struct of this contract")
    return model.model_validate_json(encode_event(value), strict=True)


def event_type_of(event: msgspec.Struct) -> str:
    """The `event_type` of an event Struct (its tag: not an attribute of the Struct)."""
    return str(type(event).__struct_config__.tag)


def struct_for(event_type: str) -> type[msgspec.Struct] | None:
    """The Struct of the newest version of `event_type` (None for an unknown type)."""
    return EVENT_STRUCTS.get(event_type)


def fact_struct_for(kind: str) -> type[msgspec.Struct] | None:
    """The Struct of fact `kind` (None for an unknown kind or one in `FACTS_NOT_CARRIED`)."""
    return FACT_STRUCTS.get(kind)
