"""The git side of `check`: find the base commit and read schemas/ as it was there."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    pass


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def git_bytes(root: Path, *args: str) -> bytes | None:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    return proc.stdout if proc.returncode == 0 else None


def repo_root(start: Path) -> Path | None:
    try:
        return Path(git(start, "rev-parse", "--show-toplevel").strip())
    except (GitError, OSError):
        return None


@dataclass(frozen=True)
class Base:
    sha: str
    label: str  # how it was chosen, for the report


def _commit(root: Path, ref: str) -> str | None:
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except GitError:
        return None


def _merge_base(root: Path, ref: str) -> str | None:
    try:
        return git(root, "merge-base", ref, "HEAD").strip() or None
    except GitError:
        return None


def resolve_base(root: Path, ref: str | None) -> Base | None:
    """The commit to compare with.

    An explicit ``ref`` must exist (else GitError); the merge base of it and HEAD is used when
    there is one, so commits that landed on the base branch after the branch point are not
    mistaken for deletions. Without ``ref``: the merge base with origin/main, else with main;
    None when neither exists (a fresh repository: everything is new).
    """
    if ref:
        sha = _commit(root, ref)
        if sha is None:
            raise GitError(f"base ref {ref!r} does not name a commit")
        mb = _merge_base(root, ref)
        if mb and mb != sha:
            return Base(mb, f"merge base of {ref} and HEAD")
        return Base(sha, ref)
    for candidate in ("origin/main", "main"):
        if _commit(root, candidate) is None:
            continue
        mb = _merge_base(root, candidate)
        if mb:
            return Base(mb, f"merge base with {candidate}")
        return Base(_commit(root, candidate) or candidate, candidate)
    return None


def list_files(root: Path, sha: str, prefix: str = "schemas/") -> list[str]:
    """Paths (relative to the repository) of the files below ``prefix`` at ``sha``."""
    out = git(root, "ls-tree", "-r", "--name-only", sha, "--", prefix)
    return [line for line in out.splitlines() if line]


def show(root: Path, sha: str, path: str) -> bytes | None:
    return git_bytes(root, "show", f"{sha}:{path}")
