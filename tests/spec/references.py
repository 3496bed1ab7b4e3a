"""The reference checker: every citation in the repository points at something that exists.

The specification lives in `spec/` (its citation rules are in spec/README.md, section 3). This
module scans every file git tracks and reports, as `path:line: message`:

* a reference to a file outside the repository (the shared source folder, an absolute
  `/work` path, the design note or the upstream-change map by their old names, or a spec page
  named without its `spec/` folder);
* `spec/<name>.md` for a page that does not exist;
* a `§N.N` citation of a section the cited page does not have, and a `§` citation that names
  no page at all (outside spec/, where a bare `§` means the page it is written in);
* `spec/<name>.md#anchor` (or a relative link between spec pages) to an anchor the page does
  not have;
* a relative Markdown link to a `.md` file that does not exist, and a repository path such as
  `schemas/facts/README.md` that names a missing file;
* in the spec pages themselves: numbered headings whose number repeats, or whose anchor would
  differ between GitHub and the docs site (Python-Markdown's toc slugs).

Run `python -m tests.spec.references` for the list; `tests/spec/test_references.py` fails on it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown.extensions.toc import slugify as site_slugify

ROOT = Path(__file__).resolve().parents[2]
SPEC = "spec"
# Folders whose Markdown pages are spec pages (the site copy has the same text and anchors).
SPEC_DIRS = (SPEC, "generated/docs/spec")
# Hand-written docs pages are checked where the site puts them.
DOCS_SRC, SITE_DOCS = "docs-src", "generated/docs"
# This checker and its test hold the forbidden patterns and bad samples on purpose.
EXEMPT = frozenset({"tests/spec/references.py", "tests/spec/test_references.py"})

# (a literal every match contains, the pattern, the message); the literal skips most files fast.
OUTSIDE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("../shared", re.compile(r"\.\./shared\b"), "points outside the repository (../shared)"),
    (
        "/work/",
        re.compile(r"(?<![\w.-])/work/"),
        "an absolute path outside the repository (/work/...)",
    ),
    ("DESIGN.md", re.compile(r"\bDESIGN\.md\b"), "cites DESIGN.md, which is not in the repository"),
    (
        "upstream-changes.md",
        re.compile(r"\bupstream-changes\.md\b"),
        "cites upstream-changes.md, which is not in the repository",
    ),
    (
        "wire-format.md",
        re.compile(r"(?<!spec/)(?<![\w.-])wire-format\.md\b"),
        "names wire-format.md without its folder: cite spec/wire-format.md",
    ),
    (
        ".md",
        re.compile(r"(?<!spec/)(?<![\w-])([\w-]+)\.md`?\s*(?:§|sections?\s+\d|\d+\.\d)"),
        "cites a section of a page without its folder: cite spec/<page>.md §N",
    ),
)
SPEC_FILE = re.compile(r"(?<![\w.-])spec/([\w-]+\.md)(?:#([\w-]+))?")
SECTION = re.compile(r"§\s?(\d+(?:\.\d+)*)")
# What may stand between a page and its sections in one citation ("§2.6-§2.8, §3.5 and §4").
RUN_GAP = re.compile(r"[`\s]*(?:(?:,|;|/|-|\u2013|\u2014|and|or|to)[`\s]*)?$")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?[ \t]")
EXPLICIT_ANCHOR = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
REPO_MD_PATH = re.compile(r"(?<![\w./<{-])((?:[\w.-]+/)+[\w.-]+\.md)\b(?!\.j2)")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Page:
    """A Markdown page's numbered sections and anchors."""

    sections: frozenset[str]
    anchors: frozenset[str]


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lowercase, punctuation dropped, spaces to '-'."""
    text = re.sub(r"`|\*\*|__|<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def headings(text: str) -> Iterator[tuple[int, str]]:
    """(line number, heading text) of every ATX heading outside fenced code."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and (match := HEADING.match(line)):
            yield number, match.group(2)


def parse_page(text: str) -> Page:
    sections: set[str] = set()
    anchors: set[str] = set(EXPLICIT_ANCHOR.findall(text))
    for _, title in headings(text):
        anchors.add(github_slug(title))
        if match := NUMBERED.match(title):
            sections.add(match.group(1))
    return Page(frozenset(sections), frozenset(anchors))


@cache
def load_page(path: Path) -> Page | None:
    if not path.is_file():
        return None
    return parse_page(path.read_text(encoding="utf-8"))


def is_spec_page(rel: str) -> bool:
    return rel.endswith(".md") and rel.rsplit("/", 1)[0] in SPEC_DIRS


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each block of lines between blank lines."""
    for match in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text):
        yield match.start(), match.group(0)


class Checker:
    """Collects the problems of one file at a time (see the module docstring)."""

    def __init__(self, root: Path = ROOT) -> None:
        self.root = root

    def check_text(self, rel: str, text: str) -> list[Problem]:
        problems: list[Problem] = []
        spec_page = is_spec_page(rel)
        scan = self._without_own_links(text) if spec_page else text
        for needle, pattern, message in OUTSIDE:
            if needle not in scan:
                continue
            for match in pattern.finditer(scan):
                problems.append(Problem(rel, line_of(text, match.start()), message))
        problems += self._spec_files(rel, text)
        problems += self._sections(rel, text, spec_page)
        if rel.endswith(".md"):
            problems += self._links(rel, text)
        problems += self._repo_paths(rel, text)
        if spec_page:
            problems += self._headings(rel, text)
        return sorted(set(problems), key=lambda p: (p.line, p.message))

    # -- rules ------------------------------------------------------------------------------

    def _spec_files(self, rel: str, text: str) -> Iterator[Problem]:
        if "spec/" not in text:
            return
        for match in SPEC_FILE.finditer(text):
            name, anchor = match.group(1), match.group(2)
            page = self._page(self.root / SPEC / name)
            line = line_of(text, match.start())
            if page is None:
                yield Problem(rel, line, f"spec/{name} does not exist")
            elif anchor is not None and anchor not in page.anchors:
                yield Problem(rel, line, f"spec/{name} has no anchor #{anchor}")

    def _sections(self, rel: str, text: str, spec_page: bool) -> Iterator[Problem]:
        if "§" not in text:
            return
        own = rel.rsplit("/", 1)[-1] if spec_page else None
        for start, block in paragraphs(text):
            files = [(m.end(), m.group(1)) for m in SPEC_FILE.finditer(block)]
            run_end = -1
            run_file: str | None = None
            for match in SECTION.finditer(block):
                before = [(end, name) for end, name in files if end <= match.start()]
                target: str | None
                if before and RUN_GAP.match(block[before[-1][0] : match.start()]):
                    target, run_end = before[-1][1], match.end()
                    run_file = target
                elif run_file is not None and RUN_GAP.match(block[run_end : match.start()]):
                    target, run_end = run_file, match.end()
                elif spec_page:
                    target, run_file = own, None
                else:
                    target = before[-1][1] if before else None
                    run_file = None
                line = line_of(text, start + match.start())
                if target is None:
                    yield Problem(
                        rel, line, f"§{match.group(1)} names no spec page: write spec/<page>.md §N"
                    )
                    continue
                page = self._page(self.root / SPEC / target)
                if page is not None and match.group(1) not in page.sections:
                    yield Problem(rel, line, f"spec/{target} has no section §{match.group(1)}")

    def _links(self, rel: str, text: str) -> Iterator[Problem]:
        base = self._link_base(rel)
        for match in MD_LINK.finditer(text):
            target = match.group(1)
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
                continue
            path_part, _, anchor = target.partition("#")
            if path_part and not path_part.endswith(".md"):
                continue
            file = (base / path_part).resolve() if path_part else self.root / rel
            line = line_of(text, match.start())
            if path_part and not file.is_file():
                yield Problem(rel, line, f"link to {path_part}, which does not exist")
                continue
            spec_target = is_spec_page(self._rel(file))
            if anchor and (spec_target or (not path_part and is_spec_page(rel))):
                page = self._page(file)
                if page is not None and anchor not in page.anchors:
                    yield Problem(rel, line, f"{self._rel(file)} has no anchor #{anchor}")

    def _repo_paths(self, rel: str, text: str) -> Iterator[Problem]:
        if ".md" not in text:
            return
        base = self._link_base(rel)
        for match in REPO_MD_PATH.finditer(text):
            path = match.group(1)
            if path.startswith(SPEC + "/"):
                continue  # checked by _spec_files
            candidates = (self.root / path, base / path)
            if not any(c.is_file() for c in candidates) and self._looks_like_repo_path(path):
                yield Problem(rel, line_of(text, match.start()), f"{path} does not exist")

    def _headings(self, rel: str, text: str) -> Iterator[Problem]:
        seen: dict[str, int] = {}
        for line, title in headings(text):
            if match := NUMBERED.match(title):
                number = match.group(1)
                if number in seen:
                    yield Problem(rel, line, f"section {number} repeats (line {seen[number]})")
                seen.setdefault(number, line)
            plain = re.sub(r"`|\*\*|__", "", title)
            if github_slug(title) != site_slugify(plain, "-"):
                yield Problem(
                    rel,
                    line,
                    f"heading {title!r} gets anchor #{github_slug(title)} on GitHub but "
                    f"#{site_slugify(plain, '-')} on the site: reword it",
                )

    # -- helpers ----------------------------------------------------------------------------

    def _page(self, path: Path) -> Page | None:
        return load_page(path.resolve())

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def _link_base(self, rel: str) -> Path:
        parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
        if parent == DOCS_SRC:
            parent = SITE_DOCS
        return self.root / parent

    def _looks_like_repo_path(self, path: str) -> bool:
        """A path from the repository root: its first folder is a top-level folder (or
        `notes/`, which the specification replaced). Paths below `generated/` are outputs
        (the drift check and the strict site build vouch for them; tests make up others)."""
        first = path.split("/", 1)[0]
        if first in {".", "..", "generated"}:
            return False
        return first == "notes" or (self.root / first).is_dir()

    @staticmethod
    def _without_own_links(text: str) -> str:
        """A spec page links its sibling pages relatively (`](reducer.md#...)`): blank those
        link targets out (same length) so the folder rule does not see them."""
        return MD_LINK.sub(lambda m: "](" + " " * len(m.group(1)) + ")", text)


def tracked_files(root: Path = ROOT) -> list[str]:
    """Every file git tracks below root (the working tree's view, deleted files left out)."""
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
    ).stdout.decode()
    return sorted(p for p in out.split("\0") if p and (root / p).is_file())


def read_text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def check_repository(root: Path = ROOT, files: Iterable[str] | None = None) -> list[Problem]:
    checker = Checker(root)
    problems: list[Problem] = []
    for rel in tracked_files(root) if files is None else files:
        if rel in EXEMPT:
            continue
        text = read_text(root / rel)
        if text is not None:
            problems += checker.check_text(rel, text)
    return problems


def main() -> int:
    problems = check_repository()
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
