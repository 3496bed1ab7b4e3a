"""Turn the schema files into one self-contained bundle for the model generator.

The bundle has only local `#/$defs/<Name>` references, so datamodel-code-generator never
resolves a file or a URI itself. On the way:

* `allOf` of objects (a flattened Rust struct) becomes one object whose properties are the
  members' properties in order, then its own; `unevaluatedProperties: false` becomes
  `additionalProperties: false` (a closed model);
* every object gets a class name from its naming path (`generator.naming.class_name`): a
  referenced file or definition is named after it (`common/runtime` -> `Runtime`), an inline
  object after its owner and property (`CodexTurnEvent` + `event_params` ->
  `CodexTurnEventParams`), a union member after its title or tag, a conditional part after
  the constant it tests;
* an object without `additionalProperties` is made explicitly open (`true`), so that parsing
  and re-serializing keeps the keys we do not own;
* references to non-object schemas (enums, nullable strings) are inlined at the use site.

`model_bundle()` is what the model generator reads: the definitions in reading order (each
event followed by its parts, then each fact followed by its parts, then the shared pieces),
preceded by the named integer types (`U64`, `I64`, ...) that the integer fields refer to.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from generator.errors import GeneratorError
from generator.naming import class_name, words
from generator.paths import ID_BASE
from generator.schema_store import SchemaFile, SchemaStore, SchemaStoreError

# Keywords that carry no validation meaning for the model generator.
_DROP = {"$schema", "$id", "$defs", "$comment", "examples"}

#: The integer types of the contract by their bounds (the Rust widths of schemas/README.md):
#: an integer with exactly these bounds refers to the named type instead of repeating them.
INTEGER_TYPES: dict[tuple[int, int], str] = {
    (0, 2**8 - 1): "U8",
    (-(2**7), 2**7 - 1): "I8",
    (0, 2**16 - 1): "U16",
    (-(2**15), 2**15 - 1): "I16",
    (0, 2**32 - 1): "U32",
    (-(2**31), 2**31 - 1): "I32",
    (0, 2**64 - 1): "U64",
    (-(2**63), 2**63 - 1): "I64",
}


def root_path(item: SchemaFile) -> tuple[str, ...]:
    """Naming path of a schema file's root: its name (a fact's with `Fact` after it, unless
    the name says it already)."""
    if item.kind == "facts" and words(item.name)[-1:] != ["Fact"]:
        return (item.name, "fact")
    return (item.name,)


def model_name(item: SchemaFile, version: str | None = None) -> str:
    """Class name of a schema file's root object (`version`: given for an older version)."""
    return class_name(root_path(item), version)


def is_object_schema(node: Any) -> bool:
    """An object with properties (not a union of objects)."""
    if not isinstance(node, dict):
        return False
    if _is_union(node) and "properties" not in node and "allOf" not in node:
        return False
    return node.get("type") == "object" or "properties" in node or "allOf" in node


@dataclass(frozen=True)
class _Naming:
    path: tuple[str, ...]  # naming path (see generator.naming)
    version: str | None  # None: the newest version of its schema
    head: str  # the definition this one is a part of in reading order (itself for a head)


class Bundler:
    def __init__(self, store: SchemaStore) -> None:
        self.store = store
        self.defs: dict[str, dict[str, Any]] = {}
        self._names: dict[str, str] = {}  # absolute uri (with fragment) -> def name
        self._owners: dict[str, str] = {}  # def name -> where it came from
        self._naming: dict[str, _Naming] = {}
        self._parts: dict[str, list[str]] = {}  # head -> its definitions in reading order
        self._roots: list[str] = []  # heads of the events and facts, in the order added
        # def name -> [(discriminator key, constant, def name of the `then` object)]:
        # `allOf: [{if: {properties: {k: {const: v}}}, then: {...}}]` members. Pydantic cannot
        # express them; the package checks them after the model (see conditionals.py).
        self.conditionals: dict[str, list[tuple[str, Any, str]]] = {}
        # `$ref` targets being inlined right now, outermost first: meeting one again is a cycle
        # that never reaches an object (objects are named models, so recursion through them is
        # fine), e.g. a `$defs` entry that refers to itself.
        self._inlining: list[str] = []

    def add_root(self, item: SchemaFile) -> str:
        name = self._define(root_path(item), self._version(item), item.uri, head=None)
        self._names[item.uri] = name
        self._roots.append(name)
        self.defs[name] = self._object(item.schema, item.uri, name)
        return name

    def reading_order(self) -> list[str]:
        """Every definition: each root followed by its parts, then the shared pieces."""
        heads = self._roots + [head for head in self._parts if head not in self._roots]
        return [name for head in heads for name in self._parts[head]]

    def model_bundle(self) -> dict[str, Any]:
        """The bundle the model generator reads (see the module docstring)."""
        used: set[str] = set()
        defs: dict[str, Any] = {}
        for name in self.reading_order():
            values: dict[str, Any] = {}
            defs[name] = _with_integer_types(_typed_maps(self.defs[name], name, values), used)
            defs.update((key, _with_integer_types(v, used)) for key, v in values.items())
        integers = {
            alias: {"type": "integer", "minimum": low, "maximum": high}
            for (low, high), alias in INTEGER_TYPES.items()
            if alias in used
        }
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "ContractBundle",  # the root is not a model (--skip-root-model)
            "type": "null",
            "$defs": {**integers, **defs},
        }

    # -- naming ---------------------------------------------------------------------------

    def _version(self, item: SchemaFile) -> str | None:
        newest = self.store.versions(item.kind, item.name)[-1]
        return None if newest.version == item.version else str(item.version)

    def _define(
        self, path: tuple[str, ...], version: str | None, origin: str, head: str | None
    ) -> str:
        """Name and reserve a new definition (before its parts: reading order, cycles)."""
        name = class_name(path, version)
        owner = self._owners.get(name)
        if owner is not None:
            raise SchemaStoreError(
                f"two schema parts want the model name {name!r}: {owner} and {origin} "
                "(a union member is named after its `title`)"
            )
        self._owners[name] = origin
        self._naming[name] = _Naming(path, version, head or name)
        self._parts.setdefault(head or name, []).append(name)
        self.defs[name] = {}
        return name

    def _part(self, owner: str, parts: tuple[str, ...], base: str) -> str:
        """A new definition for a part of `owner` (a property, item, variant, ...)."""
        naming = self._naming[owner]
        path = naming.path + parts
        return self._define(path, naming.version, f"{base} at {'/'.join(path)}", naming.head)

    def _ref_name(self, uri: str, target: dict[str, Any]) -> str:
        known = self._names.get(uri)
        if known is not None:
            return known
        doc_uri, _, fragment = uri.partition("#")
        item = self.store.by_uri(doc_uri)
        path = (fragment.rsplit("/", 1)[-1],) if fragment else root_path(item)
        name = self._define(path, self._version(item), uri, head=None)
        self._names[uri] = name
        if is_object_schema(target):
            self.defs[name] = self._object(target, doc_uri, name)
        else:
            converted = self._schema(
                {k: v for k, v in target.items() if k not in _DROP and k not in ("type", "title")},
                doc_uri,
                name,
                (),
            )
            self.defs[name] = converted
        return name

    def _hoist(self, node: dict[str, Any], base: str, owner: str, parts: tuple[str, ...]) -> str:
        name = self._part(owner, parts, base)
        self.defs[name] = self._object(node, base, name)
        return name

    # -- conversion -----------------------------------------------------------------------

    def _object(self, node: dict[str, Any], base: str, owner: str) -> dict[str, Any]:
        """Convert an object schema into a closed-or-open flat object."""
        props: dict[str, Any] = {}
        required: list[str] = []
        closed = False
        extra: dict[str, Any] = {}
        for member in self._flatten_members(node, base):
            m_node, m_base = member
            for key, value in m_node.get("properties", {}).items():
                prop = self._schema(value, m_base, owner, (key,))
                if isinstance(value, dict) and "description" in value and "$ref" in prop:
                    # an inline object: its description is the model's and the field's
                    prop.setdefault("description", value["description"])
                props[key] = prop
            for key in m_node.get("required", []):
                if key not in required:
                    required.append(key)
            if m_node.get("additionalProperties") is False:
                closed = True
            if m_node.get("unevaluatedProperties") is False:
                closed = True
        for cond in node.get("allOf", []):
            if "if" in cond:
                self._conditional(cond, base, owner)
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
            out["additionalProperties"] = self._schema(
                additional, base, owner, ("value",), f"One value of the other keys of `{owner}`."
            )
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
        then.setdefault(
            "description",
            cond.get("description")
            or f"What {owner} requires when `{key}` is {json.dumps(check['const'])}.",
        )
        name = self._hoist(then, base, owner, (str(check["const"]),))
        self.conditionals.setdefault(owner, []).append((key, check["const"], name))

    def children(self) -> dict[str, list[tuple[str, str, bool]]]:
        """def -> [(property, child def, is array)] for every object-valued property."""
        out: dict[str, list[tuple[str, str, bool]]] = {}
        for name, node in self.defs.items():
            for prop, value in node.get("properties", {}).items():
                for ref, is_array in _refs_in(value):
                    out.setdefault(name, []).append((prop, ref, is_array))
        return out

    def _schema(
        self,
        node: Any,
        base: str,
        owner: str,
        parts: tuple[str, ...],
        about: str | None = None,
    ) -> Any:
        """Convert the schema at position `parts` below definition `owner`; an object there
        without a description of its own is described by `about`."""
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
                inlined = self._schema(target, uri.split("#", 1)[0], owner, parts, about)
            finally:
                self._inlining.pop()
            if not isinstance(inlined, dict):
                return inlined
            merged = {k: v for k, v in inlined.items() if k not in ("title",)}
            merged.update(self._schema(siblings, base, owner, parts))
            return merged
        if is_object_schema(node) and not _is_map(node):
            if about is not None and "description" not in node:
                node = {**node, "description": about}
            return {"$ref": f"#/$defs/{self._hoist(node, base, owner, parts)}"}
        out = {}
        for key, value in node.items():
            if key in _DROP or key.startswith("x-"):
                continue
            if key in ("anyOf", "oneOf"):
                out[key] = self._members(value, base, owner, parts, node.get("description"))
                tag = _common_tag(value) if key == "oneOf" else None
                if tag is not None:
                    # internally tagged: a discriminated union (one member tried, exact errors)
                    out["discriminator"] = {"propertyName": tag}
            elif key == "additionalProperties":  # a map's values
                about = f"One value of {_where(owner, parts)}."
                out[key] = self._schema(value, base, owner, (*parts, "value"), about)
            elif key == "items":
                about = f"One item of {_where(owner, parts)}."
                out[key] = self._schema(value, base, owner, (*parts, "item"), about)
            elif key == "prefixItems":
                out[key] = [
                    self._schema(
                        v, base, owner, (*parts, f"item{i}"), f"Item {i} of {_where(owner, parts)}."
                    )
                    for i, v in enumerate(value)
                ]
            else:
                out[key] = copy.deepcopy(value)
        return out

    def _members(
        self,
        members: list[Any],
        base: str,
        owner: str,
        parts: tuple[str, ...],
        description: str | None,
    ) -> list[Any]:
        """Convert the members of a union: each one that becomes a model of its own is named
        by its variant (`_member_label`); a single unnamed object member (`X | null`) takes
        the union's own name (and description, if it has none)."""
        labels = [_member_label(member) for member in members]
        unnamed = [
            m for m, label in zip(members, labels, strict=True) if label is None and _named(m)
        ]
        if len(unnamed) > 1:
            raise SchemaStoreError(
                f"{base} at {'/'.join(self._naming[owner].path + parts)}: give every object "
                "member of this union a `title` (or a constant tag) to name its model after"
            )
        out: list[Any] = []
        for member, label in zip(members, labels, strict=True):
            position = parts if label is None else (*parts, label)
            if label is not None and _is_titled_value(member):
                # a named non-object variant (`other unit variant`): a type of its own
                name = self._part(owner, position, base)
                self.defs[name] = self._schema(
                    {k: v for k, v in member.items() if k != "title"}, base, name, ()
                )
                # the docs name the variant by its title (the model writer ignores x- keys)
                self.defs[name]["x-label"] = member["title"]
                out.append({"$ref": f"#/$defs/{name}"})
            else:
                about = (
                    description
                    if label is None
                    else (f"The {json.dumps(label)} variant of {_where(owner, parts)}.")
                )
                out.append(self._schema(member, base, owner, position, about))
        return out


def _where(owner: str, parts: tuple[str, ...]) -> str:
    """A position in words for a generated description: `Owner.key.sub`."""
    return "`" + ".".join((owner, *parts)) + "`"


def _member_label(member: Any) -> str | None:
    """The variant name of a union member: its title, else its constant tag, else the one
    key of an externally tagged variant (`{"granular": {...}}`)."""
    if not isinstance(member, dict):
        return None
    if isinstance(member.get("title"), str):
        return str(member["title"])
    for prop in member.get("properties", {}).values():
        if isinstance(prop, dict) and isinstance(prop.get("const"), str):
            return str(prop["const"])
    if len(member.get("properties", {})) == 1 and member.get("required"):
        return str(next(iter(member["properties"])))
    return None


def _named(member: Any) -> bool:
    """Does this union member become a model of its own (an inline object)?"""
    return isinstance(member, dict) and "$ref" not in member and is_object_schema(member)


def _is_titled_value(member: Any) -> bool:
    """A titled union member that is a plain value (not an object, not a reference)."""
    return (
        isinstance(member, dict)
        and isinstance(member.get("title"), str)
        and "$ref" not in member
        and not is_object_schema(member)
        and not _is_union(member)
    )


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


def _is_map(node: dict[str, Any]) -> bool:
    """An object with no properties whose values all follow one schema (a `dict[str, X]`)."""
    return (
        not node.get("properties")
        and "allOf" not in node
        and isinstance(node.get("additionalProperties"), dict)
    )


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


def _typed_maps(node: Any, where: str, values: dict[str, Any]) -> Any:
    """`node` with every map that allows another type too (`{"type": ["object", "null"],
    "additionalProperties": {...}}`) written as a union of the map and the other types, its
    values' schema a named definition (added to `values`): datamodel-code-generator reads the
    list form as `dict[str, Any] | None`, dropping the values' schema (a typed-path bug the
    fast path's differential found)."""
    if not isinstance(node, dict):
        return node
    types = node.get("type")
    item = node.get("additionalProperties")
    if (
        isinstance(types, list)
        and "object" in types
        and len(types) > 1
        and isinstance(item, dict)
        and not set(node) - {"type", "additionalProperties", "description"}
    ):
        others = [t for t in types if t != "object"]
        others.sort(key=lambda t: t == "null")  # `X | None`, None last
        name = f"{where}Value"
        if name in values:
            raise GeneratorError(f"{where}: two maps would name their values {name}")
        values[name] = _typed_maps(item, name, values)
        members = [{"type": "object", "additionalProperties": {"$ref": f"#/$defs/{name}"}}]
        out: dict[str, Any] = {"anyOf": members + [{"type": t} for t in others]}
        if "description" in node:
            out["description"] = node["description"]
        return out
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            converted[key] = {
                k: _typed_maps(v, where + class_name([k]), values) for k, v in value.items()
            }
        elif key in ("items", "additionalProperties"):
            converted[key] = _typed_maps(value, where, values)
        elif key in ("anyOf", "oneOf", "prefixItems"):
            converted[key] = [_typed_maps(v, where, values) for v in value]
        else:
            converted[key] = value
    return converted


# -- named integer types ------------------------------------------------------------------

_INTEGER_KEYS = frozenset({"type", "minimum", "maximum", "description"})
# Types beside an integer that its bounds do not apply to (and no other keyword constrains).
_PLAIN_TYPES = frozenset({"integer", "string", "boolean", "null"})


def _integer_type(node: dict[str, Any]) -> tuple[str, list[str]] | None:
    """(named integer type, the node's other plain types) of an integer schema with exactly a
    Rust width's bounds; e.g. `{"type": ["integer", "string"], ...}` (a JSON-RPC id)."""
    raw = node.get("type")
    types = [raw] if isinstance(raw, str) else raw
    if not isinstance(types, list) or "integer" not in types or set(types) - _PLAIN_TYPES:
        return None
    if set(node) - _INTEGER_KEYS:
        return None
    low, high = node.get("minimum"), node.get("maximum")
    if type(low) is not int or type(high) is not int:
        return None
    alias = INTEGER_TYPES.get((low, high))
    return None if alias is None else (alias, [t for t in types if t != "integer"])


def _with_integer_types(node: Any, used: set[str]) -> Any:
    """`node` with every integer of a Rust width replaced by a reference to its named type."""
    if not isinstance(node, dict):
        return node
    found = _integer_type(node)
    if found is not None:
        alias, others = found
        used.add(alias)
        ref: dict[str, Any] = {"$ref": f"#/$defs/{alias}"}
        others.sort(key=lambda t: t == "null")  # `X | None`, None last
        out: dict[str, Any] = {"anyOf": [ref, *({"type": t} for t in others)]} if others else ref
        if "description" in node:
            out["description"] = node["description"]
        return out
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            converted[key] = {k: _with_integer_types(v, used) for k, v in value.items()}
        elif key in ("items", "additionalProperties"):
            converted[key] = _with_integer_types(value, used)
        elif key in ("anyOf", "oneOf", "prefixItems"):
            converted[key] = [_with_integer_types(v, used) for v in value]
        else:
            converted[key] = value
    return converted
