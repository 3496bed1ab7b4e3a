"""Compile the contract's JSON Schemas into pydantic-core schemas: the fast fact validators.

The package checks facts on the `reduce` hot path with pydantic-core validators that build no
model instances. Their schemas are compiled here, at generation time, from the same bundle the
models are generated from (`$defs` with local refs only, see bundle.py) and from the bundle's
`if`/`then` conditionals, and written into `_generated/fact_validators.py` (reviewed and
drift-checked like every generated file).

A compiled schema accepts exactly the JSON values its JSON Schema accepts, and returns them
unchanged (as the parsed JSON; only the key order of an object may differ):

* `type` -> a strict `str` / `int` / `bool` / `none` / `list` / `dict` schema (a list of types
  is a union; `null` in it makes the schema nullable), with `minimum`, `maximum`, `pattern` and
  `items` on the type they constrain; `enum` / `const` (strings and null) -> `literal`. Strict as
  the models are: an integer is written without a fraction (`1.0` is refused, where JSON Schema
  would take it for 1);
* an object -> a `typed-dict`: a key in `required` is required, any other key is optional and,
  when present, must match its schema (absent is fine, `null` is not unless the schema allows
  it); `additionalProperties: false` forbids other keys, otherwise they are kept;
* `anyOf` / `oneOf` -> a union (a `discriminator` makes it a tagged union on that key); as in
  the models, "exactly one" of `oneOf` is not checked: the contract's members exclude each
  other (tests/contract/test_fact_fast_check.py compares every verdict with jsonschema's);
* an object's conditionals (`if` key == constant `then` part) -> a left-to-right union of a
  tagged union on that key, whose choice per constant is the object merged with its `then`
  part, and the object with the key restricted to every other value. Two objects that must
  both hold merge into one; two other schemas that do not merge become a `chain` (the second
  checks what the first returns, which is what it was given).

Anything else raises CoreSchemaError, naming the definition: extend this compiler first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from generator.bundle import Bundler
from generator.errors import GeneratorError
from generator.render import PyCode, py_ident, py_literal
from generator.schema_store import SchemaStore, load_store

# Keywords without validation meaning here.
_IGNORED = frozenset({"description", "title", "$comment"})
_KNOWN = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "minimum",
        "maximum",
        "pattern",
        "items",
        "minItems",
        "maxItems",
        "properties",
        "required",
        "additionalProperties",
        "anyOf",
        "oneOf",
        "discriminator",
    }
)
# The keywords that constrain values of one JSON type only.
_TYPE_KEYWORDS: dict[str, frozenset[str]] = {
    "string": frozenset({"pattern"}),
    "integer": frozenset({"minimum", "maximum"}),
    "number": frozenset(),
    "array": frozenset({"items", "minItems", "maxItems"}),
    "object": frozenset({"properties", "required", "additionalProperties"}),
    "boolean": frozenset(),
    "null": frozenset(),
}
_DEF_PREFIX = "#/$defs/"
#: The keywords a bundled schema may hold (shared with generator/fast_structs.py).
DEF_PREFIX, IGNORED, KNOWN = _DEF_PREFIX, _IGNORED, _KNOWN

STR: dict[str, Any] = {"type": "str", "strict": True}
ANY: dict[str, Any] = {"type": "any"}
NONE: dict[str, Any] = {"type": "none"}
ANY_OBJECT: dict[str, Any] = {"type": "dict", "strict": True}
# Schemas that never accept null (merging `nullable(x)` with one of them drops the null).
_NULL_REJECTING = frozenset({"str", "int", "bool", "list", "dict", "typed-dict"})


class NoneOf(str):
    """A pattern matching every string but `refused` (the rendered module names them)."""

    refused: tuple[str, ...]

    def __new__(cls, refused: list[str], pattern: str) -> NoneOf:
        made = super().__new__(cls, pattern)
        made.refused = tuple(refused)
        return made


# The Rust regex of `none_of` nests one group per character and the regex parser refuses deep
# nesting (about 100 characters); a longer constant is refused with a look-ahead, which only
# Python's `re` has (about 1 µs slower per check).
_RUST_REGEX_WORD = 60


def refusing(words: list[str]) -> dict[str, Any]:
    """A strict string schema accepting every string but `words`."""
    if max(map(len, words), default=0) <= _RUST_REGEX_WORD:
        return {**STR, "pattern": NoneOf(words, none_of(words))}
    alternatives = "|".join(re.escape(word) for word in words)
    lookahead = NoneOf(words, f"^(?!(?:{alternatives})\\Z)")
    return {**STR, "pattern": lookahead, "regex_engine": "python-re"}


class CoreSchemaError(GeneratorError):
    """A schema construct this compiler does not translate (the message names where)."""


@dataclass(frozen=True)
class Ref:
    """The compiled schema of a bundle definition, by name (shared, rendered as a constant)."""

    name: str


@dataclass(frozen=True)
class Runtime:
    """A function of the package's `json_numbers` module, used by name in a schema (rendered
    as a checked identifier, imported by the generated module)."""

    name: str


#: Untyped JSON values (an open object, a key without a schema) hold numbers the way the
#: emitter's serde_json reads them: no NaN or infinities, integers within [-2^63, 2^64 - 1]
#: (`json_numbers.check_json_value`, as the models' `JsonObject` checks them).
NUMBER_CHECKS: Final[dict[str, Runtime]] = {
    "any": Runtime("check_json_value"),
    "dict": Runtime("check_open_object"),
}


def checked_numbers(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (ANY or ANY_OBJECT) with its values' numbers checked by the package."""
    function = {"type": "no-info", "function": NUMBER_CHECKS[schema["type"]]}
    return {"type": "function-after", "function": function, "schema": schema}


def runtime_functions(schema: Any) -> Any:
    """`schema` with every `Runtime` name replaced by the package function it names."""
    from codex_analytics_contract import json_numbers

    if isinstance(schema, Runtime):
        return getattr(json_numbers, schema.name)
    if isinstance(schema, dict):
        return {key: runtime_functions(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [runtime_functions(item) for item in schema]
    return schema


@dataclass(frozen=True)
class Cond:
    """`base`, and when the value's `key` equals one of the constants, that case's schema too."""

    base: Any
    key: str
    cases: tuple[tuple[str, Any], ...]


class Compiler:
    """Compiles bundle definitions (see bundle.py) into pydantic-core schemas."""

    def __init__(
        self,
        defs: Mapping[str, Any],
        conditionals: Mapping[str, list[tuple[str, Any, str]]],
    ) -> None:
        self.defs = defs
        self.conditionals = conditionals
        self.compiled: dict[str, Any] = {}  # definition name -> schema (with Ref and Cond)
        self._active: list[str] = []

    # -- JSON Schema -> schema ------------------------------------------------------------

    def definition(self, name: str) -> Ref:
        """Compile definition `name` (once) and return a reference to it."""
        if name in self.compiled:
            return Ref(name)
        if name in self._active:
            cycle = " -> ".join([*self._active[self._active.index(name) :], name])
            raise CoreSchemaError(f"{cycle}: recursive schemas are not supported")
        if name not in self.defs:
            raise CoreSchemaError(f"no definition {name!r} in the bundle")
        self._active.append(name)
        try:
            schema = self.schema(self.defs[name], name)
            cases = self.conditionals.get(name)
            if cases:
                schema = self._conditional(name, schema, cases)
        finally:
            self._active.pop()
        self.compiled[name] = schema
        return Ref(name)

    def schema(self, node: Any, where: str) -> Any:
        if node is True:
            return ANY
        if not isinstance(node, dict):
            raise CoreSchemaError(f"{where}: unsupported schema {node!r}")
        node = {k: v for k, v in node.items() if not k.startswith("x-")}  # annotations
        if not set(node) - _IGNORED:  # no constraint: any JSON value
            return ANY
        unknown = set(node) - _KNOWN - _IGNORED
        if unknown:
            raise CoreSchemaError(f"{where}: unsupported keywords {sorted(unknown)}")
        if "$ref" in node:
            if set(node) - _IGNORED != {"$ref"}:
                raise CoreSchemaError(f"{where}: a $ref with sibling keywords")
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith(_DEF_PREFIX):
                raise CoreSchemaError(f"{where}: not a bundle reference: {ref!r}")
            return self.definition(ref[len(_DEF_PREFIX) :])
        union = [key for key in ("anyOf", "oneOf") if key in node]
        if union:
            if len(union) > 1 or set(node) - _IGNORED - {union[0], "discriminator"}:
                raise CoreSchemaError(f"{where}: {union[0]} beside other keywords")
            return self._union(node[union[0]], node.get("discriminator"), where)
        if "discriminator" in node:
            raise CoreSchemaError(f"{where}: a discriminator without anyOf/oneOf")
        return self._typed(node, where)

    def _typed(self, node: dict[str, Any], where: str) -> Any:
        declared = node.get("type")
        if declared is None:
            if "properties" in node or "additionalProperties" in node:
                declared = "object"
            elif "enum" in node or "const" in node:
                declared = ["string", "null"]  # checked against the values below
            else:
                raise CoreSchemaError(f"{where}: a schema without a type")
        types = [declared] if isinstance(declared, str) else list(declared)
        for kind in types:
            if kind not in _TYPE_KEYWORDS:
                raise CoreSchemaError(f"{where}: unsupported type {kind!r}")
        for key in set(node) & set().union(*_TYPE_KEYWORDS.values()):
            if not any(key in _TYPE_KEYWORDS[kind] for kind in types):
                raise CoreSchemaError(f"{where}: {key!r} on a schema of type {declared!r}")
        if "enum" in node or "const" in node:
            if set(node) & set().union(*_TYPE_KEYWORDS.values()):
                raise CoreSchemaError(f"{where}: enum/const beside other constraints")
            return self._literal(node, types, where)
        nullable = "null" in types
        choices = [self._one_type(kind, node, where) for kind in types if kind != "null"]
        if not choices:
            return NONE
        schema = choices[0] if len(choices) == 1 else {"type": "union", "choices": choices}
        return {"type": "nullable", "schema": schema} if nullable else schema

    def _one_type(self, kind: str, node: dict[str, Any], where: str) -> Any:
        if kind == "string":
            return {**STR, "pattern": node["pattern"]} if "pattern" in node else STR
        if kind == "integer":
            bounds = {"minimum": "ge", "maximum": "le"}
            limits = {bounds[key]: node[key] for key in bounds if key in node}
            for value in limits.values():
                if type(value) is not int:
                    raise CoreSchemaError(f"{where}: an integer bound that is no integer")
            return {"type": "int", "strict": True, **limits}
        if kind == "boolean":
            return {"type": "bool", "strict": True}
        if kind == "array":
            items = self.schema(node["items"], f"{where}[]") if "items" in node else ANY
            lengths = {"minItems": "min_length", "maxItems": "max_length"}
            sizes = {lengths[key]: node[key] for key in lengths if key in node}
            return {"type": "list", "items_schema": items, "strict": True, **sizes}
        if kind == "number":  # a JSON number: finite (JSON has no NaN or infinity)
            return {"type": "float", "strict": True, "allow_inf_nan": False}
        return self._object(node, where)  # "object"

    def _object(self, node: dict[str, Any], where: str) -> Any:
        properties = node.get("properties", {})
        required = node.get("required", [])
        fields: dict[str, Any] = {}
        for key, value in properties.items():
            fields[key] = _field(self.schema(value, f"{where}.{key}"), key in required)
        for key in required:
            fields.setdefault(key, _field(ANY, True))  # required, any value
        additional = node.get("additionalProperties", True)
        if not fields and additional is True:
            return ANY_OBJECT
        schema: dict[str, Any] = {
            "type": "typed-dict",
            "fields": fields,
            "extra_behavior": "forbid" if additional is False else "allow",
            "strict": True,
        }
        if additional is not True and additional is not False:
            schema["extras_schema"] = self.schema(additional, f"{where}.*")
        return schema

    def _literal(self, node: dict[str, Any], types: list[str], where: str) -> Any:
        values = [node["const"]] if "const" in node else list(node["enum"])
        if "const" in node and "enum" in node:
            values = [value for value in values if value in node["enum"]]
        kinds = {str: "string", type(None): "null"}
        for value in values:
            if type(value) not in kinds:  # pydantic-core's literal lets `true` be 1
                raise CoreSchemaError(f"{where}: only string and null constants are supported")
        values = [value for value in values if kinds[type(value)] in types]  # JSON Schema: both
        strings = [value for value in values if value is not None]
        if not values:
            raise CoreSchemaError(f"{where}: no value satisfies both type and enum")
        if not strings:
            return NONE
        literal = {"type": "literal", "expected": strings}
        return {"type": "nullable", "schema": literal} if None in values else literal

    def _union(self, members: list[Any], discriminator: Any, where: str) -> Any:
        compiled = [self.schema(member, f"{where}|{i}") for i, member in enumerate(members)]
        nullable = NONE in compiled
        rest = [schema for schema in compiled if schema != NONE]
        if discriminator is not None:
            if nullable or set(discriminator) != {"propertyName"}:
                raise CoreSchemaError(f"{where}: unsupported discriminator {discriminator!r}")
            key = discriminator["propertyName"]
            choices: dict[str, Any] = {}
            for member in rest:
                for tag in self._tags(member, key, where):
                    if tag in choices:
                        raise CoreSchemaError(f"{where}: two members tagged {tag!r}")
                    choices[tag] = member
            schema: Any = {"type": "tagged-union", "discriminator": key, "choices": choices}
        elif not rest:
            return NONE
        elif len(rest) == 1:
            schema = rest[0]
        else:
            schema = {"type": "union", "choices": rest}
        return {"type": "nullable", "schema": schema} if nullable else schema

    def _tags(self, member: Any, key: str, where: str) -> list[str]:
        """The constants `member` (an object) requires for `key`."""
        schema = self.resolve(member)
        if isinstance(schema, Cond):
            schema = schema.base
        field = schema.get("fields", {}).get(key) if isinstance(schema, dict) else None
        value = None if field is None or not field["required"] else self.resolve(field["schema"])
        if not isinstance(value, dict) or value.get("type") != "literal":
            raise CoreSchemaError(f"{where}: a union member without a constant {key!r}")
        return list(value["expected"])

    def _conditional(self, name: str, base: Any, cases: list[tuple[str, Any, str]]) -> Cond:
        keys = {key for key, _, _ in cases}
        if len(keys) != 1:
            raise CoreSchemaError(f"{name}: conditionals on more than one key {sorted(keys)}")
        if not isinstance(base, dict) or base.get("type") != "typed-dict":
            raise CoreSchemaError(f"{name}: conditionals on a schema that is not an object")
        merged: dict[str, Any] = {}
        for _, const, then in cases:
            if type(const) is not str:
                raise CoreSchemaError(f"{name}: a conditional on a constant that is no string")
            part = self.definition(then)
            merged[const] = self.conj(merged[const], part) if const in merged else part
        return Cond(base, keys.pop(), tuple(merged.items()))

    # -- both must hold -------------------------------------------------------------------

    def resolve(self, schema: Any) -> Any:
        while isinstance(schema, Ref):
            schema = self.compiled[schema.name]
        return schema

    def conj(self, a: Any, b: Any) -> Any:
        """A schema accepting the values both `a` and `b` accept."""
        if a == b:
            return a
        a, b = self.resolve(a), self.resolve(b)
        if a in (ANY, b):
            return b
        if b == ANY:
            return a
        if isinstance(b, Cond) and not isinstance(a, Cond):
            a, b = b, a
        if isinstance(a, Cond):
            if isinstance(b, Cond):
                if b.key != a.key:
                    return _chain(a, b)
                cases = dict(a.cases)
                for const, part in b.cases:
                    cases[const] = self.conj(cases[const], part) if const in cases else part
                return Cond(self.conj(a.base, b.base), a.key, tuple(cases.items()))
            return replace(a, base=self.conj(a.base, b))
        kind_a, kind_b = a["type"], b["type"]
        if kind_b == "nullable" and kind_a != "nullable":
            a, b, kind_a, kind_b = b, a, kind_b, kind_a
        if kind_a == "nullable":
            if kind_b == "nullable":
                return {"type": "nullable", "schema": self.conj(a["schema"], b["schema"])}
            if kind_b in _NULL_REJECTING or kind_b == "literal":
                return self.conj(a["schema"], b)
        if kind_a == "typed-dict" and kind_b == "typed-dict":
            return self._merge_objects(a, b)
        if a == ANY_OBJECT and kind_b == "typed-dict":
            return b
        if b == ANY_OBJECT and kind_a == "typed-dict":
            return a
        if kind_a == "literal" and kind_b == "literal":
            both = [value for value in a["expected"] if value in b["expected"]]
            if not both:
                raise CoreSchemaError(f"no value satisfies both {a} and {b}")
            return {"type": "literal", "expected": both}
        if kind_a == "literal" and b == STR:
            return a  # the constants are strings
        if kind_b == "literal" and a == STR:
            return b
        if kind_a == "str" and b == STR:
            return a
        if kind_b == "str" and a == STR:
            return b
        return _chain(a, b)

    def _merge_objects(self, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        if "extras_schema" in a or "extras_schema" in b:
            return _chain(a, b)
        forbid_a = a["extra_behavior"] == "forbid"
        forbid_b = b["extra_behavior"] == "forbid"
        fields: dict[str, Any] = {}
        for key in {**a["fields"], **b["fields"]}:
            field_a, field_b = a["fields"].get(key), b["fields"].get(key)
            if field_a is not None and field_b is not None:
                schema = self.conj(field_a["schema"], field_b["schema"])
                fields[key] = _field(schema, field_a["required"] or field_b["required"])
                continue
            field, other_closed = (field_a, forbid_b) if field_b is None else (field_b, forbid_a)
            if other_closed:  # the other object rejects this key: it must be absent
                if field["required"]:
                    raise CoreSchemaError(f"{key!r} is required by one object, refused by another")
                continue
            fields[key] = field
        return {
            "type": "typed-dict",
            "fields": fields,
            "extra_behavior": "forbid" if forbid_a or forbid_b else "allow",
            "strict": True,
        }

    # -- schema with Ref/Cond -> pydantic-core schema -------------------------------------

    def lower(self, schema: Any, ref: Callable[[str], Any]) -> Any:
        """The pydantic-core schema; a kept reference becomes `ref(name)`."""
        if isinstance(schema, Ref):
            return ref(schema.name)
        if isinstance(schema, Cond):
            return self._lower_cond(schema, ref)
        if isinstance(schema, list):
            return [self.lower(item, ref) for item in schema]
        if isinstance(schema, dict):
            if schema in (ANY, ANY_OBJECT):
                return checked_numbers(schema)
            lowered = {key: self.lower(value, ref) for key, value in schema.items()}
            if lowered.get("extra_behavior") == "allow" and "extras_schema" not in lowered:
                lowered["extras_schema"] = checked_numbers(ANY)  # an open object's other keys
            return lowered
        return schema

    def _lower_cond(self, cond: Cond, ref: Callable[[str], Any]) -> Any:
        choices = {const: self.lower(self.conj(cond.base, part), ref) for const, part in cond.cases}
        tagged = {"type": "tagged-union", "discriminator": cond.key, "choices": choices}
        rest = self._other_values(cond)
        if rest is None:
            return tagged
        # a known constant is checked by its choice only: `rest` refuses it
        return {
            "type": "union",
            "mode": "left_to_right",
            "choices": [tagged, self.lower(rest, ref)],
        }

    def _other_values(self, cond: Cond) -> Any:
        """`cond.base` with its key restricted to values no case is about (None: nothing is
        left, and the key is required)."""
        base = self.resolve(cond.base)
        field = base["fields"].get(cond.key)
        if field is None:
            raise CoreSchemaError(f"a conditional on {cond.key!r}, which is no property")
        consts = [const for const, _ in cond.cases]
        schema = _narrowed(self.resolve(field["schema"]), consts)
        if schema is None:
            if not field["required"]:
                raise CoreSchemaError(f"{cond.key!r}: every value has a case, but may be absent")
            return None
        fields = {**base["fields"], cond.key: _field(schema, field["required"])}
        return {**base, "fields": fields}


def _field(schema: Any, required: bool) -> dict[str, Any]:
    return {"type": "typed-dict-field", "schema": schema, "required": required}


def _chain(a: Any, b: Any) -> dict[str, Any]:
    """Both: the second step checks the first one's output (which equals its input)."""
    return {"type": "chain", "steps": [a, b]}


def _narrowed(schema: Any, consts: list[str]) -> Any:
    """`schema` refusing `consts` (None: it accepts nothing else)."""
    if schema == STR:
        return refusing(consts)
    if schema.get("type") == "nullable":
        inner = _narrowed(schema["schema"], consts)
        return NONE if inner is None else {**schema, "schema": inner}
    if schema.get("type") == "literal":
        others = [value for value in schema["expected"] if value not in consts]
        return {"type": "literal", "expected": others} if others else None
    raise CoreSchemaError(f"a conditional key of schema {schema}: cannot refuse its constants")


def none_of(words: list[str]) -> str:
    """A regex (Rust syntax, no look-around) matching exactly the strings not in `words`."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # the end of a word

    def literal(c: str) -> str:
        return c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):X}}}"

    def rest(node: dict[str, Any]) -> str:
        # suffixes that, after the prefix leading to `node`, make a string that is no word
        children = sorted(key for key in node if key)
        options = [] if "" in node else [""]
        if children:
            options.append(f"[^{''.join(literal(c) for c in children)}](?s:.)*")
        else:
            options.append("(?s:.)+")
        options.extend(f"{literal(c)}(?:{rest(node[c])})" for c in children)
        return "|".join(options)

    return f"^(?:{rest(trie)})$"


# -- whole schemas (inlined) and a module of named constants ---------------------------------


def core_schemas(kind: str, store: SchemaStore | None = None) -> dict[str, Any]:
    """Event type or fact kind (`kind` "events" or "facts") -> the pydantic-core schema of its
    latest version, every reference inlined (for measurements and tests; the package ships
    the fact schemas as generated code)."""
    store = store or load_store()
    bundler = Bundler(store)
    roots = {item.name: bundler.add_root(item) for item in store.latest(kind)}
    schemas = inlined(Compiler(bundler.defs, bundler.conditionals), list(roots.values()))
    return {name: schemas[root] for name, root in roots.items()}


def inlined(compiler: Compiler, names: list[str]) -> dict[str, Any]:
    """Definition name -> its pydantic-core schema with every reference inlined."""
    done: dict[str, Any] = {}

    def ref(name: str) -> Any:
        if name not in done:
            compiler.definition(name)
            done[name] = compiler.lower(compiler.compiled[name], ref)
        return done[name]

    return {name: runtime_functions(ref(name)) for name in names}


@dataclass(frozen=True)
class Constant:
    """One named schema of the generated module: `name: CoreSchema = code`."""

    name: PyCode
    definition: str  # the bundle definition it was compiled from
    code: PyCode


def constant_name(definition: str) -> str:
    """UPPER_SNAKE_CASE of a definition name (`FactThreadItem` -> `FACT_THREAD_ITEM`)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", definition).upper()


def module_constants(compiler: Compiler, roots: list[str]) -> list[Constant]:
    """Every definition reachable from `roots` as a named constant, each after the ones it
    uses; a reference the merging inlined is not kept."""
    for name in roots:
        compiler.definition(name)
    names: dict[str, str] = {}
    order: list[str] = []

    def visit(name: str) -> None:
        if name in names:
            return
        const = constant_name(name)
        if const in names.values():
            raise CoreSchemaError(f"two definitions are named {const} as constants")
        names[name] = const
        for used in _refs(compiler.lower(compiler.compiled[name], lambda n: Ref(n))):
            visit(used)
        order.append(name)

    for name in roots:
        visit(name)

    def code(name: str) -> PyCode:
        return _render(compiler.lower(compiler.compiled[name], lambda n: Ref(n)), names, 0)

    return [Constant(py_ident(names[name]), name, code(name)) for name in order]


def _refs(schema: Any) -> Iterator[str]:
    if isinstance(schema, Ref):
        yield schema.name
    elif isinstance(schema, dict):
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _refs(item)


def _render(schema: Any, names: Mapping[str, str], depth: int) -> PyCode:
    """Python source of a schema: literals (`repr`) and constant names (checked identifiers);
    a part that fits on its line is written on one line."""
    flat = _one_line(schema, names)
    if flat is not None and len(flat) + 4 * depth <= _LINE:
        return flat
    pad, inner = "    " * depth, "    " * (depth + 1)
    if isinstance(schema, dict):
        items = [
            f"{inner}{py_literal(key)}: {_render(value, names, depth + 1)},{_note(value)}\n"
            for key, value in schema.items()
        ]
        return PyCode("{\n" + "".join(items) + pad + "}")
    if isinstance(schema, list):
        items = [f"{inner}{_render(item, names, depth + 1)},\n" for item in schema]
        return PyCode("[\n" + "".join(items) + pad + "]")
    return _one_line(schema, names) or py_literal(schema)


_LINE = 96  # room for the key before a value on its line


def _one_line(schema: Any, names: Mapping[str, str]) -> PyCode | None:
    """`schema` on one line (None: it holds a value that needs a comment)."""
    if isinstance(schema, Ref):
        return py_ident(names[schema.name])
    if isinstance(schema, Runtime):
        return py_ident(schema.name)
    if isinstance(schema, NoneOf):
        return None
    parts: list[str] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            code = _one_line(value, names)
            if code is None:
                return None
            parts.append(f"{py_literal(key)}: {code}")
        return PyCode("{" + ", ".join(parts) + "}")
    if isinstance(schema, list):
        for item in schema:
            code = _one_line(item, names)
            if code is None:
                return None
            parts.append(code)
        return PyCode("[" + ", ".join(parts) + "]")
    return py_literal(schema)


def _note(value: Any) -> str:
    """A comment after a value that is hard to read (literals only: schema text stays data)."""
    if isinstance(value, NoneOf):
        return "  # any string but " + ", ".join(py_literal(word) for word in value.refused)
    return ""
