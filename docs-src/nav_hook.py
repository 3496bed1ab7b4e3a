"""MkDocs hook: the site navigation, built from docs-src/catalog.yaml.

The catalog is the one place that groups the events (and facts); this hook turns that grouping
into the navigation, so mkdocs.yml does not repeat it. Pages the catalog does not list still get
a place ("Other events" / "Other facts"), and `mkdocs build --strict` fails on any page left out.
The pages of the specification (spec/, copied by the generator) form the last section.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

CATALOG = Path(__file__).resolve().parent / "catalog.yaml"
GUIDE = (
    ("Event catalog", "catalog.md"),
    ("The reducer", "reducer.md"),
    ("Two views of an event", "two-views.md"),
    ("Consuming the package", "consuming.md"),
    ("Changing a schema", "changing-a-schema.md"),
    ("Gate rules", "gate-rules.md"),
    ("Changelog", "changelog.md"),
)


def _section(
    kind: str, groups: list[tuple[str, list[str]]], present: list[str], other: str
) -> list[dict[str, Any]]:
    listed: set[str] = set()
    out: list[dict[str, Any]] = []
    for title, names in groups:
        pages = [{name: f"{kind}/{name}.md"} for name in names if name in present]
        listed.update(names)
        if pages:
            out.append({title: pages})
    rest = [{name: f"{kind}/{name}.md"} for name in present if name not in listed]
    if rest:
        out.append({other: rest})
    return out


def navigation(docs_dir: Path, catalog: dict[str, Any]) -> list[Any]:
    events = sorted(p.stem for p in (docs_dir / "events").glob("*.md"))
    facts = sorted(p.stem for p in (docs_dir / "facts").glob("*.md"))
    event_groups = [
        (str(g["title"]), [str(e["event"]) for e in g.get("events", [])])
        for g in catalog.get("groups", [])
    ]
    fact_groups = [
        (str(g["title"]), [str(f) for f in g.get("facts", [])])
        for g in catalog.get("fact_groups", [])
    ]
    return [
        {"Home": "index.md"},
        {"Guide": [{t: p} for t, p in GUIDE if (docs_dir / p).exists()]},
        {"Events": _section("events", event_groups, events, "Other events")},
        {"Facts": _section("facts", fact_groups, facts, "Other facts")},
        {"Specification": specification(docs_dir)},
    ]


def specification(docs_dir: Path) -> list[dict[str, str]]:
    """The pages of spec/ (copied by the generator): the index first, then in the order the
    index lists them, each titled by its first heading."""
    folder = docs_dir / "spec"
    pages = sorted(p.name for p in folder.glob("*.md")) if folder.is_dir() else []
    index = (folder / "README.md").read_text(encoding="utf-8") if "README.md" in pages else ""
    listed = [n for n in re.findall(r"\]\(([\w-]+\.md)\)", index) if n in pages]
    order = ["README.md", *dict.fromkeys(listed)]
    order += [n for n in pages if n not in order]
    return [{_title(folder / n): f"spec/{n}"} for n in order if n in pages]


def _title(page: Path) -> str:
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.stem


def on_config(config: Any, **_: Any) -> Any:
    catalog = yaml.safe_load(CATALOG.read_text(encoding="utf-8")) or {}
    config["nav"] = navigation(Path(config["docs_dir"]), catalog)
    return config
