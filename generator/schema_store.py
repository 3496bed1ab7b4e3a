"""Load every schema under schemas/, check it, and resolve `$ref`s offline.

A schema file is `schemas/<kind>/<name>/<version>.json` (or `schemas/batch/<version>.json`).
Its `$id` must be `ID_BASE` + that path. References resolve only to files of this store: any
other URI is an error, never a network request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import referencing
import referencing.exceptions
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing.jsonschema import DRAFT202012

from generator.errors import GeneratorError, shown
from generator.paths import ID_BASE, SCHEMAS
from generator.schemaver import SchemaVer

KINDS = ("common", "events", "facts", "batch")


class SchemaStoreError(GeneratorError):
    """A schema file is unreadable, invalid, misplaced or references something unknown."""


@dataclass(frozen=True)
class SchemaFile:
    """One version of one schema."""

    path: Path
    relpath: str  # below schemas/, e.g. "events/codex_turn_event/1-0-0.json"
    kind: str
    name: str
    version: SchemaVer
    schema: dict[str, Any]

    @property
    def uri(self) -> str:
        return ID_BASE + self.relpath


@dataclass
class SchemaStore:
    """Every schema file, indexed by `$id`, with an offline reference registry."""

    root: Path
    files: dict[str, SchemaFile] = field(default_factory=dict)
    registry: referencing.Registry[Any] = field(default_factory=referencing.Registry)

    def latest(self, kind: str) -> list[SchemaFile]:
        """The newest version of every schema of `kind`, sorted by name."""
        newest: dict[str, SchemaFile] = {}
        for item in self.files.values():
            if item.kind != kind:
                continue
            seen = newest.get(item.name)
            if seen is None or item.version > seen.version:
                newest[item.name] = item
        return [newest[name] for name in sorted(newest)]

    def versions(self, kind: str, name: str) -> list[SchemaFile]:
        found = [f for f in self.files.values() if f.kind == kind and f.name == name]
        return sorted(found, key=lambda f: f.version)

    def resolve(self, base_uri: str, ref: str) -> tuple[str, Any]:
        """Resolve `ref` relative to `base_uri`: returns (absolute uri with fragment, contents)."""
        resolver = self.registry.resolver(base_uri=base_uri)
        try:
            resolved = resolver.lookup(ref)
        except referencing.exceptions.Unresolvable as exc:
            raise SchemaStoreError(
                f"{base_uri}: $ref {ref!r} does not resolve to a schema in schemas/ ({exc})"
            ) from exc
        absolute = _join(base_uri, ref)
        return absolute, resolved.contents

    def by_uri(self, uri: str) -> SchemaFile:
        try:
            return self.files[uri.split("#", 1)[0]]
        except KeyError:
            raise SchemaStoreError(f"no schema with $id {uri!r} under schemas/") from None


def _join(base_uri: str, ref: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base_uri, ref)


def _refuse_retrieval(uri: str) -> referencing.Resource[Any]:
    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


def parse_location(path: Path, root: Path) -> tuple[str, str, SchemaVer]:
    """(kind, name, version) from a schema file's place below schemas/."""
    rel = path.relative_to(root)
    parts = rel.parts
    if parts[0] == "batch" and len(parts) == 2:
        kind, name = "batch", "batch"
    elif len(parts) == 3 and parts[0] in KINDS:
        kind, name = parts[0], parts[1]
    else:
        raise SchemaStoreError(
            f"{rel}: a schema lives at schemas/<common|events|facts>/<name>/<version>.json "
            "or schemas/batch/<version>.json"
        )
    try:
        version = SchemaVer.parse(path.stem)
    except ValueError as exc:
        raise SchemaStoreError(f"{rel}: {exc}") from None
    return kind, name, version


def iter_schema_paths(root: Path) -> Iterator[Path]:
    for kind in KINDS:
        base = root / kind
        if base.is_dir():
            yield from sorted(base.rglob("*.json"))


def load_json(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaStoreError(
            f"{shown(path)}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None


def load_store(root: Path = SCHEMAS) -> SchemaStore:
    """Load and check every schema: metaschema, `$id` matches path, all `$ref`s resolve offline."""
    store = SchemaStore(root=root)
    resources: list[tuple[str, referencing.Resource[Any]]] = []
    for path in iter_schema_paths(root):
        if path.name == "approved-breaks.json":
            continue
        kind, name, version = parse_location(path, root)
        schema = load_json(path)
        if not isinstance(schema, dict):
            raise SchemaStoreError(f"{shown(path)}: a schema file holds a JSON object")
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
            raise SchemaStoreError(
                f"{shown(path)}: not a valid Draft 2020-12 schema at {where}: {exc.message}"
            ) from None
        relpath = path.relative_to(root).as_posix()
        item = SchemaFile(
            path=path, relpath=relpath, kind=kind, name=name, version=version, schema=schema
        )
        expected_id = ID_BASE + relpath
        if schema.get("$id") != expected_id:
            raise SchemaStoreError(
                f"{shown(path)}: $id is {schema.get('$id')!r}, expected {expected_id!r} (the path)"
            )
        store.files[expected_id] = item
        resources.append((expected_id, DRAFT202012.create_resource(schema)))
    store.registry = referencing.Registry(retrieve=_refuse_retrieval).with_resources(  # type: ignore[call-arg]
        resources
    )
    for item in store.files.values():
        for base, ref in iter_refs(item.schema, item.uri):
            if not _join(base, ref).startswith(ID_BASE) and not ref.startswith("#"):
                raise SchemaStoreError(
                    f"{shown(item.path)}: $ref {ref!r} points outside schemas/"
                    " (remote refs are refused)"
                )
            store.resolve(base, ref)
    return store


def iter_refs(node: Any, base: str) -> Iterator[tuple[str, str]]:
    """Every (base uri, $ref) pair in a schema document."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield base, ref
        for key, value in node.items():
            if key in ("const", "enum", "examples", "default"):
                continue
            yield from iter_refs(value, base)
    elif isinstance(node, list):
        for value in node:
            yield from iter_refs(value, base)
