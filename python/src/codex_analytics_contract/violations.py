"""Translate pydantic validation errors into contract violations with JSON paths."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from codex_analytics_contract.errors import (
    ContractError,
    InvalidJSONError,
    InvalidValueError,
    MissingFieldError,
    OutOfRangeError,
    UnexpectedFieldError,
    UnknownEventTypeError,
    Violation,
    WrongTypeError,
    describe,
)

_RANGE = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}
_TYPE_NAMES = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "string_type": "a string",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "list_type": "an array",
    "none_required": "null",
    "float_type": "a number",
}


def contract_error(
    exc: ValidationError,
    data: Any,
    tag: str | None,
    known: Mapping[str, type[BaseModel]],
) -> ContractError:
    """The ContractError for a failed validation of `data` (bytes, str or a JSON-like value)."""
    errors = exc.errors(include_url=False)
    if errors and errors[0]["type"] == "json_invalid":
        detail = str(errors[0].get("ctx", {}).get("error", errors[0]["msg"]))
        return InvalidJSONError([Violation("$", "one JSON document", detail, "json_invalid")])
    instance: Any = data
    if isinstance(data, bytes | str):
        try:
            instance = json.loads(data)
        except ValueError:
            instance = None
    return error_for(violations(exc, instance, tag, known))


def error_for(found: list[Violation]) -> ContractError:
    return error_class(found[0].kind)(found)


def violations(
    exc: ValidationError,
    instance: Any,
    tag: str | None,
    known: Mapping[str, Any],
    prefix: str = "$",
) -> list[Violation]:
    return [_violation(err, instance, tag, known, prefix) for err in exc.errors(include_url=False)]


def error_class(kind: str) -> type[ContractError]:
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return UnknownEventTypeError
    if kind == "missing":
        return MissingFieldError
    if kind == "extra_forbidden":
        return UnexpectedFieldError
    if kind in _RANGE:
        return OutOfRangeError
    if kind in ("literal_error", "string_pattern_mismatch", "enum"):
        return InvalidValueError
    if kind == "json_number":
        return InvalidJSONError
    if kind in _TYPE_NAMES or kind.endswith("_type"):
        return WrongTypeError
    return ContractError


def _violation(
    err: Any, instance: Any, tag: str | None, known: Mapping[str, Any], prefix: str
) -> Violation:
    kind = str(err["type"])
    loc = tuple(err["loc"])
    if tag is not None and isinstance(instance, Mapping) and loc and loc[0] == instance.get(tag):
        loc = loc[1:]  # the discriminated union names the member by its tag value
    relative, node = _json_path(loc, instance)
    path = prefix + relative
    ctx = err.get("ctx") or {}
    actual = describe(err.get("input"))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        key = str(ctx.get("discriminator", tag)).strip("'")
        if path == prefix and tag is not None:  # the top-level event_type / fact
            where, expected = f"{prefix}.{tag}", f"`{tag}` to be one of {len(known)} known values"
            key = tag
        else:  # an internally tagged object inside: the path names the object
            where, expected = path, f"`{key}` to be one of {ctx.get('expected_tags')}"
        if kind == "union_tag_not_found":
            return Violation(where, f"the tag key `{key}`", "no such key", kind)
        # the tag as the instance holds it (pydantic's context has it as a string: 5 -> "5")
        found = node.get(key, ctx.get("tag")) if isinstance(node, Mapping) else ctx.get("tag")
        return Violation(where, expected, describe(found), kind)
    if kind == "missing":
        return Violation(path, "this required key (use null for an absent value)", "no key", kind)
    if kind == "extra_forbidden":
        return Violation(path, "no such key (closed object)", actual, kind)
    if kind in _RANGE:
        bound = {
            "greater_than_equal": f">= {ctx.get('ge')}",
            "less_than_equal": f"<= {ctx.get('le')}",
            "greater_than": f"> {ctx.get('gt')}",
            "less_than": f"< {ctx.get('lt')}",
        }[kind]
        bounds = (err.get("input"), *ctx.values())
        number = "a number" if any(isinstance(v, float) for v in bounds) else "an integer"
        return Violation(path, f"{number} {bound}", actual, kind)
    if kind == "json_number":  # a number inside an open object: the path goes down to it
        where = str(ctx.get("where", ""))
        return Violation(path + where, str(err.get("msg")), str(ctx.get("found")), kind)
    if kind == "finite_number":
        return Violation(path, "a finite number (JSON has no NaN or infinities)", actual, kind)
    if kind == "literal_error":
        return Violation(path, f"one of {ctx.get('expected')}", actual, kind)
    if kind == "string_pattern_mismatch":
        return Violation(path, f"a string matching {ctx.get('pattern')}", actual, kind)
    if kind in _TYPE_NAMES:
        return Violation(path, _TYPE_NAMES[kind], actual, kind)
    return Violation(path, str(err.get("msg", kind)), actual, kind)


def _json_path(loc: tuple[Any, ...], instance: Any) -> tuple[str, Any]:
    """Map a pydantic error location onto the instance (union member names are skipped);
    returns the JSON path and the value found there (None past a missing key)."""
    path = ""
    node = instance
    for part in loc:
        if isinstance(node, Mapping) and isinstance(part, str) and part in node:
            path += _key(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path += f"[{part}]"
            node = node[part]
        elif isinstance(node, Mapping) and any(
            v == part for v in node.values() if isinstance(v, str)
        ):
            continue  # a discriminated union names the member by its tag value
        elif isinstance(node, Mapping) and isinstance(part, str) and _is_field_name(part):
            path += _key(part)  # a missing or unexpected key: name it, stop descending
            node = None
        # else: a union member or tag name in the location, not a key of the instance.
    return path, node


def _key(part: str) -> str:
    return f".{part}" if part.isidentifier() else f"[{json.dumps(part)}]"


def _is_field_name(part: str) -> bool:
    # Union member labels from pydantic look like class names or type expressions
    # ("CodexTurnEvent", "str", "literal['a']", "function-after[...]"); JSON keys of this
    # contract are snake_case or camelCase words.
    return part[:1].islower() and "[" not in part and part not in ("str", "int", "bool", "none")
