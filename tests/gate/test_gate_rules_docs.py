"""The rule registry is the single source; the generated rules page and the code agree."""

from __future__ import annotations

import re
from pathlib import Path

from generator.gate.rules import RULES, Category, category_for, rule_tables
from generator.generate import render_all
from generator.render import md_cell

ROOT = Path(__file__).resolve().parents[2]
GATE = ROOT / "generator" / "gate"
PAGE = "generated/docs/gate-rules.md"  # the drift test keeps the committed copy the same


def test_rules_page_is_generated_from_the_registry_with_every_rule_once() -> None:
    page = render_all()[PAGE].decode()
    for rule_id, rule in RULES.items():
        rows = re.findall(rf"^\| {rule_id} \|.*$", page, re.M)
        assert len(rows) == 1, rule_id
        assert f"| {md_cell(rule.title)} |" in rows[0] and md_cell(rule.why) in rows[0]
    for table in rule_tables():
        assert f"### {table.heading}" in page
        assert f"| {' | '.join(table.columns)} |" in page


def test_the_guide_links_the_rules_page() -> None:
    guide = (ROOT / "generated/docs/changing-a-schema.md").read_text(encoding="utf-8")
    assert "](gate-rules.md)" in guide


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
