"""docs-src/catalog.yaml: every event type once, every named fact real, answers that hold."""

from __future__ import annotations

import re
from collections import Counter

import yaml

from codex_analytics_contract import EVENT_TYPES, FACT_KINDS
from generator.docs import CATALOG, load_catalog
from generator.generate import build_context
from generator.ir import FieldSpec
from generator.schema_store import load_store

GROUPS = (
    "Threads and turns",
    "Tools",
    "Reviews",
    "Compaction",
    "Plugins and apps",
    "Code attribution",
)


def _event_names() -> set[str]:
    return {item.name for item in load_store().latest("events")}


def _fact_names() -> set[str]:
    return {item.name for item in load_store().latest("facts")}


def test_every_event_type_is_in_the_catalog_exactly_once() -> None:
    raw = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    listed = Counter(e["event"] for g in raw["groups"] for e in g["events"])
    twice = sorted(name for name, n in listed.items() if n > 1)
    assert not twice, f"listed more than once: {twice}"
    assert set(listed) == _event_names(), (
        f"missing: {sorted(_event_names() - set(listed))}, "
        f"unknown: {sorted(set(listed) - _event_names())}"
    )
    assert set(listed) == set(EVENT_TYPES)


def test_groups_are_the_agreed_ones_in_order() -> None:
    assert tuple(g.title for g in load_catalog().groups) == GROUPS


def test_every_entry_has_a_meaning_and_a_producer() -> None:
    for entry in load_catalog().entries().values():
        assert entry.meaning and "\n" not in entry.meaning, entry.event
        assert entry.triggers, f"{entry.event}: no fact produces it"


def test_every_named_fact_exists_and_each_fact_is_grouped_once() -> None:
    catalog = load_catalog()
    facts = _fact_names()
    assert facts == set(FACT_KINDS)
    for entry in catalog.entries().values():
        for producer in (*entry.triggers, *entry.context):
            assert producer.fact in facts, f"{entry.event}: unknown fact {producer.fact}"
    grouped = Counter(f for g in catalog.fact_groups for f in g.facts)
    assert set(grouped) == facts and max(grouped.values()) == 1


def _paths(fields: tuple[FieldSpec, ...], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for f in fields:
        out.add(prefix + f.name)
        out |= _paths(f.children, f"{prefix}{f.name}.")
    return out


def test_fields_named_in_answers_exist_in_the_event() -> None:
    context, _ = build_context(load_store())
    events = {spec.name: spec for spec in context["events"]}
    for entry in load_catalog().entries().values():
        paths = _paths(events[entry.event].params)
        for field in re.findall(r"`([a-z_.]+)`", entry.answers):
            assert field in paths, f"{entry.event}: the answer names {field}, not a field"


def test_turn_duration_and_failure_question_points_at_the_turn_event() -> None:
    entries = load_catalog().entries()
    turn = entries["codex_turn_event"]
    assert "how long do turns take" in turn.answers.lower()
    assert "`duration_ms`" in turn.answers and "`status`" in turn.answers
    others = [e.event for e in entries.values() if "how long do turns take" in e.answers.lower()]
    assert others == ["codex_turn_event"]


def test_every_entry_answers_a_question_naming_its_fields() -> None:
    for entry in load_catalog().entries().values():
        assert entry.answers.strip().endswith(")"), f"{entry.event}: no question it answers"
        assert "?" in entry.answers and re.search(r"`[a-z_.]+`", entry.answers), entry.event
