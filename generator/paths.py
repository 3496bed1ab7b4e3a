"""Where things live in the repository (one place for every path the generator uses)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
TEMPLATES = ROOT / "templates"
EXAMPLES = ROOT / "examples"
SPEC = ROOT / "spec"
DOCS_SRC = ROOT / "docs-src"
PACKAGE = "codex_analytics_contract"
# The package project: hand-written runtime in python/src/<PACKAGE>/, generated modules in its
# _generated/ subpackage (nothing else lives there).
PACKAGE_PROJECT = ROOT / "python"
PACKAGE_SRC = PACKAGE_PROJECT / "src" / PACKAGE
GENERATED = ROOT / "generated"
GENERATED_DOCS = GENERATED / "docs"
GENERATED_PACKAGE = PACKAGE_SRC / "_generated"

# Every folder the generator writes into, relative to ROOT. Each holds generated files only,
# and the drift check covers exactly these.
OUTPUT_ROOTS: tuple[str, ...] = (
    GENERATED.relative_to(ROOT).as_posix(),
    GENERATED_PACKAGE.relative_to(ROOT).as_posix(),
)

# A version's declared upgrade migrations live beside it: schemas/events/<type>/<version> + this.
MIGRATION_SUFFIX = ".migration.json"

# Every schema's $id is this base plus its path below schemas/. The host is under the reserved
# `.invalid` TLD: it never resolves, and the loader refuses every URI outside it.
ID_BASE = "https://schemas.codex-analytics.invalid/"

# The command that regenerates the generated folders: named in every generated file's header.
REGENERATE_COMMAND = "make generate"
