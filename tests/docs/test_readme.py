"""The README's "Where each change is made" table names places that exist: every path it shows
is in the repository (a `<placeholder>` stands for any name below the folder before it)."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import ROOT


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### Where each change is made")
    return text[start : text.index("\n## ", start)]


def test_where_each_change_is_made_names_existing_places() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    names = {path.rsplit("/", 1)[-1] for path in tracked}
    spans = re.findall(r"`([^`]+)`", _section())
    paths = [s for s in spans if re.fullmatch(r"[\w./<>-]+", s) and ("/" in s or "." in s)]
    assert len(paths) > 10
    for path in paths:
        if "/" not in path:  # a file named in its folder's row, e.g. `turns.py`
            assert path in names or path.startswith("<"), path
            continue
        concrete = path.split("<", 1)[0].rstrip("/") or "."
        assert (ROOT / concrete).exists(), path
    rows = [line.split("|")[1].strip() for line in _section().splitlines() if line.startswith("| ")]
    for change in (
        "a field or an event",
        "a reducer rule",
        "a gate rule",
        "a hand-written docs page",
    ):
        assert change in rows, change
