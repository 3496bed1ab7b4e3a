"""Flatten a schema location into one comparable view.

`$ref` targets and `allOf` members are merged into the node (the repository uses
`allOf` + `unevaluatedProperties: false` for Rust's `#[serde(flatten)]`); an `anyOf`/`oneOf`
with one non-null alternative becomes that alternative plus `null` in the type set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

from generator.gate.resolve import Json, Loc, RefError, Resolver

ANNOTATION_KEYS = frozenset(
    {
        "title",
        "description",
        "examples",
        "$comment",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
STRUCTURAL_KEYS = frozenset(
    {"$id", "$schema", "$defs", "definitions", "$anchor", "$dynamicAnchor", "$vocabulary"}
)
HANDLED_KEYS = frozenset(
    {
        "$ref",
        "allOf",
        "anyOf",
        "oneOf",
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "unevaluatedProperties",
        "items",
        "prefixItems",
        "if",
        "then",
        "else",
    }
)
ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})


def is_annotation(key: str) -> bool:
    return key in ANNOTATION_KEYS or key.startswith("x-")


def json_type(value: Json) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


@dataclass(frozen=True)
class Conditional:
    """One `if`/`then`/`else` (facts dispatch on `method` this way)."""

    if_: Loc
    then: Loc | None
    else_: Loc | None


@dataclass
class Flat:
    types: frozenset[str] | None = None  # None: any type
    values: list[Json] | None = None  # allowed values (enum / const), None: unrestricted
    from_const: bool = False
    properties: dict[str, Loc] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    closed: bool = False
    additional: Loc | None = None  # schema for undeclared keys (when open with a schema)
    items: Loc | None = None
    prefix_items: list[Loc] = field(default_factory=list)
    alternatives: list[Loc] | None = None  # several non-null anyOf/oneOf branches
    alt_kind: str = ""
    alt_nullable: bool = False
    annotations: dict[str, Json] = field(default_factory=dict)
    other: dict[str, Json] = field(default_factory=dict)
    conditionals: list[Conditional] = field(default_factory=list)
    ref: str | None = None  # absolute target of the node's own `$ref`
    errors: list[str] = field(default_factory=list)
    never: bool = False  # the `false` schema


def merge(a: Flat, b: Flat) -> Flat:
    """``a`` and ``b`` both apply (allOf); ``b`` wins for annotations and overlapping keys."""
    if a.types is None:
        a.types = b.types
    elif b.types is not None:
        a.types = _intersect_types(a.types, b.types)
    if a.values is None:
        a.values, a.from_const = b.values, b.from_const
    elif b.values is not None:
        a.values = [v for v in a.values if any(_same(v, w) for w in b.values)]
        a.from_const = a.from_const or b.from_const
    for name, loc in b.properties.items():
        a.properties[name] = loc
    a.required |= b.required
    a.closed = a.closed or b.closed
    a.additional = b.additional if b.additional is not None else a.additional
    a.items = b.items if b.items is not None else a.items
    a.prefix_items = b.prefix_items or a.prefix_items
    if b.alternatives is not None:
        a.alternatives, a.alt_kind, a.alt_nullable = b.alternatives, b.alt_kind, b.alt_nullable
    a.annotations.update(b.annotations)
    for key, value in b.other.items():
        a.other[key] = _merge_keyword(key, a.other[key], value) if key in a.other else value
    a.conditionals = [*a.conditionals, *b.conditionals]
    a.errors.extend(b.errors)
    a.never = a.never or b.never
    return a


_LOWER = frozenset(
    {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains"}
)
_UPPER = frozenset(
    {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains"}
)


def _merge_keyword(key: str, a: Json, b: Json) -> Json:
    """Both values apply: the tighter bound wins; other keywords keep both, in order."""
    if canonical(a) == canonical(b):
        return a
    numbers = (
        isinstance(a, int | float)
        and isinstance(b, int | float)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    )
    if numbers and key in _LOWER:
        return max(a, b)
    if numbers and key in _UPPER:
        return min(a, b)
    return {"allOf": [a, b]}


def _intersect_types(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    out = set(a & b)
    if "number" in a and "integer" in b:
        out.add("integer")
    if "number" in b and "integer" in a:
        out.add("integer")
    return frozenset(out)


def _same(a: Json, b: Json) -> bool:
    return canonical(a) == canonical(b)


def canonical(value: Json) -> str:
    import json

    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def ref_key(ref: str, base: str) -> str:
    """A `$ref` target for retarget detection: "#fragment" inside the same document (so that
    two versions of one file using the same local `$defs` compare equal), else absolute."""
    target = urljoin(base, ref)
    doc, fragment = urldefrag(target)
    return f"#{fragment}" if doc == base else target


def is_null_schema(node: Json) -> bool:
    if not isinstance(node, dict):
        return False
    rest = {k: v for k, v in node.items() if not is_annotation(k)}
    return rest in ({"type": "null"}, {"type": ["null"]}, {"const": None}, {"enum": [None]})


def flatten(loc: Loc, resolver: Resolver, _stack: frozenset[str] = frozenset()) -> Flat:
    node = loc.node
    if node is True or node == {}:
        return Flat()
    if node is False:
        return Flat(never=True)
    if not isinstance(node, dict):
        return Flat(errors=[f"{loc.uri}: not a schema"])
    if loc.uri in _stack:
        return Flat(errors=[f"{loc.uri}: circular $ref/allOf"])
    stack = _stack | {loc.uri}
    out = Flat()
    ref = node.get("$ref")
    if isinstance(ref, str):
        try:
            target = resolver.resolve(ref, loc.base)
        except RefError as exc:
            out.errors.append(str(exc))
        else:
            merge(out, flatten(target, resolver, stack))
    for i, member in enumerate(node.get("allOf") or []):
        merge(out, flatten(loc.child(member, "allOf", i), resolver, stack))
    own = _own(loc, resolver, stack)
    merge(out, own)
    out.ref = ref_key(ref, loc.base) if isinstance(ref, str) else own.ref
    return out


def _own(loc: Loc, resolver: Resolver, stack: frozenset[str]) -> Flat:
    node: dict[str, Any] = loc.node
    out = Flat()
    t = node.get("type")
    if isinstance(t, str):
        out.types = frozenset({t})
    elif isinstance(t, list):
        out.types = frozenset(x for x in t if isinstance(x, str))
    if "const" in node:
        out.values, out.from_const = [node["const"]], True
    elif isinstance(node.get("enum"), list):
        out.values = list(node["enum"])
    if out.types is None and out.values is not None:
        out.types = frozenset(json_type(v) for v in out.values)
    props = node.get("properties")
    if isinstance(props, dict):
        out.properties = {k: loc.child(v, "properties", k) for k, v in props.items()}
    req = node.get("required")
    if isinstance(req, list):
        out.required = {r for r in req if isinstance(r, str)}
    for key in ("additionalProperties", "unevaluatedProperties"):
        if key not in node:
            continue
        value = node[key]
        if value is False:
            out.closed = True
        elif isinstance(value, dict) and value != {}:
            out.additional = loc.child(value, key)
    if "items" in node:
        out.items = loc.child(node["items"], "items")
    if isinstance(node.get("prefixItems"), list):
        out.prefix_items = [
            loc.child(v, "prefixItems", i) for i, v in enumerate(node["prefixItems"])
        ]
    if "if" in node:
        out.conditionals.append(
            Conditional(
                loc.child(node["if"], "if"),
                loc.child(node["then"], "then") if "then" in node else None,
                loc.child(node["else"], "else") if "else" in node else None,
            )
        )
    for kind in ("anyOf", "oneOf"):
        branches = node.get(kind)
        if not isinstance(branches, list):
            continue
        locs = [loc.child(b, kind, i) for i, b in enumerate(branches)]
        nulls = [b for b in locs if is_null_schema(b.node)]
        rest = [b for b in locs if not is_null_schema(b.node)]
        if len(rest) == 1:
            inner = flatten(rest[0], resolver, stack)
            if nulls and inner.types is not None:
                inner.types = inner.types | {"null"}
            if nulls and inner.values is not None:
                inner.values = [*inner.values, None]
            merge(out, inner)
            out.ref = inner.ref
        elif not rest:
            out.types = frozenset({"null"})
        else:
            out.alternatives, out.alt_kind, out.alt_nullable = rest, kind, bool(nulls)
    for key, value in node.items():
        if is_annotation(key):
            out.annotations[key] = value
        elif key not in HANDLED_KEYS and key not in STRUCTURAL_KEYS:
            out.other[key] = value
    return out
