"""A broken schema is refused with a message naming the file, the place and what was expected;
`$ref`s resolve offline only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.paths import ID_BASE
from generator.schema_store import SchemaStoreError, load_store


def write(root: Path, rel: str, schema: Any, *, raw: str | None = None) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(raw if raw is not None else json.dumps(schema, indent=2), encoding="utf-8")
    return path


def event(rel: str, **extra: Any) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ID_BASE + rel,
        "type": "object",
        "properties": {"event_type": {"const": "x", "description": "d"}},
        **extra,
    }


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "events/x/1-0-0.json", None, raw='{\n  "type": "object",\n  oops\n}')
    with pytest.raises(SchemaStoreError) as info:
        load_store(tmp_path)
    assert str(path) in str(info.value) and "line 3, column 3" in str(info.value)


def test_id_must_match_the_path(tmp_path: Path) -> None:
    write(tmp_path, "events/x/1-0-0.json", event("events/y/1-0-0.json"))
    with pytest.raises(
        SchemaStoreError,
        match=re.escape("expected 'https://schemas.codex-analytics.invalid/events/x/1-0-0.json'"),
    ):
        load_store(tmp_path)


def test_metaschema_violation_names_the_place(tmp_path: Path) -> None:
    bad = event("events/x/1-0-0.json")
    bad["properties"]["event_type"]["type"] = "strnig"
    write(tmp_path, "events/x/1-0-0.json", bad)
    with pytest.raises(
        SchemaStoreError, match="not a valid Draft 2020-12 schema at properties/event_type/type"
    ):
        load_store(tmp_path)


@pytest.mark.parametrize(
    "ref",
    ["https://example.com/evil.json", "../../common/missing/1-0-0.json", "#/$defs/nothing"],
)
def test_unresolvable_or_remote_refs_are_refused_offline(tmp_path: Path, ref: str) -> None:
    schema = event("events/x/1-0-0.json")
    schema["properties"]["p"] = {"$ref": ref, "description": "d"}
    write(tmp_path, "events/x/1-0-0.json", schema)
    with pytest.raises(SchemaStoreError) as info:
        load_store(tmp_path)
    assert ref in str(info.value)


def test_misplaced_file_and_bad_version(tmp_path: Path) -> None:
    write(tmp_path, "events/x/1.0.0.json", event("events/x/1.0.0.json"))
    with pytest.raises(SchemaStoreError, match="MODEL-REVISION-ADDITION"):
        load_store(tmp_path)
