"""Every field of every event version has a data class (schemas/data-classes.yaml,
spec/tables.md §5), and the classes fit their columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.bundle import Bundler
from generator.data_classes import DataClasses, load_data_classes
from generator.errors import GeneratorError
from generator.paths import SCHEMAS
from generator.schema_store import load_store
from generator.tables import Table, event_table, event_tables


def _every_version() -> list[Table]:
    """The table of every version of every event (older versions under their own names)."""
    store = load_store(SCHEMAS)
    bundler = Bundler(store)
    tables = []
    for item in sorted(store.files.values(), key=lambda f: (f.kind, f.name, f.version)):
        if item.kind != "events":
            continue
        root = bundler.add_root(item)
        tables.append(event_table(item.name, str(item.version), root, bundler, item.relpath))
    assert {t.name for t in tables} == {i.name for i in store.latest("events")}
    return tables


def test_every_field_of_every_version_is_classified() -> None:
    classes = load_data_classes()
    assert classes is not None, "schemas/data-classes.yaml is missing"
    assert classes.problems(_every_version()) == []


def _newest() -> list[Table]:
    store = load_store(SCHEMAS)
    bundler = Bundler(store)
    for item in store.latest("events"):
        bundler.add_root(item)
    tables = event_tables(store, bundler)
    assert [t.name for t in tables] == [i.name for i in store.latest("events")]
    return tables


def test_a_missing_a_misfit_and_a_stale_entry_are_each_named() -> None:
    classes = load_data_classes()
    assert classes is not None
    fields = dict(classes.fields)
    del fields["thread_id"]
    fields["duration_ms"] = "identifier"  # hashed, on an integer column
    fields["runtime"] = "label"  # a struct column
    fields["no_such_field"] = "metric"
    broken = DataClasses(classes.classes, fields, {"codex_turn_event": {"nope": "flag"}})
    tables = _newest()
    turn = next(t.version for t in tables if t.name == "codex_turn_event")
    found = broken.problems(tables)
    assert f"codex_turn_event {turn}: `thread_id` has no data class" in found
    assert any(
        "`duration_ms`: `identifier` is hashed on redaction: only a string column" in p
        for p in found
    )
    assert any("`runtime`: a struct column is `group`" in p for p in found)
    assert "fields: `no_such_field` is a field of no event version" in found
    assert "events: codex_turn_event: `nope` is not a field of that event" in found


def test_an_unknown_class_stops_the_reader(tmp_path: Path) -> None:
    bad = tmp_path / "data-classes.yaml"
    bad.write_text(
        "classes:\n  group: {redact: drop}\nfields:\n  thread_id: secret\nevents: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(GeneratorError, match="`thread_id`: unknown data class 'secret'"):
        load_data_classes(bad)
