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
    start, end = chain.index(source), chain.index(target)
    if end < start:
        raise UpgradeError(
            [Violation("$", f"a version not older than {source}", target, "downgrade")],
            source=f"{event_type} {source} -> {target}",
        )
    if end == start:
        return event
    whole: dict[str, Any] = event.model_dump(mode="json", by_alias=True)
    params: dict[str, Any] = whole["event_params"]
    for step_to in chain[start + 1 : end + 1]:
        step_from, ops = UPGRADE_STEPS[(event_type, step_to)]
        params = _apply(event_type, step_from, step_to, ops, params)
    target_model = model("events", event_type, target)
    result = {key: (params if key == "event_params" else value) for key, value in whole.items()}
    try:
        return target_model.model_validate(result, strict=True)
    except ValidationError as exc:
        found = violations(exc, result, None, {})
        raise UpgradeError(found, source=f"{event_type} {source} -> {target}") from None


def _apply(
    event_type: str, old: str, new: str, ops: tuple[tuple[str, Op], ...], params: dict[str, Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    where = f"{event_type} {old} -> {new}"
    for key, op in ops:
        kind = op[0]
        if kind == "keep":
            if key in params:  # an optional key stays absent when it was
                out[key] = params[key]
        elif kind == "absent":
            continue
        elif kind == "null":
            out[key] = None
        elif kind == "value":  # ("value", constant, conditions, reason)
            _check_when(where, key, op[2], op[3], params)
            out[key] = op[1]
        elif kind == "copy":  # ("copy", old key, value map, conditions, reason)
            _check_when(where, key, op[3], op[4], params)
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
                source=where,
            )
    return out


def _check_when(
    where: str,
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
                source=where,
            )
