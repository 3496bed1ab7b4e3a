"""The Jinja2 environments. Schema text is data: it reaches generated Python only as a literal.

In a Python template every `{{ ... }}` must go through `py` (a Python literal made by `repr`)
or `ident` (a checked identifier); printing a plain string is an error, so a description,
title or enum value can never become code. Markdown templates escape table cells with `cell`.
"""

from __future__ import annotations

import json
import keyword
import re
from pathlib import Path
from typing import Any

import jinja2

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
    raise TypeError(f"no Python literal for {type(value).__name__}")


def py_ident(value: str) -> PyCode:
    if not _IDENT.match(value) or keyword.iskeyword(value):
        raise ValueError(f"not a safe Python identifier: {value!r}")
    return PyCode(value)


def _py_finalize(value: Any) -> Any:
    if isinstance(value, PyCode) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError(
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
