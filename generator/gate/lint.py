"""Lint rules CL001..CL010 for one schema file and CL011 for the tree (see rules.py)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.gate.findings import Finding
from generator.gate.flatten import canonical, flatten
from generator.gate.resolve import (
    Json,
    Loc,
    RefError,
    Resolver,
    id_for,
    is_remote,
    pointer_get,
)
from generator.gate.rules import LINT_RULE_IDS, RULES, Severity

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SNAKE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
# In fact schemas, keys below these properties mirror camelCase app-server payloads.
FACT_PASSTHROUGH_KEYS = frozenset({"params", "result", "error", "response"})
_NOT_SUPPRESSIBLE = frozenset({"CL009", "CL010", "CL011"})  # not per-file

_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_ONE = (
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
)


def _jsonschema() -> Any:
    return importlib.import_module("jsonschema")


@dataclass(frozen=True)
class Node:
    schema: dict[str, Any]
    pointer: str
    exempt: bool  # snake_case exemption (fact pass-through payloads)
    condition: bool = False  # below `if` / `not`: tests, not declarations


def _esc(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _walk(
    node: Json, pointer: str, exempt: bool, facts: bool, into_defs: bool, condition: bool = False
) -> Iterator[Node]:
    if not isinstance(node, dict):
        return
    yield Node(node, pointer, exempt, condition)
    for key in _SUBSCHEMA_MAPS:
        children = node.get(key)
        if not isinstance(children, dict) or (key in ("$defs", "definitions") and not into_defs):
            continue
        for name, child in children.items():
            child_exempt = exempt or (
                facts and key == "properties" and name in FACT_PASSTHROUGH_KEYS
            )
            yield from _walk(
                child, f"{pointer}/{key}/{_esc(name)}", child_exempt, facts, into_defs, condition
            )
    for key in _SUBSCHEMA_LISTS:
        children = node.get(key)
        if isinstance(children, list):
            for i, child in enumerate(children):
                yield from _walk(child, f"{pointer}/{key}/{i}", exempt, facts, into_defs, condition)
    for key in _SUBSCHEMA_ONE:
        if key in node:
            yield from _walk(
                node[key],
                f"{pointer}/{key}",
                exempt,
                facts,
                into_defs,
                condition or key in ("if", "not", "propertyNames", "contains"),
            )


def _nodes(doc: dict[str, Any], facts: bool) -> list[Node]:
    """Every schema node once. In fact schemas, a `$defs` entry inherits the snake_case
    exemption of the places that reference it (exempt only if every reference is exempt)."""
    if not facts:
        return list(_walk(doc, "", False, False, True))
    nodes = list(_walk(doc, "", False, True, False))
    defs: dict[str, bool] = {}  # pointer of a $defs entry -> exempt
    queue = list(nodes)
    while queue:
        n = queue.pop()
        ref = n.schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            continue
        target = ref[1:]
        exempt = n.exempt if target not in defs else (defs[target] and n.exempt)
        if defs.get(target) is exempt:
            continue
        defs[target] = exempt
        try:
            sub = pointer_get(doc, target)
        except RefError:
            continue
        queue.extend(_walk(sub, target, exempt, True, False))
    seen = {n.pointer for n in nodes}
    out = list(nodes)
    for ptr, exempt in defs.items():
        for n in _walk_at(doc, ptr, exempt):
            if n.pointer not in seen:
                seen.add(n.pointer)
                out.append(n)
    for n in _walk(doc, "", False, True, True):  # unreferenced definitions: not exempt
        if n.pointer not in seen:
            seen.add(n.pointer)
            out.append(n)
    return out


def _walk_at(doc: dict[str, Any], ptr: str, exempt: bool) -> Iterator[Node]:
    try:
        sub = pointer_get(doc, ptr)
    except RefError:
        return
    yield from _walk(sub, ptr, exempt, True, False)


def _suppressions(doc: dict[str, Any], file: str) -> tuple[dict[str, str], list[Finding]]:
    raw = doc.get("x-lint-ignore")
    if raw is None:
        return {}, []
    out: dict[str, str] = {}
    problems: list[Finding] = []
    if not isinstance(raw, list):
        raw = [raw]
    for i, entry in enumerate(raw):
        ptr = f"#/x-lint-ignore/{i}"
        if not isinstance(entry, dict):
            problems.append(Finding("CL009", Severity.ERROR, file, ptr, "entry is not an object"))
            continue
        rule_id, reason = entry.get("rule"), entry.get("reason")
        if rule_id not in LINT_RULE_IDS or rule_id in _NOT_SUPPRESSIBLE:
            problems.append(
                Finding(
                    "CL009",
                    Severity.ERROR,
                    file,
                    ptr,
                    f"{rule_id!r} is not a suppressible lint rule",
                )
            )
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(
                Finding(
                    "CL009", Severity.ERROR, file, ptr, f"suppression of {rule_id} has no reason"
                )
            )
        else:
            out[rule_id] = reason
    return out, problems


def lint_schema(doc: Json, rel: str, resolver: Resolver) -> tuple[list[Finding], list[str]]:
    """Lint findings for ``schemas/<rel>`` and notes on the suppressions used."""
    file = f"schemas/{rel}"
    found: list[Finding] = []

    def add(rule_id: str, pointer: str, message: str) -> None:
        found.append(Finding(rule_id, RULES[rule_id].severity, file, f"#{pointer}", message))

    if not isinstance(doc, dict):
        add("CL001", "", "a schema file must hold a JSON object")
        return found, []
    js = _jsonschema()
    if doc.get("$schema") != DIALECT:
        add("CL001", "/$schema", f"`$schema` must be {DIALECT}")
    meta = js.Draft202012Validator(js.Draft202012Validator.META_SCHEMA)
    for err in sorted(meta.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        ptr = "".join(f"/{_esc(p)}" for p in err.absolute_path)
        add("CL001", ptr, f"not valid draft 2020-12: {err.message}")
    if doc.get("$id") != id_for(rel):
        add("CL002", "/$id", f"`$id` is {doc.get('$id')!r}, the path says {id_for(rel)!r}")
    resolver.register(id_for(rel), doc)  # local "#/..." refs resolve in this very document
    kind = rel.split("/", 1)[0]
    facts = kind == "facts"
    # common/fact_* pieces are $ref'd from fact payloads and mirror their camelCase wire form.
    fact_piece = kind == "common" and rel.split("/")[1].startswith("fact_")
    base = id_for(rel)
    for n in _nodes(doc, facts):
        if fact_piece:
            n = Node(n.schema, n.pointer, True, n.condition)
        _lint_node(n, base, resolver, add)
    if kind == "events":
        _lint_event(doc, base, resolver, add)
    suppressed, problems = _suppressions(doc, file)
    notes: list[str] = []
    kept: list[Finding] = []
    for f in found:
        if f.rule in suppressed:
            continue
        kept.append(f)
    for rule_id, reason in suppressed.items():
        hits = sum(1 for f in found if f.rule == rule_id)
        if hits:
            notes.append(f"{file}: {rule_id} suppressed ({hits} finding(s)): {reason}")
        else:
            kept.append(
                Finding(
                    "CL010",
                    RULES["CL010"].severity,
                    file,
                    "#/x-lint-ignore",
                    f"suppression of {rule_id} matches nothing",
                )
            )
    return kept + problems, notes


def _lint_node(n: Node, base: str, resolver: Resolver, add: Any) -> None:
    s, ptr = n.schema, n.pointer
    props = s.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            p = f"{ptr}/properties/{_esc(name)}"
            if not n.exempt and not SNAKE.fullmatch(name):
                add("CL003", p, f"property name {name!r} is not snake_case")
            if not n.condition and not _described(sub, base, resolver):
                add("CL004", p, f"property {name!r} has no description")
    types = s.get("type")
    tlist = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "integer" in tlist:
        lo = "minimum" in s or "exclusiveMinimum" in s
        hi = "maximum" in s or "exclusiveMaximum" in s
        if not (lo and hi):
            add(
                "CL006",
                ptr,
                "integer without "
                + " and ".join(w for w, ok in (("minimum", lo), ("maximum", hi)) if not ok),
            )
    if "enum" in s:
        values = s["enum"]
        if not isinstance(values, list) or not values:
            add("CL007", f"{ptr}/enum", "enum is empty")
        else:
            keys = [canonical(v) for v in values]
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                add("CL007", f"{ptr}/enum", f"enum repeats {', '.join(dupes)}")
            if "" in values:
                add("CL007", f"{ptr}/enum", "enum holds an empty string")
    ref = s.get("$ref")
    if isinstance(ref, str):
        if is_remote(ref):
            add("CL008", f"{ptr}/$ref", f"$ref {ref!r} is absolute; refs are relative")
        else:
            try:
                resolver.resolve(ref, base)
            except RefError as exc:
                add("CL008", f"{ptr}/$ref", f"$ref {ref!r} does not resolve: {exc}")


def _described(sub: Json, base: str, resolver: Resolver) -> bool:
    if not isinstance(sub, dict):
        return False
    desc = sub.get("description")
    if isinstance(desc, str) and desc.strip():
        return True
    ref = sub.get("$ref")
    if isinstance(ref, str) and not is_remote(ref):
        try:
            target = resolver.resolve(ref, base)
        except RefError:
            return False
        tdesc = target.node.get("description") if isinstance(target.node, dict) else None
        return isinstance(tdesc, str) and bool(tdesc.strip())
    return False


def _lint_event(doc: dict[str, Any], base: str, resolver: Resolver, add: Any) -> None:
    root = flatten(Loc(doc, base), resolver)
    if not root.closed:
        add("CL005", "", "the event object is not closed (additionalProperties: false)")
    params = root.properties.get("event_params")
    if params is None:
        add("CL005", "/properties", "event has no `event_params`")
        return
    fp = flatten(params, resolver)
    if not fp.closed:
        add(
            "CL005",
            "/properties/event_params",
            "`event_params` is not closed (additionalProperties / unevaluatedProperties false)",
        )


def lint_batch(schemas: Path) -> list[Finding]:
    """CL011: the newest batch schema must accept every version of every event type."""
    from generator.batch import missing_from_batch, newest_batch

    if not (schemas / "events").is_dir() or not (schemas / "batch").is_dir():
        return []  # a deleted batch folder is reported by CI002
    try:
        missing = missing_from_batch(schemas)
        newest = newest_batch(schemas)
    except (OSError, ValueError) as exc:  # an unreadable batch file is CG004's business
        return [Finding("CL011", Severity.ERROR, "schemas/batch", "$", f"cannot read: {exc}")]
    if not missing:
        return []
    file = f"schemas/batch/{newest[1].name}" if newest else "schemas/batch"
    more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
    return [
        Finding(
            "CL011",
            RULES["CL011"].severity,
            file,
            "#/properties/events/items",
            f"the newest batch schema does not accept {missing[0]}{more}: run "
            "`./codex-contract batch` to write the next batch version, then `make`",
        )
    ]
