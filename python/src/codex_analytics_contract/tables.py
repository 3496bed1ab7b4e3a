"""The warehouse tables at run time: Arrow schemas and rows.

Needs pyarrow (the `[duckdb]` extra). The tables themselves are generated
(`_generated/tables.py`); this module turns them into pyarrow types and an event's wire
dict into a row: the envelope's other keys and `event_params`' keys as columns, JSON text where
the table holds JSON (spec/tables.md §2), and the redaction of `load --redact` (§5).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from functools import cache
from typing import Any

import pyarrow as pa

from codex_analytics_contract._generated.tables import (
    ARROW_COLUMNS,
    DATA_CLASSES,
    JSON_PATHS,
    REDACTIONS,
)

_TIMESTAMP = "timestamp_us_utc"


def _arrow_type(spec: Any) -> pa.DataType:
    if isinstance(spec, str):
        if spec == _TIMESTAMP:
            return pa.timestamp("us", tz="UTC")
        factory: Callable[[], pa.DataType] = getattr(pa, spec)
        return factory()
    if spec[0] == "struct":
        return pa.struct([pa.field(n, _arrow_type(t), nullable=bool(nl)) for n, t, nl in spec[1]])
    return pa.list_(pa.field("item", _arrow_type(spec[1]), nullable=bool(spec[2])))


@cache
def arrow_schema(event_type: str) -> pa.Schema:
    """The Arrow schema of an event type's table (KeyError for an unknown type)."""
    return pa.schema(
        [pa.field(n, _arrow_type(t), nullable=bool(nl)) for n, t, nl in ARROW_COLUMNS[event_type]]
    )


#: The load columns with one value per file (the loader adds them after the rows).
PER_FILE_COLUMNS = ("_source", "_loaded_at")


@cache
def row_schema(event_type: str) -> pa.Schema:
    """The table's Arrow schema without the per-file columns: what `event_row` rows fill."""
    schema = arrow_schema(event_type)
    for name in PER_FILE_COLUMNS:
        schema = schema.remove(schema.get_field_index(name))
    return schema


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


def dropped_columns(event_type: str, classes: Collection[str]) -> list[str]:
    """The top-level columns `classes` empties (they must accept NULL)."""
    return [
        path
        for path, data_class in DATA_CLASSES[event_type].items()
        if data_class in classes
        and REDACTIONS[data_class] == "drop"
        and "." not in path
        and "[]" not in path
    ]


def unknown_classes(classes: Collection[str]) -> list[str]:
    return sorted(set(classes) - set(REDACTIONS))


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
