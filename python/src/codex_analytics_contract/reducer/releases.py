"""The Codex releases the reducer can emit as: their rule sets and their event versions.

``Reducer(emit_as=NAME)`` picks one of :data:`RELEASE_NAMES` (spec/reducer.md §11). A release
is a state of upstream's analytics crate: its rules (:class:`Rules`, one flag per rule change)
and, for every event type, the event version it sends. The versions are not listed here: they
are read from the ``x-upstream`` annotation of each event version file (the release or commit
that first shipped it), so a new version file changes what a release emits without a second
table to keep in step:

* the pin (``0.131.0-alpha.8``, the only release whose analytics crate equals upstream main
  right after PR #18748): every event at its first version (the versions whose ``x-upstream``
  is the pin's string form);
* a tagged release (``0.131.0`` .. ``0.139.0``): the newest version whose ``release`` is that
  release or an earlier one;
* ``343074d42`` (upstream main on 2026-08-22): the newest version that names a commit;
* ``newest``: the newest version of every event (the stored upstream state after 2026-08-22).

An event type without a version at a release did not exist then; its facts are not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from codex_analytics_contract._generated.tables import EVENT_VERSIONS

__all__ = [
    "DEFAULT_RELEASE",
    "PINNED_RELEASE",
    "RELEASE_NAMES",
    "Release",
    "Rules",
    "UnknownReleaseError",
    "release",
]


@dataclass(frozen=True, slots=True)
class Rules:
    """Which of upstream's rule changes a release has (spec/reducer.md §11.2)."""

    #: the turn event counts the turn's tool calls (#21431; the pin keeps null,
    #: spec/reducer.md §8.1)
    counts_tool_calls: bool
    #: accepted-line events carry fingerprints, chunked at 2 MiB (before #22180)
    uploads_fingerprints: bool
    #: events carry the thread's session id (#24655)
    session_ids: bool
    #: parent_thread_id comes from the thread (#25113), not from a ThreadSpawn source
    parent_from_thread: bool
    #: reads turn_codex_error facts; approvals_reviewer and workspace_kind (#25707, #25135)
    codex_errors: bool
    #: the turn event waits for the turn_profile fact (#26484); forked_from_thread_id (#26248)
    turn_profiles: bool
    #: approvals_reviewer ``guardian_subagent`` is reported as ``auto_review`` (#26230)
    auto_review: bool
    #: every later rule up to 343074d42 (new fact kinds, interrupts, archive, tool-event
    #: buffering, originators, plugin ids, resource skills ...), spec/reducer.md §12
    august: bool


@dataclass(frozen=True, slots=True)
class Release:
    """One release the reducer can emit as."""

    name: str
    upstream: str
    rules: Rules

    @property
    def event_versions(self) -> dict[str, str]:
        """event type -> the version this release sends (types it does not send are absent)."""
        return _event_versions(self.name)


class UnknownReleaseError(ValueError):
    """``emit_as`` names no release the reducer knows."""

    def __init__(self, name: object) -> None:
        super().__init__(
            f"emit_as: unknown Codex release {name!r}; known releases: " + ", ".join(RELEASE_NAMES)
        )
        self.name = name


def _rules(
    *,
    counts: bool = True,
    fingerprints: bool = False,
    session: bool = False,
    parent: bool = False,
    errors: bool = False,
    profiles: bool = False,
    auto_review: bool = False,
    august: bool = False,
) -> Rules:
    return Rules(counts, fingerprints, session, parent, errors, profiles, auto_review, august)


_PRE_SESSION = _rules()
_SESSION = _rules(session=True)
_ERRORS = _rules(session=True, parent=True, errors=True)
_PROFILES = _rules(session=True, parent=True, errors=True, profiles=True)
_AUTO = _rules(session=True, parent=True, errors=True, profiles=True, auto_review=True)
_AUGUST = _rules(
    session=True, parent=True, errors=True, profiles=True, auto_review=True, august=True
)

PINNED_RELEASE: Final = "0.131.0-alpha.8"
DEFAULT_RELEASE: Final = "newest"

_RELEASES: Final[tuple[Release, ...]] = (
    Release(
        PINNED_RELEASE, "a175ddacc (#18748, 2026-05-11)", _rules(counts=False, fingerprints=True)
    ),
    Release("0.131.0", "rust-v0.131.0 (2026-05-18): + bb6134c02 #22180", _PRE_SESSION),
    Release("0.132.0", "rust-v0.132.0 (2026-05-19)", _PRE_SESSION),
    Release("0.133.0", "rust-v0.133.0 (2026-05-21)", _PRE_SESSION),
    Release("0.134.0", "rust-v0.134.0 (2026-05-26)", _PRE_SESSION),
    Release("0.135.0", "rust-v0.135.0 (2026-05-28): + 487521733 #24655", _SESSION),
    Release("0.136.0", "rust-v0.136.0 (2026-06-01)", _SESSION),
    Release("0.137.0", "rust-v0.137.0 (2026-06-03): + cf0911076, 8e4b92d29, b794182ea", _ERRORS),
    Release("0.138.0", "rust-v0.138.0 (2026-06-08): + 9e41f8ddb, 8d72fb6de", _PROFILES),
    Release("0.139.0", "rust-v0.139.0 (2026-06-09): + ee6c91d5c, 9e0d7f02c", _AUTO),
    Release("343074d42", "upstream main 343074d42 (#40068, 2026-08-22)", _AUGUST),
    Release(DEFAULT_RELEASE, "upstream main after 2026-08-22 (newest stored events.rs)", _AUGUST),
)
_BY_NAME: Final[dict[str, Release]] = {r.name: r for r in _RELEASES}

#: every name ``emit_as`` accepts, oldest first
RELEASE_NAMES: Final[tuple[str, ...]] = tuple(r.name for r in _RELEASES)


def release(name: object) -> Release:
    """The release called ``name`` (a leading ``rust-v`` is accepted)."""
    key = name.removeprefix("rust-v") if isinstance(name, str) else name
    found = _BY_NAME.get(key) if isinstance(key, str) else None
    if found is None:
        raise UnknownReleaseError(name)
    return found


def _tag_key(tag: str) -> tuple[int, ...]:
    return tuple(int(part) for part in tag.removeprefix("rust-v").split("."))


def _x_upstream(event_type: str, version: str) -> Any:
    path = resources.files("codex_analytics_contract._generated").joinpath(
        "schemas", "events", event_type, f"{version}.json"
    )
    return json.loads(path.read_text(encoding="utf-8")).get("x-upstream")


def _shipped(name: str, x_upstream: Any) -> bool:
    """Did release ``name`` ship the version annotated with ``x_upstream``?"""
    if not isinstance(x_upstream, dict):  # the pin's string form: the first version
        return True
    if name == DEFAULT_RELEASE:
        return True
    if name == "343074d42":
        return x_upstream.get("commit") is not None
    tag = x_upstream.get("release")
    if name == PINNED_RELEASE or not isinstance(tag, str):
        return False
    return _tag_key(tag) <= _tag_key(name)


@cache
def _event_versions(name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for event_type, versions in EVENT_VERSIONS.items():
        for version in versions:  # newest first
            if _shipped(name, _x_upstream(event_type, version)):
                found[event_type] = version
                break
    return found
