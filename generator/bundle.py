"""Turn the schema files into one self-contained bundle for the model generator.

The bundle has only local `#/$defs/<Name>` references, so datamodel-code-generator never
resolves a file or a URI itself. On the way:

* `allOf` of objects (a flattened Rust struct) becomes one object whose properties are the
  members' properties in order, then its own; `unevaluatedProperties: false` becomes
  `additionalProperties: false` (a closed model);
* every object gets a stable class name: a referenced file or definition is named after it
  (`common/runtime` -> `Runtime`), an inline object after its owner and property
  (`CodexTurnEvent` + `event_params` -> `CodexTurnEventEventParams`);
* an object without `additionalProperties` is made explicitly open (`true`), so that parsing
  and re-serializing keeps the keys we do not own;
* references to non-object schemas (enums, nullable strings) are inlined at the use site.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from generator.paths import ID_BASE
from generator.schema_store import SchemaFile, SchemaStore, SchemaStoreError

# Keywords that carry no validation meaning for the model generator.
_DROP = {"$schema", "$id", "$defs", "$comment", "examples"}


def pascal(name: str) -> str:
    """A Python class-name fragment from any text: ASCII letters and digits only."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    if not out or not out[0].isalpha():
        out = "X" + out
    return out


def model_name(item: SchemaFile) -> str:
    """Class name of a schema file's root object."""
    if item.kind == "events":
        return pascal(item.name)
    if item.kind == "facts":
        return pascal(item.name) + "Fact"
    return pascal(item.name)


def is_object_schema(node: Any) -> bool:
    """An object with properties (not a union of objects)."""
    if not isinstance(node, dict):
        return False
    if _is_union(node) and "properties" not in node and "allOf" not in node:
        return False
    return node.get("type") == "object" or "properties" in node or "allOf" in node


class Bundler:
    def __init__(self, store: SchemaStore) -> None:
        self.store = store
        self.defs: dict[str, dict[str, Any]] = {}
        self._names: dict[str, str] = {}  # absolute uri (with fragment) -> def name
        self._owners: dict[str, str] = {}  # def name -> uri it came from
        # def name -> [(discriminator key, constant, def name of the `then` object)]:
        # `allOf: [{if: {properties: {k: {const: v}}}, then: {...}}]` members. Pydantic cannot
        # express them; the package checks them after the model (see conditionals.py).
        self.conditionals: dict[str, list[tuple[str, Any, str]]] = {}
        # `$ref` targets being inlined right now, outermost first: meeting one again is a cycle
        # that never reaches an object (objects are named models, so recursion through them is
        # fine), e.g. a `$defs` entry that refers to itself.
        self._inlining: list[str] = []

    def add_root(self, item: SchemaFile) -> str:
        name = model_name(item)
        self._claim(name, item.uri)
        self._names[item.uri] = name
        self.defs[name] = self._object(item.schema, item.uri, name)
        return name

    def bundle(self, title: str) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            "type": "null",
            "$defs": {name: self.defs[name] for name in sorted(self.defs)},
        }

    # -- naming ---------------------------------------------------------------------------

    def _claim(self, name: str, origin: str) -> None:
        owner = self._owners.get(name)
        if owner is not None and owner != origin:
            raise SchemaStoreError(
                f"two schemas want the model name {name!r}: {owner} and {origin}"
            )
        self._owners[name] = origin

    def _ref_name(self, uri: str, target: dict[str, Any]) -> str:
        known = self._names.get(uri)
        if known is not None:
            return known
        doc_uri, _, fragment = uri.partition("#")
        item = self.store.by_uri(doc_uri)
        name = pascal(fragment.rsplit("/", 1)[-1]) if fragment else model_name(item)
        self._claim(name, uri)
        self._names[uri] = name
        self.defs[name] = {}  # reserve before recursing (cycles)
        if is_object_schema(target):
            self.defs[name] = self._object(target, doc_uri, name)
        else:
            converted = self._schema(
                {k: v for k, v in target.items() if k not in _DROP and k != "type"}, doc_uri, name
            )
            self.defs[name] = converted
        return name

    def _hoist(self, node: dict[str, Any], base: str, name: str) -> dict[str, Any]:
        self._claim(name, f"{base}#inline:{name}")
        self.defs[name] = self._object(node, base, name)
        return {"$ref": f"#/$defs/{name}"}

    # -- conversion -----------------------------------------------------------------------

    def _object(self, node: dict[str, Any], base: str, owner: str) -> dict[str, Any]:
        """Convert an object schema into a closed-or-open flat object."""
        props: dict[str, Any] = {}
        required: list[str] = []
        closed = False
        extra: dict[str, Any] = {}
        for cond in node.get("allOf", []):
            if "if" in cond:
                self._conditional(cond, base, owner)
        for member in self._flatten_members(node, base):
            m_node, m_base = member
            for key, value in m_node.get("properties", {}).items():
                props[key] = self._property(value, m_base, owner, key)
            for key in m_node.get("required", []):
                if key not in required:
                    required.append(key)
            if m_node.get("additionalProperties") is False:
                closed = True
            if m_node.get("unevaluatedProperties") is False:
                closed = True
        for key, value in node.items():
            if (
                key in _DROP
                or key.startswith("x-")
                or key
                in (
                    "properties",
                    "required",
                    "allOf",
                    "additionalProperties",
                    "unevaluatedProperties",
                    "type",
                )
            ):
                continue
            extra[key] = copy.deepcopy(value)
        out: dict[str, Any] = {"type": "object", **extra, "properties": props}
        if required:
            out["required"] = required
        additional = node.get("additionalProperties")
        if closed:
            out["additionalProperties"] = False
        elif isinstance(additional, dict):
            out["additionalProperties"] = self._schema(additional, base, owner + "Value")
        else:
            out["additionalProperties"] = True
        return out

    def _flatten_members(
        self, node: dict[str, Any], base: str, within: tuple[str, ...] = ()
    ) -> list[tuple[dict[str, Any], str]]:
        """The node's allOf members (resolved, recursively flattened) followed by the node.

        ``within``: the `$ref`s of the members being flattened around this one (a cycle check).
        """
        members: list[tuple[dict[str, Any], str]] = []
        for part in node.get("allOf", []):
            if "if" in part:
                continue  # a conditional, see _conditional
            part_node, part_base, part_within = part, base, within
            if "$ref" in part:
                uri, target = self.store.resolve(base, part["$ref"])
                if uri in within:
                    raise self._cycle("allOf", [*within, uri])
                part_node, part_base = target, uri.split("#", 1)[0]
                part_within = (*within, uri)
            if not is_object_schema(part_node):
                raise SchemaStoreError(f"{base}: allOf members must be object schemas")
            members.extend(self._flatten_members(part_node, part_base, part_within))
        members.append((node, base))
        return members

    def _cycle(self, how: str, chain: list[str]) -> SchemaStoreError:
        """The error for a cycle: ``chain`` ends with the uri it started from."""
        start = chain.index(chain[-1])
        loop = chain[start:]
        path = self.store.by_uri(loop[0]).path
        fragment = loop[0].partition("#")[2]
        where = f" at #{fragment}" if fragment else ""
        steps = " -> ".join(uri.removeprefix(ID_BASE) for uri in loop)
        return SchemaStoreError(
            f"{path}{where}: {how} cycle {steps}: a schema may refer back to itself only "
            "through an object (which becomes a named model)"
        )

    def _conditional(self, cond: dict[str, Any], base: str, owner: str) -> None:
        test = cond["if"]
        props = test.get("properties", {})
        if set(cond) - {"if", "then", "description", "$comment"} or len(props) != 1:
            raise SchemaStoreError(
                f"{base}: only `if: {{properties: {{key: {{const: value}}}}}}, then: {{...}}` "
                "conditionals are supported"
            )
        key, check = next(iter(props.items()))
        if "const" not in check or key not in test.get("required", []):
            raise SchemaStoreError(f"{base}: a conditional must test one required key's const")
        then = dict(cond.get("then", {}))
        then.setdefault("type", "object")
        name = self._unique(owner + "If" + pascal(str(check["const"])))
        self._hoist(then, base, name)
        self.conditionals.setdefault(owner, []).append((key, check["const"], name))

    def _unique(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self._owners:
            candidate, n = f"{name}{n}", n + 1
        return candidate

    def children(self) -> dict[str, list[tuple[str, str, bool]]]:
        """def -> [(property, child def, is array)] for every object-valued property."""
        out: dict[str, list[tuple[str, str, bool]]] = {}
        for name, node in self.defs.items():
            for prop, value in node.get("properties", {}).items():
                for ref, is_array in _refs_in(value):
                    out.setdefault(name, []).append((prop, ref, is_array))
        return out

    def _property(self, value: Any, base: str, owner: str, key: str) -> Any:
        return self._schema(value, base, owner + pascal(key))

    def _schema(self, node: Any, base: str, name: str) -> Any:
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            uri, target = self.store.resolve(base, node["$ref"])
            siblings = {k: v for k, v in node.items() if k != "$ref" and k not in _DROP}
            if is_object_schema(target) or ("#" not in uri and _is_union(target)):
                out: dict[str, Any] = {"$ref": f"#/$defs/{self._ref_name(uri, target)}"}
                if "description" in siblings:
                    out["description"] = siblings["description"]
                return out
            if uri in self._inlining:
                raise self._cycle("$ref", [*self._inlining, uri])
            self._inlining.append(uri)
            try:
                inlined = self._schema(target, uri.split("#", 1)[0], name)
            finally:
                self._inlining.pop()
            if not isinstance(inlined, dict):
                return inlined
            merged = {k: v for k, v in inlined.items() if k not in ("title",)}
            merged.update(self._schema(siblings, base, name))
            return merged
        if is_object_schema(node):
            return self._hoist(node, base, name)
        out = {}
        for key, value in node.items():
            if key in _DROP or key.startswith("x-"):
                continue
            if key in ("anyOf", "oneOf"):
                out[key] = [
                    self._schema(member, base, _member_name(name, member, i))
                    for i, member in enumerate(value)
                ]
                tag = _common_tag(value) if key == "oneOf" else None
                if tag is not None:
                    # internally tagged: a discriminated union (one member tried, exact errors)
                    out["discriminator"] = {"propertyName": tag}
            elif key == "items":
                out[key] = self._schema(value, base, name + "Item")
            elif key == "prefixItems":
                out[key] = [self._schema(v, base, f"{name}Item{i}") for i, v in enumerate(value)]
            else:
                out[key] = copy.deepcopy(value)
        return out


def _member_name(name: str, member: Any, index: int) -> str:
    """Name of a union member: its title, else its constant tag, else its position."""
    if isinstance(member, dict):
        if isinstance(member.get("title"), str):
            return name + pascal(member["title"])
        for prop in member.get("properties", {}).values():
            if isinstance(prop, dict) and isinstance(prop.get("const"), str):
                return name + pascal(prop["const"])
        if len(member.get("properties", {})) == 1 and member.get("required"):
            return name + pascal(next(iter(member["properties"])))
    return f"{name}{index}"


def _common_tag(members: list[Any]) -> str | None:
    """The property every member requires with a distinct constant, if there is one."""
    candidates: set[str] | None = None
    for member in members:
        if not isinstance(member, dict):
            return None
        tags = {
            k
            for k, v in member.get("properties", {}).items()
            if isinstance(v, dict) and "const" in v and k in member.get("required", [])
        }
        candidates = tags if candidates is None else candidates & tags
    if not candidates or len(candidates) != 1:
        return None
    tag = next(iter(candidates))
    values = [m["properties"][tag]["const"] for m in members]
    return tag if len(set(map(str, values))) == len(values) else None


def _is_union(node: Any) -> bool:
    return isinstance(node, dict) and ("oneOf" in node or "anyOf" in node)


def _refs_in(node: Any, is_array: bool = False) -> list[tuple[str, bool]]:
    if not isinstance(node, dict):
        return []
    found: list[tuple[str, bool]] = []
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        found.append((ref[len("#/$defs/") :], is_array))
    for key in ("anyOf", "oneOf"):
        for member in node.get(key, []):
            found.extend(_refs_in(member, is_array))
    if "items" in node:
        found.extend(_refs_in(node["items"], True))
    return found


def build_bundle(store: SchemaStore, roots: list[SchemaFile], title: str) -> dict[str, Any]:
    bundler = Bundler(store)
    for item in roots:
        bundler.add_root(item)
    return bundler.bundle(title)
