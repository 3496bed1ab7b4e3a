"""The site builds with `mkdocs build --strict`, has every page, and fails on a broken link."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.schema_store import load_store
from tests.docs.conftest import DOCS, ROOT, build_site

# The guide: every page at the top of the site (hand-written in docs-src/ or rendered).
GUIDE = sorted(p.stem for p in DOCS.glob("*.md") if p.stem != "index")


def test_every_event_and_fact_has_a_page(site: Path) -> None:
    store = load_store()
    for kind in ("events", "facts"):
        for item in store.latest(kind):
            page = site / kind / item.name / "index.html"
            assert page.is_file(), page
            assert (DOCS / kind / f"{item.name}.md").is_file()
    for name in GUIDE:
        assert (site / name / "index.html").is_file(), name
    assert (site / "search" / "search_index.json").is_file()


def test_every_page_is_in_the_navigation(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    for kind in ("events", "facts"):
        for md in sorted((DOCS / kind).glob("*.md")):
            assert f'href="{kind}/{md.stem}/"' in home, f"{kind}/{md.stem} is not in the nav"


def test_a_broken_link_fails_the_strict_build(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    (copy / "generated").mkdir(parents=True)
    shutil.copytree(DOCS, copy / "generated" / "docs")
    shutil.copytree(ROOT / "docs-src", copy / "docs-src")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    page = copy / "generated" / "docs" / "reducer.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n[gone](events/no_such_event.md)\n", encoding="utf-8"
    )
    proc = build_site(tmp_path / "site", cwd=copy)
    assert proc.returncode != 0
    assert "no_such_event.md" in proc.stdout + proc.stderr


def _list_starts(markdown: str) -> int:
    """Numbered lists in a page's Markdown: lines `1. ...` outside fenced code blocks."""
    count, fenced = 0, False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("1. "):
            count += 1
    return count


def test_numbered_steps_stay_one_list(site: Path) -> None:
    """A code block or table inside a step must not restart the numbering (4-space indent)."""
    for md in sorted(DOCS.glob("*.md")):
        html = (site / ("" if md.stem == "index" else md.stem) / "index.html").read_text("utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        assert article.count("<ol>") == _list_starts(md.read_text(encoding="utf-8")), md.name
    steps = (site / "changing-a-schema" / "index.html").read_text(encoding="utf-8")
    start = steps.index("<ol>")
    assert steps[start : steps.index("</ol>", start)].count("<li>") == 4
