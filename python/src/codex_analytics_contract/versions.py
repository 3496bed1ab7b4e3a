"""Every version of every schema: the model of a version, and which versions a payload matches.

The wire payload carries no schema version (spec/versioning.md §3). The newest version of each
schema is modelled in `models` and imported with the package; every older version lives in the
generated `history` module, imported on first use, so the package imports fast however many
versions there are.

Detecting the version of a payload never tries every version: the newest models are tried first
(one compiled validator for all event types); only when they reject it are the older versions
of the payload's type tried, newest first, skipping every version that requires a key the
payload's bytes do not contain (exact: an absent key name cannot be a present key). The
parsing itself (models, conditionals, error translation) is the caller's (`api`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, ClassVar, Final, Protocol, TypeVar

from pydantic import BaseModel
from pydantic_core import from_json

from codex_analytics_contract._generated.registry import (
    EVENT_MODELS,
    EVENT_VERSIONS,
    FACT_MODELS,
    FACT_VERSIONS,
    HISTORY_CLASSES,
    VERSION_MARKERS,
)
from codex_analytics_contract.errors import ContractError, UnknownEventTypeError, Violation

T = TypeVar("T")

_HISTORY_MODULE: Final = "codex_analytics_contract._generated.history"
_loaded: list[ModuleType] = []

#: kind -> the name of its discriminator key
TAGS: Final[dict[str, str]] = {"events": "event_type", "facts": "fact"}
_NEWEST: Final[dict[str, Mapping[str, type[BaseModel]]]] = {
    "events": EVENT_MODELS,
    "facts": FACT_MODELS,
}
_VERSIONS: Final[dict[str, Mapping[str, tuple[str, ...]]]] = {
    "events": EVENT_VERSIONS,
    "facts": FACT_VERSIONS,
}


class VersionedModel(Protocol):
    """What every event or fact model of any version has: its schema's version and `$id`."""

    schema_version: ClassVar[str]
    schema_id: ClassVar[str]


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
        return _NEWEST[kind][name]
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


def _raw(data: bytes | str | Mapping[str, Any]) -> bytes | None:
    """The bytes to look for markers in (None: nothing can be ruled out by bytes)."""
    if isinstance(data, Mapping):
        return None
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return None if b"\\u" in raw else raw  # an escaped key could spell a marker differently


def candidates(kind: str, name: str, data: bytes | str | Mapping[str, Any]) -> list[str]:
    """Versions of `name` that could match `data`, newest first (exact skip by markers)."""
    raw = _raw(data)
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
