"""Seeded mutations of valid JSON documents, for differential tests of two parsers.

`mutate(rng, value)` returns the bytes of a mutated copy of a JSON value (as `json.loads`
gives it) and the name of the mutation. The bytes are written by this module's own writer, so
that they can hold what no JSON library writes: a repeated key, a number spelled `1.0`, `1e2`
or `-0`, a non-finite number, invalid UTF-8 inside a string, nesting deeper than any parser's
limit.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Raw:
    """A JSON token written as is (a number spelling, invalid bytes, ...)."""

    text: bytes


@dataclass(frozen=True)
class Pairs:
    """An object written from its pairs in order: a key may repeat."""

    items: tuple[tuple[str, Any], ...]


def write(value: Any) -> bytes:
    """Compact JSON of a value holding Raw tokens and Pairs objects."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Pairs):
        return b"{" + b",".join(_key(k) + b":" + write(v) for k, v in value.items) + b"}"
    if isinstance(value, dict):
        return write(Pairs(tuple(value.items())))
    if isinstance(value, list):
        return b"[" + b",".join(write(v) for v in value) + b"]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _key(key: str) -> bytes:
    return json.dumps(key, ensure_ascii=False).encode()


# -- positions in a document ----------------------------------------------------------------

Path = tuple[str | int, ...]


def positions(value: Any, path: Path = ()) -> list[Path]:
    """Every position below the root (object values and array items), depth first."""
    found: list[Path] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*path, key))
            found.extend(positions(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*path, index))
            found.extend(positions(item, (*path, index)))
    return found


def get(value: Any, path: Path) -> Any:
    for part in path:
        value = value[part]
    return value


def replaced(value: Any, path: Path, new: Any) -> Any:
    """A copy of `value` with the position `path` holding `new`."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (replaced(v, rest, new) if k == head else v) for k, v in value.items()}
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]


def _objects(value: Any) -> list[Path]:
    paths: list[Path] = [()] if isinstance(value, dict) else []
    return paths + [p for p in positions(value) if isinstance(get(value, p), dict)]


def _where(rng: random.Random, value: Any, test: Callable[[Any], bool]) -> Path | None:
    found = [p for p in positions(value) if test(get(value, p))]
    return rng.choice(found) if found else None


# -- the mutations --------------------------------------------------------------------------

VALUES: tuple[Any, ...] = (None, True, False, 0, 1, -1, 1.5, "", "x", "1", [], {}, ["x"], {"a": 1})
INTEGERS: tuple[int, ...] = (
    -1, 0, 2**8 - 1, 2**8, 2**16 - 1, 2**16, 2**31 - 1, 2**31, -(2**31) - 1, 2**32 - 1, 2**32,
    2**53 + 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64 - 1, 2**64, 2**70, -(2**64),
)  # fmt: skip
NUMBER_SPELLINGS: tuple[bytes, ...] = (
    b"1.0", b"1e2", b"1E2", b"-0", b"-0.0", b"0.0", b"1e0", b"10e-1", b"1e16", b"1e15",
    b"1.5e300", b"1e400", b"-1e400", b"NaN", b"Infinity", b"-Infinity", b"01", b"+1", b"1.",
    b".5", b"0x10", b"123456789012345678901234567890", b"1e-7", b"0.1", b"2.5e-5",
)  # fmt: skip
ERROR_INFO_SHAPES: tuple[Any, ...] = (
    "contextWindowExceeded", "usageLimitExceeded", "other", "futureVariant", "FutureVariant",
    "future_variant", "", "a", "a1B2", "contextWindowExceeded\n", "httpConnectionFailed",
    {"httpConnectionFailed": {"httpStatusCode": 502}},
    {"httpConnectionFailed": {"httpStatusCode": None}},
    {"httpConnectionFailed": {}},
    {"httpConnectionFailed": None},
    {"httpConnectionFailed": {"httpStatusCode": 502, "extra": 1}},
    {"httpConnectionFailed": {"httpStatusCode": "502"}},
    {"httpConnectionFailed": {"httpStatusCode": 70000}},
    {"responseStreamDisconnected": {"httpStatusCode": 500}},
    {"activeTurnNotSteerable": {"turnKind": "review"}},
    {"activeTurnNotSteerable": {"turnKind": "bogus"}},
    {"unknownVariant": {"x": 1}},
    {},
    {"httpConnectionFailed": {"httpStatusCode": 1}, "responseStreamDisconnected": {}},
    {"contextWindowExceeded": None},
    ["contextWindowExceeded"],
    1,
    None,
)  # fmt: skip
OPEN_VALUES: tuple[Any, ...] = (
    {"network": {"enabled": True}},
    {"file_system": {"read": ["/a"], "write": []}, "x": 1.5},
    {"n": Raw(b"1e16")}, {"n": Raw(b"1.5e300")}, {"n": Raw(b"1e400")}, {"n": Raw(b"NaN")},
    {"n": Raw(b"-0.0")}, {"n": Raw(b"1e-7")}, {"n": Raw(b"123456789.125")}, {"n": 2**70},
    {"n": 2**64 - 1}, {"n": 2**64}, {"n": -(2**63)}, {"n": -(2**63) - 1}, {"n": Raw(b"-0")},
    {"n": [Raw(b"Infinity")]}, {"n": Raw(b"1e16")}, {"n": Raw(b"1000000000000000.0")},
    {"n": Raw(b"1.0")}, {"n": Raw(b"1E2")}, {"n": Raw(b"5e-324")}, {"n": Raw(b"1e22")},
    {"s": "\u2028\u2029\x7f\x00\x1f/\\\"é😀"},
    {"k": Pairs((("a", 1), ("a", 2)))},
)  # fmt: skip
STRINGS: tuple[bytes, ...] = (
    b'"\xff"', b'"a\xc3"', b'"\xed\xa0\x80"', b'"\\ud800"', b'"\\udc00x"', b'"\xc0\xaf"',
    b'"\\u0000"', b'"\\u2028"', b'"\\/"', b'"\xf0\x9f\x98\x80"', b'"\\ud83d\\ude00"',
    b'"a\nb"', b'"\\x41"', b'"\\u00e9"',
)  # fmt: skip
DEPTHS: tuple[int, ...] = (2, 10, 100, 127, 128, 129, 200, 254, 255, 256, 257, 500, 1100)


def _drop_key(rng: random.Random, doc: Any) -> Any:
    objects = [p for p in _objects(doc) if get(doc, p)]
    if not objects:
        return doc
    path = rng.choice(objects)
    obj = get(doc, path)
    key = rng.choice(list(obj))
    return replaced(doc, path, {k: v for k, v in obj.items() if k != key})


def _add_key(rng: random.Random, doc: Any) -> Any:
    path = rng.choice(_objects(doc))
    obj = dict(get(doc, path))
    key = rng.choice(["extra", "x", "type", "event_type", "fact", "", "é"])
    obj[key] = rng.choice(VALUES)
    return replaced(doc, path, obj)


def _retype(rng: random.Random, doc: Any) -> Any:
    path = rng.choice(positions(doc))
    return replaced(doc, path, rng.choice(VALUES))


def _null(rng: random.Random, doc: Any) -> Any:
    return replaced(doc, rng.choice(positions(doc)), None)


def _integer(rng: random.Random, doc: Any) -> Any:
    path = _where(rng, doc, lambda v: type(v) is int) or rng.choice(positions(doc))
    return replaced(doc, path, rng.choice(INTEGERS))


def _number_spelling(rng: random.Random, doc: Any) -> Any:
    numbers = _where(rng, doc, lambda v: type(v) in (int, float))
    path = numbers if numbers is not None and rng.random() < 0.8 else rng.choice(positions(doc))
    return replaced(doc, path, Raw(rng.choice(NUMBER_SPELLINGS)))


def _near_miss(rng: random.Random, doc: Any) -> Any:
    path = _where(rng, doc, lambda v: isinstance(v, str) and v != "")
    if path is None:
        return doc
    text: str = get(doc, path)
    options = [text.upper(), text[:-1], text + "x", text + " ", " " + text, text + "\n",
               text.replace("_", "-"), text.capitalize(), text[::-1]]  # fmt: skip
    return replaced(doc, path, rng.choice(options))


def _error_shape(rng: random.Random, doc: Any) -> Any:
    path = _where(rng, doc, lambda v: isinstance(v, dict) and "codex_error_info" in v)
    if path is None and isinstance(doc, dict):
        path = _where(rng, doc, lambda v: isinstance(v, dict) and "turn_error" in v)
        if path is not None:
            holder = get(doc, path)
            new = {**holder, "turn_error": {"codex_error_info": rng.choice(ERROR_INFO_SHAPES)}}
            return replaced(doc, path, new)
        return _near_miss(rng, doc)
    assert path is not None
    holder = get(doc, path)
    return replaced(doc, path, {**holder, "codex_error_info": rng.choice(ERROR_INFO_SHAPES)})


def _duplicate_key(rng: random.Random, doc: Any) -> Any:
    objects = [p for p in _objects(doc) if get(doc, p)]
    if not objects:
        return doc
    path = rng.choice(objects)
    obj = get(doc, path)
    key = rng.choice(list(obj))
    items = list(obj.items())
    index = rng.randrange(len(items) + 1)
    again = obj[key] if rng.random() < 0.5 else rng.choice(VALUES)
    items.insert(index, (key, again))
    return replaced(doc, path, Pairs(tuple(items)))


def _deep(rng: random.Random, doc: Any) -> Any:
    depth = rng.choice(DEPTHS)
    opening, closing = (b"[", b"]") if rng.random() < 0.5 else (b'{"a":', b"}")
    nested = Raw(opening * depth + b"1" + closing * depth)
    open_slot = _where(rng, doc, lambda v: isinstance(v, dict) and not v)
    if open_slot is not None and rng.random() < 0.5:
        return replaced(doc, open_slot, {"deep": nested})
    return replaced(doc, rng.choice(positions(doc)), nested)


def _string(rng: random.Random, doc: Any) -> Any:
    path = _where(rng, doc, lambda v: isinstance(v, str)) or rng.choice(positions(doc))
    return replaced(doc, path, Raw(rng.choice(STRINGS)))


def _open_value(rng: random.Random, doc: Any) -> Any:
    """Fill an open object (or a value that may hold one) with awkward JSON."""
    path = _where(rng, doc, lambda v: v is None or (isinstance(v, dict) and not v))
    if path is None:
        return _retype(rng, doc)
    return replaced(doc, path, rng.choice(OPEN_VALUES))


MUTATIONS: dict[str, Callable[[random.Random, Any], Any]] = {
    "drop_key": _drop_key,
    "add_key": _add_key,
    "retype": _retype,
    "null": _null,
    "integer_bound": _integer,
    "number_spelling": _number_spelling,
    "enum_near_miss": _near_miss,
    "turn_error_shape": _error_shape,
    "duplicate_key": _duplicate_key,
    "deep_nesting": _deep,
    "string_bytes": _string,
    "open_value": _open_value,
}


def mutate(rng: random.Random, doc: Any) -> tuple[str, bytes]:
    """One mutation of `doc` (a JSON object): its name and the mutated document's bytes."""
    name = rng.choice(list(MUTATIONS))
    return name, write(MUTATIONS[name](rng, doc))
