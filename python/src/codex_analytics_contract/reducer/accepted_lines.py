"""Accepted-line fingerprints (spec/reducer.md §5; upstream ``accepted_lines.rs`` at the pin).

Parses the latest ``turn/diff/updated`` unified diff of a turn into added/deleted counts plus
``(path_hash, line_hash)`` fingerprints of the effective added lines, and packs the
fingerprints into ``codex_accepted_line_fingerprints`` events of at most 2 MiB each
(the chunked variant that is live right after upstream PR #18748).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .rust_text import is_rust_alphanumeric, rust_lines, rust_split_whitespace, rust_trim

__all__ = [
    "ACCEPTED_LINES_EVENT_TYPE",
    "ACCEPTED_LINES_PARAMS_EVENT_TYPE",
    "CHUNK_FIXED_BYTES",
    "CHUNK_TARGET_BYTES",
    "DiffSummary",
    "accepted_line_events",
    "chunk_fingerprints",
    "fingerprint_cost",
    "line_hash_value",
    "normalize_diff_path",
    "normalize_effective_line",
    "parse_unified_diff",
]

ACCEPTED_LINES_EVENT_TYPE = "codex_accepted_line_fingerprints"
ACCEPTED_LINES_PARAMS_EVENT_TYPE = "codex.accepted_line_fingerprints"
PRODUCT_SURFACE = "codex"

# Size budget of one accepted-line event (estimated JSON bytes).
CHUNK_TARGET_BYTES = 2 * 1024 * 1024
CHUNK_FIXED_BYTES = 1024
# Bytes of `{"path_hash":"","line_hash":""}` around the two hash strings.
_FINGERPRINT_OVERHEAD_BYTES = 32

_HASH_PREFIX = b"file-line-v1\x00"

# SHA-1 states after the prefix of each domain; copying one is cheaper than a new hash
_DOMAIN_HASHERS = {
    domain: hashlib.sha1(_HASH_PREFIX + domain.encode() + b"\x00", usedforsecurity=False)
    for domain in ("path", "line", "repo")
}

Fingerprint = tuple[str, str]

# ASCII characters Python's str.split() treats as whitespace and Rust does not.
_PY_ONLY_SPACE = re.compile("[\x1c-\x1f]")
_ASCII_WORD = re.compile("[0-9A-Za-z_]")


@dataclass(frozen=True)
class DiffSummary:
    """Counts and fingerprints of one unified diff (fingerprints: (path_hash, line_hash))."""

    added: int = 0
    deleted: int = 0
    fingerprints: list[Fingerprint] = field(default_factory=list)


def line_hash_value(domain: str, value: str) -> str:
    """Lowercase hex SHA-1 of ``b"file-line-v1\\0" + domain + b"\\0" + value`` (UTF-8)."""
    started = _DOMAIN_HASHERS.get(domain)
    if started is None:
        digest = hashlib.sha1(
            _HASH_PREFIX + domain.encode("utf-8") + b"\x00", usedforsecurity=False
        )
    else:
        digest = started.copy()
    digest.update(value.encode("utf-8"))
    return digest.hexdigest()


def normalize_diff_path(raw: str) -> str | None:
    """Path of a ``+++ `` header: trimmed; ``/dev/null`` means no path; then one leading
    ``b/`` or else ``a/`` is dropped."""
    path = rust_trim(raw)
    if path == "/dev/null":
        return None
    if path.startswith("b/"):
        return path[2:]
    if path.startswith("a/"):
        return path[2:]
    return path


def normalize_effective_line(raw: str) -> str | None:
    """Whitespace-collapsed line, or None when it is at most 3 UTF-8 bytes or has no
    alphanumeric character and no underscore."""
    if raw.isascii() and (raw.isprintable() or _PY_ONLY_SPACE.search(raw) is None):
        # ASCII without U+001C..U+001F (a printable line has none): Python's split() and
        # Rust's split_whitespace agree,
        # a character is one UTF-8 byte, and alphanumeric means [0-9A-Za-z]
        normalized = " ".join(raw.split())
        if len(normalized) <= 3 or _ASCII_WORD.search(normalized) is None:
            return None
        return normalized
    normalized = " ".join(rust_split_whitespace(raw))
    if len(normalized.encode("utf-8")) <= 3:
        return None
    if not any(ch == "_" or is_rust_alphanumeric(ch) for ch in normalized):
        return None
    return normalized


def parse_unified_diff(diff: str) -> DiffSummary:
    """Count accepted added/deleted lines and fingerprint effective added lines."""
    added, deleted, fingerprints = _parse_unified_diff(diff)
    return DiffSummary(added=added, deleted=deleted, fingerprints=fingerprints)


def _parse_unified_diff(diff: str) -> tuple[int, int, list[Fingerprint]]:
    """`parse_unified_diff` as a plain (added, deleted, fingerprints) tuple."""
    current_path: str | None = None
    in_hunk = False
    added = 0
    deleted = 0
    fingerprints: list[Fingerprint] = []
    append = fingerprints.append
    path_hash: str | None = None
    line_hasher = _DOMAIN_HASHERS["line"]
    normalize = normalize_effective_line
    ascii_word = _ASCII_WORD.search
    if "\r" in diff:
        lines = rust_lines(diff)
    else:  # rust_lines without a carriage return: split on newlines, no final empty line
        lines = diff.split("\n") if diff else []
        if lines and lines[-1] == "":
            lines.pop()
    for line in lines:
        first = line[:1]
        if first == "+":
            if not in_hunk and line.startswith("+++ "):
                current_path = normalize_diff_path(line[4:])
                path_hash = None if current_path is None else line_hash_value("path", current_path)
                continue
            added += 1
            if path_hash is not None:
                raw = line[1:]
                if raw.isascii() and raw.isprintable():  # normalize_effective_line, inlined
                    effective: str | None = " ".join(raw.split())
                    if len(effective) <= 3 or ascii_word(effective) is None:  # type: ignore[arg-type]
                        effective = None
                else:
                    effective = normalize(raw)
                if effective is not None:  # line_hash_value("line", effective), inlined
                    digest = line_hasher.copy()
                    digest.update(effective.encode("utf-8"))
                    append((path_hash, digest.hexdigest()))
        elif first == "-":
            if in_hunk or not line.startswith("--- "):
                deleted += 1
        elif first == "d":
            if line.startswith("diff --git "):
                current_path = None
                path_hash = None
                in_hunk = False
        elif first == "@" and line.startswith("@@ "):
            in_hunk = True
    return added, deleted, fingerprints


def fingerprint_cost(fingerprint: Fingerprint) -> int:
    """Estimated JSON bytes of one fingerprint object (without the separating comma)."""
    path_hash, line_hash = fingerprint
    return _FINGERPRINT_OVERHEAD_BYTES + len(path_hash) + len(line_hash)


def chunk_fingerprints(fingerprints: list[Fingerprint]) -> list[list[Fingerprint]]:
    """Greedy packing under the 2 MiB budget; an empty input yields one empty chunk."""
    if not fingerprints:
        return [[]]
    # All in one chunk when the running total after the last fingerprint is within budget
    # (the total only grows, so no earlier step could have opened a new chunk).
    total = CHUNK_FIXED_BYTES + (len(fingerprints) - 1)
    for path_hash, line_hash in fingerprints:
        total += _FINGERPRINT_OVERHEAD_BYTES + len(path_hash) + len(line_hash)
    if total <= CHUNK_TARGET_BYTES:
        return [list(fingerprints)]
    chunks: list[list[Fingerprint]] = []
    current: list[Fingerprint] = []
    running = CHUNK_FIXED_BYTES
    for fingerprint in fingerprints:
        cost = fingerprint_cost(fingerprint)
        separator = 1 if current else 0
        if current and running + separator + cost > CHUNK_TARGET_BYTES:
            chunks.append(current)
            current = []
            running = CHUNK_FIXED_BYTES
            separator = 0
        running += separator + cost
        current.append(fingerprint)
    if current:
        chunks.append(current)
    return chunks


def accepted_line_events(
    *,
    summary: DiffSummary,
    turn_id: str,
    thread_id: str,
    model_slug: str,
    completed_at: int,
    repo_hash: str | None,
) -> list[dict[str, Any]]:
    """``codex_accepted_line_fingerprints`` events for one turn, in emission order.

    No event when the diff has neither added nor deleted lines. Only the first chunk carries
    the real counts; later chunks carry 0/0 and repeat every other field.
    """
    return _accepted_line_events(
        summary.added,
        summary.deleted,
        summary.fingerprints,
        turn_id,
        thread_id,
        model_slug,
        completed_at,
        repo_hash,
    )


def _accepted_line_events(
    added: int,
    deleted: int,
    fingerprints: list[Fingerprint],
    turn_id: str,
    thread_id: str,
    model_slug: str,
    completed_at: int,
    repo_hash: str | None,
) -> list[dict[str, Any]]:
    if added == 0 and deleted == 0:
        return []
    events: list[dict[str, Any]] = []
    for index, chunk in enumerate(chunk_fingerprints(fingerprints)):
        first = index == 0
        events.append(
            {
                "event_type": ACCEPTED_LINES_EVENT_TYPE,
                "event_params": {
                    "event_type": ACCEPTED_LINES_PARAMS_EVENT_TYPE,
                    "turn_id": turn_id,
                    "thread_id": thread_id,
                    "product_surface": PRODUCT_SURFACE,
                    "model_slug": model_slug,
                    "completed_at": completed_at,
                    "repo_hash": repo_hash,
                    "accepted_added_lines": added if first else 0,
                    "accepted_deleted_lines": deleted if first else 0,
                    "line_fingerprints": [
                        {"path_hash": path_hash, "line_hash": line_hash}
                        for path_hash, line_hash in chunk
                    ],
                },
            }
        )
    return events
