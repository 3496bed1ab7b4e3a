"""`codex-contract new-version` and `new-event`: write the files a schema change starts from.

new-version copies the newest version of a schema to the next version number (its `$id`
updated, a fresh `x-upstream` to fill in) and creates its examples folder; new-event writes a
minimal event schema, a pass and a fail example, and its entry in the event catalog. Both print
what to edit next; the gate (`make check`) then says whether the bump is the one the change
needs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError
from generator.gate.rules import Category
from generator.gate.versions import FIRST, SchemaVer
from generator.paths import DOCS_SRC, EXAMPLES, ID_BASE, SCHEMAS

_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_KINDS = ("events", "facts", "common")
BUMPS = {"model": Category.MODEL, "revision": Category.REVISION, "addition": Category.ADDITION}


def dump(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _versions(folder: Path) -> list[SchemaVer]:
    found = [SchemaVer.parse(p.stem) for p in folder.glob("*.json")]
    return sorted(v for v in found if v is not None)


def find_schema(spec: str, schemas: Path = SCHEMAS) -> tuple[str, str]:
    """(kind, name) of `spec`: `events/codex_turn_event`, or a bare name searched in every kind."""
    if "/" in spec:
        kind, _, name = spec.partition("/")
        if kind in _KINDS and (schemas / kind / name).is_dir():
            return kind, name
        raise GeneratorError(f"{spec}: no such schema folder below schemas/")
    hits = [(kind, spec) for kind in _KINDS if (schemas / kind / spec).is_dir()]
    if len(hits) != 1:
        where = "no schema" if not hits else "several schemas"
        raise GeneratorError(f"{spec}: {where} of that name; write it as <kind>/<name>")
    return hits[0]


def new_version(spec: str, bump: str, schemas: Path = SCHEMAS, examples: Path = EXAMPLES) -> Path:
    kind, name = find_schema(spec, schemas)
    folder = schemas / kind / name
    versions = _versions(folder)
    if not versions:
        raise GeneratorError(f"{folder}: no version file to start from")
    newest = versions[-1]
    target = newest.next(BUMPS[bump])
    path = folder / f"{target}.json"
    if path.exists():
        raise GeneratorError(f"{path}: already exists")
    doc = json.loads((folder / f"{newest}.json").read_text(encoding="utf-8"))
    doc["$id"] = f"{ID_BASE}{kind}/{name}/{target}.json"
    fresh: dict[str, Any] = {}
    for key, value in doc.items():  # x-upstream right after the description, as in every file
        if key != "x-upstream":
            fresh[key] = value
        if key == "description":
            fresh["x-upstream"] = {
                "release": None, "commit": None, "pr": None, "date": None, "source": "",
            }  # fmt: skip
    path.write_text(dump(fresh), encoding="utf-8")
    if kind in ("events", "facts"):
        (examples / kind / name / str(target)).mkdir(parents=True, exist_ok=True)
    return path


def new_event(
    name: str,
    schemas: Path = SCHEMAS,
    examples: Path = EXAMPLES,
    catalog: Path = DOCS_SRC / "catalog.yaml",
) -> list[Path]:
    if not _NAME.match(name):
        raise GeneratorError(f"{name}: an event type is snake_case ASCII (a-z, 0-9, _)")
    folder = schemas / "events" / name
    if folder.exists():
        raise GeneratorError(f"{folder}: the event already exists; use new-version")
    version = str(FIRST)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{ID_BASE}events/{name}/{version}.json",
        "title": name,
        "description": f"TODO: one sentence on what {name} records and when Codex sends it.",
        "x-upstream": {"release": None, "commit": None, "pr": None, "date": None, "source": ""},
        "type": "object",
        "properties": {
            "event_type": {
                "type": "string",
                "const": name,
                "description": f"Event discriminator, always {name}.",
            },
            "event_params": {
                "description": "TODO: the event's fields, in wire (serde declaration) order.",
                "type": "object",
                "properties": {
                    "thread_id": {"type": "string", "description": "TODO: describe the field."}
                },
                "required": ["thread_id"],
                "additionalProperties": False,
            },
        },
        "required": ["event_type", "event_params"],
        "additionalProperties": False,
    }
    folder.mkdir(parents=True)
    written = [folder / f"{version}.json"]
    written[0].write_text(dump(schema), encoding="utf-8")
    ex = examples / "events" / name / version
    ex.mkdir(parents=True, exist_ok=True)
    event = {"event_type": name, "event_params": {"thread_id": "thread-1"}}
    written.append(ex / "minimal.pass.json")
    written[-1].write_text(json.dumps(event, separators=(",", ":")) + "\n", encoding="utf-8")
    written.append(ex / "missing_thread_id.fail.json")
    bad = {"event_type": name, "event_params": {}}
    written[-1].write_text(
        dump(
            {
                "reason": "thread_id is required",
                "error_path": "$.event_params.thread_id",
                "instance": bad,
            }
        ),
        encoding="utf-8",
    )
    if catalog.is_file():
        entry = (
            f"      - event: {name}\n"
            f"        meaning: TODO one line on what it records.\n"
            f"        answers: >-\n"
            f"          TODO the questions an analyst answers with it, naming the fields.\n"
        )
        text = catalog.read_text(encoding="utf-8")
        catalog.write_text(_into_groups(text, _other_group(text) + entry), encoding="utf-8")
        written.append(catalog)
    return written


def _into_groups(text: str, block: str) -> str:
    """``text`` with ``block`` at the end of its top-level `groups:` list (before the next
    top-level key, e.g. `fact_groups:`), so the entry is read as an event of the last group."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "groups:"), None)
    if start is None:
        return text.rstrip("\n") + "\ngroups:\n" + block
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i][:1] not in ("", " ", "\n", "#")),
        len(lines),
    )
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    head = "".join(lines[:end])
    if head and not head.endswith("\n"):
        head += "\n"
    return head + block + "".join(lines[end:])


def _other_group(text: str) -> str:
    """A catch-all group for new events, last in `groups`, unless the catalog has one."""
    if "title: New events" in text:
        return ""
    return (
        "  - title: New events\n"
        "    intro: >-\n"
        "      Events added to the contract that still need a place in a group above.\n"
        "    events:\n"
    )
