"""The field tables of spec/wire-format.md §1 agree with the 1-0-0 event schemas.

For every event type the concatenated tables of its sections must list exactly the keys of its
`event_params`, in wire order, each with the schema's JSON type (and Rust integer width) and
nullability; the envelope table (spec/wire-format.md §1.0) must list every event type in the
batch schema's order, with its top-level keys. A new event type or field therefore cannot reach
the schemas without the specification saying so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SCHEMAS
from tests.spec.references import NUMBERED, headings

WIRE = ROOT / "spec/wire-format.md"

TOOL_KINDS = {
    "codex_command_execution_event": "1.10.1",
    "codex_file_change_event": "1.10.2",
    "codex_mcp_tool_call_event": "1.10.3",
    "codex_dynamic_tool_call_event": "1.10.4",
    "codex_collab_agent_tool_call_event": "1.10.5",
    "codex_web_search_event": "1.10.6",
    "codex_image_generation_event": "1.10.7",
}
PLUGIN_METADATA = ("1.13", 0)
# event type -> the (section, n-th field table of that section) its params are made of.
EVENT_TABLES: dict[str, list[tuple[str, int]]] = {
    "skill_invocation": [("1.2", 0)],
    "codex_thread_initialized": [("1.3", 0)],
    "codex_guardian_review": [("1.4", 0)],
    "codex_app_mentioned": [("1.5", 0)],
    "codex_app_used": [("1.5", 0)],
    "codex_hook_run": [("1.6", 0)],
    "codex_compaction_event": [("1.7", 0)],
    "codex_turn_event": [("1.8", 0)],
    "codex_turn_steer_event": [("1.9", 0)],
    **{name: [("1.10", 0), (section, 0)] for name, section in TOOL_KINDS.items()},
    "codex_accepted_line_fingerprints": [("1.11", 0)],
    "codex_review_event": [("1.12", 0)],
    "codex_plugin_installed": [PLUGIN_METADATA],
    "codex_plugin_uninstalled": [PLUGIN_METADATA],
    "codex_plugin_enabled": [PLUGIN_METADATA],
    "codex_plugin_disabled": [PLUGIN_METADATA],
    "codex_plugin_used": [PLUGIN_METADATA, ("1.13", 1)],
}
COMMON_TABLES = {"app_server_client": ("1.1", 0), "runtime": ("1.1", 1)}

U64 = (0, 2**64 - 1)
WIDTHS = {
    U64: "u64",
    (-(2**63), 2**63 - 1): "i64",
    (0, 2**32 - 1): "u32",
    (-(2**31), 2**31 - 1): "i32",
    (0, 2**16 - 1): "u16",
}


@dataclass(frozen=True)
class Row:
    position: int
    name: str
    types: frozenset[str]
    nullable: bool


# -- the spec side --------------------------------------------------------------------------


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def spec_types(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(" or "))


def field_tables(markdown: str) -> dict[str, list[list[Row]]]:
    """Section number -> its tables with `#`, `field`, `type` and `null` columns, in order."""
    lines = markdown.splitlines()
    starts = [(n - 1, NUMBERED.match(t)) for n, t in headings(markdown)]
    numbered = [(index, m.group(1)) for index, m in starts if m]
    out: dict[str, list[list[Row]]] = {}
    for i, (start, number) in enumerate(numbered):
        end = numbered[i + 1][0] if i + 1 < len(numbered) else len(lines)
        tables: list[list[Row]] = []
        j = start
        while j < end:
            if lines[j].startswith("|") and cells(lines[j])[:4] == ["#", "field", "type", "null"]:
                rows: list[Row] = []
                j += 2  # header and separator
                while j < end and lines[j].startswith("|"):
                    pos, field, typ, null = cells(lines[j])[:4]
                    rows.append(Row(int(pos), field.strip("`"), spec_types(typ), null == "yes"))
                    j += 1
                tables.append(rows)
            j += 1
        out[number] = tables
    return out


@pytest.fixture(scope="module")
def tables() -> dict[str, list[list[Row]]]:
    return field_tables(WIRE.read_text(encoding="utf-8"))


def spec_rows(tables: dict[str, list[list[Row]]], parts: list[tuple[str, int]]) -> list[Row]:
    rows: list[Row] = []
    for section, index in parts:
        assert len(tables.get(section, [])) > index, f"§{section} has no field table #{index + 1}"
        rows += tables[section][index]
    return rows


# -- the schema side ------------------------------------------------------------------------


def resolve(node: dict[str, Any], base: Path) -> tuple[dict[str, Any], Path]:
    """Follow a `$ref` (relative file and JSON pointer); sibling keywords of the ref are kept."""
    while "$ref" in node:
        file, _, pointer = node["$ref"].partition("#")
        path = (base.parent / file).resolve() if file else base
        target: Any = json.loads(path.read_text(encoding="utf-8"))
        for part in filter(None, pointer.split("/")):
            target = target[part]
        node = {**{k: v for k, v in node.items() if k != "$ref"}, **target}
        base = path
    return node, base


def properties(node: dict[str, Any], base: Path) -> list[tuple[str, dict[str, Any], Path]]:
    """Own properties after those of every `allOf` member, as the wire writes them."""
    node, base = resolve(node, base)
    out: list[tuple[str, dict[str, Any], Path]] = []
    for member in node.get("allOf", []):
        out += properties(member, base)
    out += [(name, sub, base) for name, sub in node.get("properties", {}).items()]
    return out


def schema_types(node: dict[str, Any], base: Path) -> tuple[set[str], bool]:
    node, base = resolve(node, base)
    raw = node.get("type", [])
    types = {raw} if isinstance(raw, str) else set(raw)
    nullable = "null" in types or None in node.get("enum", [])
    types.discard("null")
    for key in ("anyOf", "oneOf"):
        for member in node.get(key, []):
            member_types, member_null = schema_types(member, base)
            types |= member_types
            nullable = nullable or member_null
    if not types and "const" in node:
        types = {"string"} if isinstance(node["const"], str) else {type(node["const"]).__name__}
    if "integer" in types:
        width = WIDTHS[(node["minimum"], node["maximum"])]
        types = (types - {"integer"}) | {f"integer ({width})"}
    return types, nullable


def schema_rows(node: dict[str, Any], base: Path) -> list[Row]:
    rows = []
    for position, (name, sub, sub_base) in enumerate(properties(node, base), 1):
        types, nullable = schema_types(sub, sub_base)
        rows.append(Row(position, name, frozenset(types), nullable))
    return rows


def event_schema(event_type: str) -> tuple[dict[str, Any], Path]:
    path = SCHEMAS / "events" / event_type / "1-0-0.json"
    return json.loads(path.read_text(encoding="utf-8")), path


# -- the tests ------------------------------------------------------------------------------


def test_every_event_type_has_its_tables() -> None:
    # spec/wire-format.md restates the wire format at the pin: the event types of the pin's
    # request body (batch 1-0-0); later types and versions are in their schema files and pages
    batch = json.loads((SCHEMAS / "batch" / "1-0-0.json").read_text(encoding="utf-8"))
    refs = batch["properties"]["events"]["items"]["oneOf"]
    at_pin = sorted(ref["$ref"].split("/")[2] for ref in refs)
    assert sorted(EVENT_TABLES) == at_pin


@pytest.mark.parametrize("event_type", sorted(EVENT_TABLES))
def test_event_table_matches_schema(event_type: str, tables: dict[str, list[list[Row]]]) -> None:
    schema, path = event_schema(event_type)
    expected = schema_rows(schema["properties"]["event_params"], path)
    written = spec_rows(tables, EVENT_TABLES[event_type])
    sections = ", ".join(f"§{s}" for s, _ in EVENT_TABLES[event_type])
    assert [r.name for r in written] == [r.name for r in expected], (
        f"spec/wire-format.md {sections}: keys or their order differ from {path.name}"
    )
    assert written == expected, f"spec/wire-format.md {sections} vs the {event_type} schema"


@pytest.mark.parametrize("name", sorted(COMMON_TABLES))
def test_shared_object_table_matches_schema(name: str, tables: dict[str, list[list[Row]]]) -> None:
    path = SCHEMAS / "common" / name / "1-0-0.json"
    expected = schema_rows(json.loads(path.read_text(encoding="utf-8")), path)
    assert spec_rows(tables, [COMMON_TABLES[name]]) == expected


def test_envelope_table_lists_every_event_in_batch_order() -> None:
    markdown = WIRE.read_text(encoding="utf-8")
    section = markdown.split("### 1.0 ", 1)[1].split("\n### ", 1)[0]
    rows = [cells(line) for line in section.splitlines() if line.startswith("| `")]
    batch = json.loads((SCHEMAS / "batch" / "1-0-0.json").read_text(encoding="utf-8"))
    order = [m["$ref"].split("/")[2] for m in batch["properties"]["events"]["items"]["oneOf"]]
    assert [r[0].strip("`") for r in rows] == order
    for row in rows:
        schema, _ = event_schema(row[0].strip("`"))
        keys = [k.strip().strip("`") for k in row[1].split(",")]
        assert keys == list(schema["properties"]), row[0]


def test_table_parser_sees_a_wrong_row() -> None:
    # The comparison is only worth something if a mistake in a table shows.
    good = "### 9.9 Sample\n\n| # | field | type | null | meaning |\n|---|---|---|---|---|\n"
    parsed = field_tables(good + "| 1 | `a` | integer (u64) | yes | |\n")
    assert parsed["9.9"] == [[Row(1, "a", frozenset({"integer (u64)"}), True)]]
    wrong = field_tables(good + "| 1 | `a` | integer (i64) | no | |\n")
    assert wrong["9.9"] != parsed["9.9"]
    node = {"type": ["integer", "null"], "minimum": 0, "maximum": 2**64 - 1}
    assert schema_rows({"properties": {"a": node}}, WIRE) == parsed["9.9"][0]
