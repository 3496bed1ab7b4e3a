"""Skill id path normalization and repo look-up (upstream analytics_client_tests
normalize_path_for_skill_id_* and skill invocation tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from codex_analytics_contract.reducer.skills import (
    RepoInfo,
    default_skill_repo_provider,
    find_git_repo_root,
    normalize_path_for_skill_id,
    skill_id,
)
from tests.support.hashes import sha1_hex


def expected_absolute_path(path: str) -> str:
    try:
        resolved = os.path.realpath(path, strict=True)
    except OSError:
        resolved = path
    return resolved.replace("\\", "/")


def test_normalize_path_for_skill_id_repo_scoped_uses_relative_path() -> None:
    path = normalize_path_for_skill_id(
        "https://example.com/repo.git", "/repo/root", "/repo/root/.codex/skills/doc/SKILL.md"
    )
    assert path == ".codex/skills/doc/SKILL.md"


def test_normalize_path_for_skill_id_user_scoped_uses_absolute_path() -> None:
    skill_path = "/Users/abc/.codex/skills/doc/SKILL.md"
    assert normalize_path_for_skill_id(None, None, skill_path) == expected_absolute_path(skill_path)


def test_normalize_path_for_skill_id_admin_scoped_uses_absolute_path() -> None:
    skill_path = "/etc/codex/skills/doc/SKILL.md"
    assert normalize_path_for_skill_id(None, None, skill_path) == expected_absolute_path(skill_path)


def test_normalize_path_for_skill_id_repo_root_not_in_skill_path_uses_absolute_path() -> None:
    skill_path = "/other/path/.codex/skills/doc/SKILL.md"
    path = normalize_path_for_skill_id("https://example.com/repo.git", "/repo/root", skill_path)
    assert path == expected_absolute_path(skill_path)


def test_prefix_is_component_wise_and_needs_a_repo_url() -> None:
    skill = "/repo/rootdir/SKILL.md"
    assert normalize_path_for_skill_id("u", "/repo/root", skill) == skill
    assert normalize_path_for_skill_id("u", "/repo/root", "/repo/root") == ""
    # A root without URL (git found no origin) keeps the absolute path.
    assert normalize_path_for_skill_id(None, "/repo/root", "/repo/root/a/SKILL.md") == (
        "/repo/root/a/SKILL.md"
    )
    assert normalize_path_for_skill_id(None, None, "/x\\y/SKILL.md") == "/x/y/SKILL.md"


def test_canonicalization_resolves_symlinks(tmp_path: Path) -> None:
    real_root = tmp_path / "real"
    (real_root / "skills" / "doc").mkdir(parents=True)
    skill = real_root / "skills" / "doc" / "SKILL.md"
    skill.write_text("x")
    link_root = tmp_path / "link"
    link_root.symlink_to(real_root, target_is_directory=True)
    linked_skill = str(link_root / "skills" / "doc" / "SKILL.md")
    assert normalize_path_for_skill_id(None, None, linked_skill) == os.path.realpath(skill)
    assert normalize_path_for_skill_id("u", str(link_root), str(skill)) == "skills/doc/SKILL.md"


def test_skill_id_hashes_prefix_path_and_name() -> None:
    personal = skill_id(
        repo_url=None,
        repo_root=None,
        skill_path="/Users/abc/.codex/skills/doc/SKILL.md",
        skill_name="doc",
    )
    assert personal == sha1_hex("personal_/Users/abc/.codex/skills/doc/SKILL.md_doc")
    repo = skill_id(
        repo_url="https://example.com/repo.git",
        repo_root="/repo/root",
        skill_path="/repo/root/.codex/skills/doc/SKILL.md",
        skill_name="doc",
    )
    assert repo == sha1_hex("repo_https://example.com/repo.git_.codex/skills/doc/SKILL.md_doc")


def test_find_git_repo_root_walks_up_from_file_or_directory(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    skill_dir = repo / ".codex" / "skills" / "doc"
    skill_dir.mkdir(parents=True)
    (skill_dir / "SKILL.md").write_text("x")
    assert find_git_repo_root(str(skill_dir / "SKILL.md")) is None or not str(
        find_git_repo_root(str(skill_dir / "SKILL.md"))
    ).startswith(str(repo))
    (repo / ".git").write_text("gitdir: elsewhere\n")  # a .git *file* counts too
    assert find_git_repo_root(str(skill_dir / "SKILL.md")) == str(repo)
    assert find_git_repo_root(str(skill_dir)) == str(repo)
    assert find_git_repo_root(str(repo / "missing" / "SKILL.md")) == str(repo)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_default_skill_repo_provider_reads_origin_url(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    skill = repo / ".codex" / "skills" / "doc" / "SKILL.md"
    skill.parent.mkdir(parents=True)
    skill.write_text("x")
    assert default_skill_repo_provider(str(skill)) == RepoInfo(repo_url=None, root=str(repo))
    subprocess.run(
        ["git", "-C", str(repo), "remote", "add", "origin", "https://example.com/repo.git"],
        check=True,
    )
    info = default_skill_repo_provider(str(skill))
    assert info == RepoInfo(repo_url="https://example.com/repo.git", root=str(repo))
    assert skill_id(
        repo_url=info.repo_url, repo_root=info.root, skill_path=str(skill), skill_name="doc"
    ) == sha1_hex("repo_https://example.com/repo.git_.codex/skills/doc/SKILL.md_doc")
