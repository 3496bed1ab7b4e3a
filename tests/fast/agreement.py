"""One payload through both paths: the typed path (reference) and the msgspec fast path.

`judge(data)` returns None when both paths agree (both accept, pick the same version and write
the same bytes; or both refuse with the same ContractError), else a Disagreement naming how.
`KNOWN_TYPED_PATH_BUGS` explains the disagreements that are typed-path bugs the fast path
does not share (serde_json's behaviour is the fast path's): each is recognised by what the
typed path returned, never by the payload alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from codex_analytics_contract import fast
from codex_analytics_contract.api import parse_event, parse_fact, serialize_event
from codex_analytics_contract.errors import ContractError


@dataclass(frozen=True)
class Disagreement:
    how: str  # "typed accepts", "fast accepts", "version", "bytes", "error"
    detail: str
    known: str | None  # the known typed-path bug it is, if any


KNOWN_TYPED_PATH_BUGS = {
    "non-finite": "the typed path accepts NaN, Infinity and numbers beyond a double "
    "(1e400) inside open objects; serde_json (and msgspec) refuse them",
    "exponent": "the typed path writes floats >= 1e16 as `1e+16`; serde_json (and msgspec) "
    "write `1e16`",
}
_EXPONENT_PLUS = re.compile(rb"(?<=[0-9])e\+(?=[0-9])")


def _non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    if isinstance(value, list):
        return any(_non_finite(v) for v in value)
    return False


def judge(data: bytes, kind: str = "event", version: str | None = None) -> Disagreement | None:
    """Both paths' verdicts on `data` (an event or a fact; `version` pins one version)."""
    typed: BaseModel | None = None
    typed_error: ContractError | None = None
    try:
        if kind == "event":
            typed = parse_event(data, version=version)
        else:
            typed = parse_fact(data, version=version)
    except ContractError as exc:
        typed_error = exc
    try:
        if kind == "event":
            struct = fast.decode_event(data, version=version)
        else:
            struct = fast.decode_fact(data, version=version)
    except ContractError as exc:
        if typed is not None:
            return Disagreement("typed accepts", str(exc), None)
        if str(exc) != str(typed_error) or type(exc) is not type(typed_error):
            return Disagreement("error", f"{exc!r} != {typed_error!r}", None)
        return None
    except fast.NotCarriedError:
        assert typed is not None
        return None
    except fast.PathsDisagreeError as exc:
        assert typed is not None
        dumped = typed.model_dump(mode="python")
        known = "non-finite" if _non_finite(dumped) else None
        return Disagreement("typed accepts", str(exc), known)
    if typed is None:
        return Disagreement("fast accepts", f"{type(struct).__name__}: {typed_error}", None)
    if type(struct).__name__ != type(typed).__name__:
        return Disagreement("version", f"{type(struct).__name__} != {type(typed).__name__}", None)
    if getattr(struct, "schema_version", None) != getattr(typed, "schema_version", None):
        return Disagreement("version", f"{struct!r} is not version {typed.schema_version}", None)  # type: ignore[attr-defined]
    if kind == "event":
        fast_bytes, typed_bytes = fast.encode_event(struct), serialize_event(typed)
        if fast_bytes != typed_bytes:
            known = "exponent" if _EXPONENT_PLUS.sub(b"e", typed_bytes) == fast_bytes else None
            return Disagreement("bytes", f"fast {fast_bytes!r} typed {typed_bytes!r}", known)
    return None
