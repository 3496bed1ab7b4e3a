"""Unit tests: versions, lint rules, report escaping."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.gate.findings import Finding, Result
from generator.gate.lint import lint_schema
from generator.gate.report import render
from generator.gate.resolve import Resolver, dir_fetch
from generator.gate.rules import Category, Severity
from generator.gate.versions import SchemaVer, bump_category, previous_version

FIXTURES = Path(__file__).parent / "fixtures"
REL = "events/fixture_event/1-0-0.json"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("1-0-0", "1-0-1", Category.ADDITION),
        ("1-0-3", "1-1-0", Category.REVISION),
        ("1-2-3", "2-0-0", Category.MODEL),
        ("1-0-0", "1-0-2", None),
        ("1-0-0", "2-0-1", None),
        ("1-0-0", "1-1-1", None),
        ("1-0-1", "1-0-1", None),
        ("1-1-0", "1-0-1", None),
    ],
)
def test_bump_category(old: str, new: str, expected: Category | None) -> None:
    a, b = SchemaVer.parse(old), SchemaVer.parse(new)
    assert a is not None and b is not None
    assert bump_category(a, b) is expected


def test_parse_rejects_non_schemaver() -> None:
    for text in ("1-0", "01-0-0", "1.0.0", "v1-0-0", "1-0-0-0"):
        assert SchemaVer.parse(text) is None


def test_previous_version_orders_numerically() -> None:
    rels = [
        "events/x/1-0-9.json",
        "events/x/1-0-10.json",
        "events/x/1-1-0.json",
        "events/y/1-0-11.json",
    ]
    assert previous_version("events/x/1-1-0.json", rels) == "events/x/1-0-10.json"
    assert previous_version("events/x/1-0-9.json", rels) is None


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (FIXTURES / "CA001_property_added_optional_closed" / "old.json").read_text("utf-8")
    )
    return doc


def _lint(doc: Any, rel: str = REL) -> list[str]:
    findings, _ = lint_schema(doc, rel, Resolver(dir_fetch(FIXTURES)))
    return sorted(f.rule for f in findings)


def _params(doc: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = doc["properties"]["event_params"]
    return params


def test_clean_schema_has_no_findings() -> None:
    assert _lint(_doc()) == []


def test_cl001_metaschema_and_dialect() -> None:
    doc = _doc()
    _params(doc)["properties"]["count"]["type"] = "strin"
    del doc["$schema"]
    assert _lint(doc).count("CL001") >= 2


def test_cl002_id_matches_path() -> None:
    assert _lint(_doc(), "events/fixture_event/1-0-1.json") == ["CL002"]


def test_cl003_snake_case_with_fact_scope() -> None:
    doc = _doc()
    _params(doc)["properties"]["turnId"] = {"type": "string", "description": "x"}
    assert _lint(doc) == ["CL003"]
    fact = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://schemas.codex-analytics.invalid/facts/f/1-0-0.json",
        "type": "object",
        "additionalProperties": False,
        "description": "A fact.",
        "properties": {
            "requestId": {"type": "string", "description": "not exempt"},
            "params": {"$ref": "#/$defs/p", "description": "camelCase payload"},
        },
        "$defs": {
            "p": {
                "type": "object",
                "properties": {
                    "threadId": {"type": "string", "description": "exempt: below params"}
                },
            }
        },
    }
    findings, _ = lint_schema(fact, "facts/f/1-0-0.json", Resolver())
    assert [(f.rule, f.path) for f in findings] == [("CL003", "#/properties/requestId")]


def test_cl004_every_property_described() -> None:
    doc = _doc()
    del _params(doc)["properties"]["turn_id"]["description"]
    assert _lint(doc) == ["CL004"]


def test_cl005_event_params_closed() -> None:
    doc = _doc()
    _params(doc)["additionalProperties"] = True
    assert _lint(doc) == ["CL005"]
    doc2 = _doc()
    del doc2["properties"]["event_params"]
    doc2["required"].remove("event_params")
    assert _lint(doc2) == ["CL005"]


def test_cl006_integers_bounded() -> None:
    doc = _doc()
    del _params(doc)["properties"]["count"]["maximum"]
    assert _lint(doc) == ["CL006"]


@pytest.mark.parametrize("enum", [[], ["a", "a"], [""]])
def test_cl007_enum_values(enum: list[str]) -> None:
    doc = _doc()
    _params(doc)["properties"]["status"]["enum"] = enum
    assert "CL007" in _lint(doc)


@pytest.mark.parametrize(
    "ref", ["https://example.com/x.json", "../../common/missing/1-0-0.json", "#/$defs/missing"]
)
def test_cl008_refs(ref: str) -> None:
    doc = _doc()
    _params(doc)["properties"]["turn_id"] = {"$ref": ref, "description": "x"}
    assert "CL008" in _lint(doc)


def test_suppressions() -> None:
    doc = _doc()
    _params(doc)["properties"]["turnId"] = {"type": "string", "description": "x"}
    ok = copy.deepcopy(doc)
    ok["x-lint-ignore"] = [{"rule": "CL003", "reason": "camelCase upstream"}]
    findings, notes = lint_schema(ok, REL, Resolver())
    assert findings == [] and "CL003 suppressed" in notes[0]
    no_reason = copy.deepcopy(doc)
    no_reason["x-lint-ignore"] = [{"rule": "CL003"}]
    assert _lint(no_reason) == ["CL003", "CL009"]
    unused = _doc()
    unused["x-lint-ignore"] = [{"rule": "CL006", "reason": "r"}]
    assert _lint(unused) == ["CL010"]


def test_github_annotations_escape() -> None:
    result = Result(
        base="abc",
        base_ref="main",
        findings=[
            Finding(
                "CA006",
                Severity.ERROR,
                "schemas/a,b/1-0-1.json",
                "$.x",
                "50% done\nsecond line",
                Category.MODEL,
            )
        ],
    )
    out = render(result, "github").splitlines()[0]
    assert out.startswith("::error file=schemas/a%2Cb/1-0-1.json,title=CA006 ")
    assert "50%25 done%0Asecond line" in out


def test_locate_line(tmp_path: Path) -> None:
    from generator.gate.check import locate_line

    (tmp_path / "s.json").write_text(
        '{\n  "properties": {\n    "event_params": {\n      "properties": {\n'
        '        "turn_id": {"type": "string"}\n      }\n    }\n  }\n}\n',
        encoding="utf-8",
    )
    assert locate_line(tmp_path, "s.json", "$.event_params.turn_id") == 5
    assert locate_line(tmp_path, "s.json", "#/properties/event_params") == 3
    assert locate_line(tmp_path, "s.json", "$.missing") is None
    assert locate_line(tmp_path, "other.json", "$.x") is None
