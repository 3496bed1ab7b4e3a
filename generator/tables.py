"""From the contract to tables: one table per event type at its newest version (spec/tables.md).

The one place of the type mapping. `event_tables()` reads the bundled schemas (`Bundler.defs`:
`allOf` flattened, every object a named definition) and describes each event's table as
`Column`s of a neutral `ColumnType`; `TYPE_MAP` says what each neutral scalar is in DuckDB,
Spark, BigQuery and Arrow; the renderers (`duckdb_ddl`, `spark_struct`, `bigquery_schema`,
`arrow_types`) turn a table into each system's text. The package reads the Arrow form
(`_generated/warehouse.py`), the other forms are files below generated/tables/.

The rules (spec/tables.md §2):

* an `event_params` property is a column, in wire order; a nested closed object is a struct,
  an array a list, a constant or an enum its JSON type;
* `X or null` (by `type`, `enum` or `anyOf`) is X, nullable; a property that is not required
  is nullable too (an absent key is NULL);
* an integer's column type follows its bounds (the Rust widths of schemas/README.md);
  u64 keeps its full range in every system;
* JSON text (`json`) holds what has no fixed columns: an open object (free keys), a map, a
  union of different JSON types, an object that contains itself;
* every table ends with the load columns `_schema_version`, `_source`, `_line`, `_loaded_at`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from generator.bundle import INTEGER_TYPES, Bundler, model_name
from generator.errors import GeneratorError, shown
from generator.paths import DOCS_SRC
from generator.schema_store import SchemaStore

QUERIES = DOCS_SRC / "queries.yaml"

#: neutral scalar -> (DuckDB, Spark SQL DDL, Spark JSON type, BigQuery, Arrow factory)
#: u64 keeps its range: DuckDB UBIGINT, Spark DECIMAL(20,0), BigQuery BIGNUMERIC (NUMERIC has
#: 29 integer digits and would hold it too, but BIGNUMERIC's 38 leave u64 arithmetic room and
#: Spark's DECIMAL(20,0) maps to it one to one in the BigQuery connector), Arrow uint64.
TYPE_MAP: dict[str, tuple[str, str, str, str, str]] = {
    "u8": ("UTINYINT", "SMALLINT", "short", "INT64", "uint8"),
    "i8": ("TINYINT", "TINYINT", "byte", "INT64", "int8"),
    "u16": ("USMALLINT", "INT", "integer", "INT64", "uint16"),
    "i16": ("SMALLINT", "SMALLINT", "short", "INT64", "int16"),
    "u32": ("UINTEGER", "BIGINT", "long", "INT64", "uint32"),
    "i32": ("INTEGER", "INT", "integer", "INT64", "int32"),
    "u64": ("UBIGINT", "DECIMAL(20,0)", "decimal(20,0)", "BIGNUMERIC", "uint64"),
    "i64": ("BIGINT", "BIGINT", "long", "INT64", "int64"),
    "f64": ("DOUBLE", "DOUBLE", "double", "FLOAT64", "float64"),
    "string": ("VARCHAR", "STRING", "string", "STRING", "string"),
    "bool": ("BOOLEAN", "BOOLEAN", "boolean", "BOOL", "bool_"),
    "json": ("JSON", "STRING", "string", "JSON", "string"),
    "timestamp": ("TIMESTAMPTZ", "TIMESTAMP", "timestamp", "TIMESTAMP", "timestamp_us_utc"),
}
_INTEGER_SCALARS = {alias: alias.lower() for alias in INTEGER_TYPES.values()}


@dataclass(frozen=True)
class ColumnType:
    kind: str  # a TYPE_MAP key, or "struct" / "list"
    fields: tuple[Column, ...] = ()  # struct
    item: ColumnType | None = None  # list
    item_nullable: bool = True  # list: may an item be null


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    nullable: bool
    description: str
    path: str  # the field path below `event_params`, e.g. `reviewed_action.command`


@dataclass(frozen=True)
class Table:
    name: str  # the event type
    version: str  # the newest version: what every row is upgraded to
    columns: tuple[Column, ...]  # the event's fields, then the load columns


def _scalar(kind: str) -> ColumnType:
    return ColumnType(kind)


#: The load columns every table ends with (spec/tables.md §3).
LOAD_COLUMNS: tuple[Column, ...] = (
    Column(
        "_schema_version",
        _scalar("string"),
        False,
        "The schema version the payload was read as (before the upgrade to this table's).",
        "_schema_version",
    ),
    Column("_source", _scalar("string"), False, "The file the row was read from.", "_source"),
    Column("_line", _scalar("i64"), False, "Its line in that file (1-based).", "_line"),
    Column("_loaded_at", _scalar("timestamp"), False, "When the load ran (UTC).", "_loaded_at"),
)


class _Mapper:
    def __init__(self, defs: dict[str, dict[str, Any]], where: str) -> None:
        self.defs = defs
        self.where = where

    def columns(self, obj: dict[str, Any], prefix: str, seen: frozenset[str]) -> tuple[Column, ...]:
        required = set(obj.get("required", []))
        out = []
        for name, node in obj.get("properties", {}).items():
            path = f"{prefix}{name}"
            kind, nullable, description = self.type_of(node, path, seen)
            out.append(Column(name, kind, nullable or name not in required, description, path))
        return tuple(out)

    def _target(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref[len("#/$defs/") :]
            return self.defs[name], name
        return node, None

    def type_of(self, node: Any, path: str, seen: frozenset[str]) -> tuple[ColumnType, bool, str]:
        """(column type, nullable, description) of the schema `node` at field `path`."""
        if not isinstance(node, dict):
            return _scalar("json"), True, ""
        target, def_name = self._target(node)
        description = str(node.get("description") or target.get("description") or "")
        members = target.get("anyOf") or target.get("oneOf")
        if members:
            nulls = [m for m in members if isinstance(m, dict) and m.get("type") == "null"]
            rest = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
            kinds = [self.type_of(m, path, seen) for m in rest]
            distinct = {k for k, _, _ in kinds}
            nullable = bool(nulls) or any(n for _, n, _ in kinds)
            if len(distinct) == 1:
                return next(iter(distinct)), nullable, description
            if all(k.kind == "struct" for k in distinct):  # variants of an object: one struct
                return _merged([k for k, _, _ in kinds]), nullable, description
            return _scalar("json"), nullable, description  # a union of different shapes
        raw = target.get("type")
        types = [raw] if isinstance(raw, str) else list(raw or [])
        nullable = "null" in types or None in (target.get("enum") or [])
        types = [t for t in types if t != "null"]
        if not types and "const" in target:
            types = [_json_type(target["const"])]
        if not types and target.get("enum"):
            types = sorted({_json_type(v) for v in target["enum"] if v is not None})
        if not types and "properties" in target:
            types = ["object"]
        if len(types) != 1:
            return _scalar("json"), nullable, description  # `integer or string`, or anything
        kind = types[0]
        if kind == "object":
            closed = target.get("additionalProperties") is False and "properties" in target
            if not closed or (def_name is not None and def_name in seen):
                return _scalar("json"), nullable, description  # free keys, or recursive
            inner = seen | ({def_name} if def_name else set())
            return (
                ColumnType("struct", self.columns(target, f"{path}.", inner)),
                nullable,
                description,
            )
        if kind == "array":
            item, item_nullable, _ = self.type_of(target.get("items", {}), f"{path}[]", seen)
            return ColumnType("list", item=item, item_nullable=item_nullable), nullable, description
        if kind == "integer":
            return _scalar(self._integer(target, path)), nullable, description
        scalar = {"number": "f64", "string": "string", "boolean": "bool"}.get(kind)
        if scalar is None:
            raise GeneratorError(f"{self.where}: `{path}`: no column type for JSON type {kind!r}")
        return _scalar(scalar), nullable, description

    def _integer(self, node: dict[str, Any], path: str) -> str:
        low, high = node.get("minimum"), node.get("maximum")
        alias = INTEGER_TYPES.get((low, high)) if type(low) is int and type(high) is int else None
        if alias is None:
            raise GeneratorError(
                f"{self.where}: `{path}`: an integer needs the bounds of a Rust width "
                f"(schemas/README.md) to get a column type, got minimum {low!r}, maximum {high!r}"
            )
        return _INTEGER_SCALARS[alias]


def _merged(structs: list[ColumnType]) -> ColumnType:
    """One struct for the object variants of a union: every variant's fields in first-seen
    order, each nullable (a variant without it leaves it NULL); a field the variants type
    differently is JSON text."""
    merged: dict[str, Column] = {}
    for struct in structs:
        for column in struct.fields:
            seen = merged.get(column.name)
            if seen is None:
                merged[column.name] = replace(column, nullable=True)
            elif seen.type != column.type:
                merged[column.name] = replace(seen, type=_scalar("json"))
    return ColumnType("struct", tuple(merged.values()))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def event_tables(store: SchemaStore, bundler: Bundler) -> list[Table]:
    """The table of every event type at its newest version (the bundler holds its roots)."""
    tables = []
    for item in store.latest("events"):
        tables.append(
            event_table(item.name, str(item.version), model_name(item), bundler, item.relpath)
        )
    return tables


def event_table(name: str, version: str, root_def: str, bundler: Bundler, where: str) -> Table:
    """The table of one event version (`root_def`: its root definition in the bundle): the
    envelope's other keys (e.g. `skill_id`), then `event_params`' keys, then the load columns."""
    mapper = _Mapper(bundler.defs, where)
    root = bundler.defs[root_def]
    envelope = {
        k: v for k, v in root["properties"].items() if k not in ("event_type", "event_params")
    }
    outer = mapper.columns({**root, "properties": envelope}, "", frozenset({root_def}))
    target, def_name = mapper._target(root["properties"]["event_params"])
    inner = mapper.columns(target, "", frozenset({root_def, *([def_name] if def_name else [])}))
    columns = outer + inner + LOAD_COLUMNS
    names = [c.name for c in columns]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise GeneratorError(f"{where}: the envelope and `event_params` both have {twice}")
    return Table(name, version, columns)


# -- walking ------------------------------------------------------------------------------------


def leaves(columns: tuple[Column, ...]) -> list[Column]:
    """Every column and nested field, depth first (what the data classes classify)."""
    out: list[Column] = []
    for column in columns:
        out.append(column)
        kind = column.type
        while kind.kind == "list" and kind.item is not None:
            kind = kind.item
        if kind.kind == "struct":
            out.extend(leaves(kind.fields))
    return out


def json_paths(columns: tuple[Column, ...]) -> list[str]:
    """The paths of the JSON text fields (the loader serializes those values)."""
    out = []
    for column in leaves(columns):
        kind, path = column.type, column.path
        while kind.kind == "list" and kind.item is not None:  # a list of JSON: each item
            kind, path = kind.item, f"{path}[]"
        if kind.kind == "json":
            out.append(path)
    return out


# -- renderers --------------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + " ".join(text.split()).replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def duckdb_type(kind: ColumnType) -> str:
    if kind.kind == "struct":
        inner = ", ".join(f"{_quote(c.name)} {duckdb_type(c.type)}" for c in kind.fields)
        return f"STRUCT({inner})"
    if kind.kind == "list":
        assert kind.item is not None
        return f"{duckdb_type(kind.item)}[]"
    return TYPE_MAP[kind.kind][0]


def duckdb_ddl(table: Table) -> str:
    """CREATE TABLE plus one COMMENT ON COLUMN per column with a description."""
    lines = [
        f"    {_quote(c.name)} {duckdb_type(c.type)}{'' if c.nullable else ' NOT NULL'}"
        for c in table.columns
    ]
    out = [f"CREATE TABLE IF NOT EXISTS {_quote(table.name)} (\n" + ",\n".join(lines) + "\n);"]
    for c in table.columns:
        if c.description:
            out.append(
                f"COMMENT ON COLUMN {_quote(table.name)}.{_quote(c.name)} "
                f"IS {_sql_string(c.description)};"
            )
    return "\n".join(out) + "\n"


def _spark_type(kind: ColumnType) -> Any:
    if kind.kind == "struct":
        return {"type": "struct", "fields": [_spark_field(c) for c in kind.fields]}
    if kind.kind == "list":
        assert kind.item is not None
        return {
            "type": "array",
            "elementType": _spark_type(kind.item),
            "containsNull": kind.item_nullable,
        }
    return TYPE_MAP[kind.kind][2]


def _spark_field(column: Column) -> dict[str, Any]:
    metadata = {"comment": column.description} if column.description else {}
    return {
        "name": column.name,
        "type": _spark_type(column.type),
        "nullable": column.nullable,
        "metadata": metadata,
    }


def spark_struct(table: Table) -> str:
    """The table as Spark's StructType JSON (`StructType.fromJson`)."""
    body = {"type": "struct", "fields": [_spark_field(c) for c in table.columns]}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _bigquery_field(column: Column) -> dict[str, Any]:
    kind, mode = column.type, "NULLABLE" if column.nullable else "REQUIRED"
    if kind.kind == "list":
        assert kind.item is not None
        kind, mode = kind.item, "REPEATED"  # BigQuery arrays hold no NULL and no arrays
        if kind.kind == "list":
            kind = _scalar("json")
    out: dict[str, Any] = {"name": column.name, "mode": mode}
    if kind.kind == "struct":
        out["type"] = "RECORD"
        out["fields"] = [_bigquery_field(c) for c in kind.fields]
    else:
        out["type"] = TYPE_MAP[kind.kind][3]
    if column.description:
        out["description"] = " ".join(column.description.split())[:1024]
    return out


def bigquery_schema(table: Table) -> str:
    """The table as a BigQuery schema file (`bq mk --table ... schema.json`)."""
    body = [_bigquery_field(c) for c in table.columns]
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def arrow_type(kind: ColumnType) -> Any:
    """The Arrow type as data the package turns into pyarrow types (`tables.arrow_schema`):
    a factory name, `["struct", [[name, type, nullable], ...]]` or `["list", type, nullable]`."""
    if kind.kind == "struct":
        return ["struct", [[c.name, arrow_type(c.type), c.nullable] for c in kind.fields]]
    if kind.kind == "list":
        assert kind.item is not None
        return ["list", arrow_type(kind.item), kind.item_nullable]
    return TYPE_MAP[kind.kind][4]


# -- what the templates see ---------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRow:
    """One row of a table's docs listing: a column or a nested field."""

    path: str
    depth: int
    duckdb: str
    spark: str
    bigquery: str
    nullable: bool
    data_class: str


@dataclass(frozen=True)
class TableView:
    name: str
    version: str
    ddl: str  # DuckDB
    spark: str  # StructType JSON
    bigquery: str  # schema JSON
    arrow: list[list[Any]]  # [[name, arrow type, nullable], ...] (see arrow_type)
    json_paths: list[str]
    classes: dict[str, str]  # field path -> data class
    rows: list[ColumnRow]


def _rows(columns: tuple[Column, ...], classes: dict[str, str], depth: int = 0) -> list[ColumnRow]:
    out = []
    for c in columns:
        spark = _spark_type(c.type)
        bigquery = _bigquery_field(c)
        out.append(
            ColumnRow(
                path=c.path,
                depth=depth,
                duckdb=duckdb_type(c.type) if c.type.kind != "struct" else "STRUCT",
                spark=spark if isinstance(spark, str) else spark["type"],
                bigquery=("REPEATED " if bigquery["mode"] == "REPEATED" else "") + bigquery["type"],
                nullable=c.nullable,
                data_class=classes.get(c.path, ""),
            )
        )
        kind = c.type
        while kind.kind == "list" and kind.item is not None:
            kind = kind.item
        if kind.kind == "struct":
            out.extend(_rows(kind.fields, classes, depth + 1))
    return out


def table_view(table: Table, classes: dict[str, str]) -> TableView:
    """Everything generated for one table; `classes`: field path -> data class."""
    return TableView(
        name=table.name,
        version=table.version,
        ddl=duckdb_ddl(table),
        spark=spark_struct(table),
        bigquery=bigquery_schema(table),
        arrow=[[c.name, arrow_type(c.type), c.nullable] for c in table.columns],
        json_paths=json_paths(table.columns),
        classes={c.path: classes[c.path] for c in leaves(table.columns) if c.path in classes},
        rows=_rows(table.columns, classes),
    )


# -- the catalog's queries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    id: str
    question: str
    sql: str


def load_queries(path: Path, events: set[str] | None = None) -> dict[str, list[Query]]:
    """docs-src/queries.yaml: event type -> its queries (each with a unique id); with `events`,
    each must be one of them (the generator, which may run on a folder of test schemas,
    passes none; tests/tables/test_queries.py passes the contract's)."""
    where = shown(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GeneratorError(f"{where}: cannot read: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise GeneratorError(f"{where}: expected a mapping of event types")
    out: dict[str, list[Query]] = {}
    seen: set[str] = set()
    for event, items in data.items():
        if events is not None and event not in events:
            raise GeneratorError(f"{where}: {event!r} is no event type")
        if not isinstance(items, list):
            raise GeneratorError(f"{where}: {event}: expected a list of queries")
        for raw in items:
            keys = {"id", "question", "sql"}
            if not isinstance(raw, dict) or set(raw) != keys:
                raise GeneratorError(f"{where}: {event}: a query has exactly {sorted(keys)}")
            if not all(isinstance(raw[k], str) and raw[k].strip() for k in keys):
                raise GeneratorError(f"{where}: {event}: {sorted(keys)} must be non-empty text")
            if "```" in raw["sql"]:
                raise GeneratorError(f"{where}: {event}: a query's SQL holds no ``` (a fence)")
            if raw["id"] in seen:
                raise GeneratorError(f"{where}: {event}: the id {raw['id']!r} is used twice")
            seen.add(raw["id"])
            out.setdefault(event, []).append(Query(raw["id"], raw["question"], raw["sql"].strip()))
    return out
