"""Every version of every schema: the model of a version, and which versions a payload matches.

The wire payload carries no schema version (spec/versioning.md §3). The newest version of each
schema is modelled in `models` and imported with the package; every older version lives in the
generated `history` module, imported on first use, so the package imports fast however many
versions there are.

Detecting the version of a payload never tries every version: the versions of the payload's
type are tried newest first, skipping every version that requires a key the payload's bytes do
not contain (exact: an absent key name cannot be a present key), so that in the common case the
first version tried is the one that accepts it (`candidate_validators`: one validation). The
parsing itself (models, conditionals, error translation) is the caller's (`api`).
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Final, Protocol, TypeVar

from pydantic_core import SchemaValidator, ValidationError, from_json

from codex_analytics_contract._generated.tables import (
    EVENT_VERSIONS,
    FACT_VERSIONS,
    HISTORY_CLASSES,
    VERSION_MARKERS,
)
from codex_analytics_contract.errors import ContractError, UnknownEventTypeError, Violation

T = TypeVar("T")

if TYPE_CHECKING:
    from pydantic import BaseModel

_HISTORY_MODULE: Final = "codex_analytics_contract._generated.history"
_loaded: list[ModuleType] = []

#: kind -> the name of its discriminator key
TAGS: Final[dict[str, str]] = {"events": "event_type", "facts": "fact"}
_VERSIONS: Final[dict[str, Mapping[str, tuple[str, ...]]]] = {
    "events": EVENT_VERSIONS,
    "facts": FACT_VERSIONS,
}


class VersionedModel(Protocol):
    """What every event or fact model of any version has: its schema's version and `$id`."""

    schema_version: ClassVar[str]
    schema_id: ClassVar[str]


def newest_models() -> ModuleType:
    """The generated module of the newest models, imported (and its models built) on first use:
    importing the package builds no model."""
    from codex_analytics_contract._generated import models

    return models


def newest_model(kind: str, name: str) -> type[BaseModel] | None:
    """The model of the newest version of a schema (None for an unknown name); the first call
    builds the newest models."""
    from codex_analytics_contract._generated.registry import EVENT_MODELS, FACT_MODELS

    return (EVENT_MODELS if kind == "events" else FACT_MODELS).get(name)


def history_class(name: str) -> type[BaseModel]:
    """A class of the generated history module (older versions), imported on first use."""
    if not _loaded:
        _loaded.append(importlib.import_module(_HISTORY_MODULE))
    cls: type[BaseModel] = getattr(_loaded[0], name)
    return cls


def versions(kind: str, name: str) -> tuple[str, ...]:
    """The versions of one schema, newest first (empty for an unknown name)."""
    return _VERSIONS[kind].get(name, ())


def model(kind: str, name: str, version: str | None = None) -> type[BaseModel]:
    """The model class of one version of a schema (default: the newest)."""
    known = versions(kind, name)
    if not known:
        tag = TAGS[kind]
        raise UnknownEventTypeError(
            [Violation(f"$.{tag}", f"a known {tag}", repr(name), "unknown")]
        )
    if version is None or version == known[0]:
        newest = newest_model(kind, name)
        assert newest is not None  # every name with versions has a newest model
        return newest
    if version not in known:
        raise ContractError(
            [Violation("$", f"one of the versions {', '.join(known)} of {name}", repr(version),
                       "version")]
        )  # fmt: skip
    return history_class(HISTORY_CLASSES[(kind, name, version)])


def schema_version_of(instance: BaseModel) -> str:
    """The SchemaVer version of a parsed model instance."""
    return str(getattr(type(instance), "schema_version", ""))


def tag_of(kind: str, data: bytes | str | Mapping[str, Any]) -> str | None:
    """The payload's event type (or fact kind), if it is a JSON object carrying a string tag."""
    if isinstance(data, Mapping):
        doc: Any = data
    else:
        try:
            doc = from_json(data)
        except ValueError:
            return None
    value = doc.get(TAGS[kind]) if isinstance(doc, Mapping) else None
    return value if isinstance(value, str) else None


#: kind -> the first `"<tag>":"<name>"` of a payload's bytes: where the tag usually is (the
#: envelope's `event_type` comes first on the wire), a guess that validation confirms
_TAG_BYTES: Final[dict[str, re.Pattern[bytes]]] = {
    kind: re.compile(rb'"' + tag.encode() + rb'"\s*:\s*"([A-Za-z0-9_]+)"')
    for kind, tag in TAGS.items()
}


class _Validators(dict[tuple[str, str, str], SchemaValidator]):
    """(kind, name, version) -> the compiled validator of that version's model, built on first
    use (an older version's imports the history module)."""

    def __missing__(self, key: tuple[str, str, str]) -> SchemaValidator:
        found: SchemaValidator = model(*key).__pydantic_validator__  # type: ignore[assignment]
        self[key] = found
        return found


VALIDATORS: Final = _Validators()


class _Link:
    """One version in a chain: the marker keys its payload must contain, and its validator
    (built when first needed)."""

    __slots__ = ("key", "marks", "validator")

    def __init__(self, marks: tuple[bytes, ...], key: tuple[str, str, str]) -> None:
        self.marks = marks
        self.key = key
        self.validator: SchemaValidator | None = None


class _Chains(dict[bytes, tuple[_Link, ...]]):
    """Name (as bytes) -> the versions of one kind's schema of that name, newest first, each
    with its markers (empty for an unknown name). A version's markers are ordered by how many
    versions of the chain share them, most first: one absent key looked up once rules out all
    of those versions (`first_valid` remembers what it looked up)."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def __missing__(self, tag: bytes) -> tuple[_Link, ...]:
        kind, name = self.kind, tag.decode("utf-8", "replace")
        marks = {v: VERSION_MARKERS.get((kind, name, v), ()) for v in versions(kind, name)}
        shared = Counter(mark for found in marks.values() for mark in found)
        found = tuple(
            _Link(tuple(sorted(m, key=lambda mark: -shared[mark])), (kind, name, v))
            for v, m in marks.items()
        )
        self[tag] = found
        return found


_CHAINS: Final = {kind: _Chains(kind) for kind in TAGS}
#: kind -> how a payload begins on the wire: its tag first (`{"event_type":"`)
_PREFIX: Final = {kind: b'{"' + tag.encode() + b'":"' for kind, tag in TAGS.items()}


def first_valid(kind: str, data: bytes | str, name: str | None = None) -> Any:
    """The common case of detecting a version, validated once: the model instance of the newest
    version that accepts `data`, or None (no verdict: the caller runs the exact, slower path
    for the result or the error).

    The type is `name`, else read from the bytes (the tag the wire puts first, else the first
    `"<tag>":"<name>"`: only a version that accepts the payload confirms it). The versions are
    tried newest first, skipping every version one of whose marker keys (keys it requires that
    the others lack) is absent from the bytes: such a version cannot accept the payload, so the
    first one that does is the newest that does. Bytes with a `\\u` escape are left to the
    exact path (an escaped key could spell a marker differently)."""
    raw = data if type(data) is bytes else raw_bytes(data)
    if raw is None or (b"\\" in raw and b"\\u" in raw):  # memchr first: much faster
        return None
    if name is not None:
        tag = name.encode("utf-8", "surrogatepass")
    else:
        prefix = _PREFIX[kind]
        if raw.startswith(prefix):
            tag = raw[len(prefix) : raw.find(b'"', len(prefix))]
        else:
            found = _TAG_BYTES[kind].search(raw)
            if found is None:
                return None
            tag = found.group(1)
    seen: dict[bytes, bool] = {}  # marker -> present in the bytes
    for link in _CHAINS[kind][tag]:
        for mark in link.marks:
            present = seen.get(mark)
            if present is None:
                present = seen[mark] = mark in raw
            if not present:
                break
        else:
            validator = link.validator
            if validator is None:
                validator = link.validator = VALIDATORS[link.key]
            try:
                return validator.validate_json(data, strict=True)
            except ValidationError:
                continue
    return None


def raw_bytes(data: bytes | str | Mapping[str, Any]) -> bytes | None:
    """The bytes to look for markers in (None: nothing can be ruled out by bytes)."""
    if isinstance(data, Mapping):
        return None
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return None if b"\\u" in raw else raw  # an escaped key could spell a marker differently


def candidates(kind: str, name: str, data: bytes | str | Mapping[str, Any]) -> list[str]:
    """Versions of `name` that could match `data`, newest first (exact skip by markers)."""
    raw = raw_bytes(data)
    found = versions(kind, name)
    if raw is None:
        return list(found)
    return [
        v for v in found if all(mark in raw for mark in VERSION_MARKERS.get((kind, name, v), ()))
    ]


def first_accepting(
    kind: str,
    name: str,
    data: bytes | str | Mapping[str, Any],
    parse_one: Callable[[str], T],
    newest_error: ContractError,
) -> T:
    """After the newest version rejected `data` (with `newest_error`): what `parse_one` makes
    of the newest older version that accepts it. When none does, a ContractError naming the
    versions tried and the violations against the closest one (the fewest violations)."""
    known = versions(kind, name)
    if len(known) < 2:
        raise newest_error
    errors: dict[str, ContractError] = {known[0]: newest_error}
    for version in candidates(kind, name, data):
        if version in errors:
            continue
        try:
            return parse_one(version)
        except ContractError as exc:
            errors[version] = exc
    for version in known:  # the versions the markers ruled out, for the closest error
        if version not in errors:
            try:
                parse_one(version)
            except ContractError as exc:
                errors[version] = exc
    closest = min(known, key=lambda v: (len(errors[v].violations), known.index(v)))
    error = errors[closest]
    return_error = type(error)(
        error.violations,
        source=f"{name} matches none of its versions ({', '.join(known)}); closest {closest}",
    )
    raise return_error


def accepting_versions(
    kind: str,
    data: bytes | str | Mapping[str, Any],
    parse_one: Callable[[str, str], object],
) -> list[str]:
    """Every version of the payload's schema that `parse_one(name, version)` accepts, newest
    first."""
    name = tag_of(kind, data)
    if name is None:
        return []
    out = []
    for version in candidates(kind, name, data):
        try:
            parse_one(name, version)
        except ContractError:
            continue
        out.append(version)
    return out
