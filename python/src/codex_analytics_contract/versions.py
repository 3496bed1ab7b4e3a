"""Every version of every schema: the model of a version, and which versions a payload matches.

The wire payload carries no schema version (spec/versioning.md §3). The newest version of each
schema is modelled in `models` and imported with the package; every older version lives in the
generated `history` module, imported on first use, so the package imports fast however many
versions there are.

Detecting the version of a payload never tries every version: the newest models are tried first
(one compiled validator for all event types); only when they reject it are the older versions
of the payload's type tried, newest first, skipping every version that requires a key the
payload's bytes do not contain (exact: an absent key name cannot be a present key).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import Any, ClassVar, Final, Protocol

from pydantic import BaseModel, ValidationError
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
from codex_analytics_contract.violations import error_for, violations

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


def _validate(cls: type[BaseModel], data: bytes | str | Mapping[str, Any]) -> BaseModel:
    if isinstance(data, Mapping):
        return cls.model_validate(data, strict=True)
    return cls.model_validate_json(data, strict=True)


def parse_older(
    kind: str, data: bytes | str | Mapping[str, Any], name: str | None = None
) -> BaseModel | None:
    """After the newest model rejected `data`: the newest older version that accepts it.

    None when the payload's schema has no older version (the newest version's error is the
    answer); a ContractError naming the versions tried and the violations against the closest
    one when none accepts it.
    """
    name = name or tag_of(kind, data)
    known = versions(kind, name) if name is not None else ()
    if name is None or len(known) < 2:
        return None
    for version in candidates(kind, name, data):
        if version == known[0]:
            continue  # the newest already said no
        try:
            return _validate(model(kind, name, version), data)
        except ValidationError:
            continue
    raise closest_error(kind, name, data)


def accepting_versions(kind: str, data: bytes | str | Mapping[str, Any]) -> list[str]:
    """Every version of the payload's schema that accepts `data`, newest first."""
    name = tag_of(kind, data)
    if name is None:
        return []
    out = []
    for version in candidates(kind, name, data):
        try:
            _validate(model(kind, name, version), data)
        except ValidationError:
            continue
        out.append(version)
    return out


def closest_error(kind: str, name: str, data: bytes | str | Mapping[str, Any]) -> ContractError:
    """The error against the version `data` comes closest to (fewest violations), naming every
    version tried."""
    instance: Any = data if isinstance(data, Mapping) else from_json(data)
    tried = versions(kind, name)
    best: tuple[int, str, list[Violation]] | None = None
    for version in tried:
        try:
            _validate(model(kind, name, version), data)
        except ValidationError as exc:
            found = violations(exc, instance, None, {})
            if best is None or len(found) < best[0]:
                best = (len(found), version, found)
    if best is None:  # cannot happen: every version rejected it a moment ago
        return ContractError([Violation("$", f"a valid {name}", "an invalid one", "version")])
    _, version, found = best
    error = error_for(found)
    return type(error)(
        found,
        source=f"{name} matches none of its versions ({', '.join(tried)}); closest {version}",
    )
