"""`codex-contract new-version`, `new-event` and `batch`, run on a temporary copy of the
repository's schemas, examples and event catalog (the real tree is never written)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from generator.batch import listed, missing_from_batch, newest_batch, write_next_batch
from generator.cli import main
from generator.docs import load_catalog
from generator.errors import GeneratorError
from generator.gate.lint import lint_schema
from generator.gate.resolve import Resolver, dir_fetch
from generator.gate.rules import Category
from generator.gate.versions import SchemaVer
from generator.paths import ID_BASE
from generator.scaffold import new_event, new_version
from generator.schema_store import load_store
from tests.conftest import ROOT

PLACEHOLDER = {"release": None, "commit": None, "pr": None, "date": None, "source": ""}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of schemas/, examples/ and docs-src/catalog.yaml."""
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "docs-src").mkdir()
    shutil.copy(ROOT / "docs-src" / "catalog.yaml", tmp_path / "docs-src" / "catalog.yaml")
    return tmp_path


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _newest(folder: Path) -> SchemaVer:
    return max(v for v in (SchemaVer.parse(p.stem) for p in folder.glob("*.json")) if v)


def _event_files(schemas: Path) -> set[str]:
    return {
        p.relative_to(schemas).as_posix()
        for p in (schemas / "events").glob("*/*.json")
        if SchemaVer.parse(p.stem) is not None
    }


@pytest.mark.parametrize(
    ("spec", "bump"),
    [
        ("events/codex_turn_event", "addition"),
        ("codex_turn_event", "model"),
        ("facts/notification", "revision"),
    ],
)
def test_new_version_writes_the_next_file_from_the_newest(tree: Path, spec: str, bump: str) -> None:
    schemas, examples = tree / "schemas", tree / "examples"
    name = spec.rsplit("/", 1)[-1]
    kind = "facts" if name == "notification" else "events"
    folder = schemas / kind / name
    newest = _newest(folder)
    source: dict[str, Any] = json.loads((folder / f"{newest}.json").read_text("utf-8"))
    path = new_version(spec, bump, schemas, examples)
    target = newest.next({"addition": Category.ADDITION, "revision": Category.REVISION,
                          "model": Category.MODEL}[bump])  # fmt: skip
    assert path == folder / f"{target}.json"
    doc: dict[str, Any] = json.loads(path.read_text("utf-8"))
    assert doc["$id"] == f"{ID_BASE}{kind}/{name}/{target}.json"
    assert doc["x-upstream"] == PLACEHOLDER
    keys = list(doc)
    assert keys.index("x-upstream") == keys.index("description") + 1
    rest = {k: v for k, v in doc.items() if k not in ("$id", "x-upstream")}
    assert rest == {k: v for k, v in source.items() if k not in ("$id", "x-upstream")}
    assert (examples / kind / name / str(target)).is_dir()
    # the gate's lint accepts it as written (its $id matches its path, every ref resolves)
    rel = path.relative_to(schemas).as_posix()
    findings, _ = lint_schema(doc, rel, Resolver(dir_fetch(schemas)))
    assert findings == []


def test_new_version_refuses_unknown_and_ambiguous_schemas(tree: Path) -> None:
    schemas, examples = tree / "schemas", tree / "examples"
    before = _files(tree)
    with pytest.raises(GeneratorError, match="no such schema folder"):
        new_version("events/no_such_event", "addition", schemas, examples)
    with pytest.raises(GeneratorError, match="no schema of that name"):
        new_version("no_such_event", "addition", schemas, examples)
    with pytest.raises(GeneratorError, match="no such schema folder"):
        new_version("batch/x", "addition", schemas, examples)
    assert _files(tree) == before


def test_new_event_scaffolds_schema_examples_and_catalog_entry(tree: Path) -> None:
    schemas, examples = tree / "schemas", tree / "examples"
    catalog = tree / "docs-src" / "catalog.yaml"
    before = load_catalog(catalog)
    written = new_event("codex_widget_event", schemas, examples, catalog)
    rel = "events/codex_widget_event/1-0-0.json"
    assert schemas / rel in written and catalog in written
    store = load_store(schemas)  # metaschema, $id and refs all checked
    item = next(
        f for f in store.files.values() if f.kind == "events" and f.name == "codex_widget_event"
    )
    assert str(item.version) == "1-0-0"
    schema = json.loads((schemas / rel).read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, registry=Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    )
    folder = examples / "events" / "codex_widget_event" / "1-0-0"
    passing = sorted(folder.glob("*.pass.json"))
    failing = sorted(folder.glob("*.fail.json"))
    assert passing and failing and set(passing + failing) <= set(written)
    for path in passing:
        assert list(validator.iter_errors(json.loads(path.read_bytes()))) == []
    for path in failing:
        case = json.loads(path.read_text("utf-8"))
        assert list(validator.iter_errors(case["instance"])), path
    # the catalog lists it once, in an event group; the fact groups are untouched
    after = load_catalog(catalog)
    entries = [e for g in after.groups for e in g.events if e.event == "codex_widget_event"]
    assert len(entries) == 1 and entries[0].group == "New events"
    assert after.fact_groups == before.fact_groups
    assert [e.event for g in before.groups for e in g.events] == [
        e.event for g in after.groups for e in g.events
    ][:-1]
    # a second new event joins the same group
    new_event("codex_gadget_event", schemas, examples, catalog)
    groups = [g for g in load_catalog(catalog).groups if g.title == "New events"]
    assert len(groups) == 1
    assert [e.event for e in groups[0].events] == ["codex_widget_event", "codex_gadget_event"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("codex_turn_event", "already exists; use new-version"),
        ("CodexWidget", "snake_case"),
        ("codex-widget", "snake_case"),
        ("../escape", "snake_case"),
    ],
)
def test_new_event_refuses_bad_names_and_writes_nothing(
    tree: Path, name: str, message: str
) -> None:
    before = _files(tree)
    with pytest.raises(GeneratorError, match=message):
        new_event(name, tree / "schemas", tree / "examples", tree / "docs-src" / "catalog.yaml")
    assert _files(tree) == before


def test_batch_writes_the_next_version_covering_every_event_version(tree: Path) -> None:
    schemas, examples = tree / "schemas", tree / "examples"
    assert missing_from_batch(schemas) == []
    assert write_next_batch(schemas) is None  # nothing to add: nothing written
    before = newest_batch(schemas)
    assert before is not None
    new_event("codex_widget_event", schemas, examples, tree / "docs-src" / "catalog.yaml")
    added = new_version("events/codex_turn_event", "addition", schemas, examples)
    assert sorted(missing_from_batch(schemas)) == sorted(
        ["events/codex_widget_event/1-0-0.json", added.relative_to(schemas).as_posix()]
    )
    path = write_next_batch(schemas)
    target = before[0].next(Category.ADDITION)
    assert path == schemas / "batch" / f"{target}.json"
    doc = json.loads(path.read_text("utf-8"))
    assert doc["$id"] == f"{ID_BASE}batch/{target}.json"
    assert listed(doc) == _event_files(schemas)
    assert missing_from_batch(schemas) == []
    # the older batch version is untouched; the new one loads (every ref resolves)
    assert before[1].read_bytes() == (ROOT / "schemas" / "batch" / before[1].name).read_bytes()
    load_store(schemas)
    # a newest-first order within each type, each type once
    refs = [m["$ref"].removeprefix("../") for m in doc["properties"]["events"]["items"]["anyOf"]]
    assert len(refs) == len(set(refs))
    turn = [r for r in refs if r.startswith("events/codex_turn_event/")]
    assert turn[0] == added.relative_to(schemas).as_posix()


def test_batch_without_a_first_version_is_a_clear_error(tree: Path) -> None:
    shutil.rmtree(tree / "schemas" / "batch")
    (tree / "schemas" / "batch").mkdir()
    with pytest.raises(GeneratorError, match="no first version to start from"):
        write_next_batch(tree / "schemas")


def test_cli_errors_are_one_line_without_writing(capsys: pytest.CaptureFixture[str]) -> None:
    """On the real tree: only inputs refused before anything is written."""
    before = _files(ROOT / "schemas")
    assert main(["new-version", "no_such_schema"]) == 1
    assert main(["new-event", "codex_turn_event"]) == 1
    assert main(["new-event", "Bad Name"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith("codex-contract: ") for line in err)
    assert "no schema of that name" in err[0] and "use new-version" in err[1]
    assert main(["batch"]) == 0
    assert "already lists every event version" in capsys.readouterr().out
    assert _files(ROOT / "schemas") == before
