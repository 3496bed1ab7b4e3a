"""Git remote helpers for accepted-line repo hashes (spec/reducer.md §5.4 and §5.5).

Mirrors upstream ``codex-rs/git-utils/src/info.rs``: ``canonicalize_git_remote_url``,
the ``git remote -v`` parser and the origin-first remote choice of ``accepted_lines.rs``.
"""

from __future__ import annotations

import os
import subprocess

from .accepted_lines import line_hash_value
from .rust_text import rust_lines, rust_trim, rust_trim_start

__all__ = [
    "GIT_COMMAND_TIMEOUT_SECONDS",
    "canonicalize_git_remote_url",
    "parse_git_remote_urls",
    "repo_hash_for_cwd",
    "repo_hash_from_remotes",
    "run_git",
]

GIT_COMMAND_TIMEOUT_SECONDS = 5.0
_DEFAULT_PORTS: dict[str, str] = {"git": "9418", "http": "80", "https": "443", "ssh": "22"}
_DISABLED_HOOKS_PATH = "NUL" if os.name == "nt" else "/dev/null"


def _strip_git_suffix(value: str) -> str:
    return value[: -len(".git")] if value.endswith(".git") else value


def _normalize_host(host: str, default_port: str | None) -> str:
    lowered = _ascii_lower(host)
    if default_port is not None and ":" in lowered:
        without_port, _, port = lowered.rpartition(":")
        if port == default_port:
            return without_port
    return lowered


def _ascii_lower(text: str) -> str:
    return "".join(chr(ord(ch) + 32) if "A" <= ch <= "Z" else ch for ch in text)


def _host_and_path(host_part: str, path: str, default_port: str | None) -> str | None:
    host_source = host_part.rpartition("@")[2] if "@" in host_part else host_part
    host = _normalize_host(rust_trim(host_source).rstrip("/"), default_port)
    if not host:
        return None
    trimmed_path = _strip_git_suffix(rust_trim(path).strip("/"))
    segments = [segment for segment in trimmed_path.split("/") if segment]
    if len(segments) < 2:
        return None
    if segments[0] in (".", "..") or segments[1] in (".", ".."):
        return None
    joined = "/".join(segments)
    if host == "github.com":
        joined = _ascii_lower(joined)
    return f"{host}/{joined}"


def _scp_like(remote: str) -> tuple[str, str] | None:
    slash = remote.find("/")
    colon = remote.find(":")
    if slash >= 0 and (colon < 0 or slash < colon):
        return None
    if colon < 0:
        return None
    host_part, path = remote[:colon], remote[colon + 1 :]
    if not host_part or not path:
        return None
    return host_part, path


def canonicalize_git_remote_url(url: str) -> str | None:
    """Canonical ``host/owner/repo`` form of a git remote URL, or None when not a repository."""
    value = _strip_git_suffix(rust_trim(url).rstrip("/"))
    if not value:
        return None
    scheme, sep, rest = value.partition("://")
    if sep:
        default_port = _DEFAULT_PORTS.get(scheme)
        if default_port is None:
            return None
        cut = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
        rest = rest[:cut]
        host_part, slash, path = rest.partition("/")
        if not slash:
            return None
        return _host_and_path(host_part, path, default_port)
    scp = _scp_like(value)
    if scp is not None:
        return _host_and_path(scp[0], scp[1], None)
    host_part, slash, path = value.partition("/")
    if not slash:
        return None
    return _host_and_path(host_part, path, None)


def parse_git_remote_urls(stdout: str) -> dict[str, str] | None:
    """Fetch URLs by remote name from ``git remote -v`` output (later duplicates win)."""
    remotes: dict[str, str] = {}
    for line in rust_lines(stdout):
        if not line.endswith(" (fetch)"):
            continue
        fetch_line = line[: -len(" (fetch)")]
        name, sep, url_part = fetch_line.partition("\t")
        if not sep:
            name, sep, url_part = fetch_line.partition(" ")
            if not sep:
                continue
        url = rust_trim_start(url_part)
        if url:
            remotes[name] = url
    return remotes or None


def repo_hash_from_remotes(remotes: dict[str, str] | None) -> str | None:
    """H("repo", canonical URL) of ``origin``, else of the first remote in byte-wise name order;
    the raw URL is hashed when it cannot be canonicalized."""
    if not remotes:
        return None
    # Code-point order of str equals byte-wise order of the UTF-8 names (Rust BTreeMap).
    url = remotes["origin"] if "origin" in remotes else remotes[min(remotes)]
    canonical = canonicalize_git_remote_url(url)
    return line_hash_value("repo", canonical if canonical is not None else url)


def run_git(args: list[str], cwd: str) -> tuple[int, bytes] | None:
    """Run ``git`` like upstream (hooks and fsmonitor disabled, 5 s budget); never raises."""
    env = dict(os.environ)
    env["GIT_OPTIONAL_LOCKS"] = "0"
    command = [
        "git",
        "-c",
        f"core.hooksPath={_DISABLED_HOOKS_PATH}",
        "-c",
        "core.fsmonitor=false",
        *args,
    ]
    try:
        completed = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=GIT_COMMAND_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return completed.returncode, completed.stdout


def repo_hash_for_cwd(cwd: str) -> str | None:
    """Repo hash of the git remotes seen from ``cwd`` (no is-a-repo pre-check); None on any
    git error, timeout, undecodable output or when there is no remote."""
    result = run_git(["remote", "-v"], cwd)
    if result is None or result[0] != 0:
        return None
    try:
        stdout = result[1].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return repo_hash_from_remotes(parse_git_remote_urls(stdout))
