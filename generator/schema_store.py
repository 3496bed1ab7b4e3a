"""Load every schema under schemas/, check it, and resolve `$ref`s offline.

A schema file is `schemas/<kind>/<name>/<version>.json` (or `schemas/batch/<version>.json`).
Its `$id` must be `ID_BASE` + that path. References resolve only to files of this store: any
other URI is an error, never a network request.
"""

from __future__ import annotations

import json
import os
import re
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
from generator.paths import ID_BASE, MIGRATION_SUFFIX, SCHEMAS
from generator.schemaver import SchemaVer

KINDS = ("common", "events", "facts", "batch")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


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
    raw: bytes = b""  # the file's bytes as read and checked (the package ships exactly these)

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
    if not _NAME.fullmatch(name):
        raise SchemaStoreError(
            f"{rel}: the folder name {name!r} is not snake_case ([a-z][a-z0-9_]*); it is the "
            "event type, fact name or piece name"
        )
    try:
        version = SchemaVer.parse(path.stem)
    except ValueError as exc:
        raise SchemaStoreError(f"{rel}: {exc}") from None
    return kind, name, version


# Deepest nesting of objects and arrays a schema file may have (the deepest today: 20). Every
# walk over a schema recurses; this bound keeps them all far from Python's recursion limit.
MAX_DEPTH = 64
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def path_problem(path: Path, root: Path) -> str | None:
    """Why ``path`` (below ``root``) is not a schema file we may read, or None.

    Schema files are regular files inside schemas/: a symbolic link (to a file or a folder,
    even one inside schemas/) is refused, never followed, so no content from outside the
    reviewed tree reaches the package or passes the gate.
    """
    try:
        rel = path.relative_to(root)
    except ValueError:
        return f"is not below {root}"
    current = root
    for part in rel.parts:
        current = current / part
        if current.is_symlink():
            where = "" if current == path else f" ({current.relative_to(root)})"
            return (
                f"is a symbolic link{where} to {os.readlink(current)}: schema files are "
                "regular files inside schemas/, links are never followed"
            )
    if path.is_dir():
        return "is a folder, not a schema file"
    if not path.is_file():
        return "is not a regular file"
    if not path.resolve().is_relative_to(root.resolve()):
        return "resolves outside schemas/"
    return None


def scan_json_files(base: Path, root: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every readable ``*.json`` file below ``base`` (a folder of ``root``) in sorted order,
    and every entry refused on the way with the reason: symbolic links (never followed) and
    folders named ``*.json``."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    if base.is_symlink():
        problems.append((base, path_problem(base, root) or "is a symbolic link"))
        return files, problems
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            child = here / name
            if child.is_symlink() or name.endswith(".json"):
                problems.append((child, path_problem(child, root) or "is refused"))
            else:
                keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.endswith(".json"):
                child = here / name
                problem = path_problem(child, root)
                if problem is None:
                    files.append(child)
                else:
                    problems.append((child, problem))
    return sorted(files), sorted(problems)


def iter_schema_paths(root: Path) -> Iterator[Path]:
    """Every schema file below root's kind folders; SchemaStoreError on a refused entry."""
    for kind in KINDS:
        base = root / kind
        if not (base.is_dir() or base.is_symlink()):
            continue
        files, problems = scan_json_files(base, root)
        if problems:
            path, why = problems[0]
            raise SchemaStoreError(f"{path}: {why}")
        yield from (f for f in files if not f.name.endswith(MIGRATION_SUFFIX))


def _position(text: str, offset: int) -> str:
    """`line L, column C` (1-based) of a character offset into a file's text."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _check_depth(text: str, source: str) -> None:
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise SchemaStoreError(
                    f"{source}: {_position(text, match.start())}: objects and arrays nested "
                    f"deeper than {MAX_DEPTH} levels"
                )
        elif token in "]}":
            depth -= 1


def parse_json(data: bytes, source: str) -> Any:
    """The JSON value in a schema file's bytes. Every refusal is a SchemaStoreError naming
    ``source`` and the line and column: text that is not UTF-8, nesting deeper than
    MAX_DEPTH (checked before parsing, so nothing recurses that deep), invalid JSON."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        valid = data[: exc.start].decode("utf-8")  # everything before the first bad byte
        raise SchemaStoreError(
            f"{source}: {_position(valid, len(valid))}: not UTF-8 text "
            f"(byte 0x{data[exc.start]:02x}); schema files are UTF-8"
        ) from None
    _check_depth(text, source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaStoreError(
            f"{source}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SchemaStoreError(f"{path}: cannot be read: {exc.strerror}") from None


def load_json(path: Path) -> Any:
    return parse_json(read_bytes(path), str(path))


def load_store(root: Path = SCHEMAS) -> SchemaStore:
    """Load and check every schema: metaschema, `$id` matches path, all `$ref`s resolve offline."""
    store = SchemaStore(root=root)
    resources: list[tuple[str, referencing.Resource[Any]]] = []
    for path in iter_schema_paths(root):
        if path.name == "approved-breaks.json":
            continue
        kind, name, version = parse_location(path, root)
        raw = read_bytes(path)
        schema = parse_json(raw, shown(path))
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
            path=path,
            relpath=relpath,
            kind=kind,
            name=name,
            version=version,
            schema=schema,
            raw=raw,
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
