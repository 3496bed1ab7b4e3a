"""Offline `$ref` resolution: every schema URI maps to a file below schemas/, never the network.

A location in a schema is a :class:`Loc`: the JSON node plus the base URI its relative `$ref`s
resolve against (the `$id` of the document it sits in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from generator.schema_store import SchemaStoreError, parse_json, path_problem, read_bytes

ID_PREFIX = "https://schemas.codex-analytics.invalid/"

Json = Any
Fetch = Callable[[str], bytes | None]  # path below schemas/ -> bytes, or None when missing


class RefError(Exception):
    """A `$ref` that cannot be resolved offline."""


@dataclass(frozen=True)
class Loc:
    node: Json
    base: str  # absolute URI of the containing document (no fragment)
    pointer: str = ""  # JSON pointer of ``node`` inside that document

    def child(self, node: Json, *tokens: str | int) -> Loc:
        ptr = self.pointer
        for tok in tokens:
            ptr += "/" + str(tok).replace("~", "~0").replace("/", "~1")
        return Loc(node, self.base, ptr)

    @property
    def uri(self) -> str:
        return f"{self.base}#{self.pointer}"


def id_for(rel: str) -> str:
    """The `$id` a file at ``schemas/<rel>`` must carry."""
    return ID_PREFIX + rel


def rel_for(uri: str) -> str | None:
    """The path below schemas/ for an in-contract URI (no fragment), else None."""
    if uri.startswith(ID_PREFIX):
        return uri[len(ID_PREFIX) :]
    return None


def is_remote(ref: str) -> bool:
    """True when ``ref`` is absolute (has a scheme or starts with //)."""
    parts = urlsplit(ref)
    return bool(parts.scheme) or ref.startswith("//")


def dir_fetch(root: Path) -> Fetch:
    """Files below ``root`` by relative path; None when missing. A symbolic link or anything
    outside ``root`` is refused with a RefError (never followed)."""

    def fetch(rel: str) -> bytes | None:
        path = root / rel
        if not (path.exists() or path.is_symlink()):
            return None
        problem = path_problem(path, root)
        if problem is not None:
            raise RefError(f"schemas/{rel} {problem}")
        try:
            return read_bytes(path)
        except SchemaStoreError as exc:
            raise RefError(str(exc)) from None

    return fetch


def pointer_get(doc: Json, pointer: str) -> Json:
    if pointer == "":
        return doc
    if not pointer.startswith("/"):
        raise RefError(f"unsupported fragment {pointer!r} (only JSON pointers are supported)")
    node = doc
    for raw in pointer[1:].split("/"):
        node = _step(node, unquote(raw).replace("~1", "/").replace("~0", "~"))
    return node


def _step(node: Json, token: str) -> Json:
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise RefError(f"JSON pointer token {token!r} not found")


class Resolver:
    """Loads contract documents by URI from one or more offline sources."""

    def __init__(self, *fetchers: Fetch) -> None:
        self._fetchers = list(fetchers)
        self._docs: dict[str, Json] = {}

    def register(self, uri: str, doc: Json) -> None:
        """Make ``doc`` resolvable by ``uri`` (wins over the fetchers)."""
        self._docs[uri] = doc

    def document(self, uri: str) -> Json:
        if uri in self._docs:
            return self._docs[uri]
        rel = rel_for(uri)
        if rel is None:
            raise RefError(f"refusing to load {uri!r}: not below {ID_PREFIX}")
        for fetch in self._fetchers:
            data = fetch(rel)
            if data is not None:
                try:
                    doc = parse_json(data, f"schemas/{rel}")
                except SchemaStoreError as exc:
                    raise RefError(str(exc)) from None
                self._docs[uri] = doc
                return doc
        raise RefError(f"no file schemas/{rel} for {uri}")

    def resolve(self, ref: str, base: str) -> Loc:
        """The location ``ref`` (relative to ``base``) points at."""
        if is_remote(ref) and rel_for(urldefrag(ref)[0]) is None:
            raise RefError(f"remote $ref {ref!r} refused (refs never reach the network)")
        target = urljoin(base, ref)
        uri, fragment = urldefrag(target)
        doc = self.document(uri)
        return Loc(pointer_get(doc, fragment), uri, fragment)


def doc_base(doc: Json, fallback: str) -> str:
    """The base URI of a document: its `$id`, else ``fallback``."""
    if isinstance(doc, dict) and isinstance(doc.get("$id"), str):
        return urldefrag(doc["$id"])[0]
    return fallback
