"""Where things live in the repository (one place for every path the generator uses)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
TEMPLATES = ROOT / "templates"
STATIC = TEMPLATES / "static"
GENERATED = ROOT / "generated"
GENERATED_PYTHON = GENERATED / "python"
GENERATED_DOCS = GENERATED / "docs"
PACKAGE = "codex_analytics_contract"
EXAMPLES = ROOT / "tests" / "examples"

# Every schema's $id is this base plus its path below schemas/. The host is under the reserved
# `.invalid` TLD: it never resolves, and the loader refuses every URI outside it.
ID_BASE = "https://schemas.codex-analytics.invalid/"

# The command that regenerates generated/: named in every generated file's header.
REGENERATE_COMMAND = "make generate"
