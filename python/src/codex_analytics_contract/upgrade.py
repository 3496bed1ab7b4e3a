"""Upgrade an event to a newer version of its schema (spec/versioning.md, "Upgrades").

An upgrade walks the versions of the event's schema one step at a time. Each step is generated
from the two schema versions and the migration declared next to the newer one
(`schemas/events/<type>/<version>.migration.json`):

* a key both versions have keeps its value;
* a key the newer version adds gets the declared value (copied, mapped or constant), else
  `null` when the newer version allows it; with neither, the step raises `UpgradeError`;
* a key the newer version removes is dropped;
* a key whose meaning changed has a declared migration (a mapping, or an error when there is
  no honest one).

The result is validated against the target version's model, so an upgrade either returns a valid
event of that version or raises `UpgradeError` naming both versions and the field.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from codex_analytics_contract._generated.tables import EVENT_VERSIONS, UPGRADE_STEPS
from codex_analytics_contract.errors import UpgradeError, Violation, describe
from codex_analytics_contract.versions import model, schema_version_of
from codex_analytics_contract.violations import violations

Op = tuple[Any, ...]


def upgrade(event: BaseModel, to: str | None = None) -> BaseModel:
    """The event as version `to` of its schema (default: the newest).

    Raises UpgradeError when a step has no honest migration, or `to` is older than the event.
    """
    event_type = str(getattr(event, "event_type", ""))
    versions = EVENT_VERSIONS.get(event_type)
    if versions is None:
        raise UpgradeError([Violation("$.event_type", "a known event type", event_type, "unknown")])
    source = schema_version_of(event)
    target = versions[0] if to is None else to
    if target not in versions:
        raise UpgradeError(
            [Violation("$", f"one of the versions {', '.join(versions)}", repr(target), "version")]
        )
    chain = list(reversed(versions))  # oldest first
    if chain.index(target) < chain.index(source):
        raise UpgradeError(
            [Violation("$", f"a version not older than {source}", target, "downgrade")],
            source=f"{event_type} {source} -> {target}",
        )
    if target == source:
        return event
    whole: dict[str, Any] = event.model_dump(mode="json", by_alias=True)
    result = upgraded_wire(event_type, source, target, whole)
    target_model = model("events", event_type, target)
    try:
        return target_model.model_validate(result, strict=True)
    except ValidationError as exc:
        found = violations(exc, result, None, {})
        raise UpgradeError(found, source=f"{event_type} {source} -> {target}") from None


def upgraded_wire(
    event_type: str, source: str, target: str, whole: dict[str, Any]
) -> dict[str, Any]:
    """The wire object of a valid `event_type` event of version `source` with its
    `event_params` carried step by step to the newer version `target`, not yet validated
    against it (`upgrade` checks it with the typed model; the table loaders' fast path with
    the target version's Struct). Raises UpgradeError where a step has no honest migration."""
    params: dict[str, Any] = whole["event_params"]
    for step_to in _steps(event_type, source, target):
        params = _apply(event_type, step_to, params)
    return {key: (params if key == "event_params" else value) for key, value in whole.items()}


@cache
def _steps(event_type: str, source: str, target: str) -> tuple[str, ...]:
    """The versions an upgrade from `source` to `target` steps to, in order."""
    chain = list(reversed(EVENT_VERSIONS[event_type]))  # oldest first
    return tuple(chain[chain.index(source) + 1 : chain.index(target) + 1])


@cache
def _step(event_type: str, new: str) -> tuple[str, frozenset[str], tuple[tuple[str, Op], ...]]:
    """One step as `_apply` runs it: (the older version, the keys it keeps, the other ops in
    the newer version's order). Keys not kept (removed, or `absent`) are dropped."""
    old, ops = UPGRADE_STEPS[(event_type, new)]
    kept = frozenset(key for key, op in ops if op[0] == "keep")
    return old, kept, tuple((key, op) for key, op in ops if op[0] not in ("keep", "absent"))


def _apply(event_type: str, new: str, params: dict[str, Any]) -> dict[str, Any]:
    """The params of one step's newer version. Key order is not kept: the result is validated
    into a model or Struct, which writes the wire order."""
    old, kept, others = _step(event_type, new)
    out = params.copy()
    for key in params.keys() - kept:  # an optional kept key stays absent when it was
        del out[key]
    for key, op in others:
        kind = op[0]
        if kind == "null":
            out[key] = None
        elif kind == "value":  # ("value", constant, conditions, reason)
            _check_when(event_type, old, new, key, op[2], op[3], params)
            out[key] = op[1]
        elif kind == "copy":  # ("copy", old key, value map, conditions, reason)
            _check_when(event_type, old, new, key, op[3], op[4], params)
            value = params.get(op[1])
            out[key] = op[2].get(value, value) if isinstance(value, str) else value
        else:  # ("error", reason): no honest migration
            raise UpgradeError(
                [
                    Violation(
                        f"$.event_params.{key}",
                        "a value derivable from the older version",
                        f"none: {op[1]}",
                        "upgrade",
                    )
                ],
                source=f"{event_type} {old} -> {new}",
            )
    return out


def _check_when(
    event_type: str,
    old: str,
    new: str,
    key: str,
    conditions: tuple[tuple[str, Any], ...],
    reason: str,
    params: dict[str, Any],
) -> None:
    """A declared migration that holds only when the older event has these values."""
    for name, wanted in conditions:
        if params.get(name) != wanted:
            raise UpgradeError(
                [
                    Violation(
                        f"$.event_params.{key}",
                        f"{describe(wanted)} in `{name}` ({reason})",
                        describe(params.get(name)),
                        "upgrade",
                    )
                ],
                source=f"{event_type} {old} -> {new}",
            )
