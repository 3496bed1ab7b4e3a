"""What the templates see: every event and fact, its fields in wire order, described.

Built from the bundle (so `allOf` is already flattened and every object has a name there). The
bundle's names are internal model class names: nothing here shows them. A field's type is said
in JSON terms ("string", "object", "array of object"); a nested object's fields, the variants
of a union (`anyOf` / `oneOf`, each with its own values and fields) and the fields a
conditional (`if method = ...`) adds are spelled out as nested specs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from generator.bundle import Bundler, model_name
from generator.schema_store import SchemaFile, SchemaStore

# FieldSpec.role: what a row of a field table stands for.
FIELD = "field"  # a property: `name` is the key
VARIANT = "variant"  # one alternative of a union: `name` is its label (title, tag or type)
CASE = "case"  # fields that apply when a key has a value: `name` is the key, `const` the value
ENTRY = "entry"  # the values of an object with free keys (a map): `name` is ""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type_text: str  # JSON type in words, e.g. "integer", "string or object", "array of object"
    nullable: bool
    required: bool
    description: str
    enum: tuple[Any, ...] | None = None
    const: Any = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    children: tuple[FieldSpec, ...] = ()  # fields of the object value (or of each array item)
    variants: tuple[FieldSpec, ...] = ()  # the alternatives of a union value (role VARIANT)
    cases: tuple[FieldSpec, ...] = ()  # conditional fields of the object value (role CASE)
    role: str = FIELD


@dataclass(frozen=True)
class SchemaSpec:
    kind: str  # "events" | "facts" | "common"
    name: str  # event_type, fact name or common piece name
    version: str
    versions: tuple[str, ...]
    class_name: str
    relpath: str  # below schemas/
    title: str
    description: str
    fields: tuple[FieldSpec, ...]
    params_field: str | None  # "event_params" for events
    params: tuple[FieldSpec, ...] = field(default_factory=tuple)
    upstream: str | None = None
    cases: tuple[FieldSpec, ...] = ()  # conditional fields of the root object
    params_cases: tuple[FieldSpec, ...] = ()  # conditional fields of `event_params`


_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "array" if isinstance(value, list) else "object")


def _join(words: list[str]) -> str:
    return " or ".join(dict.fromkeys(words)) or "any value"


class Describer:
    """Describes bundle schemas as FieldSpecs. ``conditionals``: the bundler's
    `object def -> [(key, value, then def)]`."""

    def __init__(
        self, defs: dict[str, Any], conditionals: dict[str, list[tuple[str, Any, str]]]
    ) -> None:
        self.defs = defs
        self.conditionals = conditionals

    # -- objects ------------------------------------------------------------------------------

    def fields(
        self,
        obj: dict[str, Any],
        seen: frozenset[str] = frozenset(),
        also_required: frozenset[str] = frozenset(),
    ) -> tuple[FieldSpec, ...]:
        required = set(obj.get("required", [])) | also_required
        return tuple(
            self.describe(node, name, name in required, FIELD, seen)
            for name, node in obj.get("properties", {}).items()
        )

    def cases(self, def_name: str, seen: frozenset[str]) -> tuple[FieldSpec, ...]:
        """The conditionals of an object: a `then` restricts keys the object itself requires."""
        owner_required = frozenset(self.defs[def_name].get("required", []))
        out = []
        for key, value, then in self.conditionals.get(def_name, []):
            then_def = self.defs[then]
            out.append(
                FieldSpec(
                    name=key,
                    type_text="",
                    nullable=False,
                    required=True,
                    description=str(then_def.get("description", "")),
                    const=value,
                    children=self.fields(then_def, seen | {then}, owner_required),
                    cases=self.cases(then, seen | {then}),
                    role=CASE,
                )
            )
        return tuple(out)

    # -- one schema -----------------------------------------------------------------------------

    def describe(
        self, node: Any, name: str, required: bool, role: str, seen: frozenset[str]
    ) -> FieldSpec:
        """A FieldSpec for the schema ``node`` (a property's, a variant's or map values')."""
        node = node if isinstance(node, dict) else {}
        description = str(node.get("description", ""))
        target, def_name = self._target(node)
        if not description:
            description = str(target.get("description", ""))
        members = target.get("anyOf") or target.get("oneOf") or []
        nulls = [m for m in members if isinstance(m, dict) and m.get("type") == "null"]
        rest = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
        if len(rest) == 1:  # `X or null`: the field is X, nullable
            inner = self.describe(rest[0], name, required, role, seen)
            return replace(inner, nullable=True, description=description or inner.description)
        nullable = bool(nulls) or self._nullable(target)
        variants: tuple[FieldSpec, ...] = ()
        if rest:
            variants = tuple(
                self.describe(m, self._label(m, i), True, VARIANT, seen)
                for i, m in enumerate(rest, start=1)
            )
            type_text = _join([v.type_text for v in variants])
        else:
            type_text = self._type_text(target)
        enum = target.get("enum")
        children: tuple[FieldSpec, ...] = ()
        cases: tuple[FieldSpec, ...] = ()
        shape, shape_def = target, def_name
        if "items" in target:  # an array: what each item holds
            shape, shape_def = self._target(target["items"])
            item_members = shape.get("anyOf") or shape.get("oneOf")
            if item_members and not variants:
                variants = self.describe(target["items"], name, True, role, seen).variants
        if shape_def is not None and shape_def in seen:
            pass  # a structure that contains itself: described where it first appears
        elif "properties" in shape:
            inner_seen = seen | ({shape_def} if shape_def else set())
            children = self.fields(shape, inner_seen)
            if shape_def is not None:
                cases = self.cases(shape_def, inner_seen)
            extra = shape.get("additionalProperties")
            if isinstance(extra, dict):
                children += (self.describe(extra, "", True, ENTRY, inner_seen),)
        return FieldSpec(
            name=name,
            type_text=type_text,
            nullable=nullable,
            required=required,
            description=description,
            enum=tuple(v for v in enum if v is not None) if enum else None,
            const=target.get("const"),
            minimum=target.get("minimum"),
            maximum=target.get("maximum"),
            pattern=target.get("pattern"),
            children=children,
            variants=variants,
            cases=cases,
            role=role,
        )

    def _target(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The schema a node stands for: the definition it refers to, or itself."""
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref[len("#/$defs/") :]
            target = self.defs.get(name)
            if isinstance(target, dict):
                return target, name
        return node, None

    def _nullable(self, node: dict[str, Any]) -> bool:
        raw = node.get("type")
        types = [raw] if isinstance(raw, str) else list(raw or [])
        return "null" in types or None in (node.get("enum") or [])

    def _type_text(self, node: dict[str, Any], depth: int = 0) -> str:
        """The JSON type(s) of a schema in words, without `null` (said by `nullable`)."""
        target, _ = self._target(node)
        members = target.get("anyOf") or target.get("oneOf")
        if members and depth < 8:
            words = [self._type_text(m, depth + 1) for m in members if m.get("type") != "null"]
            return _join(words)
        raw = target.get("type")
        types = [raw] if isinstance(raw, str) else list(raw or [])
        if not types and "properties" in target:
            types = ["object"]
        if not types and "const" in target:
            types = [_json_type(target["const"])]
        if not types and target.get("enum"):
            types = [_json_type(v) for v in target["enum"]]
        words = []
        for t in types:
            if t == "null":
                continue
            if t == "array" and isinstance(target.get("items"), dict) and depth < 8:
                words.append("array of " + self._type_text(target["items"], depth + 1))
            else:
                words.append(str(t))
        return _join(words)

    def _label(self, member: Any, index: int) -> str:
        """What a reader calls one variant: its title, its tag (`type = shell`), the one key of
        an externally tagged object, else its JSON type."""
        if not isinstance(member, dict):
            return f"variant {index}"
        target, _ = self._target(member)
        for node in (member, target):
            for key in ("title", "x-label"):
                if isinstance(node.get(key), str) and node[key].strip():
                    return str(node[key])
        props = target.get("properties", {})
        required = target.get("required", [])
        for key, prop in props.items():
            if isinstance(prop, dict) and "const" in prop and key in required:
                return f"{key} = {json.dumps(prop['const'], ensure_ascii=False)}"
        if len(props) == 1 and required == list(props):
            return f"{{{next(iter(props))}: ...}}"
        return self._type_text(target)


def schema_spec(item: SchemaFile, store: SchemaStore, bundler: Bundler) -> SchemaSpec:
    defs = bundler.defs
    cls = model_name(item)
    describer = Describer(defs, bundler.conditionals)
    root = defs[cls]
    seen = frozenset({cls})
    fields = describer.fields(root, seen)
    params_field = "event_params" if item.kind == "events" else None
    params: tuple[FieldSpec, ...] = ()
    params_cases: tuple[FieldSpec, ...] = ()
    if params_field is not None:
        spec = next(f for f in fields if f.name == params_field)
        params, params_cases = spec.children, spec.cases
    versions = tuple(str(v.version) for v in store.versions(item.kind, item.name))
    return SchemaSpec(
        kind=item.kind,
        name=item.name,
        version=str(item.version),
        versions=versions,
        class_name=cls,
        relpath=item.path.relative_to(store.root).as_posix(),
        title=str(item.schema.get("title", item.name)),
        description=str(item.schema.get("description", "")),
        fields=fields,
        params_field=params_field,
        params=params,
        upstream=item.schema.get("x-upstream"),
        cases=describer.cases(cls, seen),
        params_cases=params_cases,
    )
