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
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](events/no_such_event.md)\n",
                    encoding="utf-8")
    proc = build_site(tmp_path / "site", cwd=copy)
    assert proc.returncode != 0
    assert "no_such_event.md" in proc.stdout + proc.stderr
