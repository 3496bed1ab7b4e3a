"""One payload through both paths: the typed path (reference) and the msgspec fast path.

`judge(data)` returns None when both paths agree (both accept, pick the same version and write
the same bytes; or both refuse with the same ContractError), else a Disagreement naming how.
Every disagreement fails the tests: the typed-path bugs the first comparison found (floats of
1e16 and above written `1e+16`; NaN, Infinity and 1e400 accepted in open objects; a nullable
map's values unchecked) are fixed in the typed path.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from codex_analytics_contract import fast
from codex_analytics_contract.api import parse_event, parse_fact, serialize_event
from codex_analytics_contract.errors import ContractError


@dataclass(frozen=True)
class Disagreement:
    how: str  # "typed accepts", "fast accepts", "version", "bytes", "error"
    detail: str


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
            return Disagreement("typed accepts", str(exc))
        if str(exc) != str(typed_error) or type(exc) is not type(typed_error):
            return Disagreement("error", f"{exc!r} != {typed_error!r}")
        return None
    except fast.NotCarriedError:
        assert typed is not None
        return None
    except fast.PathsDisagreeError as exc:
        assert typed is not None
        return Disagreement("typed accepts", str(exc))
    if typed is None:
        return Disagreement("fast accepts", f"{type(struct).__name__}: {typed_error}")
    if type(struct).__name__ != type(typed).__name__:
        return Disagreement("version", f"{type(struct).__name__} != {type(typed).__name__}")
    if getattr(struct, "schema_version", None) != getattr(typed, "schema_version", None):
        read = getattr(typed, "schema_version", None)
        return Disagreement("version", f"{struct!r} is not version {read}")
    if kind == "event":
        fast_bytes, typed_bytes = fast.encode_event(struct), serialize_event(typed)
        if fast_bytes != typed_bytes:
            return Disagreement("bytes", f"fast {fast_bytes!r} typed {typed_bytes!r}")
    return None
