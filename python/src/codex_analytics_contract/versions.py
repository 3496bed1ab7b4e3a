"""Every version of every schema: the model of a version, and which versions a payload matches.

The wire payload carries no schema version (spec/versioning.md, "Reading any version"). The
newest version of each schema is modelled in `models` and imported with the package; every
older version lives in the generated `history` module, imported on first use, so the package
imports fast however many versions there are.

Detecting the version of a payload never tries every version: the newest models are tried first
(one compiled validator for all event types); only when that fails are the older versions of the
payload's type tried, newest first, skipping every version that requires a key the payload's
bytes do not contain (exact: an absent key name cannot be a present key).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import Any, Final

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
_history: ModuleType | None = None

#: (kind, tag) -> the name of that kind's discriminator key
TAGS: Final[dict[str, str]] = {"events": "event_type", "facts": "fact"}
_NEWEST: Final[dict[str, Mapping[str, type[BaseModel]]]] = {
    "events": EVENT_MODELS,
    "facts": FACT_MODELS,
}
_VERSIONS: Final[dict[str, Mapping[str, tuple[str, ...]]]] = {
    "events": EVENT_VERSIONS,
    "facts": FACT_VERSIONS,
}


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
        )
    global _history
    if _history is None:
        _history = importlib.import_module(_HISTORY_MODULE)
    cls: type[BaseModel] = getattr(_history, HISTORY_CLASSES[(kind, name, version)])
    return cls


def event_model(event_type: str, version: str | None = None) -> type[BaseModel]:
    return model("events", event_type, version)


def schema_version_of(instance: BaseModel) -> str:
    """The SchemaVer version of a parsed model instance."""
    return str(type(instance).schema_version)  # type: ignore[attr-defined]


def _candidates(kind: str, name: str, data: bytes | str, skip_newest: bool) -> list[str]:
    """Versions that could match `data`, newest first (exact skip by required-key markers)."""
    found = versions(kind, name)
    if skip_newest:
        found = found[1:]
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if b"\\u" in raw:  # an escaped key could spell a marker differently: skip nothing
        return list(found)
    return [
        v for v in found if all(marker in raw for marker in VERSION_MARKERS.get((kind, name, v), ()))
    ]


def tag_of(kind: str, data: bytes | str) -> str | None:
    """The payload's event type (or fact kind), if it is a JSON object carrying a string tag."""
    try:
        doc = from_json(data)
    except ValueError:
        return None
    value = doc.get(TAGS[kind]) if isinstance(doc, dict) else None
    return value if isinstance(value, str) else None


def parse_older(kind: str, data: bytes | str, newest_error: ValidationError) -> BaseModel:
    """After the newest models rejected `data`: the newest older version that accepts it.

    Raises the newest version's error when the schema has no older version, else an error that
    names the versions tried and the violations against the closest one.
    """
    name = tag_of(kind, data)
    tried = versions(kind, name) if name is not None else ()
    if len(tried) < 2:
        raise newest_error
    for version in _candidates(kind, name or "", data, skip_newest=True):
        try:
            return model(kind, name or "", version).model_validate_json(data, strict=True)
        except ValidationError:
            continue
    raise _closest_error(kind, name or "", data, tried)


def matching_versions(kind: str, data: bytes | str) -> list[str]:
    """Every version of the payload's schema that accepts `data`, newest first."""
    name = tag_of(kind, data)
    if name is None or not versions(kind, name):
        return []
    out = []
    for version in _candidates(kind, name, data, skip_newest=False):
        try:
            model(kind, name, version).model_validate_json(data, strict=True)
        except ValidationError:
            continue
        out.append(version)
    return out


def _closest_error(kind: str, name: str, data: bytes | str, tried: tuple[str, ...]) -> ContractError:
    instance: Any = from_json(data)
    best: tuple[int, str, list[Violation]] | None = None
    for version in tried:
        try:
            model(kind, name, version).model_validate_json(data, strict=True)
        except ValidationError as exc:
            found = violations(exc, instance, None, {})
            if best is None or len(found) < best[0]:
                best = (len(found), version, found)
    if best is None:  # a version accepted it after all (a race with nothing): report plainly
        return ContractError([Violation("$", f"a payload one version of {name} rejects", "a valid one", "version")])
    _, version, found = best
    error = error_for(found)
    return type(error)(
        found,
        source=f"{name} matches none of its versions {', '.join(tried)}; closest {version}",
    )
