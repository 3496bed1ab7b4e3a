"""The Jinja2 environments. Schema text is data: it reaches generated Python only as a literal.

In a Python template every `{{ ... }}` must go through `py` (a Python literal made by `repr`)
or `ident` (a checked identifier); printing a plain string is an error, so a description,
title or enum value can never become code. Markdown templates put schema text through `cell` /
`mdtext` (inert Markdown: no raw HTML, no images, only http(s)/mailto links) and values through
`code` (a code span the value cannot close).
"""

from __future__ import annotations

import json
import keyword
import re
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import GeneratorError, shown

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TemplateError(GeneratorError):
    """A template failed to load or render: the message names its file and line."""


class UnsafeValueError(ValueError):
    """A Python template tried to print a value that is not a literal or a checked name."""


class PyCode(str):
    """Text that is safe to place in Python source (a literal or a checked identifier)."""


def py_literal(value: Any) -> PyCode:
    """A Python literal for a JSON value (str, int, bool, None, list, dict) or bytes."""
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return PyCode(repr(value))
    if isinstance(value, str | bytes):
        return PyCode(repr(value))
    if isinstance(value, list | tuple):
        return PyCode("(" + "".join(py_literal(v) + ", " for v in value) + ")")
    if isinstance(value, dict):
        items = ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items())
        return PyCode("{" + items + "}")
    raise UnsafeValueError(f"no Python literal for {type(value).__name__}")


def py_ident(value: str) -> PyCode:
    if not _IDENT.match(value) or keyword.iskeyword(value):
        raise UnsafeValueError(f"not a safe Python identifier: {value!r}")
    return PyCode(value)


def _py_finalize(value: Any) -> Any:
    if isinstance(value, PyCode) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise UnsafeValueError(
        f"a Python template printed {value!r} without the `py` or `ident` filter "
        "(schema text must stay data)"
    )


# A code span as Python-Markdown reads one: a run of backticks, text, the same run again.
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
# The only links schema text may carry: `[text](http(s)://... or mailto:...)`, plain text,
# no brackets, quotes, backticks or backslashes. `![alt](url)` (an image) becomes a link.
_SAFE_LINK = re.compile(
    r"!?\[(?P<text>[^\[\]`\\]*)\]\((?P<url>(?:https?://|mailto:)[^\s()<>\"'`\\]+)\)",
    re.I,
)
_PLAIN = str.maketrans(
    {
        "\\": "&#92;",
        "`": "&#96;",
        "<": "&lt;",
        ">": "&gt;",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
    }
)


def _plain(text: str) -> str:
    """Text outside code spans: every character that could start Markdown syntax with a
    target (links, images, references, autolinks, raw HTML, code) is escaped."""
    out: list[str] = []
    pos = 0
    for link in _SAFE_LINK.finditer(text):
        out.append(text[pos : link.start()].translate(_PLAIN))
        out.append(f"[{link['text'].translate(_PLAIN)}]({link['url']})")
        pos = link.end()
    out.append(text[pos:].translate(_PLAIN))
    return "".join(out)


def _code_span(fence: str, text: str) -> str:
    # A trailing backslash would escape the closing backtick for the table splitter.
    return f"{fence}{text}{' ' if text.endswith(chr(92)) else ''}{fence}"


def md_inline(value: Any) -> str:
    """Schema text (or any other data) as one line of inert Markdown, for a table cell or a
    paragraph: whitespace collapsed, code spans kept as written, and outside them no raw HTML,
    no image and no link except `[text](https://...)`, `http://` and `mailto:`."""
    text = " ".join(("" if value is None else str(value)).split())
    out: list[str] = []
    pos = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_plain(text[pos : span.start()]))
        out.append(_code_span(span[1], span[2]))
        pos = span.end()
    out.append(_plain(text[pos:]))
    return "".join(out)


# Table cells and free text take the same treatment (one rule for schema text on the site).
md_cell = md_inline
md_text = md_inline


def md_code(value: Any) -> str:
    """A value shown as code (an enum value, a constant, a pattern, a property name): a code
    span that nothing inside the value can close, so it is never Markdown."""
    if value is None or isinstance(value, bool | int | float):
        text = json.dumps(value)
    else:
        text = " ".join(str(value).split()) or '""'
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`"):
        text = f" {text} "
    return _code_span(fence, text)


def json_compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def environment(template_root: Path, python: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_root)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=_py_finalize if python else None,
    )
    env.filters["py"] = py_literal
    env.filters["ident"] = py_ident
    env.filters["cell"] = md_cell
    env.filters["mdtext"] = md_text
    env.filters["code"] = md_code
    env.filters["json"] = json_compact
    env.filters["json_pretty"] = json_pretty
    return env


def render(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Template `name` rendered with `context`; any failure (syntax, an undefined name, a value
    printed unsafely, an error raised inside the template) is a TemplateError naming the
    template file and line."""
    try:
        return env.get_template(name).render(**context)
    except Exception as exc:
        raise TemplateError(f"{_where(env, name, exc)}: {_what(exc)}") from None


def _where(env: jinja2.Environment, name: str, exc: Exception) -> str:
    """`file:line` of the failure: the innermost template line on the stack (an included
    template's, if it failed there), else the template's file."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return f"{shown(exc.filename)}:{exc.lineno}"
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(".j2"):
            found = f"{shown(frame.f_code.co_filename)}:{lineno}"
    if found is not None:
        return found
    try:
        assert env.loader is not None
        filename = env.loader.get_source(env, name)[1]
    except jinja2.TemplateNotFound:
        filename = None
    return name if filename is None else shown(filename)


def _what(exc: Exception) -> str:
    if isinstance(exc, jinja2.TemplateNotFound):
        text = f"template {exc.name!r} not found"
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        text = f"syntax error: {exc.message}"
    elif isinstance(exc, jinja2.TemplateError | UnsafeValueError | GeneratorError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())
