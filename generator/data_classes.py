"""schemas/data-classes.yaml: what kind of data every event field holds (spec/tables.md §5).

`load_data_classes()` reads and checks the file; `DataClasses.of(event, path)` is a field's
class (the event's own entry, else the shared one); `problems(tables)` lists every field of the
given tables without a class, with a class that does not fit its column type (a hashed class
on a non-string column, `group` on a scalar) and every entry no table has. The generator stops
on a problem of the newest versions; a test checks every version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import GeneratorError, shown
from generator.paths import SCHEMAS
from generator.tables import Column, ColumnType, Table, leaves

DATA_CLASSES_FILE = "data-classes.yaml"  # beside the schema folders
DATA_CLASSES = SCHEMAS / DATA_CLASSES_FILE
REDACTIONS = ("hash", "drop")


@dataclass(frozen=True)
class DataClass:
    name: str
    redact: str  # "hash" (SHA-256 hex of the text) or "drop" (NULL)
    meaning: str


@dataclass(frozen=True)
class DataClasses:
    classes: dict[str, DataClass]
    fields: dict[str, str]  # path -> class, every event
    events: dict[str, dict[str, str]]  # event type -> path -> class

    def of(self, event: str, path: str) -> str | None:
        own = self.events.get(event, {})
        return own.get(path, self.fields.get(path))

    def for_table(self, table: Table) -> dict[str, str]:
        """field path -> class for every classified field of the table."""
        out = {}
        for column in leaves(_params(table)):
            found = self.of(table.name, column.path)
            if found is not None:
                out[column.path] = found
        return out

    def problems(self, tables: Iterable[Table]) -> list[str]:
        found: list[str] = []
        used_shared: set[str] = set()
        used_own: set[tuple[str, str]] = set()
        for table in tables:
            for column in leaves(_params(table)):
                own = self.events.get(table.name, {}).get(column.path)
                if own is not None:
                    used_own.add((table.name, column.path))
                elif column.path in self.fields:
                    used_shared.add(column.path)
                name = self.of(table.name, column.path)
                where = f"{table.name} {table.version}: `{column.path}`"
                if name is None:
                    found.append(f"{where} has no data class")
                    continue
                misfit = self._misfit(name, column)
                if misfit:
                    found.append(f"{where}: {misfit}")
        for path in sorted(set(self.fields) - used_shared - {p for _, p in used_own}):
            found.append(f"fields: `{path}` is a field of no event version")
        for event, paths in sorted(self.events.items()):
            for path in sorted(paths):
                if (event, path) not in used_own:
                    found.append(f"events: {event}: `{path}` is not a field of that event")
        return found

    def _misfit(self, name: str, column: Column) -> str:
        kind = _innermost(column.type)
        if name == "group":  # a struct, or the JSON text a later version made of one
            ok = kind.kind in ("struct", "json")
            return "" if ok else "`group` is for struct (or JSON text) columns only"
        if kind.kind == "struct":
            return f"a struct column is `group`, not `{name}` (its fields carry the classes)"
        if self.classes[name].redact == "hash" and kind.kind != "string":
            return f"`{name}` is hashed on redaction: only a string column can have it"
        return ""


def _params(table: Table) -> tuple[Column, ...]:
    return tuple(c for c in table.columns if not c.name.startswith("_"))


def _innermost(kind: ColumnType) -> ColumnType:
    while kind.kind == "list" and kind.item is not None:
        kind = kind.item
    return kind


def load_data_classes(path: Path = DATA_CLASSES) -> DataClasses | None:
    """The classification, or None when the schema folder has no such file (a folder of test
    schemas: nothing is classified, and nothing is required)."""
    where = shown(path)
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GeneratorError(f"{where}: cannot read: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict) or set(data) != {"classes", "fields", "events"}:
        raise GeneratorError(f"{where}: expected the mappings `classes`, `fields` and `events`")
    classes = {}
    for name, raw in _mapping(data["classes"], f"{where}: classes").items():
        if not isinstance(raw, dict) or raw.get("redact") not in REDACTIONS:
            raise GeneratorError(f"{where}: classes: {name}: `redact` must be hash or drop")
        classes[name] = DataClass(name, raw["redact"], str(raw.get("meaning", "")))
    if "group" not in classes:
        raise GeneratorError(f"{where}: classes: `group` (struct columns) is missing")

    def paths(raw: Any, here: str) -> dict[str, str]:
        out = {}
        for key, value in _mapping(raw, here).items():
            if value not in classes:
                raise GeneratorError(f"{here}: `{key}`: unknown data class {value!r}")
            out[str(key)] = str(value)
        return out

    events = {
        str(event): paths(raw, f"{where}: events: {event}")
        for event, raw in _mapping(data["events"], f"{where}: events").items()
    }
    return DataClasses(classes, paths(data["fields"], f"{where}: fields"), events)


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise GeneratorError(f"{where}: expected a mapping")
    return raw
