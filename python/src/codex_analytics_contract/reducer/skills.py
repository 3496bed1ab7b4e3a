"""Skill ids and skill repository look-up (spec/reducer.md §3.8, spec/wire-format.md §4.6).

Upstream: ``skill_id_for_local_skill`` / ``normalize_path_for_skill_id`` in the analytics
reducer, ``get_git_repo_root`` and ``collect_git_info`` in ``git-utils/src/info.rs``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import PurePath

from .git_remote import run_git
from .rust_text import rust_trim

__all__ = [
    "RepoInfo",
    "default_skill_repo_provider",
    "find_git_repo_root",
    "normalize_path_for_skill_id",
    "skill_id",
]


@dataclass(frozen=True)
class RepoInfo:
    """Git facts about the directory holding a skill file.

    ``root``: the nearest ancestor containing a ``.git`` entry; ``repo_url``: the trimmed
    output of ``git remote get-url origin`` run in that root (None when git fails).
    """

    repo_url: str | None
    root: str | None


def _canonical_or_raw(path: str) -> str:
    # Rust std::fs::canonicalize fails for missing paths; the raw path is kept then.
    try:
        return os.path.realpath(path, strict=True)
    except (OSError, ValueError):
        return path


def _strip_path_prefix(path: str, root: str) -> str | None:
    """Component-wise prefix removal (Rust ``Path::strip_prefix``); None when not a prefix."""
    path_parts = PurePath(path).parts
    root_parts = PurePath(root).parts
    if len(root_parts) > len(path_parts) or path_parts[: len(root_parts)] != root_parts:
        return None
    remainder = path_parts[len(root_parts) :]
    return str(PurePath(*remainder)) if remainder else ""


def normalize_path_for_skill_id(
    repo_url: str | None, repo_root: str | None, skill_path: str
) -> str:
    """Canonical skill path, relative to the canonical repo root when both a repo URL and a
    root are known (and the root is a prefix), absolute otherwise; ``\\`` becomes ``/``."""
    resolved = _canonical_or_raw(skill_path)
    if repo_url is not None and repo_root is not None:
        relative = _strip_path_prefix(resolved, _canonical_or_raw(repo_root))
        if relative is not None:
            return relative.replace("\\", "/")
    return resolved.replace("\\", "/")


def skill_id(
    *, repo_url: str | None, repo_root: str | None, skill_path: str, skill_name: str
) -> str:
    """Lowercase hex SHA-1 of ``"{prefix}_{path}_{skill_name}"``; prefix ``repo_<url>`` or
    ``personal``."""
    path = normalize_path_for_skill_id(repo_url, repo_root, skill_path)
    prefix = f"repo_{repo_url}" if repo_url is not None else "personal"
    raw = f"{prefix}_{path}_{skill_name}"
    return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


def find_git_repo_root(base: str) -> str | None:
    """Nearest directory (``base`` if it is a directory, else its parent) or ancestor that has
    a ``.git`` entry; no git binary needed."""
    start = PurePath(base) if os.path.isdir(base) else PurePath(base).parent
    if not os.path.isdir(base) and str(PurePath(base)) == str(start):
        return None  # a path without parent (Rust Path::parent() is None)
    for candidate in (start, *start.parents):
        if os.path.exists(os.path.join(str(candidate), ".git")):
            return str(candidate)
    return None


def _origin_url(root: str) -> str | None:
    check = run_git(["rev-parse", "--git-dir"], root)
    if check is None or check[0] != 0:
        return None
    result = run_git(["remote", "get-url", "origin"], root)
    if result is None or result[0] != 0:
        return None
    try:
        return rust_trim(result[1].decode("utf-8"))
    except UnicodeDecodeError:
        return None


def default_skill_repo_provider(path: str) -> RepoInfo | None:
    """Upstream look-up for a skill file: repo root by ``.git`` walk, then origin URL."""
    try:
        root = find_git_repo_root(path)
    except (OSError, ValueError):
        return None
    if root is None:
        return None
    return RepoInfo(repo_url=_origin_url(root), root=root)
