"""Git remote canonicalization and repo hashes (spec/reducer.md §5.4-§5.5; upstream
git-utils info.rs inline tests)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from codex_analytics_contract.reducer.git_remote import (
    canonicalize_git_remote_url,
    parse_git_remote_urls,
    repo_hash_for_cwd,
    repo_hash_from_remotes,
)
from tests.support.hashes import line_hash


@pytest.mark.parametrize(
    "remote",
    [
        "git@github.com:OpenAI/Codex.git",
        "ssh://git@github.com/openai/codex.git",
        "ssh://git@github.com:22/OpenAI/Codex.git",
        "https://github.com/openai/codex.git",
        "https://github.com:443/openai/codex.git",
        "https://token@github.com/openai/codex/",
        "github.com/OpenAI/Codex.git",
    ],
)
def test_canonicalize_git_remote_url_normalizes_github_variants(remote: str) -> None:
    assert canonicalize_git_remote_url(remote) == "github.com/openai/codex"


def test_canonicalize_git_remote_url_handles_ghe_without_lowercasing_path() -> None:
    assert (
        canonicalize_git_remote_url("git@ghe.company.com:Org/Repo.git")
        == "ghe.company.com/Org/Repo"
    )
    assert (
        canonicalize_git_remote_url("ssh://git@ghe.company.com:2222/Org/Repo.git")
        == "ghe.company.com:2222/Org/Repo"
    )


@pytest.mark.parametrize("remote", ["", "file:///tmp/repo", "github.com/openai", "/tmp/repo"])
def test_canonicalize_git_remote_url_rejects_non_repository_values(remote: str) -> None:
    assert canonicalize_git_remote_url(remote) is None


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        (
            "http://GitLab.Example.com:80/Group/Sub/Project.git",
            "gitlab.example.com/Group/Sub/Project",
        ),
        ("git://example.org:9418/a/b", "example.org/a/b"),
        ("git://example.org:22/a/b", "example.org:22/a/b"),
        ("https://github.com/openai/codex.git?ref=main#readme", "github.com/openai/codex"),
        ("https://user:pw@GitHub.com/OpenAI/Codex", "github.com/openai/codex"),
        ("  https://github.com/openai/codex.git \n", "github.com/openai/codex"),
        ("https://github.com//openai//codex//", "github.com/openai/codex"),
        ("git@github.com:/openai/codex.git", "github.com/openai/codex"),
        ("host:owner/repo", "host/owner/repo"),
        ("example.com/a/b/c", "example.com/a/b/c"),
        ("ssh://git@example.com/a/b/./c", "example.com/a/b/./c"),
    ],
)
def test_canonicalize_git_remote_url_more_forms(remote: str, expected: str) -> None:
    assert canonicalize_git_remote_url(remote) == expected


@pytest.mark.parametrize(
    "remote",
    [
        "ftp://example.com/a/b",
        "HTTPS://github.com/openai/codex",  # scheme match is case-sensitive
        "https://github.com",
        "https://github.com/openai",
        "git@github.com:",
        ":openai/codex",
        "ssh://git@example.com/./b",
        "ssh://git@example.com/a/./b",  # second segment is "."
        "example.com/../b",
        "https:///openai/codex",
        ".git",
        "/",
    ],
)
def test_canonicalize_git_remote_url_more_rejections(remote: str) -> None:
    assert canonicalize_git_remote_url(remote) is None


def test_parse_git_remote_urls_reads_fetch_lines_only() -> None:
    stdout = (
        "origin\thttps://github.com/openai/codex.git (fetch)\n"
        "origin\thttps://github.com/openai/codex.git (push)\n"
        "upstream   git@github.com:other/codex.git (fetch)\n"
        "broken (fetch)\n"
        "empty\t   (fetch)\n"
        "upstream\tgit@github.com:later/codex.git (fetch)\n"
    )
    assert parse_git_remote_urls(stdout) == {
        "origin": "https://github.com/openai/codex.git",
        "upstream": "git@github.com:later/codex.git",
    }
    assert parse_git_remote_urls("") is None
    assert parse_git_remote_urls("origin\thttps://x/y/z (push)\n") is None


def test_repo_hash_prefers_origin_then_first_name_and_falls_back_to_raw_url() -> None:
    assert repo_hash_from_remotes(None) is None
    assert repo_hash_from_remotes(
        {"zeta": "git@github.com:z/z.git", "origin": "https://github.com/OpenAI/Codex.git"}
    ) == line_hash("repo", "github.com/openai/codex")
    assert repo_hash_from_remotes(
        {"zeta": "git@github.com:z/z.git", "Beta": "git@example.com:B/b.git", "alpha": "x:a/a"}
    ) == line_hash("repo", "example.com/B/b")  # "Beta" < "alpha" byte-wise
    assert repo_hash_from_remotes({"origin": "/srv/git/repo"}) == line_hash("repo", "/srv/git/repo")


def test_repo_hash_for_cwd_outside_a_repository_is_none(tmp_path: Path) -> None:
    assert repo_hash_for_cwd(str(tmp_path)) is None
    assert repo_hash_for_cwd(str(tmp_path / "does-not-exist")) is None


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_repo_hash_for_cwd_uses_origin_remote(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "backup", "git@example.com:Org/Backup.git"],
        check=True,
    )
    nested = tmp_path / "sub" / "dir"
    nested.mkdir(parents=True)
    assert repo_hash_for_cwd(str(nested)) == line_hash("repo", "example.com/Org/Backup")
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "origin", "git@github.com:OpenAI/Codex.git"],
        check=True,
    )
    assert repo_hash_for_cwd(str(nested)) == line_hash("repo", "github.com/openai/codex")
