"""JSON numbers the way serde_json reads and writes them (the Rust emitter's JSON library).

* Writing a float: the shortest digits that read back to the same float, laid out by the `ryu`
  crate's rules (`serde_float`): `0.0` and `-0.0`; plain decimals while the decimal point falls
  within 16 digits (`1000000000000000.0`, `0.00001`); otherwise an exponent written without
  `+` and without leading zeros (`1e16`, `1.5e-7`). pydantic-core uses the same digits and
  layout but writes `1e+16`: `wire_json` removes that `+` from its output.
* Reading: serde_json refuses `NaN`, `Infinity` and numbers out of the f64 range (`1e400`), and
  it reads `-0` and integers outside [-2^63, 2^64 - 1] as floats, which it then writes back in
  float form (`-0.0`, `1e20`). The emitter never writes such a number, so the contract refuses
  them: in an open object (`JsonObject`, where any JSON value may appear) and, for `-0`, in
  every field (`negative_zero_path`), with the JSON path of the value. A float where an integer
  is expected (`1.0`) is refused by the strict models, as serde_json refuses it for an integer.
"""

from __future__ import annotations

import json
import math
import re
from typing import Annotated, Any, Final

from pydantic import AfterValidator, AllowInfNan
from pydantic_core import PydanticCustomError

from codex_analytics_contract.errors import describe

I64_MIN: Final = -(2**63)
U64_MAX: Final = 2**64 - 1


def serde_float(value: float) -> str:
    """The text serde_json writes for a finite float (raises ValueError for NaN/infinity)."""
    if not math.isfinite(value):
        raise ValueError(f"JSON has no {value!r}")
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    text = repr(value)  # the shortest digits that read back to `value`, as ryu finds them
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    mantissa, _, exp = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    exponent = int(exp or "0") - len(fraction)
    significant = digits.rstrip("0")
    exponent += len(digits) - len(significant)  # value == int(significant) * 10**exponent
    length = len(significant)
    point = length + exponent  # 10**(point - 1) <= |value| < 10**point
    if exponent >= 0 and point <= 16:
        body = significant + "0" * exponent + ".0"
    elif 0 < point <= 16:
        body = f"{significant[:point]}.{significant[point:]}"
    elif -5 < point <= 0:
        body = "0." + "0" * -point + significant
    elif length == 1:
        body = f"{significant}e{point - 1}"
    else:
        body = f"{significant[0]}.{significant[1:]}e{point - 1}"
    return sign + body


# -- writing: pydantic-core's JSON text -> serde_json's ----------------------------------------

# A JSON string (skipped), or an exponent sign outside strings.
_TOKENS: Final = re.compile(rb'"(?:[^"\\]|\\.)*"|(e\+)', re.DOTALL)


def _rewrite(match: re.Match[bytes]) -> bytes:
    return b"e" if match.group(1) is not None else match.group(0)


def wire_json(data: bytes) -> bytes:
    """pydantic-core JSON output as serde_json writes it: `1e+16` becomes `1e16` (a one-byte
    scan when there is no `+`; `find`, as `in` would make and drop a TypeError first)."""
    if data.find(b"+") >= 0:
        return _TOKENS.sub(_rewrite, data)
    return data


def may_hold_floats(core_schema: Any) -> bool:
    """Whether a pydantic core schema lets a float in anywhere (a float field, an open
    object, an untyped value)."""
    if isinstance(core_schema, dict):
        if core_schema.get("type") in ("float", "any", "dict"):
            return True
        return any(may_hold_floats(value) for value in core_schema.values())
    if isinstance(core_schema, list):
        return any(may_hold_floats(value) for value in core_schema)
    return False


# -- reading: values of an open object -------------------------------------------------------


def _key_path(key: str) -> str:
    return f".{key}" if key.isidentifier() else f"[{json.dumps(key, ensure_ascii=False)}]"


def _check_value(value: Any, where: str) -> None:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PydanticCustomError(
                "json_number",
                "a finite JSON number (JSON has no NaN or infinities; serde_json refuses "
                "numbers beyond the f64 range)",
                {"where": where, "found": describe(value)},
            )
    elif isinstance(value, int) and not isinstance(value, bool):
        if not I64_MIN <= value <= U64_MAX:
            raise PydanticCustomError(
                "json_number",
                "an integer within [-2^63, 2^64 - 1] (serde_json reads a larger one as a float "
                "and writes it back in float form)",
                {"where": where, "found": describe(value)},
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(item, where + _key_path(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(item, f"{where}[{index}]")


def check_open_object(value: dict[str, Any]) -> dict[str, Any]:
    """The values of an open object, as serde_json would read and write them back (raises a
    `json_number` error whose context names the path below the object)."""
    for key, item in value.items():
        _check_value(item, _key_path(key))
    return value


def check_json_value(value: Any) -> Any:
    """Any JSON value, as serde_json would read and write it back (the numbers of
    `check_open_object`, at any depth; raises a `json_number` error)."""
    _check_value(value, "")
    return value


#: A JSON number read as an f64 (`type: number`): finite, as serde_json reads it (it refuses
#: `1e400`, which pydantic-core would read as infinity and write as `null`).
FiniteFloat = Annotated[float, AllowInfNan(False)]

#: An open JSON object (`additionalProperties: true`): any keys, any JSON values, numbers as
#: serde_json reads them back unchanged.
JsonObject = Annotated[dict[str, Any], AfterValidator(check_open_object)]

#: Any JSON value with its numbers checked the same way: the other keys of an open object that
#: declares some properties (`__pydantic_extra__: dict[str, JsonValue]` in the models).
JsonValue = Annotated[Any, AfterValidator(check_json_value)]


# -- reading: -0 -------------------------------------------------------------------------------


class _NegativeZero(int):
    """Marks a `-0` literal in a parsed document."""


def _find(value: Any, path: str) -> str | None:
    if isinstance(value, _NegativeZero):
        return path
    if isinstance(value, dict):
        for key, item in value.items():
            found = _find(item, path + _key_path(key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


#: `MAY_HOLD_NEGATIVE_ZERO(data)` is None when the bytes hold no `-0` number token: "-0" not
#: followed by a digit, "." or an exponent, after ":", ",", "[" or whitespace ("turn-0" in an
#: id is not one). A regex, as sre's literal search beats `bytes.find` for two bytes; a hit is
#: then looked at exactly (it may be inside a string).
MAY_HOLD_NEGATIVE_ZERO: Final = re.compile(rb"-0(?![0-9.eE])(?<=[:,\[ \t\r\n]-0)").search


def _marked(data: bytes) -> Any:
    """The document parsed with each `-0` integer literal as a `_NegativeZero` (an exact look,
    only for the rare document that may hold one); raises ValueError or RecursionError."""
    return json.loads(data, parse_int=lambda t: _NegativeZero(0) if t == "-0" else int(t))


def negative_zero_paths(data: bytes, key: str) -> list[str | None] | None:
    """For a document `{key: [item, ...]}` (a request body's `events`): the JSON path, within
    each item, of its first `-0` integer literal (None: none); None when the document holds
    no `-0` number or is no such object. Cheap when there is none."""
    if MAY_HOLD_NEGATIVE_ZERO(data) is None:
        return None
    try:
        parsed = _marked(data)
        items = parsed[key] if isinstance(parsed, dict) else None
        return [_find(item, "$") for item in items] if isinstance(items, list) else None
    except (ValueError, RecursionError):
        return None


def negative_zero_path(data: bytes) -> str | None:
    """The JSON path of the first `-0` integer literal in a JSON document, if any (serde_json
    reads it as the float -0.0). Cheap when there is none."""
    if MAY_HOLD_NEGATIVE_ZERO(data) is None:
        return None
    try:
        parsed = _marked(data)
    except (ValueError, RecursionError):
        return None  # not JSON: the parser says so
    try:
        return _find(parsed, "$")
    except RecursionError:
        return "$"
