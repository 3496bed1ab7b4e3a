"""The opt-in fast path: decode and encode events with msgspec (`pip install '...[fast]'`).

The Structs are generated from the same schemas as the typed models (`_generated/fast_models.py`
for the newest version of every event and fact, `_generated/fast_history.py` for every older
version, imported on first use) and accept exactly what the typed path accepts; the typed path
(`parse_event`, `serialize_event`) stays the reference and the default. What is the same:

* `decode_event(data)` picks the version as `parse_event` does: the newest version of the
  event type first, an older one only when the newest refuses the payload (newest first,
  skipping the versions whose required keys are not in the bytes); `version=` pins one;
* a rejected payload raises the same ContractError as `parse_event` (path, expected, actual):
  on the error path only, the payload is parsed again by the typed path for the error;
* `encode_event(decode_event(x)) == serialize_event(parse_event(x))`: the Rust emitter's bytes;
* each Struct has the name and `schema_version` of the typed model of its version.

If the two paths disagree on a payload, `PathsDisagreeError` says so: always when the fast path
refuses what the typed path accepts, and with `cross_check=True` also the other way round (that
check parses every payload twice, so it is off by default; the tests run it over every example
and a seeded differential).
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Final, Union

try:
    import msgspec
except ImportError as exc:  # pragma: no cover - exercised by the install without the extra
    raise ImportError(
        "codex_analytics_contract.fast needs msgspec: install the package with its `fast` "
        "extra (pip install 'codex-analytics-contract[fast]')"
    ) from exc

from pydantic import BaseModel
from pydantic_core import from_json

from codex_analytics_contract._generated import fast_models, models
from codex_analytics_contract._generated.fast_models import (
    EVENT_STRUCTS,
    FACT_STRUCTS,
    MAX_NESTING,
    Event,
    Fact,
)
from codex_analytics_contract._generated.registry import (
    EVENT_MODELS,
    FACT_MODELS,
    HISTORY_CLASSES,
)
from codex_analytics_contract.api import (
    parse_event,
    parse_fact,
    reject_negative_zero,
    serialize_event,
)
from codex_analytics_contract.json_numbers import I64_MIN, MAY_HOLD_NEGATIVE_ZERO, U64_MAX
from codex_analytics_contract.versions import history_class, versions

__all__ = [
    "EVENT_STRUCTS",
    "FACT_STRUCTS",
    "NotCarriedError",
    "PathsDisagreeError",
    "checked_fact",
    "decode_event",
    "decode_fact",
    "encode_event",
    "event_type_of",
    "not_carried",
    "struct_for",
    "to_dict",
    "to_model",
]

#: What msgspec raises for a payload it refuses (invalid UTF-8 and nesting deeper than Python's
#: recursion limit surface as the builtin errors).
_REFUSED: Final = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)

_EVENTS: Final = msgspec.json.Decoder(Event)
_FACTS: Final = msgspec.json.Decoder(Fact)
_ENCODER: Final = msgspec.json.Encoder()
_HISTORY_MODULE: Final = "codex_analytics_contract._generated.fast_history"
#: root Struct (any version loaded) -> where it holds open values (see `_nesting_ok`)
_OPEN: Final[dict[type[msgspec.Struct], tuple[tuple[tuple[str, ...], int], ...]]] = dict(
    fast_models.OPEN_VALUES
)
_history: list[ModuleType] = []
_TAGS: Final = {"events": "event_type", "facts": "fact"}
#: Where a version's own keys are: an event's `event_params`, a fact's top level.
_BODY: Final = {"events": "$.event_params", "facts": "$"}
# msgspec's word for a payload's key a closed object lacks, or a required key it lacks
_KEY_FACT: Final = re.compile(
    r"Object (contains unknown|missing required) field `([A-Za-z0-9_]+)`(?: - at `([^`]*)`)?"
)


class PathsDisagreeError(RuntimeError):
    """The fast and the typed path judged one payload differently: a bug in one of them."""


class NotCarriedError(ValueError):
    """A fact msgspec cannot carry exactly (see `not_carried`; every version of every event is
    carried): use the typed path."""


class _Head(msgspec.Struct):
    """The tag of an event or fact, whatever else the object holds."""

    event_type: Any = None
    fact: Any = None


_HEAD: Final = msgspec.json.Decoder(_Head)


def _history_module() -> ModuleType:
    """The generated Structs of every older version, imported on first use."""
    if not _history:
        module = importlib.import_module(_HISTORY_MODULE)
        _OPEN.update(module.OPEN_VALUES)
        _history.append(module)
    return _history[0]


@cache
def _decoder(struct: type[msgspec.Struct]) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(struct)


def _class_name(kind: str, name: str, version: str | None) -> str | None:
    """The model/Struct class name of one version (None: no such schema or version)."""
    known = versions(kind, name)
    if not known:
        return None
    if version is None or version == known[0]:
        newest = (EVENT_MODELS if kind == "events" else FACT_MODELS).get(name)
        return None if newest is None else newest.__name__
    return HISTORY_CLASSES.get((kind, name, version))


def not_carried(kind: str, name: str, version: str | None = None) -> str | None:
    """Why one version of an event or fact (default: the newest) has no fast path, or None.
    Every version of every event has one; a fact whose schema msgspec cannot express exactly
    (an `if`/`then` conditional, an open object with declared properties) has none."""
    cls = _class_name(kind, name, version)
    if cls is None:
        return None
    newest = version is None or version == versions(kind, name)[0]
    table: dict[str, str] = fast_models.NOT_CARRIED if newest else _history_module().NOT_CARRIED
    return table.get(cls)


def struct_for(kind: str, name: str, version: str | None = None) -> type[msgspec.Struct] | None:
    """The Struct of one version (default: the newest) of event type / fact kind `name` (kind
    "events" or "facts"); None for an unknown one or a fact in `not_carried`."""
    known = versions(kind, name)
    if not known:
        return None
    if version is None or version == known[0]:
        return (EVENT_STRUCTS if kind == "events" else FACT_STRUCTS).get(name)
    cls = HISTORY_CLASSES.get((kind, name, version))
    found = None if cls is None else getattr(_history_module(), cls, None)
    return found if isinstance(found, type) else None


@dataclass(frozen=True)
class _Rung:
    """One version of an event type or fact kind, as the version search needs it."""

    version: str
    struct: type[msgspec.Struct] | None  # None: a fact version without a fast path
    decoder: msgspec.json.Decoder[Any] | None
    keys: frozenset[str] | None  # the keys its closed body allows (None: open, or unknown)
    required: frozenset[str]
    overlap: tuple[int, ...] = ()  # the newer versions that may accept what it accepts


def _exclusive(a: _Rung, b: _Rung) -> bool:
    """Can no payload be of both versions? (one requires a key the other's closed body lacks)"""
    return (a.keys is not None and not b.required <= a.keys) or (
        b.keys is not None and not a.required <= b.keys
    )


@cache
def _ladder(kind: str, name: str) -> tuple[_Rung, ...]:
    """Every version of `name`, newest first (built on first use)."""
    rungs: list[_Rung] = []
    for version in versions(kind, name):
        struct = struct_for(kind, name, version)
        keys, required = _body_keys(kind, struct)
        decoder = None if struct is None else _decoder(struct)
        rung = _Rung(version, struct, decoder, keys, required)
        overlap = tuple(i for i, newer in enumerate(rungs) if not _exclusive(rung, newer))
        rungs.append(_Rung(version, struct, decoder, keys, required, overlap))
    return tuple(rungs)


#: How many payloads of one older version in a row make it the version tried first.
STEADY: Final = 8


class _Plan:
    """How the version of one event type's payloads is found when the first try (`_guessed`)
    refused it: for an event type of more than one version (`_plan`). Exact: a version is
    skipped only when it would refuse the payload.

    One cheap read of the body's keys (`shape`: only the keys whose presence tells versions
    apart, as `Raw`, every value skipped) gives the versions that could hold them, newest
    first (`candidates`, cached per set of keys): the first that accepts is the newest that
    does. After `STEADY` payloads of one older version in a row, that version is what the
    first try reads the type as (`_guessed`), if no newer version can accept a payload it
    accepts (`overlap` empty: each requires a key the other's closed body lacks); after
    `STEADY` of the newest in a row, the newest again. Anything else (no candidate accepts, a
    repeated key): None, and `_search` decides."""

    __slots__ = ("candidates", "keys", "ladder", "last", "name", "shape", "streak")

    def __init__(self, name: str) -> None:
        self.name = name
        self.ladder = _ladder("events", name)
        telling = _telling_keys(self.ladder)
        self.keys = telling
        body = msgspec.defstruct(
            "Keys", [(key, msgspec.Raw | msgspec.UnsetType, msgspec.UNSET) for key in telling]
        )
        self.shape: msgspec.json.Decoder[Any] = msgspec.json.Decoder(
            msgspec.defstruct("Shape", [("event_params", body)])
        )
        self.candidates: dict[tuple[type, ...], tuple[_Rung, ...]] = {}
        self.last: _Rung | None = None
        self.streak = 0

    def decode(self, data: bytes) -> msgspec.Struct | None:
        """The payload as the newest version that accepts it, by its telling keys (None: no
        verdict)."""
        try:
            body: msgspec.Struct = self.shape.decode(data).event_params
        except _REFUSED:
            return None
        shape = tuple(map(type, msgspec.structs.astuple(body)))
        rungs = self.candidates.get(shape)
        if rungs is None:
            rungs = self.candidates[shape] = self._candidates(shape)
        for index, rung in enumerate(rungs):
            assert rung.decoder is not None
            try:
                found: msgspec.Struct = rung.decoder.decode(data)
            except _REFUSED:
                continue
            if not _nesting_ok(found):
                continue
            if index and _ENCODER.encode(found) != data and _repeats_a_key(data):
                return None  # a newer version may accept it as the typed path reads a repeat
            self._count(rung)
            return found
        return None

    def _count(self, rung: _Rung) -> None:
        """One more payload read as `rung`: a steady version becomes the first try."""
        if rung is self.last:
            self.streak += 1
        else:
            self.last, self.streak = rung, 1
        if self.streak == STEADY and rung.struct is not None:
            _guess(self.name, rung.struct, tuple(self.ladder[i] for i in rung.overlap))

    def _candidates(self, shape: tuple[type, ...]) -> tuple[_Rung, ...]:
        """The versions that can hold a body with these telling keys, newest first."""
        held = frozenset(k for k, t in zip(self.keys, shape, strict=True) if t is msgspec.Raw)
        telling = frozenset(self.keys)
        return tuple(
            rung
            for rung in self.ladder
            if rung.decoder is not None
            and rung.required & telling <= held
            and (rung.keys is None or held <= rung.keys)
        )


def _telling_keys(ladder: tuple[_Rung, ...]) -> tuple[str, ...]:
    """The body keys whose presence tells versions apart: required by some version but not by
    every one, or allowed by some but missing from a closed one."""
    always = frozenset.intersection(*(rung.required for rung in ladder))
    anywhere = frozenset().union(*(rung.keys or rung.required for rung in ladder))
    telling: set[str] = set()
    for rung in ladder:
        telling |= rung.required - always
        if rung.keys is not None:
            telling |= anywhere - rung.keys
    return tuple(sorted(telling))


#: event type (as the payload spells it) -> its plan; None: a type of one version, or no
#: known type
_PLANS: dict[bytes, _Plan | None] = {}
_EVENT_PREFIX: Final = b'{"event_type":"'
#: event type -> the Struct the first try reads it as (the newest version's unless a plan
#: made an older one steady), and that try's decoder: a tagged union of those Structs
_FIRST: Final[dict[str, type[msgspec.Struct]]] = dict(EVENT_STRUCTS)
_guessed: list[msgspec.json.Decoder[Any]] = [_EVENTS]


#: an older version's Struct in `_FIRST` -> the newer versions that may accept what it
#: accepts: each must refuse the payload the first try read as it
_NEWER: Final[dict[type[msgspec.Struct], tuple[msgspec.json.Decoder[Any], ...]]] = {}


def _guess(name: str, struct: type[msgspec.Struct], newer: tuple[_Rung, ...]) -> None:
    old = _FIRST.get(name)
    if old is not struct:
        if old is not None:
            _NEWER.pop(old, None)
        if newer:
            _NEWER[struct] = tuple(r.decoder for r in newer if r.decoder is not None)
        _FIRST[name] = struct
        _guessed[0] = msgspec.json.Decoder(Union[tuple(_FIRST.values())])  # noqa: UP007


def _newest_accepting(
    event: msgspec.Struct, newer: tuple[msgspec.json.Decoder[Any], ...], data: bytes | str
) -> bool:
    """Is `event`, read as an older version, the newest reading of `data`: every newer version
    that may accept it refuses it, and no key repeats that the typed path reads otherwise?"""
    for decoder in newer:
        try:
            decoder.decode(data)
        except _REFUSED:
            continue
        return False
    return _ENCODER.encode(event) == data or not _repeats_a_key(data)


def _plan(tag: bytes) -> _Plan | None:
    try:
        name = tag.decode()
    except UnicodeDecodeError:
        name = ""
    found = _Plan(name) if len(versions("events", name)) > 1 and "\\" not in name else None
    _PLANS[tag] = found
    return found


def _first_try_refused(data: bytes | str, error: Exception | None) -> msgspec.Struct:
    """The payload the first try refused (`error`) or read with an open value the typed path
    refuses (None): its plan's verdict, else `_search`'s."""
    if type(data) is bytes and data.startswith(_EVENT_PREFIX):
        tag = data[15 : data.find(b'"', 15)]
        plan = _PLANS[tag] if tag in _PLANS else _plan(tag)
        if plan is not None:
            found = plan.decode(data)
            if found is not None:
                return found
            if _FIRST.get(plan.name) is not EVENT_STRUCTS.get(plan.name):
                error = None  # the first try read the type as an older version
    return _search("events", data, None, None, error)


def _body_keys(
    kind: str, struct: type[msgspec.Struct] | None
) -> tuple[frozenset[str] | None, frozenset[str]]:
    """(the keys the body of `struct` allows if it is closed, the keys it requires)."""
    if struct is None:
        return None, frozenset()
    info: Any = msgspec.inspect.type_info(struct)
    if kind == "events":
        found = [f.type for f in info.fields if f.encode_name == "event_params"]
        info = found[0] if found else None
    if not isinstance(info, msgspec.inspect.StructType):
        return None, frozenset()
    names = frozenset(f.encode_name for f in info.fields)
    required = frozenset(f.encode_name for f in info.fields if f.required)
    return (names if info.forbid_unknown_fields else None), required


class _EventBody(msgspec.Struct):
    event_params: dict[str, msgspec.Raw]


_BODIES: Final = {
    "events": msgspec.json.Decoder(_EventBody),
    "facts": msgspec.json.Decoder(dict[str, msgspec.Raw]),
}


def _body_of(kind: str, data: bytes | str) -> frozenset[str] | None:
    """The keys of the payload's body (an event's `event_params`, a fact), or None when it is
    no JSON object holding one."""
    decoder: Any = _BODIES[kind]
    try:
        found: Any = decoder.decode(data)
    except (*_REFUSED, TypeError):
        return None
    if kind == "events":
        return frozenset(found.event_params)
    return frozenset(found).difference(("fact",))  # a fact's tag is no field of its Struct


def _learn(kind: str, error: Exception, present: set[str], absent: set[str]) -> None:
    """What a version's refusal says about the payload's body: a key it holds (unknown to a
    closed version) or a key it lacks (required by the version). Each rules out every version
    that would refuse the payload for the same reason (exact, so no version is skipped that
    could accept it)."""
    match = _KEY_FACT.fullmatch(str(error))
    if match is None or (match.group(3) or "$") != _BODY[kind]:
        return
    (present if match.group(1) == "contains unknown" else absent).add(match.group(2))


def _peek(kind: str, data: bytes | str) -> str | None:
    """The tag of a payload that starts with it, plainly spelled (the wire order puts it
    first): read without a second parse. msgspec's tagged unions read this one too."""
    if type(data) is not bytes:
        return None
    prefix = b'{"event_type":"' if kind == "events" else b'{"fact":"'
    if not data.startswith(prefix):
        return None
    end = data.find(b'"', len(prefix))
    tag = data[len(prefix) : end]
    if end < 0 or b"\\" in tag:
        return None
    try:
        return tag.decode()
    except UnicodeDecodeError:
        return None


def _tag(kind: str, data: bytes | str) -> str | None:
    """The payload's event type or fact kind (the last one if the key repeats, as the typed
    path reads it), if it is a JSON object with a string tag."""
    try:
        head = _HEAD.decode(data)
    except (*_REFUSED, TypeError):
        return None
    value = head.event_type if kind == "events" else head.fact
    return value if type(value) is str else None


def decode_event(
    data: bytes | str,
    event_type: str | None = None,
    *,
    version: str | None = None,
    cross_check: bool = False,
) -> msgspec.Struct:
    """Decode one event from JSON into the Struct of the newest version that accepts it, as
    `parse_event` does (`event_type` restricts it to one type, `version` pins one version).

    Raises the ContractError `parse_event` raises for a payload the contract refuses.
    `cross_check=True` also parses with the typed path and raises PathsDisagreeError unless
    both accept the same version and write the same bytes.
    """
    event: msgspec.Struct | None = None
    if version is None and event_type is None:
        try:
            event = _guessed[0].decode(data)
        except _REFUSED as exc:
            event = _first_try_refused(data, exc)
        else:
            paths = _OPEN.get(event.__class__)
            if paths is not None and not _paths_all_ok(event, paths):
                event = _first_try_refused(data, None)
            else:
                newer = _NEWER.get(event.__class__)
                if newer is not None and not _newest_accepting(event, newer, data):
                    event = _first_try_refused(data, None)
    else:
        event = _search("events", data, event_type, version)
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    if MAY_HOLD_NEGATIVE_ZERO(raw) is not None:  # "item-0" (cheap to tell), or the number -0
        reject_negative_zero(raw)  # the typed path's rule and error
    if cross_check:
        _cross_check(data, event, event_type, version)
    return event


def decode_fact(data: bytes | str, *, version: str | None = None) -> msgspec.Struct:
    """Decode one reducer input fact into the Struct of the newest version that accepts it, as
    `parse_fact` does (`version` pins one version).

    Raises the ContractError `parse_fact` raises for a fact the contract refuses, and
    NotCarriedError for a valid fact of a version the fast path does not carry.
    """
    if version is not None:
        return _search("facts", data, None, version)
    try:
        fact: msgspec.Struct = _FACTS.decode(data)
    except _REFUSED as exc:
        return _search("facts", data, None, None, exc)
    if _nesting_ok(fact):
        return fact
    return _search("facts", data, None, None)


def checked_fact(data: bytes) -> dict[str, Any] | None:
    """A fact line as the JSON dict the reducer reads, when the newest version of its kind's
    schema accepts it and the fast path carries that kind whole (no open values); None is no
    verdict (check the line the usual way: `reduce_cli.load_fact`).

    What it returns is what `pydantic_core.from_json(data, allow_inf_nan=False)` returns and
    `api.fact_accepted` accepts (tests/fast/test_fact_hot_path.py); the check is msgspec's (a
    Struct decode, discarded), the dict pydantic-core's parser's, as on the typed path. About
    3x faster than the typed check for the kinds carried (README, issue #14)."""
    try:
        fact = _FACTS.decode(data)
    except _REFUSED:
        return None
    if fact.__class__ in _OPEN:  # an open value: the typed check reads its numbers
        return None
    try:
        found = from_json(data, allow_inf_nan=False)
    except ValueError:  # nested deeper than pydantic-core's parser reads
        return None
    return found if found.__class__ is dict else None


def _search(
    kind: str,
    data: bytes | str,
    given: str | None,
    version: str | None,
    newest_error: Exception | None = None,
    *,
    given_is_tag: bool = False,
) -> msgspec.Struct:
    """The versions of event type `given` (the payload's tag by default), newest first, or
    only the version pinned: the first that accepts `data`, read as the typed path reads it;
    else the typed path's error (or a NotCarriedError). Each refusal rules out the versions
    that would refuse for the same reason (a key the payload holds or lacks), so that a
    payload of an older version is decoded about twice, not once per version.

    `newest_error`: how the union of the newest versions refused the payload (it read the tag
    `_peek` reads); `given_is_tag`: `given` is the payload's own last tag, not the caller's
    restriction."""
    restrict = None if given_is_tag else given
    peeked = _peek(kind, data) if given is None else None
    name = given or peeked
    if name is None or not versions(kind, name):
        name, peeked = _tag(kind, data), None
    if name is None or not versions(kind, name):
        return _typed_verdict(kind, data, restrict, version)
    raw = data if type(data) is bytes else None
    present: set[str] = set()
    absent: set[str] = set()
    body: frozenset[str] | None = None  # the keys of the payload's body, once read
    tried = refused = 0
    for rung in _ladder(kind, name):
        if version is not None and rung.version != version:
            continue
        if rung.decoder is None:  # a fact version without a fast path: the typed path decides
            return _typed_verdict(kind, data, restrict, version)
        tried += 1
        if (rung.keys is not None and not present <= rung.keys) or rung.required & absent:
            continue  # it refuses the payload for a reason a newer version gave
        if body is not None and not (
            rung.required <= body and (rung.keys is None or body <= rung.keys)
        ):
            continue  # it refuses a payload with these keys
        if tried == 1 and newest_error is not None and peeked is not None:
            error: Exception = newest_error  # the union tried this version already
        else:
            try:
                found: msgspec.Struct = rung.decoder.decode(data)
            except _REFUSED as exc:
                error = exc
            else:
                if not _nesting_ok(found):
                    continue
                if tried > 1 and _ENCODER.encode(found) != raw and _repeats_a_key(data):
                    # a newer version refused the bytes: it may accept them as the typed path
                    # reads a repeated key (bytes that re-encode as they are repeat none)
                    return _typed_verdict(kind, data, restrict, version)
                return found
        _learn(kind, error, present, absent)
        refused += 1
        if body is None and version is None and refused >= 2:
            # one read of the body's keys rules out every version that cannot hold them
            body = _body_of(kind, data)
    last = _tag(kind, data) if given is None else None
    if last is not None and last != name and versions(kind, last):
        # the tag repeats and its last value is another type's: search that type's versions
        return _search(kind, data, last, version, given_is_tag=True)
    return _typed_verdict(kind, data, restrict, version)


def _typed_verdict(
    kind: str, data: bytes | str, given: str | None, version: str | None
) -> msgspec.Struct:
    """The typed path's verdict on a payload the fast path refuses: its ContractError; when it
    accepts, NotCarriedError for a version without a fast path, the Struct of the version it
    read when the payload repeats a key (the typed path reads the last value of a model's key
    and checks every value of a map's; msgspec checks every one), else PathsDisagreeError."""
    if kind == "events":
        typed: BaseModel = parse_event(data, given, version=version)
    else:
        typed = parse_fact(data, version=version)
    what = type(typed).__name__
    name, read = str(getattr(typed, _TAGS[kind])), str(getattr(typed, "schema_version", ""))
    reason = not_carried(kind, name, read)
    if reason is not None:
        use = "parse_event" if kind == "events" else "parse_fact"
        raise NotCarriedError(f"{what}: {reason}; use {use}")
    struct = struct_for(kind, name, read)
    if struct is not None and _repeats_a_key(data):
        wire = typed.__pydantic_serializer__.to_json(typed, by_alias=True)
        try:
            read_back: msgspec.Struct = _decoder(struct).decode(wire)
            return read_back
        except _REFUSED:
            pass
    raise PathsDisagreeError(
        f"the typed path accepts this {what} {kind[:-1]}, the fast path refuses it"
    )


class _RepeatedKey(Exception):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _RepeatedKey
    return found


def _repeats_a_key(data: bytes | str) -> bool:
    """Does some object of the JSON text repeat a key? (the error path only: a slow parse)"""
    try:
        json.loads(data, object_pairs_hook=_no_repeats)
    except _RepeatedKey:
        return True
    except (ValueError, RecursionError):
        return False
    return False


def _nesting_ok(value: msgspec.Struct) -> bool:
    """Does every open value of `value` read as in the typed path: nested no deeper than its
    JSON parser reads, integers in serde_json's range?"""
    paths = _OPEN.get(value.__class__)
    return paths is None or _paths_all_ok(value, paths)


def _paths_all_ok(value: msgspec.Struct, paths: tuple[tuple[tuple[str, ...], int], ...]) -> bool:
    return all(_path_ok(value, path, level) for path, level in paths)


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
    """Is `value` (inside `level` containers) and all below it inside at most MAX_NESTING, and
    is every integer in it one serde_json reads as an integer ([-2^63, 2^64 - 1]; it reads
    another as a float, which the typed path refuses in an open value)?"""
    if level > MAX_NESTING:
        return False
    if type(value) is int:
        return I64_MIN <= value <= U64_MAX
    if type(value) is dict:
        return all(_within(item, level + 1) for item in value.values())
    if type(value) is list:
        return all(_within(item, level + 1) for item in value)
    return True


def _cross_check(
    data: bytes | str, event: msgspec.Struct, event_type: str | None, version: str | None
) -> None:
    try:
        typed = parse_event(data, event_type, version=version)
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
    """The typed model of an event or fact Struct: the same version (the class of the same
    name: `models` for the newest versions, `history` for the older ones).

    Cost: an encode plus a full typed validation of the bytes, about what `parse_event` costs;
    convert only where the typed model is needed."""
    name = type(value).__name__
    model: object = None
    if type(value).__module__ == fast_models.__name__:
        model = getattr(models, name, None)
    elif type(value).__module__ == _HISTORY_MODULE:
        model = history_class(name)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{name} is no event or fact Struct of this contract")
    return model.model_validate_json(encode_event(value), strict=True)


def event_type_of(event: msgspec.Struct) -> str:
    """The `event_type` of an event Struct (its tag: not an attribute of the Struct)."""
    return str(type(event).__struct_config__.tag)
