"""`codex-contract diff OLD NEW`: classify the differences between two schema files.

OLD and NEW are any two JSON Schema files (two versions of one schema, usually). `$ref`s
between contract files resolve offline below schemas/; a file's local `#/...` references
resolve in the file itself whatever its `$id` says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from generator.gate.compare import Difference, compare_schemas, required_bump
from generator.gate.resolve import Loc, Resolver, dir_fetch, doc_base, id_for, rel_for
from generator.schema_store import SchemaStoreError, parse_json, read_bytes


class DiffUsageError(Exception):
    pass


def find_schemas_root(path: Path) -> Path:
    """The schemas/ directory refs resolve against: the nearest `schemas` ancestor of
    ``path``, else ./schemas, else the repository's schemas/."""
    for parent in path.resolve().parents:
        if parent.name == "schemas":
            return parent
    cwd = Path.cwd() / "schemas"
    if cwd.is_dir():
        return cwd
    return Path(__file__).resolve().parents[2] / "schemas"


def _load(path: Path, schemas: Path) -> tuple[Any, str]:
    """The document in ``path`` and the base URI its `$ref`s resolve against.

    The base is the file's `$id` when that is a contract URI (below the project's base), else
    the URI of the file's place below ``schemas`` (or a local one): any other `$id` (a URN, a
    foreign host, none at all) must not stop its local `#/...` references from resolving.
    """
    try:
        doc = parse_json(read_bytes(path), str(path))
    except SchemaStoreError as exc:
        raise DiffUsageError(str(exc)) from None
    try:
        fallback = id_for(path.resolve().relative_to(schemas.resolve()).as_posix())
    except ValueError:
        fallback = id_for(f"_local/{path.name}")
    declared = doc_base(doc, fallback)
    return doc, declared if rel_for(declared) is not None else fallback


def diff_files(old: Path, new: Path, schemas: Path | None = None) -> list[Difference]:
    """Classified differences between two schema files; refs resolve below ``schemas``."""
    root = schemas or find_schemas_root(new)
    old_doc, old_base = _load(old, root)
    new_doc, new_base = _load(new, root)
    old_res = Resolver(dir_fetch(root))
    old_res.register(old_base, old_doc)
    new_res = Resolver(dir_fetch(root))
    new_res.register(new_base, new_doc)
    return compare_schemas(Loc(old_doc, old_base), Loc(new_doc, new_base), old_res, new_res)


def render_diff(diffs: list[Difference], fmt: str) -> str:
    bump = required_bump(diffs)
    if fmt == "json":
        lines = [json.dumps(d.as_json(), ensure_ascii=False) for d in diffs]
        lines.append(json.dumps({"required_bump": bump.name}))
        return "\n".join(lines) + "\n"
    if not diffs:
        return "No differences.\nRequired bump: NONE\n"
    out = [f"{d.rule} [{d.category.name}] {d.path}: {d.message}" for d in diffs]
    out.append(f"Required bump: {bump.name}")
    return "\n".join(out) + "\n"


def run_diff(old: str, new: str, fmt: str = "text", schemas: str | None = None) -> int:
    """Print the classified differences. 0: compared (whatever the result), 2: usage error."""
    if fmt not in ("text", "json"):
        print(f"codex-contract diff: unknown format {fmt!r}", file=sys.stderr)
        return 2
    try:
        diffs = diff_files(Path(old), Path(new), Path(schemas) if schemas else None)
    except DiffUsageError as exc:
        print(f"codex-contract diff: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render_diff(diffs, fmt))
    return 0
