"""From NDJSON lines to table rows, the same for every loader (spec/tables.md §4, §5).

Pure Python (no pyarrow, no DuckDB, no Spark): the DuckDB `load` and the Spark job both call
`line_outcomes` on every line, so they validate, upgrade, reject and redact alike. A line is
one event or one request body `{"events":[...]}`; each event becomes an `EventRow` (its table's
row, upgraded to the table's version) or a `Rejected` (path, reason, raw text).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json

from codex_analytics_contract._generated.registry import Event
from codex_analytics_contract._generated.warehouse import (
    DATA_CLASSES,
    JSON_PATHS,
    REDACTIONS,
    TABLE_VERSIONS,
)
from codex_analytics_contract.api import (
    NEWEST_MODELS,
    negative_zero_error,
    parse_event,
    serialize_event,
    validate_event,
)
from codex_analytics_contract.errors import ContractError, UpgradeError
from codex_analytics_contract.json_numbers import MAY_HOLD_NEGATIVE_ZERO, negative_zero_paths
from codex_analytics_contract.upgrade import upgrade, upgraded_wire
from codex_analytics_contract.versions import schema_version_of

try:  # the `fast` extra: msgspec decodes and checks; without it, the typed path alone
    import msgspec

    from codex_analytics_contract import fast as _fast
except ImportError:
    _fast = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event's row: its table's columns but the per-file ones (`_source`, `_loaded_at`)."""

    table: str  # the event type
    row: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rejected:
    """What could not be taken: the JSON path of the first violation and the reason."""

    path: str
    reason: str
    raw: str  # the line, or the body's event, as text (bytes not UTF-8 as \x.. escapes)


Outcome = EventRow | Rejected


def line_outcomes(number: int, line: bytes, redact: frozenset[str] = frozenset()) -> list[Outcome]:
    """The outcomes of one non-blank NDJSON line (`number`: 1-based): one per event."""
    try:
        found = _read(number, line, redact)
    except ContractError as exc:
        items = _body_items(line)
        if items is None:
            return [_rejected("", exc, line)]
        out: list[Outcome] = []
        zeros = negative_zero_paths(line, "events")  # a dict holds `-0` as 0: look in the bytes
        for index, item in enumerate(items):
            where = f"$.events[{index}]"
            zero = zeros[index] if zeros is not None else None
            try:
                event = validate_event(item)
                if zero is not None:
                    raise negative_zero_error(zero)
            except ContractError as inner:
                out.append(_rejected(where, inner, _json_bytes(item)))
                continue
            out.append(_event(number, where, event, None, redact))
        return out
    if isinstance(found, (EventRow, Rejected)):
        return [found]
    return [_event(number, "", found, line, redact)]


def _read(number: int, line: bytes, redact: frozenset[str]) -> Outcome | Event:
    """A line that is one event: its outcome, or its typed model for `_event` to finish.
    Raises the ContractError of `parse_event` for anything else (a body is one)."""
    if _fast is not None:
        try:
            struct = _fast.decode_event(line)
        except _fast.PathsDisagreeError as exc:
            warnings.warn(
                f"line {number}: {exc}; the typed path's verdict counts", RuntimeWarning, 2
            )
        else:
            return _fast_outcome(number, struct, line, redact)
    row = _newest_row(number, line, redact)
    if row is not None:
        return row
    return parse_event(line)


def _fast_outcome(number: int, struct: Any, line: bytes, redact: frozenset[str]) -> Outcome:
    """The outcome of an event the fast path decoded: what `_event` makes of its typed model
    (tests/tables/test_rows_fast_path.py), without the model. A line of its table's version is
    the row as it is; an older one is upgraded as a dict (`upgraded_wire`, the typed upgrade's
    steps) and checked by the table version's Struct. Where that check refuses, the typed
    upgrade runs and gives the verdict (its UpgradeError names what failed)."""
    event_type = _fast.event_type_of(struct)
    version: str = struct.schema_version
    target = TABLE_VERSIONS[event_type]
    if version == target:
        wire = from_json(line)
    else:
        try:
            whole = upgraded_wire(event_type, version, target, _fast.to_dict(struct))
        except UpgradeError as exc:
            return _rejected("", exc, line)
        try:
            upgraded = _fast.decode_event(msgspec.json.encode(whole), event_type, version=target)
        except ContractError:
            typed: Any = _fast.to_model(struct)
            outcome = _event(number, "", typed, line, redact)
            if isinstance(outcome, EventRow):
                warnings.warn(
                    f"line {number}: the typed upgrade to {target} is valid, the fast path "
                    "refuses it; the typed path's verdict counts",
                    RuntimeWarning,
                    2,
                )
            return outcome
        wire = from_json(_fast.encode_event(upgraded))
    return _row(number, event_type, version, wire, redact)


def _newest_row(number: int, line: bytes, redact: frozenset[str]) -> EventRow | None:
    """The row of a line that is an event of its newest version, parsed once: the JSON into a
    dict, the dict checked by the same strict validator `parse_event` runs (`validate_event`'s
    path), the dict made the row. None for anything else (an older version, a body, an invalid
    line): `parse_event` then detects, explains or rejects it. (Without the `fast` extra.)"""
    try:
        wire = from_json(line)
        if not isinstance(wire, dict) or "events" in wire:
            return None
        # the union of the newest versions' models (what `parse_event` tries first)
        event = NEWEST_MODELS.event_validator.validate_python(wire, strict=True)
    except (ValueError, ValidationError):
        return None
    if MAY_HOLD_NEGATIVE_ZERO(line) is not None:  # a dict holds `-0` as 0: parse_event decides
        return None
    return _row(number, event.event_type, read_version(event), wire, redact)


_VERSIONS: dict[type[Any], str] = {}


def read_version(event: Event) -> str:
    """The schema version `parse_event` read the payload as (per model class, cached)."""
    model = type(event)
    found = _VERSIONS.get(model)
    if found is None:
        found = _VERSIONS[model] = schema_version_of(event)
    return found


def _event(
    number: int, where: str, event: Event, line: bytes | None, redact: frozenset[str]
) -> Outcome:
    event_type = event.event_type
    version = read_version(event)
    if version != TABLE_VERSIONS[event_type]:
        try:
            event = upgrade(event, to=TABLE_VERSIONS[event_type])  # type: ignore[assignment]
        except UpgradeError as exc:
            raw = line if line is not None else serialize_event(event)
            return _rejected(where, exc, raw)
        line = None
    wire = from_json(line if line is not None else serialize_event(event))
    return _row(number, event_type, version, wire, redact)


def _row(
    number: int, event_type: str, version: str, wire: dict[str, Any], redact: frozenset[str]
) -> EventRow:
    """The row of an event's wire dict at its table's version, read as `version` from line
    `number`."""
    row = event_row(wire, redact)
    row["_schema_version"] = version
    row["_line"] = number
    return EventRow(event_type, row)


def _rejected(where: str, exc: ContractError, raw: bytes) -> Rejected:
    path = exc.path if not where else where + exc.path.removeprefix("$")
    reason = str(exc) if not where else f"{where}: {exc}"
    return Rejected(path, reason, raw.decode("utf-8", "backslashreplace"))


def _body_items(line: bytes) -> list[Any] | None:
    """The events of a request body `{"events":[...]}`, else None (not a body)."""
    try:
        data = from_json(line)
    except ValueError:
        return None
    if isinstance(data, dict) and set(data) == {"events"} and isinstance(data["events"], list):
        return list(data["events"])
    return None


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def split_lines(data: bytes) -> list[bytes]:
    """The lines of NDJSON bytes (line i at index i-1): split at \\n, a trailing \\r dropped;
    the end of the last line is no line of its own."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return [raw[:-1] if raw.endswith(b"\r") else raw for raw in lines]


# -- rows and redaction ------------------------------------------------------------------------


def _split(path: str) -> list[str]:
    """`a.b[].c` -> ["a", "b", "[]", "c"]."""
    out: list[str] = []
    for part in path.split("."):
        if part.endswith("[]"):
            out.extend([part[:-2], "[]"])
        else:
            out.append(part)
    return out


def _apply(value: Any, steps: list[str], change: Callable[[Any], Any]) -> Any:
    """`value` with `change` applied to what `steps` reach (in place for dicts and lists)."""
    if not steps:
        return change(value)
    step, rest = steps[0], steps[1:]
    if step == "[]":
        if isinstance(value, list):
            return [_apply(v, rest, change) for v in value]
        return value
    if isinstance(value, dict) and step in value:
        value[step] = _apply(value[step], rest, change)
    return value


def _json_text(value: Any) -> Any:
    if value is None:
        return None
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _sha256(value: Any) -> Any:
    if isinstance(value, str):
        return hashlib.sha256(value.encode()).hexdigest()
    if isinstance(value, list):
        return [_sha256(v) for v in value]
    return value  # None (the data classes file allows hashing string columns only)


def _drop(value: Any) -> None:
    return None


@cache
def _json_steps(event_type: str) -> tuple[list[str], ...]:
    return tuple(_split(p) for p in JSON_PATHS[event_type])


@cache
def redaction_steps(
    event_type: str, classes: frozenset[str]
) -> tuple[tuple[list[str], Callable[[Any], Any]], ...]:
    """(steps, change) for every field of the table whose data class is redacted."""
    out = []
    for path, data_class in DATA_CLASSES[event_type].items():
        if data_class in classes:
            change = _sha256 if REDACTIONS[data_class] == "hash" else _drop
            out.append((_split(path), change))
    # a field inside a dropped struct is dropped with it: deepest first, so both apply cleanly
    out.sort(key=lambda item: -len(item[0]))
    return tuple(out)


def dropped_paths(event_type: str, classes: Collection[str]) -> list[str]:
    """The field paths `classes` empties (they must accept NULL)."""
    return [
        path
        for path, data_class in DATA_CLASSES[event_type].items()
        if data_class in classes and REDACTIONS[data_class] == "drop"
    ]


def dropped_columns(event_type: str, classes: Collection[str]) -> list[str]:
    """The top-level columns `classes` empties (they must accept NULL)."""
    return [p for p in dropped_paths(event_type, classes) if "." not in p and "[]" not in p]


def unknown_classes(classes: Collection[str]) -> list[str]:
    return sorted(set(classes) - set(REDACTIONS))


def parse_classes(text: str) -> frozenset[str]:
    """`--redact CLASS,...` as a set of class names."""
    return frozenset(c.strip() for c in text.split(",") if c.strip())


def event_row(wire: dict[str, Any], redact: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The row of an event (its wire dict, already at the table's version; changed in place)."""
    event_type = wire["event_type"]
    row: dict[str, Any] = wire.pop("event_params")
    if len(wire) > 1:  # envelope keys beside event_type (e.g. skill_invocation's skill_id)
        row = {k: v for k, v in wire.items() if k != "event_type"} | row
    for steps in _json_steps(event_type):
        _apply(row, steps, _json_text)
    if redact:
        for steps, change in redaction_steps(event_type, redact):
            _apply(row, steps, change)
    return row
