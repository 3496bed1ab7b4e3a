"""Classify every difference between two versions of a schema (the CA rules).

The walk follows the instance: properties, array items, `additionalProperties` values and the
alternatives of `anyOf`/`oneOf`, after flattening `$ref` and `allOf`. Each difference names the
JSON path into the instance it concerns (`$.event_params.turn_id`, `$.items[*]`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from generator.gate.flatten import (
    ALL_TYPES,
    Conditional,
    Flat,
    canonical,
    flatten,
    is_annotation,
)
from generator.gate.resolve import ID_PREFIX, Json, Loc, RefError, Resolver
from generator.gate.rules import Category, category_for

LOWER_BOUNDS = (
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
    "minContains",
)
UPPER_BOUNDS = (
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
    "maxContains",
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Difference:
    rule: str
    category: Category
    path: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "category": self.category.name,
            "path": self.path,
            "message": self.message,
        }


def prop_path(path: str, name: str) -> str:
    return f"{path}.{name}" if _IDENT.fullmatch(name) else f"{path}[{json.dumps(name)}]"


def required_bump(diffs: list[Difference]) -> Category:
    return max((d.category for d in diffs), default=Category.NONE)


def _fmt_types(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    order = ["object", "array", "string", "integer", "number", "boolean", "null"]
    return "|".join(sorted(types, key=lambda t: order.index(t) if t in order else 99))


def _covered(t: str, s: frozenset[str]) -> bool:
    return t in s or (t == "integer" and "number" in s)


def _refs(node: Json) -> list[str]:
    if isinstance(node, dict):
        out = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for v in node.values():
            out.extend(_refs(v))
        return out
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _where(loc: Loc, resolver: Resolver) -> str:
    """The location a schema stands for: the target of a bare `$ref` (annotations aside),
    else the location itself."""
    node = loc.node
    bare_ref = (
        isinstance(node, dict)
        and isinstance(node.get("$ref"), str)
        and all(k == "$ref" or is_annotation(k) for k in node)
    )
    if bare_ref:
        try:
            return resolver.resolve(node["$ref"], loc.base).uri
        except RefError:
            pass
    return loc.uri


def _nullable(f: Flat) -> bool:
    if f.alternatives is not None:
        return f.alt_nullable
    return f.types is None or "null" in f.types


def _may_be(f: Flat, t: str) -> bool:
    return f.types is None or t in f.types


class Comparer:
    def __init__(self, old_resolver: Resolver, new_resolver: Resolver) -> None:
        self.old_res = old_resolver
        self.new_res = new_resolver
        self.diffs: list[Difference] = []
        self._stack: set[tuple[str, str]] = set()

    # -- helpers ---------------------------------------------------------------------------
    def emit(self, rule_id: str, path: str, message: str, present: bool = True) -> None:
        d = Difference(rule_id, category_for(rule_id, present), path, message)
        if d not in self.diffs:
            self.diffs.append(d)

    def _unchanged(self, o: Loc, n: Loc) -> bool:
        if canonical(o.node) != canonical(n.node):
            return False
        # Identical text is identical meaning only if every $ref lands on the same target.
        return all(
            urljoin(o.base, r) == urljoin(n.base, r) and not r.startswith("#")
            for r in _refs(o.node)
        )

    # -- the walk -------------------------------------------------------------------------------
    def compare(self, o: Loc, n: Loc, path: str = "$", present: bool = True) -> None:
        # A pair of locations already being compared further up is a schema that refers back
        # to itself (a tree): its differences are reported at the outer path, once.
        key = (_where(o, self.old_res), _where(n, self.new_res))
        if key in self._stack or self._unchanged(o, n):
            return
        self._stack.add(key)
        try:
            self._compare(o, n, path, present)
        finally:
            self._stack.discard(key)

    def _compare(self, o: Loc, n: Loc, path: str, present: bool) -> None:
        fo = flatten(o, self.old_res)
        fn = flatten(n, self.new_res)
        errors = list(dict.fromkeys([*fo.errors, *fn.errors]))
        for err in errors:
            self.emit("CA033", path, err)
        if errors:
            return  # one side is incomplete: comparing further would only add noise
        if fo.ref and fn.ref and fo.ref != fn.ref:
            self.emit("CA028", path, f"$ref {_short_uri(fo.ref)} → {_short_uri(fn.ref)}")
        changed = sorted(
            k
            for k in set(fo.annotations) | set(fn.annotations)
            if canonical(fo.annotations.get(k)) != canonical(fn.annotations.get(k))
        )
        if changed:
            self.emit("CA031", path, "annotation changed: " + ", ".join(changed))
        on, nn = _nullable(fo), _nullable(fn)
        if fo.alternatives is not None or fn.alternatives is not None:
            if nn and not on:
                self.emit("CA013", path, "null is now allowed")
            if on and not nn:
                self.emit("CA014", path, "null is no longer allowed")
            self._alternatives(o, n, fo, fn, path)
            return
        if not self._types(fo, fn, path, present):
            return
        self._values(fo, fn, path, present and not on)
        self._keywords(fo, fn, path)
        if _may_be(fo, "object") and _may_be(fn, "object"):
            self._object(fo, fn, path, present and fo.types == frozenset({"object"}))
        if _may_be(fo, "array") and _may_be(fn, "array"):
            self._array(o, n, fo, fn, path)
        if fo.conditionals or fn.conditionals:
            self._conditionals(fo, fn, path)

    def _conditionals(self, fo: Flat, fn: Flat, path: str) -> None:
        """Match `if`/`then` blocks by their condition; compare what they impose."""
        unmatched = list(fn.conditionals)
        for c in fo.conditionals:
            twin = next(
                (d for d in unmatched if canonical(d.if_.node) == canonical(c.if_.node)), None
            )
            if twin is None:
                self.emit("CA035", path, f"conditional `{_cond_label(c)}` removed")
                continue
            unmatched.remove(twin)
            for a, b in ((c.then, twin.then), (c.else_, twin.else_)):
                if a is not None or b is not None:
                    self.compare(_or_any(a), _or_any(b), path, False)
        for d in unmatched:
            self.emit("CA034", path, f"conditional `{_cond_label(d)}` added")

    def _types(self, fo: Flat, fn: Flat, path: str, present: bool) -> bool:
        if fo.types == fn.types:
            return True
        o_all = fo.types if fo.types is not None else ALL_TYPES
        n_all = fn.types if fn.types is not None else ALL_TYPES
        on, nn = "null" in o_all, "null" in n_all
        o_set, n_set = o_all - {"null"}, n_all - {"null"}
        overlap = any(_covered(t, n_set) for t in o_set) or any(_covered(t, o_set) for t in n_set)
        desc = f"type {_fmt_types(fo.types)} → {_fmt_types(fn.types)}"
        if not overlap and not (on and nn) and o_all and n_all:
            self.emit("CA012", path, desc, present)
            return False
        added = sorted(t for t in n_set if not _covered(t, o_set))
        removed = sorted(t for t in o_set if not _covered(t, n_set))
        if added:
            self.emit("CA010", path, f"{desc} (now also {', '.join(added)})")
        if removed:
            self.emit("CA011", path, f"{desc} (no longer {', '.join(removed)})")
        if nn and not on:
            self.emit("CA013", path, "null is now allowed")
        if on and not nn:
            self.emit("CA014", path, "null is no longer allowed")
        return True

    def _values(self, fo: Flat, fn: Flat, path: str, present: bool) -> None:
        if fo.values is None and fn.values is None:
            return
        if fo.values is None:
            self.emit("CA019", path, f"value restricted to {_show(fn.values)}")
            return
        if fn.values is None:
            self.emit("CA020", path, f"restriction {_show(fo.values)} removed")
            return
        old = {canonical(v): v for v in fo.values if v is not None}
        new = {canonical(v): v for v in fn.values if v is not None}
        if old and new and not (old.keys() & new.keys()):
            rule_id = "CA018" if fo.from_const and fn.from_const else "CA017"
            word = "const" if rule_id == "CA018" else "enum"
            self.emit(rule_id, path, f"{word} {_show(fo.values)} → {_show(fn.values)}", present)
            return
        for k, v in new.items():
            if k not in old:
                self.emit("CA015", path, f"enum value {json.dumps(v)} added")
        for k, v in old.items():
            if k not in new:
                self.emit("CA016", path, f"enum value {json.dumps(v)} removed")

    def _keywords(self, fo: Flat, fn: Flat, path: str) -> None:
        for key in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            a, b = fo.other.get(key), fn.other.get(key)
            if a == b:
                continue
            if a is None:
                tighter = True
            elif b is None:
                tighter = False
            elif not isinstance(a, int | float) or not isinstance(b, int | float):
                self.emit("CA032", path, f"`{key}` {a!r} → {b!r}")
                continue
            else:
                tighter = (b > a) if key in LOWER_BOUNDS else (b < a)
            self.emit("CA021" if tighter else "CA022", path, f"`{key}` {_opt(a)} → {_opt(b)}")
        ua, ub = bool(fo.other.get("uniqueItems")), bool(fn.other.get("uniqueItems"))
        if ua != ub:
            self.emit("CA021" if ub else "CA022", path, f"`uniqueItems` {ua} → {ub}")
        pa, pb = fo.other.get("pattern"), fn.other.get("pattern")
        if pa != pb:
            if pa is None:
                self.emit("CA023", path, f"pattern {pb!r} added")
            elif pb is None:
                self.emit("CA024", path, f"pattern {pa!r} removed")
            else:
                self.emit("CA025", path, f"pattern {pa!r} → {pb!r}")
        known = {*LOWER_BOUNDS, *UPPER_BOUNDS, "uniqueItems", "pattern"}
        for key in sorted((set(fo.other) | set(fn.other)) - known):
            a, b = fo.other.get(key), fn.other.get(key)
            if canonical(a) != canonical(b):
                self.emit("CA032", path, f"`{key}` {_short(a)} → {_short(b)}")

    def _object(self, fo: Flat, fn: Flat, path: str, present: bool) -> None:
        names = list(fo.properties) + [k for k in fn.properties if k not in fo.properties]
        for name in names:
            p = prop_path(path, name)
            ro, rn = name in fo.required, name in fn.required
            if name in fo.properties and name in fn.properties:
                if ro and not rn:
                    self.emit("CA009", p, f"`{name}` is no longer required")
                if rn and not ro:
                    self.emit("CA008", p, f"`{name}` is now required")
                self.compare(fo.properties[name], fn.properties[name], p, present and ro)
            elif name in fn.properties:
                kind = "required" if rn else "optional"
                model = "a closed" if fo.closed else "an open"
                rule_id = {
                    (True, True): "CA003",
                    (True, False): "CA001",
                    (False, True): "CA004",
                    (False, False): "CA002",
                }[(fo.closed, rn)]
                self.emit(rule_id, p, f"{kind} property `{name}` added to {model} object", present)
            else:
                kind = "required" if ro else "optional"
                if fn.closed:
                    rule_id = "CA006" if ro else "CA005"
                    self.emit(
                        rule_id,
                        p,
                        f"{kind} property `{name}` removed from a closed object",
                        present,
                    )
                else:
                    self.emit("CA007", p, f"{kind} property `{name}` removed from an open object")
                    if fn.additional is not None:  # its values now meet additionalProperties
                        self.compare(fo.properties[name], fn.additional, p, False)
        if fo.closed and not fn.closed:
            self.emit("CA026", path, "undeclared properties are now allowed")
        elif fn.closed and not fo.closed:
            self.emit("CA027", path, "undeclared properties are no longer allowed")
        elif not fo.closed and (fo.additional is not None or fn.additional is not None):
            self.compare(_or_any(fo.additional), _or_any(fn.additional), f"{path}.*", False)

    def _array(self, o: Loc, n: Loc, fo: Flat, fn: Flat, path: str) -> None:
        if fo.items is not None or fn.items is not None:
            self.compare(_or_any(fo.items), _or_any(fn.items), f"{path}[*]", False)
        for i in range(max(len(fo.prefix_items), len(fn.prefix_items))):
            a = fo.prefix_items[i] if i < len(fo.prefix_items) else None
            b = fn.prefix_items[i] if i < len(fn.prefix_items) else None
            self.compare(_or_any(a), _or_any(b), f"{path}[{i}]", False)

    def _alternatives(self, o: Loc, n: Loc, fo: Flat, fn: Flat, path: str) -> None:
        olist = fo.alternatives if fo.alternatives is not None else [_as_branch(o)]
        nlist = fn.alternatives if fn.alternatives is not None else [_as_branch(n)]
        ofl = [flatten(b, self.old_res) for b in olist]
        nfl = [flatten(b, self.new_res) for b in nlist]
        pairs: list[tuple[int, int]] = []
        used_o: set[int] = set()
        used_n: set[int] = set()
        keys = (
            lambda loc, f: canonical(loc.node),
            lambda loc, f: f.ref.rsplit("/", 1)[0] if f.ref and "/" in f.ref else None,
            lambda loc, f: f.annotations.get("title"),
            _discriminator,
            lambda loc, f: _fmt_types(f.types) if f.types is not None else None,
        )
        for keyf in keys:
            for i, (lo, fo_i) in enumerate(zip(olist, ofl, strict=True)):
                if i in used_o:
                    continue
                ko = keyf(lo, fo_i)
                if ko is None:
                    continue
                for j, (ln, fn_j) in enumerate(zip(nlist, nfl, strict=True)):
                    if j not in used_n and keyf(ln, fn_j) == ko:
                        pairs.append((i, j))
                        used_o.add(i)
                        used_n.add(j)
                        break
        rest_o = [i for i in range(len(olist)) if i not in used_o]
        rest_n = [j for j in range(len(nlist)) if j not in used_n]
        if len(rest_o) == 1 and len(rest_n) == 1:
            pairs.append((rest_o[0], rest_n[0]))
            rest_o, rest_n = [], []
        for i, j in sorted(pairs):
            self.compare(olist[i], nlist[j], path, False)
        for i in rest_o:
            self.emit("CA030", path, f"alternative {_label(olist[i], ofl[i], i)} removed")
        for j in rest_n:
            self.emit("CA029", path, f"alternative {_label(nlist[j], nfl[j], j)} added")


def _as_branch(loc: Loc) -> Loc:
    """A plain schema seen as the one alternative of an anyOf: without its annotations and its
    null (both are compared at the node itself)."""
    node = loc.node
    if not isinstance(node, dict):
        return loc
    out = {k: v for k, v in node.items() if not is_annotation(k)}
    if isinstance(out.get("type"), list):
        types = [t for t in out["type"] if t != "null"]
        out["type"] = types[0] if len(types) == 1 else types
    if isinstance(out.get("enum"), list):
        out["enum"] = [v for v in out["enum"] if v is not None]
    return Loc(out, loc.base, loc.pointer)


def _cond_label(c: Conditional) -> str:
    node = c.if_.node
    if isinstance(node, dict) and isinstance(node.get("properties"), dict):
        parts = [
            f"{k} = {canonical(v['const'])}"
            for k, v in node["properties"].items()
            if isinstance(v, dict) and "const" in v
        ]
        if parts:
            return "if " + " and ".join(parts)
    return "if " + _short(node)


def _discriminator(loc: Loc, f: Flat) -> str | None:
    for name, prop in f.properties.items():
        if isinstance(prop.node, dict) and "const" in prop.node:
            return f"{name}={canonical(prop.node['const'])}"
    return None


def _label(loc: Loc, f: Flat, index: int) -> str:
    return str(f.ref or f.annotations.get("title") or _discriminator(loc, f) or f"#{index}")


def _short_uri(uri: str) -> str:
    return uri.removeprefix(ID_PREFIX)


def _or_any(loc: Loc | None) -> Loc:
    return loc if loc is not None else Loc({}, "urn:any")


def _opt(value: Any) -> str:
    return "absent" if value is None else json.dumps(value)


def _show(values: list[Json] | None) -> str:
    if values is None:
        return "any"
    if len(values) == 1:
        return json.dumps(values[0])
    return json.dumps(values)


def _short(value: Any) -> str:
    text = "absent" if value is None else canonical(value)
    return text if len(text) <= 60 else text[:57] + "..."


def compare_schemas(
    old: Loc, new: Loc, old_resolver: Resolver, new_resolver: Resolver | None = None
) -> list[Difference]:
    """Every classified difference between ``old`` and ``new`` (instance order)."""
    c = Comparer(old_resolver, new_resolver or old_resolver)
    c.compare(old, new)
    return c.diffs
