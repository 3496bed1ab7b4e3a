"""The rule registry is the single source; the docs table and the code agree."""

from __future__ import annotations

import re
from pathlib import Path

from generator.gate.rules import (
    BEGIN_MARK,
    DOCS_PAGE,
    RULES,
    Category,
    category_for,
    render_rules_markdown,
    splice_rules,
)

GATE = Path(__file__).resolve().parents[2] / "generator" / "gate"


def test_docs_page_matches_registry() -> None:
    page = DOCS_PAGE.read_text(encoding="utf-8")
    assert page.startswith("# Changing a schema")
    assert page == splice_rules(page), (
        "docs-src/changing-a-schema.md is out of date: run python -m generator.gate.rules --write"
    )


def test_every_rule_is_in_the_table_once() -> None:
    table = render_rules_markdown()
    for rule_id in RULES:
        assert len(re.findall(rf"^\| {rule_id} \|", table, re.M)) == 1, rule_id
    assert BEGIN_MARK in DOCS_PAGE.read_text(encoding="utf-8")


def test_rule_ids_are_stable_and_well_formed() -> None:
    for rule_id, rule in RULES.items():
        assert re.fullmatch(r"C[ALIVG]\d{3}", rule_id)
        assert rule.title and rule.why and rule.example
        if rule.kind == "compat":
            assert rule.category is not None and rule.category is not Category.NONE
        else:
            assert rule.category is None


def test_every_rule_used_in_code_is_registered() -> None:
    used: set[str] = set()
    for path in GATE.glob("*.py"):
        if path.name != "rules.py":
            used |= set(re.findall(r'"(C[ALIVG]\d{3})"', path.read_text(encoding="utf-8")))
    assert used <= set(RULES)
    assert set(RULES) <= used | {r for r in RULES if r.startswith("CL")}


def test_absent_downgrade() -> None:
    assert category_for("CA006", present=True) is Category.MODEL
    assert category_for("CA006", present=False) is Category.REVISION
    assert category_for("CA001", present=False) is Category.ADDITION
