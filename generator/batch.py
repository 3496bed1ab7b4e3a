"""The request body schema (`schemas/batch/`) accepts every version of every event.

A backend hears from clients of every release, so the newest batch version must list every
version of every event type (spec/versioning.md §6). `missing_from_batch` says which it lacks
(the gate's CL011); `codex-contract batch` writes the next batch version that lists them all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError
from generator.gate.rules import Category
from generator.gate.versions import SchemaVer
from generator.paths import ID_BASE, SCHEMAS


def _event_files(schemas: Path) -> list[str]:
    """`events/<type>/<version>.json` of every event version, newest version first per type."""
    out: list[str] = []
    for folder in sorted(p for p in (schemas / "events").iterdir() if p.is_dir()):
        found = [(SchemaVer.parse(f.stem), f.name) for f in folder.glob("*.json")]
        versions = sorted((v, name) for v, name in found if v is not None)
        out.extend(f"events/{folder.name}/{name}" for _, name in reversed(versions))
    return out


def newest_batch(schemas: Path = SCHEMAS) -> tuple[SchemaVer, Path] | None:
    found = [(SchemaVer.parse(p.stem), p) for p in (schemas / "batch").glob("*.json")]
    known = sorted((v, p) for v, p in found if v is not None)
    return known[-1] if known else None


def listed(doc: Any) -> set[str]:
    """The event files a batch schema's items refer to (relative to schemas/)."""
    if not isinstance(doc, dict):
        return set()
    items = doc.get("properties", {}).get("events", {}).get("items", {})
    refs = [m.get("$ref") for key in ("anyOf", "oneOf") for m in items.get(key, [])]
    return {r.removeprefix("../") for r in refs if isinstance(r, str)}


def missing_from_batch(schemas: Path = SCHEMAS) -> list[str]:
    """Event version files the newest batch schema does not accept."""
    newest = newest_batch(schemas)
    if newest is None:
        return _event_files(schemas)
    doc = json.loads(newest[1].read_text(encoding="utf-8"))
    have = listed(doc)
    return [rel for rel in _event_files(schemas) if rel not in have]


def write_next_batch(schemas: Path = SCHEMAS) -> Path | None:
    """Write the next batch version listing every event version (None: nothing to add)."""
    if not missing_from_batch(schemas):
        return None
    newest = newest_batch(schemas)
    if newest is None:
        raise GeneratorError("schemas/batch/: no first version to start from")
    version, path = newest
    doc = json.loads(path.read_text(encoding="utf-8"))
    previous = [r for r in _ordered(doc) if (schemas / r).is_file()]
    new = [r for r in _event_files(schemas) if r not in previous]
    target = version.next(Category.ADDITION)
    doc["$id"] = f"{ID_BASE}batch/{target}.json"
    events = doc["properties"]["events"]
    events["description"] = (
        "Events in emission order; each item is one version of one event type. A client sends "
        "the version of its release, so every version of every event type is accepted (a "
        "payload may match several versions of its type when a later version only added to it)."
    )
    events["items"] = {"anyOf": [{"$ref": f"../{rel}"} for rel in _by_type(previous + new)]}
    out = path.with_name(f"{target}.json")
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def _ordered(doc: Any) -> list[str]:
    items = doc["properties"]["events"]["items"]
    refs = [m["$ref"] for key in ("anyOf", "oneOf") for m in items.get(key, [])]
    return [ref.removeprefix("../") for ref in refs]


def _by_type(rels: list[str]) -> list[str]:
    """Keep the order in which event types first appear; within a type, newest version first."""
    types: list[str] = []
    for rel in rels:
        name = rel.split("/")[1]
        if name not in types:
            types.append(name)

    def key(rel: str) -> tuple[int, int, int, int]:
        version = SchemaVer.parse(rel.rsplit("/", 1)[1].removesuffix(".json")) or SchemaVer(0, 0, 0)
        model, revision, addition = version.key
        return (types.index(rel.split("/")[1]), -model, -revision, -addition)

    return sorted(set(rels), key=key)
