"""What the templates see: every event and fact, its fields in wire order, described.

Built from the bundle (so `allOf` is already flattened and every object has a class name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.bundle import Bundler, model_name
from generator.schema_store import SchemaFile, SchemaStore


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type_text: str  # human-readable JSON type, e.g. "integer", "string", "object Runtime"
    nullable: bool
    required: bool
    description: str
    enum: tuple[Any, ...] | None = None
    const: Any = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    ref: str | None = None  # class name of a nested object
    children: tuple[FieldSpec, ...] = ()


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


def _types(node: dict[str, Any]) -> tuple[list[str], bool]:
    raw = node.get("type")
    types = [raw] if isinstance(raw, str) else list(raw or [])
    nullable = "null" in types
    types = [t for t in types if t != "null"]
    for key in ("anyOf", "oneOf"):
        for member in node.get(key, []):
            if member.get("type") == "null":
                nullable = True
            elif "$ref" in member:
                types.append(member["$ref"].rsplit("/", 1)[-1])
            else:
                member_types, member_null = _types(member)
                nullable = nullable or member_null
                types.extend(member_types or ["value"])
    if "$ref" in node:
        types.append(node["$ref"].rsplit("/", 1)[-1])
    if "const" in node and not types:
        types.append(type(node["const"]).__name__.replace("str", "string"))
    if "enum" in node and None in node["enum"]:
        nullable = True
    return types, nullable


def _type_text(node: dict[str, Any], defs: dict[str, Any]) -> str:
    types, _ = _types(node)
    parts = []
    for t in dict.fromkeys(types):
        if t == "array":
            item = node.get("items", {})
            parts.append(
                "array of " + (_type_text(item, defs) if isinstance(item, dict) else "value")
            )
        elif t in defs:
            parts.append(f"object {t}")
        else:
            parts.append(t)
    return " | ".join(parts) or "any"


def field_specs(obj: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> tuple[FieldSpec, ...]:
    out = []
    required = set(obj.get("required", []))
    for name, node in obj.get("properties", {}).items():
        types, nullable = _types(node)
        ref = next((t for t in types if t in defs), None)
        children: tuple[FieldSpec, ...] = ()
        if ref is not None and depth < 3 and defs[ref].get("properties"):
            children = field_specs(defs[ref], defs, depth + 1)
        enum = node.get("enum")
        out.append(
            FieldSpec(
                name=name,
                type_text=_type_text(node, defs),
                nullable=nullable,
                required=name in required,
                description=str(node.get("description", "")),
                enum=tuple(v for v in enum if v is not None) if enum else None,
                const=node.get("const"),
                minimum=node.get("minimum"),
                maximum=node.get("maximum"),
                pattern=node.get("pattern"),
                ref=ref,
                children=children,
            )
        )
    return tuple(out)


def schema_spec(item: SchemaFile, store: SchemaStore, bundler: Bundler) -> SchemaSpec:
    defs = bundler.defs
    cls = model_name(item)
    root = defs[cls]
    fields = field_specs(root, defs)
    params_field = "event_params" if item.kind == "events" else None
    params: tuple[FieldSpec, ...] = ()
    if params_field is not None:
        params = next(f.children for f in fields if f.name == params_field)
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
    )
