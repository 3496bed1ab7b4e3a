"""Hostile schema files never crash the generator and never bring in outside content.

A symbolic link, a folder named like a schema file, bytes that are not UTF-8, nesting deep
enough to exhaust Python's stack and `$ref` cycles each end in one `SchemaStoreError` line that
names the file and the place (line and column, or the JSON pointer of the cycle).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.generate import build_context
from generator.paths import ID_BASE, ROOT
from generator.schema_store import MAX_DEPTH, SchemaStoreError, load_store

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def write(root: Path, rel: str, schema: dict[str, Any]) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"$schema": DRAFT, "$id": ID_BASE + rel, **schema}
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def event(root: Path, params: dict[str, Any], defs: dict[str, Any] | None = None) -> Path:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "event_type": {"type": "string", "const": "codex_x_event", "description": "d"},
            "event_params": {
                "type": "object",
                "description": "d",
                "properties": params,
                "additionalProperties": False,
            },
        },
        "required": ["event_type", "event_params"],
        "additionalProperties": False,
    }
    if defs is not None:
        schema["$defs"] = defs
    return write(root, "events/codex_x_event/1-0-0.json", schema)


def runtime(root: Path) -> Path:
    return write(
        root,
        "common/runtime/1-0-0.json",
        {"type": "object", "description": "d", "properties": {"os": {"type": "string"}}},
    )


def one_line_error(root: Path) -> str:
    """The SchemaStoreError of loading `root` and building the generator's context."""
    with pytest.raises(SchemaStoreError) as info:
        build_context(load_store(root))
    message = str(info.value)
    assert "\n" not in message
    return message


# -- item 9: symbolic links ------------------------------------------------------------------


def test_symlinked_schema_file_is_refused(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    elsewhere = runtime(tmp_path / "elsewhere")
    event(schemas, {"os": {"type": "string", "description": "d"}})
    link = schemas / "common" / "runtime" / "1-0-0.json"
    link.parent.mkdir(parents=True)
    link.symlink_to(elsewhere)
    message = one_line_error(schemas)
    assert str(link) in message and "symbolic link" in message


def test_symlinked_folder_is_refused(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    runtime(tmp_path / "elsewhere")
    event(schemas, {"os": {"type": "string", "description": "d"}})
    (schemas / "common").mkdir()
    (schemas / "common" / "runtime").symlink_to(tmp_path / "elsewhere" / "common" / "runtime")
    message = one_line_error(schemas)
    assert "common/runtime" in message and "symbolic link" in message


def test_symlink_inside_schemas_is_refused_too(tmp_path: Path) -> None:
    """Even a link to another file of schemas/: every schema file is a file of its own."""
    schemas = tmp_path / "schemas"
    real = runtime(schemas)
    alias = schemas / "common" / "runtime" / "1-0-1.json"
    alias.symlink_to(real)
    with pytest.raises(SchemaStoreError, match="symbolic link"):
        load_store(schemas)


# -- item 10: files that used to crash with a traceback ------------------------------------


def test_folder_named_like_a_schema_file(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    runtime(schemas)
    (schemas / "common" / "dirx" / "1-0-0.json").mkdir(parents=True)
    message = one_line_error(schemas)
    assert "common/dirx/1-0-0.json" in message and "folder" in message


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    path = runtime(schemas)
    text = path.read_bytes().replace(b'"description": "d"', b'"description": "caf\xe9"')
    path.write_bytes(text)
    message = one_line_error(schemas)
    before = text[: text.index(b"\xe9")]
    line, column = before.count(b"\n") + 1, len(before) - before.rfind(b"\n")
    assert str(path) in message and f"line {line}, column {column}" in message
    assert "UTF-8" in message and "0xe9" in message


def test_deep_nesting_is_refused_before_anything_recurses(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    path = runtime(schemas)
    doc = json.loads(path.read_text(encoding="utf-8"))
    body = json.dumps(doc)[:-1] + ', "examples": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(body, encoding="utf-8")
    message = one_line_error(schemas)
    column = body.index('"examples": ') + len('"examples": ') + MAX_DEPTH
    assert str(path) in message and f"line 1, column {column}" in message
    assert f"deeper than {MAX_DEPTH}" in message


def test_moderate_nesting_is_accepted(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    path = runtime(schemas)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["examples"] = json.loads("[" * 30 + "]" * 30)
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert load_store(schemas).files


def test_ref_cycle_between_two_files(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    write(schemas, "common/a/1-0-0.json", {"description": "a", "$ref": "../b/1-0-0.json"})
    write(schemas, "common/b/1-0-0.json", {"description": "b", "$ref": "../a/1-0-0.json"})
    event(schemas, {"x": {"$ref": "../../common/a/1-0-0.json", "description": "x"}})
    message = one_line_error(schemas)
    assert "$ref cycle" in message
    assert "common/a/1-0-0.json" in message and "common/b/1-0-0.json" in message


@pytest.mark.parametrize(
    "loop",
    [{"$ref": "#/$defs/loop"}, {"type": "array", "items": {"$ref": "#/$defs/loop"}}],
    ids=["bare", "through-array-items"],
)
def test_defs_entry_referencing_itself(tmp_path: Path, loop: dict[str, Any]) -> None:
    schemas = tmp_path / "schemas"
    path = event(schemas, {"x": {"$ref": "#/$defs/loop", "description": "x"}}, {"loop": loop})
    message = one_line_error(schemas)
    assert str(path) in message and "#/$defs/loop" in message and "$ref cycle" in message


def test_allof_cycle(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    for me, other in (("a", "b"), ("b", "a")):
        write(
            schemas,
            f"common/{me}/1-0-0.json",
            {"type": "object", "allOf": [{"$ref": f"../{other}/1-0-0.json"}]},
        )
    event(schemas, {"x": {"$ref": "../../common/a/1-0-0.json", "description": "x"}})
    message = one_line_error(schemas)
    assert "allOf cycle" in message and "common/a/1-0-0.json" in message


def test_recursive_object_is_still_fine(tmp_path: Path) -> None:
    """A cycle through an object is a named, self-referencing model: allowed."""
    schemas = tmp_path / "schemas"
    node = {
        "type": "object",
        "description": "A tree node.",
        "properties": {"kids": {"type": "array", "items": {"$ref": "#"}, "description": "d"}},
        "additionalProperties": False,
    }
    write(schemas, "common/node/1-0-0.json", node)
    event(schemas, {"tree": {"$ref": "../../common/node/1-0-0.json", "description": "t"}})
    context, _ = build_context(load_store(schemas))
    assert [e.name for e in context["events"]] == ["codex_x_event"]


def test_generate_command_prints_one_line_not_a_traceback(tmp_path: Path) -> None:
    """`codex-contract generate` (what `make generate` runs) on a checkout with a cycle."""
    checkout = tmp_path / "checkout"
    for part in ("generator", "templates", "docs-src"):
        shutil.copytree(ROOT / part, checkout / part)
    schemas = checkout / "schemas"
    loop = {"$ref": "#/$defs/loop"}
    event(schemas, {"x": {**loop, "description": "x"}}, {"loop": loop})
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "generate"],
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "$ref cycle" in lines[0], proc.stderr
