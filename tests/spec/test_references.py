"""Every reference in the repository resolves: into spec/, to a page, a section and an anchor
that exist (the rules: spec/README.md §3 and §4). The checker itself is tested on bad samples,
so a green run means something."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.spec.references import ROOT, Checker, check_repository, github_slug

SPEC_PAGE = """# Sample

## 2. Facts

### 2.1 Initialize

Bare sections here are this page's: §2.1 exists, §7 does not.
Another page is named: spec/other.md §1 exists, spec/other.md §2 does not.
"""
OTHER_PAGE = "# Other\n\n## 1. Only\n"


@pytest.fixture
def sample_root(tmp_path: Path) -> Path:
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "reducer.md").write_text(SPEC_PAGE, encoding="utf-8")
    (spec / "other.md").write_text(OTHER_PAGE, encoding="utf-8")
    (tmp_path / "schemas").mkdir()
    return tmp_path


def messages(root: Path, rel: str, text: str) -> list[str]:
    return [f"{p.line}: {p.message}" for p in Checker(root).check_text(rel, text)]


def test_the_repository_has_no_broken_reference() -> None:
    problems = check_repository()
    assert not problems, "broken references:\n" + "\n".join(map(str, problems))


def test_the_specification_pages_are_all_checked() -> None:
    # The scan covers what git tracks; the spec pages must be among them.
    from tests.spec.references import tracked_files

    tracked = set(tracked_files())
    pages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "spec").glob("*.md")}
    assert pages and pages <= tracked


def test_a_good_citation_passes(sample_root: Path) -> None:
    text = "See spec/reducer.md §2.1 and §2, and spec/reducer.md#21-initialize.\n"
    assert messages(sample_root, "python/module.py", text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (spelt in pieces so that this file itself names no path outside the repository)
        ("read ../" + "shared/spec/reducer.md", "points outside the repository"),
        (
            "source: /" + "work/elsewhere/notes.md",
            "an absolute path outside the repository",
        ),
        ("see DESIGN.md, section Versions", "cites DESIGN.md"),
        ("see upstream-changes.md", "cites upstream-changes.md"),
        ("the rules of reducer.md §2.1", "cites a section of a page without its folder"),
        ("the rules of reducer.md section 2", "cites a section of a page without its folder"),
        ("as reducer.md 2.1 says", "cites a section of a page without its folder"),
        ("key order: wire-format.md", "names wire-format.md without its folder"),
        ("see spec/missing.md", "spec/missing.md does not exist"),
        ("see spec/reducer.md §9.9", "spec/reducer.md has no section §9.9"),
        ("see spec/reducer.md §2.1, §2.1.4", "spec/reducer.md has no section §2.1.4"),
        ("see spec/reducer.md §2.1 and then\nthe rule of §3", "spec/reducer.md has no section §3"),
        ("wire spec §2.2", "§2.2 names no spec page"),
        ("see spec/reducer.md#no-such-heading", "spec/reducer.md has no anchor #no-such-heading"),
        ("the shapes of notes/FACTS.md", "notes/FACTS.md does not exist"),
    ],
)
def test_a_bad_reference_fails(sample_root: Path, text: str, expected: str) -> None:
    found = messages(sample_root, "python/module.py", text)
    assert any(expected in m for m in found), found


def test_a_section_of_another_paragraph_needs_its_page(sample_root: Path) -> None:
    text = "See spec/reducer.md §2.1.\n\nA new paragraph cites §2.1 alone.\n"
    assert messages(sample_root, "tests/test_x.py", text) == [
        "3: §2.1 names no spec page: write spec/<page>.md §N"
    ]


def test_inside_a_spec_page_bare_sections_are_its_own(sample_root: Path) -> None:
    found = messages(sample_root, "spec/reducer.md", SPEC_PAGE)
    assert found == ["7: spec/reducer.md has no section §7", "8: spec/other.md has no section §2"]


def test_links_between_spec_pages_are_resolved(sample_root: Path) -> None:
    page = SPEC_PAGE + "\n[ok](other.md#1-only) [bad](other.md#2-none) [gone](gone.md)\n"
    found = messages(sample_root, "spec/reducer.md", page)
    assert "10: spec/other.md has no anchor #2-none" in found
    assert "10: link to gone.md, which does not exist" in found
    assert not any("#1-only" in m for m in found)
    # A relative link to a sibling page is not "a page named without its folder".
    assert not any("without its folder" in m for m in found)


def test_spec_headings_are_unique_and_anchor_alike_everywhere(sample_root: Path) -> None:
    page = "# P\n\n## 1. One\n\n## 1. Again\n\n### 1.1 Parse - then check\n"
    found = messages(sample_root, "spec/reducer.md", page)
    assert "5: section 1 repeats (line 3)" in found
    assert any(m.startswith("7: heading") and "on the site" in m for m in found)


def test_real_spec_sections_are_checked() -> None:
    checker = Checker(ROOT)
    assert checker.check_text("x.py", "spec/reducer.md §5.3, spec/wire-format.md §1.10.7") == []
    bad = checker.check_text("x.py", "spec/reducer.md §5.9")
    assert [p.message for p in bad] == ["spec/reducer.md has no section §5.9"]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("5.3 Normalization", "53-normalization"),
        ("1.4.1 `reviewed_action` (Tagged)", "141-reviewed_action-tagged"),
        ("2.9 Turn event emission", "29-turn-event-emission"),
    ],
)
def test_github_slug(heading: str, anchor: str) -> None:
    assert github_slug(heading) == anchor
