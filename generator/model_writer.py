"""The package's models module, written by datamodel-code-generator from the bundle.

`write_models(bundle)` runs the pinned datamodel-code-generator over the bundle (see
`generator.bundle`: class names, reading order and the named integer types are decided there)
with `DCG_OPTIONS` and the template override in templates/python/models/, then `arrange`s its
output: the one post-processing step.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError
from generator.paths import TEMPLATES

# Named types (the integer widths, unions such as CodexErrorInfo) are plain
# `Name: TypeAlias = ...` annotations (templates/python/models/), which pydantic inlines; an
# optional key that is absent is `MISSING`, so that `null` stays a wrong type where the schema
# does not allow it and an absent key is left out again when serializing. Descriptions are
# class docstrings (objects) and `Field(description=...)` (fields: known at run time and in
# `model_json_schema()`).
DCG_OPTIONS = (
    "--input-file-type", "jsonschema",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.11",
    "--target-pydantic-version", "2.14",
    "--use-annotated",
    "--field-constraints",
    "--enum-field-as-literal", "all",
    "--disable-timestamp",
    "--strict-nullable",
    "--use-missing-sentinel",
    "--use-schema-description",
    "--use-double-quotes",
    "--strict-types", "str", "int", "bool",
    "--use-type-alias",
    "--skip-root-model",
    "--custom-template-dir", str(TEMPLATES / "python" / "models"),
    "--additional-imports", "typing.TypeAlias,typing.ClassVar",
    "--formatters", "black", "isort",
)  # fmt: skip

REBUILD_COMMENT = "# The models that name a later definition, completed now (the last first)."


def write_models(
    bundle: dict[str, Any], class_vars: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """The text of the models module (without the generated-file header). `class_vars`: class
    name -> {ClassVar name: string value} (a root's `schema_version` and `schema_id`)."""
    if not bundle.get("$defs"):  # nothing to model (no schema has an older version yet)
        return "# ruff: noqa\n\n__all__: list[str] = []\n"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "contract_bundle.json"
        out = Path(tmp) / "models.py"
        src.write_text(json.dumps(bundle, indent=1, ensure_ascii=False), encoding="utf-8")
        cmd = [
            sys.executable, "-m", "datamodel_code_generator",
            "--input", str(src), "--output", str(out), *DCG_OPTIONS,
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, check=False)
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise GeneratorError(f"datamodel-code-generator (over the bundled schemas): {tail}")
        text = out.read_text(encoding="utf-8")
    return arrange(_json_objects(text), list(bundle["$defs"]), class_vars or {})


# A model of an open object with declared properties: its `model_config` allows extra keys.
_OPEN_MODEL = re.compile(
    r"^    model_config = ConfigDict\(\n(?:        .*\n)*?        extra=\"allow\",\n"
    r"(?:        .*\n)*?    \)\n",
    re.M,
)


def _json_objects(text: str) -> str:
    """An open object holds any JSON values: their numbers must be ones serde_json reads back
    unchanged (no NaN, infinities or integers beyond 64 bits), which `dict[str, Any]` and
    pydantic's unchecked extra keys do not check. An open object without properties becomes
    the package's `JsonObject`; the extra keys of one with properties are `JsonValue`s."""
    text = re.sub(r"\bdict\[str, Any\]", "JsonObject", text)
    text = _OPEN_MODEL.sub(
        lambda m: m.group(0) + "    __pydantic_extra__: dict[str, JsonValue] = Field(init=False)\n",
        text,
    )
    return text.replace(
        "from __future__ import annotations\n",
        "from __future__ import annotations\n\n"
        "from codex_analytics_contract.json_numbers import JsonObject, JsonValue\n",
        1,
    )


@dataclass(frozen=True)
class _Definition:
    """One model or named type of the generator's output."""

    name: str
    text: str
    evaluates: frozenset[str]  # names evaluated when the module runs (a value, class bases)
    refers: frozenset[str]  # names its field annotations refer to (when the model is built)


def arrange(
    text: str, order: list[str], class_vars: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """datamodel-code-generator's output, arranged (the one post-processing step).

    Drops its header (it names a temporary file) and the TypeAliasType import the alias
    template does not use; puts the definitions in the bundle's reading order (`order`; a named
    type that is evaluated when the module runs waits until the classes it names are defined);
    completes the models that name a later definition (`model_rebuild()` at the end, so that
    every field, its description included, is known once the module is imported); lists the
    definitions in `__all__`; gives the classes named in `class_vars` their ClassVars (string
    values written as Python literals: data, never code). Refuses a name the bundle did not
    give (the generator would have invented it, e.g. `Foo1`).
    """
    # dcg writes `conint(...)` inside unions (an integer of no Rust width beside a string),
    # which mypy rejects as a type; the Annotated form means the same to pydantic.
    text = re.sub(r"\bconint\(([^()]*)\)", r"Annotated[int, Field(\1)]", text)
    text = _restore_version_names(text, order)
    head, definitions = _split(text)
    invented = sorted(set(definitions) - set(order))
    if invented:
        raise RuntimeError(f"datamodel-code-generator named models the bundle did not: {invented}")
    for name, values in (class_vars or {}).items():
        if name not in definitions:
            raise RuntimeError(f"no model {name!r} to give its class variables to")
        definitions[name] = _with_class_vars(definitions[name], values)
    ordered = _in_reading_order(definitions, order)
    rebuilds = "".join(f"{name}.model_rebuild()\n" for name in reversed(_forward(ordered)))
    exported = "".join(f"    {d.name!r},\n" for d in sorted(ordered, key=lambda d: d.name))
    return (
        "# ruff: noqa\n"
        + "\n\n".join(head)
        + "\n\n\n"
        + "\n\n\n".join(d.text for d in ordered)
        + (f"\n\n\n{REBUILD_COMMENT}\n{rebuilds}" if rebuilds else "\n")
        + f"\n\n__all__ = [\n{exported}]\n"
    )


def _restore_version_names(text: str, order: list[str]) -> str:
    """Give back the version suffixes' underscores (`CodexTurnEventV1_0_0`), which
    datamodel-code-generator drops from class names (`CodexTurnEventV100`)."""
    renames: dict[str, str] = {}
    for name in order:
        if "_" in name:
            squeezed = name.replace("_", "")
            if squeezed in renames or squeezed in order:
                raise GeneratorError(
                    f"models {renames.get(squeezed, squeezed)} and {name}: their names differ only "
                    "in the underscores of a version, which the model writer drops"
                )
            renames[squeezed] = name
    if not renames:
        return text
    names = "|".join(map(re.escape, sorted(renames, key=len, reverse=True)))
    pattern = re.compile(rf"\b({names})\b")
    return pattern.sub(lambda m: renames[m.group(1)], text)


def _with_class_vars(definition: _Definition, values: Mapping[str, str]) -> _Definition:
    """The class with `name: ClassVar[str] = 'value'` lines after its docstring."""
    lines = definition.text.splitlines()
    node = ast.parse(definition.text).body[0]
    assert isinstance(node, ast.ClassDef), definition.name
    first = node.body[0]
    has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    after = (first.end_lineno or first.lineno) if has_doc else node.lineno
    added = [f"    {key}: ClassVar[str] = {str(value)!r}" for key, value in values.items()]
    text = "\n".join([*lines[:after], *added, *lines[after:]])
    return _Definition(definition.name, text, definition.evaluates, definition.refers)


def _split(text: str) -> tuple[list[str], dict[str, _Definition]]:
    """The module's head (imports) and its definitions by name, each with its text."""
    lines = text.splitlines()
    statements = ast.parse(text).body
    head: list[str] = []
    definitions: dict[str, _Definition] = {}
    start = index = 0
    while index < len(statements):
        node = statements[index]
        index += 1
        end = node.end_lineno or node.lineno
        name = _defined_name(node)
        named_type = name is not None and not isinstance(node, ast.ClassDef)
        if named_type and index < len(statements) and isinstance(statements[index], ast.Expr):
            end = statements[index].end_lineno or end  # the named type's docstring
            index += 1
        chunk = lines[start:end]
        start = end
        if name is not None:
            definitions[name] = _Definition(
                name, "\n".join(chunk).strip("\n"), _evaluated(node), _annotations(node)
            )
            continue
        while chunk and (not chunk[0].strip() or chunk[0].startswith("#")):
            chunk.pop(0)  # the generator's header
        if isinstance(node, ast.ImportFrom) and node.module == "typing_extensions":
            kept = [alias.name for alias in node.names if alias.name != "TypeAliasType"]
            chunk = [f"from typing_extensions import {', '.join(kept)}"] if kept else []
        if chunk:
            head.append("\n".join(chunk))
    return head, definitions


def _in_reading_order(definitions: dict[str, _Definition], order: list[str]) -> list[_Definition]:
    """The definitions in `order`, except that one evaluating a later definition's name when
    the module runs waits for it."""
    out: list[_Definition] = []
    done: set[str] = set()
    waiting: list[_Definition] = []
    for name in order:
        if name in definitions:
            waiting.append(definitions[name])
        ready = True
        while ready:
            ready = False
            for item in list(waiting):
                if item.evaluates & (definitions.keys() - done - {item.name}):
                    continue
                out.append(item)
                done.add(item.name)
                waiting.remove(item)
                ready = True
    if waiting:
        names = [item.name for item in waiting]
        raise RuntimeError(f"named types that refer to each other when the module runs: {names}")
    return out


def _forward(ordered: list[_Definition]) -> list[str]:
    """The models whose fields name themselves or a definition that follows them."""
    later = {d.name for d in ordered}
    out: list[str] = []
    for item in ordered:
        if item.refers & later:
            out.append(item.name)
        later.discard(item.name)
    return out


def _defined_name(node: ast.stmt) -> str | None:
    """The model or named type a top-level statement defines (None: an import, ...)."""
    if isinstance(node, ast.ClassDef):
        return node.name
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


def _names(nodes: list[ast.expr]) -> frozenset[str]:
    return frozenset(n.id for e in nodes for n in ast.walk(e) if isinstance(n, ast.Name))


def _evaluated(node: ast.stmt) -> frozenset[str]:
    """The names a definition evaluates when the module runs: a named type's value, a class's
    bases (field annotations are not evaluated then: `from __future__ import annotations`)."""
    if isinstance(node, ast.ClassDef):
        return _names([*node.bases, *(k.value for k in node.keywords)])
    if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
        return _names([node.value])
    return frozenset()


def _annotations(node: ast.stmt) -> frozenset[str]:
    """The names a class's field annotations refer to (evaluated when the model is built)."""
    if not isinstance(node, ast.ClassDef):
        return frozenset()
    return _names([item.annotation for item in node.body if isinstance(item, ast.AnnAssign)])
