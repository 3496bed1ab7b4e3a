"""The Jinja2 environments. Schema text is data: it reaches generated Python only as a literal.

In a Python template every `{{ ... }}` must go through `py` (a Python literal made by `repr`)
or `ident` (a checked identifier); printing a plain string is an error, so a description,
title or enum value can never become code. Markdown templates escape table cells with `cell`.
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
    """A Python literal for a JSON value (str, int, bool, None, list, dict)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return PyCode(repr(value))
    if isinstance(value, str):
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


def md_cell(value: Any) -> str:
    """Text for one Markdown table cell: no pipes, no line breaks, no raw HTML."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


def md_text(value: Any) -> str:
    """Free Markdown text from a schema description: raw HTML and Jinja-looking text stay inert."""
    text = "" if value is None else str(value)
    return text.replace("<", "&lt;").replace(">", "&gt;")


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
