"""What the generator derives from the versions of one schema: payload shapes, the byte markers
that rule versions out, and the upgrade step to each version (spec/versioning.md).

A *payload* is the object whose keys change between versions: `event_params` of an event, the
fact object itself for a fact. Its shape is the key order, the required keys and the nullable
keys, read from the bundled (flattened) schema.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.bundle import Bundler, model_name
from generator.errors import GeneratorError, shown
from generator.paths import MIGRATION_SUFFIX
from generator.schema_store import SchemaFile, SchemaStore

# Keys a declared field migration may carry, and what each means.
_FIELD_KEYS = {"from", "map", "value", "when", "error", "description"}
MAX_MARKERS = 3


@dataclass(frozen=True)
class PayloadShape:
    keys: tuple[str, ...]  # wire order
    required: frozenset[str]
    nullable: frozenset[str]


def payload_shape(defs: dict[str, Any], root: str, payload_key: str | None) -> PayloadShape:
    """The payload of bundled root `root` (`payload_key` = "event_params", or None)."""
    node = defs[root]
    if payload_key is not None:
        ref = node["properties"][payload_key]["$ref"]
        node = defs[ref.removeprefix("#/$defs/")]
    props: dict[str, Any] = node.get("properties", {})
    return PayloadShape(
        keys=tuple(props),
        required=frozenset(node.get("required", [])),
        nullable=frozenset(k for k, v in props.items() if _allows_null(v, defs)),
    )


def _allows_null(node: Any, defs: dict[str, Any]) -> bool:
    if not isinstance(node, dict):
        return False
    types = node.get("type")
    if types == "null" or (isinstance(types, list) and "null" in types):
        return True
    if None in node.get("enum", [object()]) or ("const" in node and node["const"] is None):
        return True
    if "$ref" in node:
        return _allows_null(defs.get(node["$ref"].removeprefix("#/$defs/")), defs)
    return any(_allows_null(m, defs) for key in ("anyOf", "oneOf") for m in node.get(key, []))


def markers(shapes: dict[str, PayloadShape]) -> dict[str, tuple[str, ...]]:
    """Per version: up to MAX_MARKERS keys it requires that other versions lack.

    A payload whose bytes lack such a key cannot be of that version (the key is required), so
    the version is skipped without validating. Keys are chosen by how many other versions they
    rule out, then in wire order.
    """
    out: dict[str, tuple[str, ...]] = {}
    for version, shape in shapes.items():
        others = [s for v, s in shapes.items() if v != version]
        scored = [
            (sum(key not in o.required for o in others), i, key)
            for i, key in enumerate(shape.keys)
            if key in shape.required
        ]
        chosen = [key for score, _, key in sorted(scored, key=lambda t: (-t[0], t[1])) if score]
        if chosen:
            out[version] = tuple(chosen[:MAX_MARKERS])
    return out


def marker_bytes(key: str) -> bytes:
    """How a key appears in compact or spaced JSON: its quoted name (exact for unescaped keys)."""
    return json.dumps(key, ensure_ascii=False).encode("utf-8")


def load_migration(path: Path) -> dict[str, dict[str, Any]]:
    """The declared field migrations of a version (`<version>.migration.json`), checked."""
    if not path.is_file():
        return {}
    where = path.as_posix()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeneratorError(f"{where}: not a readable JSON migration: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("fields"), dict):
        raise GeneratorError(f"{where}: expected an object with a `fields` object")
    fields: dict[str, dict[str, Any]] = {}
    for key, spec in doc["fields"].items():
        if not isinstance(spec, dict) or not set(spec) <= _FIELD_KEYS:
            raise GeneratorError(
                f"{where}: $.fields.{key}: expected an object with keys from {sorted(_FIELD_KEYS)}"
            )
        if ("from" in spec) + ("value" in spec) + ("error" in spec) != 1:
            raise GeneratorError(
                f"{where}: $.fields.{key}: expected exactly one of `from`, `value`, `error`"
            )
        if "description" not in spec and "error" not in spec:
            raise GeneratorError(f"{where}: $.fields.{key}: expected a `description`")
        fields[key] = spec
    return fields


def migration_description(path: Path) -> str | None:
    """The declared migration's own `description` (what the step is about), if it has one
    (`load_migration` checks the file)."""
    load_migration(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    found = doc.get("description")
    return found if isinstance(found, str) else None


def upgrade_ops(
    old: PayloadShape, new: PayloadShape, declared: dict[str, dict[str, Any]], where: str
) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """The step from `old` to `new`: one op per key of `new`, in its wire order."""
    unknown = set(declared) - set(new.keys)
    if unknown:
        raise GeneratorError(
            f"{where}: migrations for keys the version does not have: {', '.join(sorted(unknown))}"
        )
    ops: list[tuple[str, tuple[Any, ...]]] = []
    for key in new.keys:
        spec = declared.get(key)
        if spec is not None:
            ops.append((key, _declared_op(spec, old, where, key)))
        elif key in old.keys:
            ops.append((key, ("keep",)))
        elif key in new.nullable:
            ops.append((key, ("null",)))
        elif key not in new.required:
            ops.append((key, ("absent",)))
        else:
            ops.append(
                (
                    key,
                    (
                        "error",
                        f"no value for the new required key `{key}` and no migration declared",
                    ),
                )
            )
    return tuple(ops)


def _declared_op(spec: dict[str, Any], old: PayloadShape, where: str, key: str) -> tuple[Any, ...]:
    if "error" in spec:
        return ("error", str(spec["error"]))
    when = spec.get("when", {})
    if not isinstance(when, dict):
        raise GeneratorError(f"{where}: $.fields.{key}.when: expected an object")
    for name in when:
        if name not in old.keys:
            raise GeneratorError(
                f"{where}: $.fields.{key}.when: the older version has no key {name!r}"
            )
    conditions = tuple(sorted(when.items()))
    reason = str(spec.get("description", ""))
    if "value" in spec:
        return ("value", spec["value"], conditions, reason)
    source = spec["from"]
    if source not in old.keys:
        raise GeneratorError(
            f"{where}: $.fields.{key}.from: the older version has no key {source!r}"
        )
    return ("copy", source, dict(spec.get("map", {})), conditions, reason)


@dataclass
class Versions:
    """Everything the package needs to read every version (see `build_versions`)."""

    history_bundle: dict[str, Any]  # the older versions' models (the history module)
    newest_vars: dict[str, dict[str, str]]  # class -> ClassVars, newest roots
    history_vars: dict[str, dict[str, str]]  # class -> ClassVars, older roots
    versions: dict[str, dict[str, list[str]]]  # kind -> name -> versions, newest first
    history_classes: dict[tuple[str, str, str], str]  # (kind, name, version) -> class
    markers: dict[tuple[str, str, str], tuple[bytes, ...]]
    upgrades: dict[tuple[str, str], tuple[str, tuple[tuple[str, tuple[Any, ...]], ...]]]
    migrations: dict[tuple[str, str], dict[str, dict[str, Any]]]  # (event, version) -> fields
    history: Bundler | None = None  # the bundler of the older versions (its conditionals)


PAYLOAD_KEY = {"events": "event_params", "facts": None}


def build_versions(store: SchemaStore, newest: Bundler) -> Versions:
    """Model every older version of every event and fact (a second bundle), and derive the
    tables that detect a payload's version and upgrade an event step by step."""
    history = Bundler(store)
    out = Versions(
        history_bundle={}, newest_vars={}, history_vars={}, versions={}, history_classes={},
        markers={}, upgrades={}, migrations={},
    )  # fmt: skip
    for kind, payload_key in PAYLOAD_KEY.items():
        out.versions[kind] = {}
        for latest in store.latest(kind):
            files = store.versions(kind, latest.name)  # oldest first
            shapes: dict[str, PayloadShape] = {}
            for item in files:
                version = str(item.version)
                if item is files[-1]:
                    root = model_name(item)
                    defs = newest.defs
                    out.newest_vars[root] = {"schema_version": version, "schema_id": item.uri}
                else:
                    root = history.add_root(item)
                    defs = history.defs
                    out.history_vars[root] = {"schema_version": version, "schema_id": item.uri}
                    out.history_classes[(kind, latest.name, version)] = root
                shapes[version] = payload_shape(defs, root, payload_key)
            out.versions[kind][latest.name] = [str(f.version) for f in reversed(files)]
            for version, keys in markers(shapes).items():
                out.markers[(kind, latest.name, version)] = tuple(marker_bytes(k) for k in keys)
            if kind == "events":
                _upgrades(out, files, shapes)
    out.history_bundle = history.model_bundle()
    out.history = history
    return out


def _upgrades(out: Versions, files: list[SchemaFile], shapes: dict[str, PayloadShape]) -> None:
    for old, new in itertools.pairwise(files):
        path = new.path.with_name(f"{new.version}{MIGRATION_SUFFIX}")
        declared = load_migration(path)
        where = shown(path) if declared else shown(new.path)
        ops = upgrade_ops(shapes[str(old.version)], shapes[str(new.version)], declared, where)
        out.upgrades[(new.name, str(new.version))] = (str(old.version), ops)
        if declared:
            out.migrations[(new.name, str(new.version))] = declared
