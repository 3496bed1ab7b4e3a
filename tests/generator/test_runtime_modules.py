"""The docs generator reads golden log lines and normalizes examples with the package's own
code (`runtime_module`), without importing the package it generates (whose `__init__` needs the
`_generated/` subpackage that the same run writes)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from codex_analytics_contract.logline import parse_log_line
from generator.docs import GOLDEN_LOG_LINES, golden_lines
from generator.errors import GeneratorError
from generator.paths import ROOT

SCRIPT = """
import sys
from generator.docs import docs_context
from generator.generate import build_context
from generator.schema_store import load_store

store = load_store()
context, _ = build_context(store)
docs = docs_context(store, context["events"], context["facts"])
assert any(e is not None and e.golden for e in docs.examples.values())
print(sorted(m for m in sys.modules if m.startswith("codex_analytics_contract")))
"""


def test_docs_context_does_not_import_the_package() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


def test_golden_lines_are_read_by_the_package_parser() -> None:
    found = golden_lines()
    lines = GOLDEN_LOG_LINES.read_text(encoding="utf-8").splitlines()
    assert sum(len(v) for v in found.values()) == len(lines)
    for event_type, entries in found.items():
        for line, params, form in entries:
            logged = parse_log_line(line)
            assert (logged.event_type, logged.params, logged.form) == (event_type, params, form)


def test_an_unreadable_golden_line_names_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "log_lines.txt"
    good = GOLDEN_LOG_LINES.read_text(encoding="utf-8").splitlines()[0]
    bad.write_text(f"{good}\n| Tracked nothing useful\n", encoding="utf-8")
    with pytest.raises(GeneratorError, match=rf"^{re.escape(str(bad))}:2: \$: expected 'Tracked"):
        golden_lines(bad)
