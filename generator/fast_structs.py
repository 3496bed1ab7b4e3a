"""Compile the contract's bundle into msgspec Structs: the opt-in fast path (`[fast]` extra).

The same bundle the pydantic models come from (bundle.py: `$defs` with local refs only) is
written as a msgspec module, `_generated/fast_models.py`, that accepts exactly what the models
accept and encodes exactly the bytes the models serialize. Each construct is carried so:

* a closed object -> a `Struct` with `forbid_unknown_fields=True`, its fields in wire order
  (`kw_only=True` keeps the order with required and optional fields mixed); a required key is a
  field without default, an optional key defaults to `UNSET` (absent, never written), `null`
  is a value only where the schema allows it;
* an object with only `additionalProperties` -> `dict[str, T]` (`true`: `dict[str, Any]`);
* an internally tagged `oneOf` (a `discriminator`) -> a union of Structs declared with
  `tag_field`/`tag`; the tag must be the variant's first property (msgspec writes it first);
  an event's `event_type` is its tag the same way (the event union is tagged on it);
* an externally tagged union (a string variant or a closed one-key object per variant, as
  serde writes Rust enums) -> one Struct with every variant key optional that checks, after
  decoding, that exactly one key is present; string members of a union merge into one string
  type (an enum and a pattern become one pattern);
* `minimum`/`maximum` -> `msgspec.Meta(ge=, le=)` when both fit msgspec's native int64 range;
  a bound beyond it (u64's 2**64-1: msgspec decodes any integer but bounds only in int64) is
  checked by the Struct's `__post_init__`;
* `pattern` -> `msgspec.Meta(pattern=)`, which is Python's `re.search`: a pattern must be
  anchored (`^...$`) and use plain classes, groups, alternations and quantifiers only, and its
  final `$` becomes `\\Z` (`$` would also match before a trailing newline, which the models'
  Rust regex does not);
* `enum`/`const` of strings (and null) -> `Literal[...]` (`| None`).

* `type: number` -> `float` (a JSON integer is read as a float, as the models and serde's f64
  read it); `minItems`/`maxItems` -> `msgspec.Meta(min_length=, max_length=)`.

Anything else raises FastStructError naming the definition and the keyword: no construct is
carried loosely. A root (event or fact) whose closure holds a construct msgspec cannot express
(an open object with declared properties keeps unknown keys, which a Struct would drop; an
`if`/`then` conditional) is listed in its module's `NOT_CARRIED` with the reason and takes the
typed path (`NotCarriedError`); the contract's tests require every version of every event to be
carried.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator import core_schema
from generator.errors import GeneratorError
from generator.render import PyCode, py_ident, py_literal

INT64 = (-(2**63), 2**63 - 1)
# the keywords the bundle may hold: the same set the fact validators compile (one place)
_DEF_PREFIX, _IGNORED, _KNOWN = core_schema.DEF_PREFIX, core_schema.IGNORED, core_schema.KNOWN
# A pattern msgspec (Python `re`) and the models (Rust regex) read alike: anchored, plain
# characters, classes of plain characters, groups, alternation, counted quantifiers.
_PATTERN = re.compile(
    r"\^(?:[A-Za-z0-9_\-:/.@ ]|\[\^?(?:[A-Za-z0-9_:/.@ ]|[A-Za-z0-9]-[A-Za-z0-9]|\\-)+\]"
    r"|\((?:\?:)?|\)|\||[*+?]|\{\d+(?:,\d*)?\}|\\[.\-/])*\$"
)


class FastStructError(GeneratorError):
    """A schema construct the msgspec compiler cannot carry exactly (names where and what)."""


@dataclass
class _Type:
    """A compiled type: its Python expression and what a union needs to know about it."""

    code: str
    kind: str  # str, literal, int, float, bool, none, any, list, dict, struct, onekey
    strings: tuple[str, ...] = ()  # literal: the values
    pattern: str | None = None  # str: the (translated) pattern
    struct: str | None = None  # struct: the class name
    big_bounds: tuple[int | None, int | None] | None = None  # int: bounds beyond int64
    nullable: bool = False


@dataclass
class _Field:
    key: str
    attr: str
    type: _Type
    required: bool


@dataclass
class _Struct:
    name: str
    fields: list[_Field]
    closed: bool
    tag_field: str | None = None
    tag: str | None = None
    one_key: bool = False  # externally tagged: exactly one field present
    doc: str = ""
    class_vars: dict[str, str] = field(default_factory=dict)


class Compiler:
    """Compiles bundle definitions into msgspec Struct source."""

    def __init__(self, defs: Mapping[str, Any], conditionals: Mapping[str, Any]) -> None:
        self.defs = defs
        self.conditionals = conditionals
        self.structs: dict[str, _Struct] = {}
        self.aliases: dict[str, _Type] = {}
        self._active: list[str] = []

    # -- definitions ------------------------------------------------------------------

    def definition(self, name: str) -> _Type:
        if name in self.structs:
            return _Type(name, "struct", struct=name)
        if name in self.aliases:
            return self.aliases[name]
        if name in self._active:
            return _Type(name, "struct", struct=name)  # recursion through a Struct is fine
        node = self.defs.get(name)
        if node is None:
            raise FastStructError(f"{name}: no such definition in the bundle")
        if name in self.conditionals:
            raise FastStructError(f"{name}: `if`/`then` conditionals are not carried by msgspec")
        self._active.append(name)
        try:
            if _is_object(node):
                self._struct(name, node)
                return _Type(name, "struct", struct=name)
            compiled = self.schema(node, name)
        finally:
            self._active.pop()
        self.aliases[name] = compiled
        return compiled

    def _struct(self, name: str, node: dict[str, Any]) -> None:
        extra = set(node) - _IGNORED - {"type", "properties", "required", "additionalProperties"}
        extra = {key for key in extra if not key.startswith("x-")}
        if extra:
            raise FastStructError(f"{name}: keyword {sorted(extra)[0]!r} on an object")
        additional = node.get("additionalProperties", True)
        if additional is not False:
            raise FastStructError(
                f"{name}: `additionalProperties` of an object with properties is not false: "
                "a Struct would drop the unknown keys the model keeps"
            )
        required = list(node.get("required", []))
        properties: dict[str, Any] = node.get("properties", {})
        missing = [key for key in required if key not in properties]
        if missing:
            raise FastStructError(f"{name}: `required` names {missing[0]!r}, no property")
        struct = _Struct(name, [], closed=True, doc=str(node.get("description", "")))
        self.structs[name] = struct
        attrs: set[str] = set()
        for key, value in properties.items():
            compiled = self.schema(value, f"{name}.{key}")
            attr = _attribute(key, attrs)
            struct.fields.append(_Field(key, attr, compiled, key in required))

    # -- schemas ----------------------------------------------------------------------

    def schema(self, node: Any, where: str) -> _Type:
        if node is True:
            return _Type("Any", "any")
        if not isinstance(node, dict):
            raise FastStructError(f"{where}: unsupported schema {node!r}")
        node = {k: v for k, v in node.items() if not k.startswith("x-")}
        if not set(node) - _IGNORED:
            return _Type("Any", "any")
        unknown = set(node) - _KNOWN - _IGNORED
        if unknown:
            raise FastStructError(f"{where}: keyword {sorted(unknown)[0]!r} is not carried")
        if "$ref" in node:
            ref = node["$ref"]
            if set(node) - _IGNORED != {"$ref"}:
                raise FastStructError(f"{where}: keyword '$ref' with sibling keywords")
            if not isinstance(ref, str) or not ref.startswith(_DEF_PREFIX):
                raise FastStructError(f"{where}: keyword '$ref' is no bundle reference: {ref!r}")
            return self.definition(ref[len(_DEF_PREFIX) :])
        unions = [key for key in ("anyOf", "oneOf") if key in node]
        if unions:
            key = unions[0]
            if len(unions) > 1 or set(node) - _IGNORED - {key, "discriminator"}:
                raise FastStructError(f"{where}: keyword {key!r} beside other keywords")
            members = [self.schema(m, f"{where}|{i}") for i, m in enumerate(node[key])]
            tag = node.get("discriminator", {}).get("propertyName")
            return self._union(members, tag, where, key)
        if "discriminator" in node:
            raise FastStructError(f"{where}: keyword 'discriminator' without a union")
        return self._typed(node, where)

    def _typed(self, node: dict[str, Any], where: str) -> _Type:
        declared = node.get("type")
        if declared is None:
            if "enum" in node or "const" in node:
                declared = ["string", "null"]
            elif "properties" in node or "additionalProperties" in node:
                declared = "object"
            else:
                raise FastStructError(f"{where}: keyword 'type' is missing")
        types = [declared] if isinstance(declared, str) else list(declared)
        if "enum" in node or "const" in node:
            return self._literal(node, types, where)
        nullable = "null" in types
        members = [self._one(kind, node, where) for kind in types if kind != "null"]
        if nullable:
            members.append(_Type("None", "none"))
        return members[0] if len(members) == 1 else self._union(members, None, where, "type")

    def _one(self, kind: str, node: dict[str, Any], where: str) -> _Type:
        allowed = {
            "string": {"pattern"},
            "integer": {"minimum", "maximum"},
            "number": set(),
            "boolean": set(),
            "array": {"items", "minItems", "maxItems"},
            "object": {"additionalProperties", "properties", "required"},
        }
        if kind not in allowed:
            raise FastStructError(f"{where}: keyword 'type' value {kind!r} is not carried")
        constraining = set(node) - _IGNORED - {"type"}
        if kind == "string":
            if "pattern" in node:
                pattern = translate_pattern(node["pattern"], where)
                return _Type(f"Annotated[str, Meta(pattern={pattern!r})]", "str", pattern=pattern)
            return _Type("str", "str")
        if kind == "integer":
            low, high = node.get("minimum"), node.get("maximum")
            for key, bound in (("minimum", low), ("maximum", high)):
                if bound is not None and type(bound) is not int:
                    raise FastStructError(f"{where}: keyword {key!r} is no integer: {bound!r}")
            native: list[str] = []
            big_low = big_high = None
            if low is not None:
                if low >= INT64[0]:
                    native.append(f"ge={low!r}")
                else:
                    big_low = low
            if high is not None:
                if high <= INT64[1]:
                    native.append(f"le={high!r}")
                else:
                    big_high = high
            code = f"Annotated[int, Meta({', '.join(native)})]" if native else "int"
            big = (big_low, big_high) if big_low is not None or big_high is not None else None
            return _Type(code, "int", big_bounds=big)
        if kind == "boolean":
            return _Type("bool", "bool")
        if kind == "number":
            extra = sorted(constraining)
            if extra:
                raise FastStructError(f"{where}: keyword {extra[0]!r} on a number")
            # msgspec's float takes a JSON integer too and writes it as a float (3 -> 3.0),
            # as the models' strict float does and serde_json's f64 does
            return _Type("float", "float")
        if kind == "array":
            extra = sorted(constraining - {"items", "minItems", "maxItems"})
            if extra:
                raise FastStructError(f"{where}: keyword {extra[0]!r} on an array")
            items = self.schema(node.get("items", True), f"{where}[]")
            if items.big_bounds is not None:
                raise FastStructError(f"{where}: keyword 'maximum' beyond int64 inside an array")
            lengths: list[str] = []
            for key, meta in (("minItems", "min_length"), ("maxItems", "max_length")):
                if key in node:
                    if type(node[key]) is not int or node[key] < 0:
                        raise FastStructError(f"{where}: keyword {key!r} is {node[key]!r}")
                    lengths.append(f"{meta}={node[key]!r}")
            code = f"list[{items.code}]"
            if lengths:
                code = f"Annotated[{code}, Meta({', '.join(lengths)})]"
            return _Type(code, "list")
        # an object schema inline: a map (objects with properties are definitions)
        if node.get("properties") or node.get("required"):
            raise FastStructError(f"{where}: keyword 'properties' on an inline object")
        additional = node.get("additionalProperties", True)
        if additional is False:
            return _Type("dict[str, NoReturn]", "dict")
        values = self.schema(additional, f"{where}.*")
        if values.big_bounds is not None:
            raise FastStructError(f"{where}: keyword 'maximum' beyond int64 inside a map")
        return _Type(f"dict[str, {values.code}]", "dict")

    def _literal(self, node: dict[str, Any], types: list[str], where: str) -> _Type:
        keyword_name = "const" if "const" in node else "enum"
        values = [node["const"]] if "const" in node else list(node["enum"])
        if "const" in node and "enum" in node:
            values = [v for v in values if v in node["enum"]]
        for value in values:
            if value is not None and type(value) is not str:
                raise FastStructError(
                    f"{where}: keyword {keyword_name!r} value {value!r} is no string or null"
                )
        extra = set(node) - _IGNORED - {"type", "enum", "const"}
        if extra:
            raise FastStructError(f"{where}: keyword {sorted(extra)[0]!r} beside {keyword_name}")
        strings = tuple(v for v in values if v is not None and "string" in types)
        nullable = None in values and "null" in types
        if not strings and not nullable:
            raise FastStructError(f"{where}: keyword {keyword_name!r}: no value fits `type`")
        members = []
        if strings:
            members.append(_literal_type(strings))
        if nullable:
            members.append(_Type("None", "none"))
        return members[0] if len(members) == 1 else self._union(members, None, where, keyword_name)

    # -- unions -----------------------------------------------------------------------

    def _union(self, members: list[_Type], tag: str | None, where: str, key: str) -> _Type:
        flat: list[_Type] = []
        for member in members:
            if member.nullable:
                flat.extend(self._split_nullable(member))
            else:
                flat.append(member)
        nullable = any(m.kind == "none" for m in flat)
        rest = [m for m in flat if m.kind != "none"]
        if any(m.kind == "any" for m in rest):
            return _Type("Any", "any")
        by_kind: dict[str, list[_Type]] = {}
        for member in rest:
            kind = "string" if member.kind in ("str", "literal") else member.kind
            by_kind.setdefault(kind, []).append(member)
        parts: list[_Type] = []
        for kind, group in by_kind.items():
            if len(group) == 1:
                parts.append(group[0])
            elif kind == "string":
                parts.append(_merge_strings(group))
            elif kind == "struct":
                parts.append(self._struct_union(group, tag, where, key))
            else:
                raise FastStructError(f"{where}: keyword {key!r}: two {kind} members")
        if len(parts) > 1 and any(p.kind == "int" and p.big_bounds for p in parts):
            raise FastStructError(f"{where}: keyword 'maximum' beyond int64 inside a union")
        if "struct" in by_kind and "dict" in by_kind:
            raise FastStructError(f"{where}: keyword {key!r}: an object and a map member")
        code = " | ".join(p.code for p in parts) if parts else ""
        if nullable:
            code = f"{code} | None" if code else "None"
        if len(parts) == 1 and not nullable:
            return parts[0]
        first = parts[0] if parts else _Type("None", "none")
        return _Type(
            code,
            first.kind if len(parts) == 1 else "union",
            strings=first.strings,
            pattern=first.pattern,
            struct=first.struct,
            big_bounds=first.big_bounds if len(parts) == 1 else None,
            nullable=nullable and bool(parts),
        )

    def _split_nullable(self, member: _Type) -> list[_Type]:
        inner = member.code.removesuffix(" | None")
        if member.kind == "union":
            raise FastStructError(f"{member.code}: a nullable union inside a union")
        return [
            _Type(
                inner, member.kind, member.strings, member.pattern, member.struct, member.big_bounds
            ),
            _Type("None", "none"),
        ]

    def _struct_union(self, group: list[_Type], tag: str | None, where: str, key: str) -> _Type:
        structs = [self.structs[m.struct or ""] for m in group]
        tag = tag or _common_tag(structs)
        if tag is not None:
            for struct in structs:
                self._make_tagged(struct, tag, where)
            return _Type(" | ".join(s.name for s in structs), "tagged", struct=structs[0].name)
        if all(len(s.fields) == 1 and s.fields[0].required and s.closed for s in structs):
            return self._one_key(structs, where)
        raise FastStructError(
            f"{where}: keyword {key!r}: object members without a common constant tag and not "
            "one-key objects (msgspec cannot tell them apart)"
        )

    def _make_tagged(self, struct: _Struct, tag: str, where: str) -> None:
        if struct.tag_field == tag:
            return
        if struct.tag_field is not None:
            raise FastStructError(f"{where}: {struct.name} is tagged by two keys")
        if not struct.fields or struct.fields[0].key != tag:
            raise FastStructError(
                f"{where}: keyword 'discriminator': the tag {tag!r} is not the first property "
                f"of {struct.name} (msgspec writes the tag first)"
            )
        first = struct.fields[0]
        if first.type.kind != "literal" or len(first.type.strings) != 1 or not first.required:
            raise FastStructError(f"{where}: {struct.name}.{tag} is no required constant")
        struct.tag_field, struct.tag = tag, first.type.strings[0]
        struct.fields = struct.fields[1:]

    def _one_key(self, structs: list[_Struct], where: str) -> _Type:
        owner = where.split(".", 1)[0].split("|", 1)[0]
        name = f"{owner}Variant" if owner[:1].isupper() else None
        if name is None or name in self.structs or name in self.defs:
            raise FastStructError(f"{where}: no free name for the one-key union {name!r}")
        keys = [s.fields[0].key for s in structs]
        if len(set(keys)) != len(keys):
            raise FastStructError(f"{where}: two one-key members with the key {keys[0]!r}")
        merged = _Struct(
            name,
            [_Field(s.fields[0].key, s.fields[0].attr, s.fields[0].type, False) for s in structs],
            closed=True,
            one_key=True,
            doc=f"One variant of {owner} written as an object with exactly one key.",
        )
        self.structs[name] = merged
        return _Type(name, "struct", struct=name)

    # -- output -----------------------------------------------------------------------

    def open_values(self, root: str) -> list[tuple[tuple[str, ...], int]]:
        """Where a root Struct holds open values (`Any`): (attribute path, `*` for each item of
        a list or map, and how many JSON containers enclose the value). The models' JSON parser
        refuses a value inside more than 200 containers; msgspec's limit is Python's recursion
        limit, so the fast path checks these values after decoding."""
        found: list[tuple[tuple[str, ...], int]] = []

        def visit(name: str, path: tuple[str, ...], level: int, active: frozenset[str]) -> None:
            if name in active:
                raise FastStructError(f"{name}: a recursive object holding open values")
            for item in self.structs[name].fields:
                here = (*path, item.attr)
                if re.search(r"\bAny\b", item.type.code):
                    found.append((here, level + 1))
                for ref, depth in _struct_refs(item.type.code, self.structs):
                    visit(ref, (*here, *("*",) * depth), level + 1 + depth, active | {name})

        visit(root, (), 0, frozenset())
        return list(dict.fromkeys(found))

    def render(self) -> PyCode:
        """Every Struct and alias compiled so far, as Python source."""
        lines: list[str] = []
        for struct in self.structs.values():
            lines.extend(_struct_source(struct))
            lines += ["", ""]
        # after the Structs: an alias is evaluated at import (it may name them)
        for name, alias in self.aliases.items():
            lines.append(f"{py_ident(name)}: TypeAlias = {alias.code}")
        return PyCode("\n".join(lines).rstrip("\n"))


def _struct_refs(code: str, structs: Mapping[str, _Struct]) -> Iterable[tuple[str, int]]:
    """The Structs a type expression names, with the containers around each (list/dict)."""
    for match in re.finditer(r"\b[A-Z][A-Za-z0-9_]*\b", code):
        name = match.group(0)
        if name in structs:
            before = code[: match.start()]
            depth = before.count("[") - before.count("]")
            wrappers = len(re.findall(r"\b(?:list|dict)\[", before))
            yield name, min(depth, wrappers)


def _struct_source(struct: _Struct) -> list[str]:
    options = ["Struct"]
    if struct.tag_field is not None:
        options.append(f"tag_field={py_literal(struct.tag_field)}")
        options.append(f"tag={py_literal(struct.tag)}")
    options += ["forbid_unknown_fields=True", "kw_only=True", "gc=False"]
    lines = [f"class {py_ident(struct.name)}({', '.join(options)}):"]
    if struct.doc:
        lines.append(f"    __doc__ = {py_literal(struct.doc)}")
    for name, value in struct.class_vars.items():
        lines.append(f"    {py_ident(name)}: ClassVar[str] = {py_literal(value)}")
    for item in struct.fields:
        annotation = item.type.code
        default = ""
        if not item.required:
            bare = annotation.removesuffix(" | None")
            annotation = f"{bare} | UnsetType" + (" | None" if bare != annotation else "")
            default = "UNSET"
        if item.attr != item.key:
            default = (
                f"field(name={py_literal(item.key)}, default=UNSET)"
                if default
                else f"field(name={py_literal(item.key)})"
            )
        suffix = f" = {default}" if default else ""
        lines.append(f"    {py_ident(item.attr)}: {annotation}{suffix}")
    checks = _post_init(struct)
    if checks:
        lines += ["", "    def __post_init__(self) -> None:", *checks]
    if len(lines) == 1:
        lines.append("    pass")
    return lines


def _post_init(struct: _Struct) -> list[str]:
    checks: list[str] = []
    for item in struct.fields:
        bounds = item.type.big_bounds
        if bounds is None:
            continue
        value = f"self.{item.attr}"
        low, high = bounds
        if low is not None:
            checks.append(f"        if type({value}) is int and {value} < {low!r}:")
            checks.append(f"            raise ValueError({f'Expected `int` >= {low}'!r})")
        if high is not None:
            checks.append(f"        if type({value}) is int and {value} > {high!r}:")
            checks.append(f"            raise ValueError({f'Expected `int` <= {high}'!r})")
    if struct.one_key:
        attrs = ", ".join(f"self.{py_ident(f.attr)}" for f in struct.fields)
        keys = ", ".join(f.key for f in struct.fields)
        checks.append(f"        if sum(value is not UNSET for value in ({attrs},)) != 1:")
        checks.append(
            f"            raise ValueError({f'Expected exactly one of the keys {keys}'!r})"
        )
    return checks


def _literal_type(strings: tuple[str, ...]) -> _Type:
    return _Type(
        f"Literal[{', '.join(py_literal(s) for s in strings)}]", "literal", strings=strings
    )


def _merge_strings(group: list[_Type]) -> _Type:
    """One string type accepting what any member accepts."""
    if any(m.kind == "str" and m.pattern is None for m in group):
        return _Type("str", "str")
    if all(m.kind == "literal" for m in group):
        values: list[str] = []
        for member in group:
            values += [v for v in member.strings if v not in values]
        return _literal_type(tuple(values))
    alternatives: list[str] = []
    for member in group:
        if member.kind == "literal":
            words = "|".join(re.escape(v) for v in member.strings)
            alternatives.append(f"^(?:{words})\\Z")
        else:
            alternatives.append(member.pattern or "")
    pattern = "|".join(f"(?:{a})" for a in alternatives)
    return _Type(f"Annotated[str, Meta(pattern={pattern!r})]", "str", pattern=pattern)


def translate_pattern(pattern: Any, where: str) -> str:
    """A contract pattern as Python `re.search` reads it the way Rust's regex does."""
    if not isinstance(pattern, str) or not _PATTERN.fullmatch(pattern):
        raise FastStructError(
            f"{where}: keyword 'pattern' {pattern!r} is outside the subset both regex engines "
            "read alike (anchored ^...$, plain characters and classes, groups, quantifiers)"
        )
    try:
        re.compile(pattern)
    except re.error as exc:
        raise FastStructError(f"{where}: keyword 'pattern' {pattern!r}: {exc}") from None
    return pattern[:-1] + "\\Z"


def _common_tag(structs: list[_Struct]) -> str | None:
    candidates: set[str] | None = None
    for struct in structs:
        if struct.tag_field is not None:
            tags = {struct.tag_field}
        else:
            tags = {
                f.key
                for f in struct.fields
                if f.required and f.type.kind == "literal" and len(f.type.strings) == 1
            }
        candidates = tags if candidates is None else candidates & tags
    return next(iter(candidates)) if candidates and len(candidates) == 1 else None


def _attribute(key: str, taken: set[str]) -> str:
    attr = key
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", attr) or keyword.iskeyword(attr):
        attr = "f_" + re.sub(r"[^A-Za-z0-9_]", "_", key)
    while attr in taken:
        attr += "_"
    taken.add(attr)
    return attr


def _is_object(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "object" and "properties" in node


@dataclass(frozen=True)
class Roots:
    """Roots of one bundle to compile: (registry key, definition name, schema version)."""

    events: list[tuple[str, str, str]]
    facts: list[tuple[str, str, str]]


def compile_bundle(
    defs: Mapping[str, Any], conditionals: Mapping[str, Any], roots: Roots
) -> tuple[Compiler, dict[str, str]]:
    """Compile every root that msgspec can carry exactly; the others are returned in {root
    definition: why it cannot be carried} (never loosened: they take the typed path, and the
    contract's tests require every version of every event to be carried:
    tests/fast/test_examples_both_paths.py)."""
    compiler = Compiler(defs, conditionals)
    not_carried: dict[str, str] = {}
    for tag_key, items in (("event_type", roots.events), ("fact", roots.facts)):
        for key, name, version in items:
            trial = Compiler(defs, conditionals)
            try:
                _root(trial, name, tag_key, key, version)
                trial.open_values(name)
            except FastStructError as exc:
                not_carried[name] = str(exc)
                continue
            _root(compiler, name, tag_key, key, version)
    return compiler, not_carried


def _root(compiler: Compiler, name: str, tag_key: str, tag: str, version: str) -> None:
    compiled = compiler.definition(name)
    if compiled.kind != "struct":
        raise FastStructError(f"{name}: a root that is not an object")
    struct = compiler.structs[name]
    compiler._make_tagged(struct, tag_key, name)
    if struct.tag != tag:
        raise FastStructError(f"{name}: keyword 'const' of {tag_key!r} is {struct.tag!r}")
    struct.class_vars["schema_version"] = version


def names_of(items: Iterable[tuple[str, str, str]]) -> list[tuple[str, PyCode]]:
    return [(key, py_ident(name)) for key, name, _ in items]


@dataclass(frozen=True)
class FastModule:
    """What templates/python/fast_models.py.j2 (the newest versions) and fast_history.py.j2
    (every older version) render."""

    code: PyCode
    imports: PyCode  # the import lines the code needs
    events: list[tuple[str, PyCode]]  # event type -> Struct (one per root, in root order)
    facts: list[tuple[str, PyCode]]  # fact kind -> Struct (the carried ones)
    not_carried: list[tuple[str, str]]  # root class -> why msgspec cannot carry it
    open_values: list[tuple[PyCode, list[tuple[tuple[str, ...], int]]]]


def fast_module(
    defs: Mapping[str, Any], conditionals: Mapping[str, Any], roots: Roots
) -> FastModule:
    """The fast module of one bundle (the newest versions' or the older versions')."""
    compiler, not_carried = compile_bundle(defs, conditionals, roots)
    events = [item for item in roots.events if item[1] not in not_carried]
    facts = [item for item in roots.facts if item[1] not in not_carried]
    code = compiler.render()
    carried = [name for _, name, _ in events + facts]
    open_values = [(py_ident(name), compiler.open_values(name)) for name in carried]
    return FastModule(
        code=code,
        imports=_imports(code),
        open_values=[(name, found) for name, found in open_values if found],
        events=names_of(events),
        facts=names_of(facts),
        not_carried=sorted(not_carried.items()),
    )


def _imports(code: str) -> PyCode:
    """The import lines of the fast module: what the template uses and what `code` uses."""
    typing = {"Final", "TypeAlias"} | {
        name
        for name in ("Annotated", "Any", "ClassVar", "Literal", "NoReturn")
        if re.search(rf"\b{name}\b", code)
    }
    msgspec = {"Struct"} | {
        name for name in ("UNSET", "Meta", "UnsetType") if re.search(rf"\b{name}\b", code)
    }
    if re.search(r"\bfield\(", code):
        msgspec.add("field")
    return PyCode(
        f"from typing import {', '.join(sorted(typing))}\n\n"
        f"from msgspec import {', '.join(sorted(msgspec, key=lambda n: (not n.isupper(), n)))}"
    )
