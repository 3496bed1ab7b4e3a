"""Check the conditional parts of the contract that pydantic models cannot express.

A schema may say "when `method` is `turn/start`, `params` has this shape" with
`allOf: [{if: {properties: {method: {const: "turn/start"}}}, then: {...}}]`. The generator turns
each `then` into a model and lists them in `registry.CONDITIONALS`; after the main model has
validated an instance, `check_conditionals` walks the instance along
`registry.CONDITIONAL_PATHS` and validates every part whose condition holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaError, SchemaValidator

from codex_analytics_contract._generated import models
from codex_analytics_contract._generated.registry import CONDITIONAL_PATHS, CONDITIONALS
from codex_analytics_contract.errors import Violation
from codex_analytics_contract.violations import violations


def has_conditionals(model_name: str) -> bool:
    return model_name in CONDITIONALS or model_name in CONDITIONAL_PATHS


def check_conditionals(model_name: str, value: Any, path: str = "$") -> list[Violation]:
    """Every violation of a conditional part below `value` (an instance of `model_name`)."""
    found: list[Violation] = []
    if not isinstance(value, dict):
        return found
    for key, const, then in CONDITIONALS.get(model_name, ()):
        actual = value.get(key, _ABSENT)
        if actual is _ABSENT or actual != const or type(actual) is not type(const):
            continue
        model: type[BaseModel] = getattr(models, then)
        try:
            model.__pydantic_validator__.validate_python(value, strict=True)
        except ValidationError as exc:
            found.extend(violations(exc, value, None, {}, prefix=path))
            continue
        found.extend(check_conditionals(then, value, path))
    for prop, child, is_array in CONDITIONAL_PATHS.get(model_name, ()):
        item = value.get(prop)
        if is_array and isinstance(item, list):
            for index, element in enumerate(item):
                found.extend(check_conditionals(child, element, f"{path}.{prop}[{index}]"))
        elif isinstance(item, dict):
            found.extend(check_conditionals(child, item, f"{path}.{prop}"))
    return found


_ABSENT: Any = object()


# -- the fast yes/no check used on the `reduce` hot path -----------------------------------
#
# `fact_check(model)` answers "would `parse_fact` accept this JSON object?" without building
# model instances: every model of the contract is translated into a typed-dict schema that
# accepts exactly the same JSON values (no validators, aliases or root models are involved;
# an open object ignores its extra keys instead of copying them), and the conditional parts
# are merged into that schema (below). It only says yes or no: on a no, callers run
# `parse_fact` for the exact error.

Check = Callable[[Any], bool]


class _Unsupported(Exception):
    """A schema construct the typed-dict translation does not cover."""


_MODEL_FIELD_KEYS = frozenset({"type", "schema", "metadata"})
_MODEL_FIELDS_KEYS = frozenset({"type", "fields", "model_name", "computed_fields"})


def _plain(schema: Any) -> Any:
    """`schema` with every model replaced by an equivalent typed dict."""
    if isinstance(schema, list):
        return [_plain(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if not isinstance(schema.get("type"), str):  # a map of fields or union choices
        return {key: _plain(value) for key, value in schema.items()}
    if schema["type"] != "model":
        return {key: _plain(value) for key, value in schema.items() if key != "metadata"}
    inner = schema["schema"]
    config = schema.get("config") or {}
    if (
        schema.get("root_model")
        and not schema.get("custom_init")
        and not schema.get("post_init")
        and set(config) <= {"title"}
    ):  # a root model is its root value in JSON (e.g. a string with a pattern)
        return _plain(inner)
    if (
        schema.get("root_model")
        or schema.get("custom_init")
        or schema.get("post_init")
        or inner.get("type") != "model-fields"
        or not set(inner) <= _MODEL_FIELDS_KEYS
        or inner.get("computed_fields")
        or set(config) - {"title", "extra_fields_behavior"}
    ):
        raise _Unsupported(schema.get("ref"))
    fields: dict[str, Any] = {}
    for name, field in inner["fields"].items():
        if not set(field) <= _MODEL_FIELD_KEYS:
            raise _Unsupported(name)
        field_schema = field["schema"]
        if field_schema.get("type") == "default" and set(field_schema) != {
            "type",
            "schema",
            "default",
        }:
            raise _Unsupported(name)
        optional = field_schema.get("type") == "default"
        present = field_schema["schema"] if optional else field_schema
        if present.get("type") == "missing-sentinel":  # an optional key: JSON has no MISSING
            present = present["schema"]
        fields[name] = {
            "type": "typed-dict-field",
            # a default is never validated: an optional key, with no value filled in
            "schema": _plain(present),
            "required": not optional,
        }
    extra = config.get("extra_fields_behavior", "ignore")
    if extra not in ("allow", "ignore", "forbid"):
        raise _Unsupported(extra)
    plain: dict[str, Any] = {
        "type": "typed-dict",
        "fields": fields,
        # an open object accepts any extra key: checking, not keeping, is enough here
        "extra_behavior": "forbid" if extra == "forbid" else "ignore",
    }
    return plain


def _model(name: str) -> type[BaseModel]:
    model: type[BaseModel] = getattr(models, name)
    if not model.__pydantic_complete__:
        model.model_rebuild()
    return model


def fact_check(model: type[BaseModel]) -> Check | None:
    """Yes/no: would `model` and its conditional parts accept this JSON object (None: no fast
    check for this model)."""
    name = model.__name__
    try:
        keyed = _keyed(name)
        if keyed is None:
            default = SchemaValidator(_merged(name))
            key = ""
            validators: dict[tuple[type, object], SchemaValidator] = {}
        else:  # the top-level conditional is picked here, not by a tag function
            key, tags, choices = keyed
            base = _base(name)
            default = SchemaValidator(base)
            validators = {
                tag: SchemaValidator(_conj(base, choices[label])) for tag, label in tags.items()
            }
    except (_Unsupported, SchemaError):  # not expressible: parse_fact does all the work
        return None
    types = frozenset(kind for kind, _ in validators)

    def ok(value: dict[str, Any]) -> bool:
        validator = default
        if validators:
            actual = value.get(key, _ABSENT)
            if type(actual) in types:
                validator = validators.get((type(actual), actual), default)
        try:
            validator.validate_python(value, strict=True)
        except ValidationError:
            return False
        return True

    return ok


# -- one schema for a model and all its conditional parts ----------------------------------
#
# The `then` parts are merged into the model's own schema: a conditional becomes a tagged
# union whose tag function picks the matching `then` (or "*": nothing more to check), and two
# object schemas that must both hold become one object schema. Whatever does not merge raises
# _Unsupported, and that fact kind is then checked by `parse_fact` alone.

_ANY: dict[str, Any] = {"type": "any"}
_OTHER = "*"


def _base(name: str) -> Any:
    return _inline(_plain(_model(name).__pydantic_core_schema__))


def _merged(name: str) -> Any:
    conditional = _conditional_schema(name)
    base = _base(name)
    return base if conditional is None else _conj(base, conditional)


def _inline(schema: Any) -> Any:
    """`schema` without refs (merging copies parts); definitions are not supported."""
    if isinstance(schema, list):
        return [_inline(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if not isinstance(schema.get("type"), str):
        return {key: _inline(value) for key, value in schema.items()}
    if schema["type"] in ("definitions", "definition-ref"):
        raise _Unsupported(schema["type"])
    return {key: _inline(value) for key, value in schema.items() if key != "ref"}


def _dict_tag(value: Any) -> str:
    return "dict" if isinstance(value, dict) else _OTHER


def _conditional_schema(name: str) -> Any:
    """A schema for `not check_conditionals(name, value)` (None: nothing to check)."""
    conditionals = CONDITIONALS.get(name, ())
    fields: dict[str, Any] = {}
    for prop, child, is_array in CONDITIONAL_PATHS.get(name, ()):
        child_schema = _conditional_schema(child)
        if child_schema is None:
            continue
        if is_array or prop in fields:
            raise _Unsupported(prop)
        fields[prop] = {"type": "typed-dict-field", "schema": child_schema, "required": False}
    if fields and conditionals:
        raise _Unsupported(name)
    if fields:  # anything but an object passes
        walk = {"type": "typed-dict", "fields": fields, "extra_behavior": "ignore"}
        return {
            "type": "tagged-union",
            "choices": {"dict": walk, _OTHER: _ANY},
            "discriminator": _dict_tag,
        }
    keyed = _keyed(name)
    if keyed is None:
        return None
    key, tags, choices = keyed
    return {
        "type": "tagged-union",
        "choices": {**choices, _OTHER: _ANY},
        "discriminator": _KeyTag(key, tags),
    }


class _KeyTag:
    """Tag function of a conditional: the label of the value of `key`, or "*"."""

    def __init__(self, key: str, tags: dict[tuple[type, object], str]) -> None:
        self.key = key
        self.tags = tags
        self.types = frozenset(kind for kind, _ in tags)

    def __call__(self, value: Any) -> str:
        if isinstance(value, dict):
            actual = value.get(self.key, _ABSENT)
            if type(actual) in self.types:
                return self.tags.get((type(actual), actual), _OTHER)
        return _OTHER


def _keyed(name: str) -> tuple[str, dict[tuple[type, object], str], dict[str, Any]] | None:
    """The key of the model's conditionals, a label per (type, value) of that key, and the
    merged `then` schema per label (None: no conditionals)."""
    conditionals = CONDITIONALS.get(name, ())
    if not conditionals:
        return None
    key = conditionals[0][0]
    if any(other != key for other, _, _ in conditionals):
        raise _Unsupported(name)
    if any(
        _conditional_schema(child) is not None for _, child, _ in CONDITIONAL_PATHS.get(name, ())
    ):
        raise _Unsupported(name)
    tags: dict[tuple[type, object], str] = {}
    choices: dict[str, Any] = {}
    for _, const, then in conditionals:
        tag = tags.setdefault((type(const), const), str(len(tags)))
        then_schema = _merged(then)
        choices[tag] = _conj(choices[tag], then_schema) if tag in choices else then_schema
    return key, tags, choices


_NONE_REJECTING = frozenset({"typed-dict", "str", "int", "bool", "list", "dict"})


def _conj(a: Any, b: Any) -> Any:
    """A schema accepting what both `a` and `b` accept (raises _Unsupported)."""
    kind_a, kind_b = a["type"], b["type"]
    if kind_a == "any":
        return b
    if kind_b == "any" or a == b:
        return a
    if kind_b == "tagged-union":
        if b["discriminator"] is _dict_tag:  # objects: the walk; anything else passes
            if kind_a == "typed-dict":
                return _conj(a, b["choices"]["dict"])
            if kind_a == "nullable" and a["schema"]["type"] == "typed-dict":
                return {"type": "nullable", "schema": _conj(a["schema"], b["choices"]["dict"])}
        choices = {tag: _conj(a, choice) for tag, choice in b["choices"].items()}
        return {**b, "choices": choices}
    if kind_a == "tagged-union":
        return _conj(b, a)
    if kind_a == "nullable" and kind_b == "nullable":
        return {"type": "nullable", "schema": _conj(a["schema"], b["schema"])}
    if kind_a == "nullable" and kind_b in _NONE_REJECTING:
        return _conj(a["schema"], b)
    if kind_b == "nullable":
        return _conj(b, a)
    if kind_a == "typed-dict" and kind_b == "typed-dict":
        return _merge_objects(a, b)
    if kind_a == "str" and kind_b == "literal":
        return _conj(b, a)
    if (
        kind_a == "literal"
        and set(a) == {"type", "expected"}
        and all(type(value) is str for value in a["expected"])
        and kind_b == "str"
        and set(b) <= {"type", "strict"}
    ):
        return a  # a plain string that is one of these strings
    raise _Unsupported(f"{kind_a} and {kind_b}")


def _merge_objects(a: Any, b: Any) -> Any:
    for schema in (a, b):
        if set(schema) != {"type", "fields", "extra_behavior"}:
            raise _Unsupported("typed-dict options")
    forbid_a = a["extra_behavior"] == "forbid"
    forbid_b = b["extra_behavior"] == "forbid"
    fields: dict[str, Any] = {}
    for name in {**a["fields"], **b["fields"]}:
        field_a = a["fields"].get(name)
        field_b = b["fields"].get(name)
        if field_a is not None and field_b is not None:
            fields[name] = {
                "type": "typed-dict-field",
                "schema": _conj(_present(field_a), _present(field_b)),
                "required": field_a["required"] or field_b["required"],
            }
            continue
        field, closed_other = (field_a, forbid_b) if field_b is None else (field_b, forbid_a)
        if closed_other:  # the other object rejects this key
            if field["required"]:
                raise _Unsupported(name)
            continue
        fields[name] = field
    return {
        "type": "typed-dict",
        "fields": fields,
        "extra_behavior": "forbid" if forbid_a or forbid_b else "ignore",
    }


def _present(field: Any) -> Any:
    """The schema a present value of this typed-dict field must satisfy."""
    if set(field) != {"type", "schema", "required"}:
        raise _Unsupported("typed-dict field options")
    schema = field["schema"]
    return schema["schema"] if schema["type"] == "default" else schema


# -- one validator for JSON lines ----------------------------------------------------------
#
# `fact_json_validator()` checks a JSON line in one Rust pass (no Python objects for the parts
# it rejects, no Python tag functions) and returns the whole fact: every open object keeps its
# extra keys ("allow" instead of "ignore"). A conditional keyed by a string becomes a
# left-to-right union of a tagged union on that key (one choice per known value) and the
# unconditional schema with the key restricted to any other string; the top level is a tagged
# union on "fact". Everything it rejects is still checked the usual way, so it only has to be
# right when it accepts: then `parse_fact` accepts the same line and the returned dict equals
# `from_json(line)`.
#
# One difference remains: an object validated as a typed dict comes back with its declared
# keys first (in declaration order), then the extra keys. Only the fact kinds below are
# checked this way: the reducer reads their objects by key (or only the one key of a
# single-key object) and never copies such an object into an event. guardian_review
# (copies `reviewed_action`) and the stateless kinds are not among them.
JSON_FACT_KINDS: frozenset[str] = frozenset(
    {
        "initialize",
        "client_request",
        "client_response",
        "error_response",
        "server_request",
        "server_response",
        "effective_permissions_approval_response",
        "server_request_aborted",
        "notification",
        "subagent_thread_started",
        "compaction",
        "turn_resolved_config",
        "turn_token_usage",
    }
)

_PLAIN_STR: dict[str, Any] = {"type": "str", "strict": True}


def _for_json(schema: Any) -> Any:
    """`schema` with open objects keeping their extra keys and string-keyed conditionals
    picked in Rust (raises _Unsupported)."""
    if isinstance(schema, list):
        return [_for_json(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if not isinstance(schema.get("type"), str):
        return {key: _for_json(value) for key, value in schema.items()}
    kind = schema["type"]
    if kind == "typed-dict" and schema.get("extra_behavior") == "ignore":
        return _for_json({**schema, "extra_behavior": "allow"})
    if kind == "tagged-union" and isinstance(schema["discriminator"], _KeyTag):
        return _string_keyed(schema["discriminator"], schema["choices"])
    return {key: _for_json(value) for key, value in schema.items()}


def _string_keyed(tag: _KeyTag, choices: dict[str, Any]) -> Any:
    if tag.types != {str}:
        raise _Unsupported(tag.key)
    other = choices[_OTHER]
    if other.get("type") != "typed-dict":
        raise _Unsupported(tag.key)
    field = other["fields"].get(tag.key)
    if field is None:
        raise _Unsupported(tag.key)
    key_schema = field["schema"]
    known = [value for _, value in tag.tags]
    rest_key: Any
    if key_schema == _PLAIN_STR:  # any other string
        rest_key = {**_PLAIN_STR, "pattern": _none_of([str(value) for value in known])}
    elif (
        key_schema.get("type") == "literal"
        and set(key_schema) == {"type", "expected"}
        and all(type(value) is str for value in key_schema["expected"])
    ):  # the other listed strings
        others = [value for value in key_schema["expected"] if value not in known]
        rest_key = {"type": "literal", "expected": others} if others else None
    else:
        raise _Unsupported(tag.key)
    tagged = {
        "type": "tagged-union",
        "discriminator": tag.key,
        "choices": {
            str(value): _for_json(choices[label]) for (_, value), label in tag.tags.items()
        },
    }
    if rest_key is None:
        if not field["required"]:
            raise _Unsupported(tag.key)
        return tagged  # every value the key may have is a known one
    rest = {**other, "fields": {**other["fields"], tag.key: {**field, "schema": rest_key}}}
    return {"type": "union", "mode": "left_to_right", "choices": [tagged, _for_json(rest)]}


def _none_of(words: list[str]) -> str:
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


def _fact_json_schema(name: str) -> Any:
    keyed = _keyed(name)
    if keyed is None:
        return _for_json(_merged(name))
    key, tags, choices = keyed
    base = _base(name)
    merged = {label: _conj(base, choice) for label, choice in choices.items()}
    return _string_keyed(_KeyTag(key, tags), {**merged, _OTHER: base})


def fact_json_validator(models: dict[str, type[BaseModel]]) -> SchemaValidator | None:
    """One validator for the JSON lines of the `JSON_FACT_KINDS` in `models` (fact kind ->
    model); None if none of them can be checked this way."""
    choices: dict[str, Any] = {}
    for kind in sorted(JSON_FACT_KINDS & set(models)):
        try:
            schema = _fact_json_schema(models[kind].__name__)
            SchemaValidator(schema)
        except (_Unsupported, SchemaError):
            continue
        choices[kind] = schema
    if not choices:
        return None
    return SchemaValidator({"type": "tagged-union", "discriminator": "fact", "choices": choices})
