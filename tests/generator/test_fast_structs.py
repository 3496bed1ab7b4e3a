"""The msgspec compiler carries every construct exactly or refuses it, naming the definition
and the keyword (generator/fast_structs.py)."""

from __future__ import annotations

import re
import sys
import types
from typing import Any

import msgspec
import pytest

from generator.fast_structs import Compiler, FastStructError, Roots, fast_module, translate_pattern


def _compile(defs: dict[str, Any], name: str = "Root") -> Compiler:
    compiler = Compiler(defs, {})
    compiler.definition(name)
    return compiler


def _closed(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


@pytest.mark.parametrize(
    ("defs", "message"),
    [
        (
            {"Root": _closed({"a": {"type": "number", "minimum": 0}})},
            r"Root\.a: keyword 'minimum' on a number",
        ),
        (
            {"Root": _closed({"a": {"type": "array", "uniqueItems": True}})},
            r"Root\.a: keyword 'uniqueItems'",
        ),
        ({"Root": _closed({"a": {"type": "string", "format": "uuid"}})}, r"Root\.a: .*'format'"),
        (
            {"Root": {"type": "object", "properties": {"a": {"type": "string"}}}},
            r"Root: `additionalProperties` .* drop the unknown keys",
        ),
        ({"Root": _closed({"a": {"enum": [1, 2]}})}, r"Root\.a: keyword 'enum' value 1"),
        (
            {"Root": _closed({"a": {"type": "string", "pattern": "^\\d+$"}})},
            r"Root\.a: keyword 'pattern'",
        ),
        (
            {
                "Root": _closed({"a": {"anyOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]}}),
                "A": _closed({"x": {"type": "string"}, "y": {"type": "string"}}),
                "B": _closed({"z": {"type": "string"}, "w": {"type": "string"}}),
            },
            r"Root\.a: keyword 'anyOf': object members without a common constant tag",
        ),
        (
            {
                "Root": _closed(
                    {
                        "a": {
                            "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
                            "discriminator": {"propertyName": "t"},
                        }
                    }
                ),
                "A": _closed({"x": {"type": "string"}, "t": {"const": "a"}}),
                "B": _closed({"t": {"const": "b"}}),
            },
            r"the tag 't' is not the first property of A",
        ),
    ],
)
def test_a_construct_msgspec_cannot_carry_is_refused(defs: dict[str, Any], message: str) -> None:
    with pytest.raises(FastStructError, match=message):
        _compile(defs)


def test_a_root_msgspec_cannot_carry_is_listed_with_its_reason() -> None:
    """An event or fact msgspec cannot carry exactly is never loosened: it is left out of the
    Structs and listed with the definition and keyword (it takes the typed path)."""
    root = {"event_type": {"const": "e"}, "a": {"type": "string", "format": "uuid"}}
    fact = {"fact": {"const": "f"}, "a": {"type": "string", "format": "uuid"}}
    defs = {"Root": _closed(root), "Fact": _closed(fact)}
    module = fast_module(
        defs, {}, Roots(events=[("e", "Root", "1-0-0")], facts=[("f", "Fact", "1-0-0")])
    )
    assert module.events == [] and module.facts == []
    assert module.not_carried == [
        ("Fact", "Fact.a: keyword 'format' is not carried"),
        ("Root", "Root.a: keyword 'format' is not carried"),
    ]
    assert "class Root" not in module.code


def _load(source: str, root: str = "Root") -> msgspec.json.Decoder[Any]:
    module = types.ModuleType("fast_structs_under_test")
    sys.modules[module.__name__] = module
    header = (
        "from typing import Annotated, Any\nfrom msgspec import Struct, Meta, UNSET, UnsetType\n"
    )
    try:
        exec(header + source, module.__dict__)  # generated from a test schema
        return msgspec.json.Decoder(getattr(module, root))
    finally:
        del sys.modules[module.__name__]


def test_numbers_and_array_lengths_are_carried() -> None:
    defs = {
        "Root": _closed(
            {"n": {"type": "number"}, "empty": {"type": "array", "maxItems": 0, "minItems": 0}}
        )
    }
    decoder = _load(_compile(defs).render())
    found = decoder.decode(b'{"n":3,"empty":[]}')
    assert found.n == 3.0 and type(found.n) is float and found.empty == []
    assert msgspec.json.encode(found) == b'{"n":3.0,"empty":[]}'
    for bad in (b'{"n":true,"empty":[]}', b'{"n":1.5,"empty":[1]}', b'{"n":null,"empty":[]}'):
        with pytest.raises(msgspec.ValidationError):
            decoder.decode(bad)


def test_a_pattern_end_is_the_end_of_the_string() -> None:
    translated = translate_pattern("^[0-9a-f]{4}$", "X.a")
    assert translated == "^[0-9a-f]{4}\\Z"
    assert re.search(translated, "abcd") and not re.search(translated, "abcd\n")


def test_bounds_beyond_int64_are_checked_after_decoding() -> None:
    defs = {"Root": _closed({"n": {"type": "integer", "minimum": 0, "maximum": 2**64 - 1}})}
    assert fast_module(defs, {}, Roots(events=[], facts=[])).events == []
    compiler = _compile(defs)
    source = compiler.render()
    assert "Meta(ge=0)" in source and "> 18446744073709551615" in source
    decoder = _load(source)
    assert decoder.decode(b'{"n":18446744073709551615}').n == 2**64 - 1
    for bad in (b'{"n":18446744073709551616}', b'{"n":-1}', b'{"n":1.0}'):
        with pytest.raises(msgspec.ValidationError):
            decoder.decode(bad)
