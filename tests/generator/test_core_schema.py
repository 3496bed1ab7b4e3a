"""The JSON Schema -> pydantic-core compiler behind the generated fact validators: what each
construct accepts, and a clear error for what it does not translate."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import SchemaValidator

from generator.core_schema import (
    Compiler,
    CoreSchemaError,
    constant_name,
    core_schemas,
    inlined,
    module_constants,
    refusing,
)
from tests.conftest import fail_examples, load_fail, pass_examples


def validator(defs: dict[str, Any], conditionals: dict[str, Any] | None = None) -> SchemaValidator:
    compiler = Compiler(defs, conditionals or {})
    return SchemaValidator(inlined(compiler, ["Root"])["Root"])


def accepts(check: SchemaValidator, value: Any) -> bool:
    """The verdict on `value` as JSON text; an accepted value comes back unchanged."""
    text = json.dumps(value)
    try:
        out = check.validate_json(text, strict=True)
    except ValidationError:
        return False
    assert out == value
    return True


def obj(properties: dict[str, Any], required: list[str], closed: bool = True) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": not closed,
    }


def test_optional_key_may_be_absent_but_null_only_where_the_schema_allows_it() -> None:
    check = validator(
        {
            "Root": obj(
                {
                    "plain": {"type": "string"},
                    "nullable": {"type": ["string", "null"]},
                    "scope": {"type": "string", "enum": ["turn", "session"]},
                    "child": {"$ref": "#/$defs/Child"},
                },
                [],
            ),
            "Child": obj({"n": {"type": "integer", "minimum": 0, "maximum": 9}}, ["n"]),
        }
    )
    assert accepts(check, {})
    assert accepts(check, {"nullable": None, "plain": "x", "scope": "turn", "child": {"n": 9}})
    for key in ("plain", "scope", "child"):
        assert not accepts(check, {key: None}), key
    assert not accepts(check, {"scope": "other"})
    assert not accepts(check, {"child": {"n": 10}})
    assert not accepts(check, {"child": {"n": True}})  # strict: a boolean is no integer
    assert not accepts(check, {"child": {}})


def test_closed_objects_refuse_other_keys_and_open_ones_keep_them() -> None:
    check = validator(
        {
            "Root": obj({"open": {"$ref": "#/$defs/Open"}}, ["open"]),
            "Open": obj({"a": {"type": "boolean"}}, ["a"], closed=False),
        }
    )
    assert accepts(check, {"open": {"a": True, "extra": [1, {"x": None}]}})
    assert not accepts(check, {"open": {"a": True}, "extra": 1})


def test_conditional_part_applies_only_when_the_key_has_its_constant() -> None:
    defs = {
        "Root": obj({"method": {"type": "string"}, "params": {"$ref": "#/$defs/Params"}}, []),
        "Params": obj({}, [], closed=False),
        "RootIfStart": obj(
            {"method": {"const": "start"}, "params": {"$ref": "#/$defs/StartParams"}},
            ["method", "params"],
            closed=False,
        ),
        "StartParams": obj({"id": {"type": "string"}}, ["id"], closed=False),
    }
    check = validator(defs, {"Root": [("method", "start", "RootIfStart")]})
    assert accepts(check, {"method": "start", "params": {"id": "1", "more": 2}})
    assert not accepts(check, {"method": "start", "params": {}})
    assert not accepts(check, {"method": "start"})
    assert not accepts(check, {"method": "start", "params": {"id": None}})
    # any other method (a prefix or an extension of the constant too), or none: no such part
    for method in ("stop", "star", "started", ""):
        assert accepts(check, {"method": method, "params": {}}), method
    assert accepts(check, {"params": {}})
    assert not accepts(check, {"method": 1, "params": {}})


def test_schemas_that_do_not_merge_must_both_hold() -> None:
    defs = {
        "Root": obj(
            {"kind": {"type": "string"}, "x": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            ["kind", "x"],
        ),
        "RootIfBig": obj({"x": {"type": "integer", "minimum": 5}}, [], closed=False),
    }
    compiler = Compiler(defs, {"Root": [("kind", "big", "RootIfBig")]})
    schema = inlined(compiler, ["Root"])["Root"]
    assert "'chain'" in repr(schema)  # a union and an integer: checked one after the other
    check = SchemaValidator(schema)
    assert accepts(check, {"kind": "big", "x": 7})
    assert not accepts(check, {"kind": "big", "x": 4})
    assert not accepts(check, {"kind": "big", "x": "7"})
    assert accepts(check, {"kind": "small", "x": "7"})
    assert accepts(check, {"kind": "small", "x": 4})


def test_discriminated_union_picks_the_member_by_its_tag() -> None:
    check = validator(
        {
            "Root": obj(
                {
                    "action": {
                        "oneOf": [{"$ref": "#/$defs/Shell"}, {"$ref": "#/$defs/Patch"}],
                        "discriminator": {"propertyName": "type"},
                    }
                },
                ["action"],
            ),
            "Shell": obj({"type": {"const": "shell"}, "argc": {"type": "integer"}}, ["type"]),
            "Patch": obj({"type": {"const": "patch"}, "files": {"type": "array"}}, ["type"]),
        }
    )
    assert accepts(check, {"action": {"type": "shell", "argc": 2}})
    assert accepts(check, {"action": {"type": "patch", "files": ["a"]}})
    assert not accepts(check, {"action": {"type": "shell", "files": []}})
    assert not accepts(check, {"action": {"type": "other"}})


@pytest.mark.parametrize(
    ("defs", "message"),
    [
        (
            {"Root": obj({"name": {"type": "string", "minLength": 1}}, [])},
            r"Root\.name: unsupported keywords \['minLength'\]",
        ),
        ({"Root": obj({"n": {"type": "number"}}, [])}, r"Root\.n: unsupported type 'number'"),
        (
            {"Root": obj({"n": {"enum": [1, 2]}}, [])},
            r"Root\.n: only string and null constants",
        ),
        (
            {"Root": obj({"next": {"$ref": "#/$defs/Root"}}, [])},
            r"Root -> Root: recursive schemas are not supported",
        ),
        ({"Root": obj({"x": {"$ref": "other.json"}}, [])}, r"Root\.x: not a bundle reference"),
    ],
    ids=["keyword", "type", "integer enum", "recursion", "outside reference"],
)
def test_what_the_compiler_does_not_translate_is_an_error_naming_where(
    defs: dict[str, Any], message: str
) -> None:
    with pytest.raises(CoreSchemaError, match=message):
        Compiler(defs, {}).definition("Root")


LONG = "x" * 200
HOSTILE = 'a.*(b|c)\\Z$ "quoted" \n{{ jinja }}' * 3  # regex syntax, quotes, a line break


@pytest.mark.parametrize(
    "words",
    [
        ["turn/start", "turn/steer"],
        ["a", "ab", "abc"],
        ["é/ü", "x y", "dot.star*", "new\nline"],
        ["only", "z" * 60],  # the longest word the Rust regex takes
        [LONG, LONG[:-1] + "y", "short"],  # too deep for the Rust regex: Python's `re`
        [HOSTILE, HOSTILE[:50]],
    ],
    ids=["methods", "prefixes", "special characters", "one", "long", "hostile"],
)
def test_refusing_accepts_exactly_the_strings_that_are_not_the_words(words: list[str]) -> None:
    check = SchemaValidator(refusing(words))
    probes = {"", "\n", "x", *words}
    for word in words:
        probes.update(word[:i] for i in range(len(word)))
        probes.update({word + "x", word + "\n", "x" + word, word.upper(), word[1:]})
    for probe in sorted(probes):
        try:
            check.validate_python(probe)
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted == (probe not in words), repr(probe)
    with pytest.raises(ValidationError):
        check.validate_python(1)


def test_module_constants_are_named_after_their_definitions_and_used_by_name() -> None:
    defs = {
        "RootFact": obj(
            {"a": {"$ref": "#/$defs/SharedPart"}, "b": {"$ref": "#/$defs/SharedPart"}}, []
        ),
        "SharedPart": obj({"x": {"type": "string"}}, ["x"]),
    }
    constants = module_constants(Compiler(defs, {}), ["RootFact"])
    assert [c.name for c in constants] == ["SHARED_PART", "ROOT_FACT"]  # used ones first
    assert constants[1].code.count("SHARED_PART") == 2
    assert constant_name("FactAppServerTurnError0") == "FACT_APP_SERVER_TURN_ERROR0"


@pytest.mark.parametrize("kind", ["events", "facts"])
def test_compiled_contract_schemas_accept_every_pass_example_and_refuse_every_fail_example(
    kind: str,
) -> None:
    checks = {name: SchemaValidator(schema) for name, schema in core_schemas(kind).items()}
    for path in pass_examples(kind):
        assert accepts(checks[path.parent.name], json.loads(path.read_bytes())), path
    for path in fail_examples(kind):
        assert not accepts(checks[path.parent.name], load_fail(path)["instance"]), path
