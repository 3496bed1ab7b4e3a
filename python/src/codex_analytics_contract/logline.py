"""Read the analytics backend's log lines as data (never `eval`).

Two forms are documented upstream:

* key=value: `... | Tracked analytics event <event_type> k=v k=v ... | ` with nested objects
  flattened into their leaf keys and Python reprs for scalars (`None`, `True`, `42`);
* dict: `... | Tracked <event_type> event params={...} | ` with a Python-dict repr of the params.

`parse_log_line` returns the event type and the params as the backend logged them;
`to_backend_event` rebuilds the nested backend-view event (flattened keys are placed back into
their objects, scalars typed by the contract's models).
"""

from __future__ import annotations

import re
import string
import sys
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, TypeAdapter, ValidationError

# Relative, and nothing generated at import time: the docs generator loads this module without
# importing the package (see generator/docs.py, `runtime_module`).
from .errors import ContractError, InputTypeError, InvalidJSONError, Violation

_KV = re.compile(r"\|\s*Tracked analytics event (?P<type>[a-z0-9_]+) (?P<body>.*?)\s*\|\s*$")
_DICT = re.compile(r"\|\s*Tracked (?P<type>[a-z0-9_]+) event params=(?P<body>\{.*\})\s*\|\s*$")


@dataclass(frozen=True)
class LogLine:
    event_type: str
    form: str  # "kv" or "dict"
    params: dict[str, Any]  # dict form: nested values; kv form: flat key -> raw text


class LogLineError(ContractError):
    """A log line that is not one of the two documented forms."""


def parse_log_line(line: str) -> LogLine:
    """The event type and params of one log line (raises a ContractError, nothing else)."""
    if not isinstance(line, str):
        raise InputTypeError(
            [Violation("$", "a log line (str)", f"a Python {type(line).__name__}", "input_type")]
        )
    text = line.rstrip("\n")
    match = _DICT.search(text)
    if match is not None:
        value = PyLiteralParser(match["body"]).parse()
        if not isinstance(value, dict):
            raise _error("params={...} to hold a dict", match["body"][:40])
        return LogLine(match["type"], "dict", value)
    match = _KV.search(text)
    if match is not None:
        params: dict[str, Any] = {}
        for token in match["body"].split():
            key, sep, raw = token.partition("=")
            if not sep or not key:
                raise _error("key=value tokens", token)
            params[key] = raw
        return LogLine(match["type"], "kv", params)
    raise _error(
        "'Tracked analytics event <type> k=v ...' or 'Tracked <type> event params={...}'", text[:60]
    )


def _error(expected: str, actual: str) -> LogLineError:
    return LogLineError([Violation("$", expected, repr(actual), "log_line")])


def flatten(params: dict[str, Any]) -> dict[str, Any]:
    """Leaf keys of nested objects, as the key=value form logs them."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, dict):
            out.update(flatten(value))
        else:
            out[key] = value
    return out


def to_backend_event(line: LogLine) -> dict[str, Any]:
    """The backend-view event `{"event_type", "event_params"}` a log line documents."""
    if line.form == "dict":
        return {"event_type": line.event_type, "event_params": dict(line.params)}
    from ._generated.registry import EVENT_MODELS

    model = EVENT_MODELS.get(line.event_type)
    if model is None:
        raise _error("a known event type", line.event_type)
    params_model = _nested_model(model, "event_params")
    remaining = dict(line.params)
    params = _unflatten(params_model, remaining) if params_model else {}
    for key, raw in remaining.items():  # keys the wire model does not have (product_surface)
        params[key] = _scalar(raw, None)
    return {"event_type": line.event_type, "event_params": params}


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """The model's fields with their annotations resolved: pydantic resolves the models' forward
    references lazily (on first use), and until then an annotation is a ForwardRef."""
    if not model.__pydantic_complete__:
        model.model_rebuild()
    return dict(model.model_fields)


def _nested_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    field = _fields(model).get(name)
    if field is None:
        return None
    return _model_in(field.annotation)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _unflatten(model: type[BaseModel], remaining: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, field in _fields(model).items():
        key = field.alias or name
        nested = _model_in(field.annotation)
        if nested is not None and key not in remaining:
            out[key] = _unflatten(nested, remaining)
        elif key in remaining:
            out[key] = _scalar(remaining.pop(key), field.annotation)
    return out


def _scalar(raw: str, annotation: Any) -> Any:
    """The typed value of a logged scalar: the first reading the field's type accepts."""
    candidates: list[Any] = []
    if raw == "None":
        candidates.append(None)
    if raw in ("True", "False"):
        candidates.append(raw == "True")
    if re.fullmatch(r"-?[0-9]{1,4300}", raw):  # longer: more digits than Python converts
        candidates.append(int(raw))
    candidates.append(raw)
    if annotation is None:
        return candidates[0]
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    for value in candidates:
        try:
            adapter.validate_python(value, strict=True)
        except ValidationError:
            continue
        return value
    return candidates[0]


class PyLiteralParser:
    """A parser for the Python literals a dict repr contains: dict, list, tuple, str, int,
    float, True, False, None. It reads text; it runs nothing. Malformed text (a bad escape,
    an unhashable key, nesting deeper than MAX_DEPTH, an integer Python will not convert)
    raises an InvalidJSONError naming the character position."""

    MAX_DEPTH: ClassVar[int] = 100

    _TOKEN = re.compile(
        r"""\s*(?:(?P<punct>[{}\[\](),:])|(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
        r"""|(?P<num>-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)|(?P<word>True|False|None))""",
        re.DOTALL,
    )
    _ESCAPES: ClassVar[dict[str, str]] = {
        "n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0",
    }  # fmt: skip

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def parse(self) -> Any:
        value = self._value()
        if self.text[self.pos :].strip():
            raise self._fail("end of the literal")
        return value

    def _fail(self, expected: str) -> InvalidJSONError:
        snippet = self.text[self.pos : self.pos + 30]
        return InvalidJSONError(
            [Violation(f"$ (character {self.pos})", expected, repr(snippet), "py_literal")]
        )

    def _next(self) -> tuple[str, str]:
        match = self._TOKEN.match(self.text, self.pos)
        if match is None:
            raise self._fail("a Python literal token")
        self.pos = match.end()
        kind = match.lastgroup or ""
        return kind, match[kind]

    def _peek(self) -> str:
        saved = self.pos
        try:
            return self._next()[1]
        finally:
            self.pos = saved

    def _value(self) -> Any:
        kind, tok = self._next()
        if kind == "str":
            return self._unquote(tok)
        if kind == "num":
            if any(c in tok for c in ".eE"):
                return float(tok)
            try:
                return int(tok)
            except ValueError:  # more digits than Python converts
                raise self._fail("an integer of at most 4300 digits") from None
        if kind == "word":
            return {"True": True, "False": False, "None": None}[tok]
        if tok not in "{[(":
            raise self._fail("a value")
        if self.depth >= self.MAX_DEPTH:
            raise self._fail(f"nesting at most {self.MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return self._dict() if tok == "{" else self._seq("]" if tok == "[" else ")")
        finally:
            self.depth -= 1

    def _dict(self) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        if self._peek() == "}":
            self._next()
            return out
        while True:
            key = self._value()
            if isinstance(key, dict | list):
                raise self._fail("a hashable dict key (a string, number, True, False or None)")
            if self._next()[1] != ":":
                raise self._fail("':'")
            out[key] = self._value()
            sep = self._next()[1]
            if sep == "}":
                return out
            if sep != ",":
                raise self._fail("',' or '}'")

    def _seq(self, close: str) -> list[Any]:
        out: list[Any] = []
        if self._peek() == close:
            self._next()
            return out
        while True:
            out.append(self._value())
            sep = self._next()[1]
            if sep == close:
                return out
            if sep != ",":
                raise self._fail(f"',' or '{close}'")

    def _unquote(self, tok: str) -> str:
        body = tok[1:-1]
        out: list[str] = []
        i = 0
        while i < len(body):
            ch = body[i]
            if ch != "\\":
                out.append(ch)
                i += 1
                continue
            nxt = body[i + 1]  # the token pattern pairs every backslash with a character
            if nxt in self._ESCAPES:
                out.append(self._ESCAPES[nxt])
                i += 2
            elif nxt in self._HEX_DIGITS:
                width = self._HEX_DIGITS[nxt]
                digits = body[i + 2 : i + 2 + width]
                if len(digits) != width or not all(c in string.hexdigits for c in digits):
                    raise self._fail(f"\\{nxt} and {width} hex digits in a string")
                code = int(digits, 16)
                if code > sys.maxunicode:
                    raise self._fail("a code point up to U+10FFFF in a string")
                out.append(chr(code))
                i += 2 + width
            else:
                out.append("\\" + nxt)
                i += 2
        return "".join(out)

    _HEX_DIGITS: ClassVar[dict[str, int]] = {"x": 2, "u": 4, "U": 8}
