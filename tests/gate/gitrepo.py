"""Temporary git repositories for the gate's tests: main holds a copy of this checkout's contract
files, the work happens on branch `feature` (the real tree is never modified)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT

GIT_ENV = {
    "GIT_AUTHOR_NAME": "gate test",
    "GIT_AUTHOR_EMAIL": "gate@test.invalid",
    "GIT_COMMITTER_NAME": "gate test",
    "GIT_COMMITTER_EMAIL": "gate@test.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def contract_repo(target: Path, *copies: str) -> Path:
    """A repository at ``target`` whose main holds ``copies`` (paths relative to this checkout,
    e.g. "schemas", "python/src", "examples/events/codex_turn_event"); on branch `feature`."""
    ignore = shutil.ignore_patterns("__pycache__")
    for rel in copies:
        shutil.copytree(ROOT / rel, target / rel, ignore=ignore)
    git(target, "init", "-q", "-b", "main")
    commit(target, "main")
    git(target, "checkout", "-q", "-b", "feature")
    return target
