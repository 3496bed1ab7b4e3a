"""The gate on hostile schema files: a finding naming the file, never a crash or a PASS.

A symbolic link (its content lives outside the reviewed tree), a folder named like a version
file, bytes that are not UTF-8 and nesting deep enough to exhaust Python's stack are each
reported as CG004 ("schema file cannot be read") with the reason; `codex-contract diff` says the
same in one line on standard error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.gate.check import gather
from generator.gate.diff_cmd import diff_files
from generator.gate.findings import Finding
from generator.schema_store import MAX_DEPTH
from tests.gate.test_gate_git import EVENT, _event_v100, _git, _version, _write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose main holds events/fixture_event/1-0-0, on branch `feature`."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _write(root, f"{EVENT}/1-0-0.json", _event_v100())
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "publish fixture_event 1-0-0")
    _git(root, "checkout", "-q", "-b", "feature")
    return root


def _blocking(root: Path) -> list[Finding]:
    result = gather(root, "main", drift=False)
    assert not result.passed
    return [f for f in result.findings if f.severity.value == "error"]


def _nested(depth: int) -> str:
    doc = _version(_event_v100(), "1-0-1")
    return json.dumps(doc)[:-1] + ', "examples": ' + "[" * depth + "]" * depth + "}"


def test_symlinked_version_file_does_not_pass(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.json"
    outside.write_text(json.dumps(_version(_event_v100(), "1-0-1")), encoding="utf-8")
    (repo / EVENT / "1-0-1.json").symlink_to(outside)
    found = _blocking(repo)
    assert [(f.rule, f.file) for f in found] == [("CG004", f"{EVENT}/1-0-1.json")]
    assert "symbolic link" in found[0].message


def test_symlinked_folder_does_not_pass(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    _write(outside, "1-0-0.json", _event_v100())
    (repo / "schemas" / "events" / "evil").symlink_to(outside)
    found = _blocking(repo)
    assert [(f.rule, f.file) for f in found] == [("CG004", "schemas/events/evil")]


def test_folder_named_like_a_version_file(repo: Path) -> None:
    (repo / EVENT / "1-0-1.json").mkdir()
    found = _blocking(repo)
    assert [(f.rule, f.file) for f in found] == [("CG004", f"{EVENT}/1-0-1.json")]
    assert "folder" in found[0].message


def test_deeply_nested_new_file(repo: Path) -> None:
    (repo / EVENT / "1-0-1.json").write_text(_nested(100_000), encoding="utf-8")
    found = _blocking(repo)
    assert [f.rule for f in found] == ["CG004"]
    assert f"deeper than {MAX_DEPTH}" in found[0].message and "line 1, column" in found[0].message


def test_invalid_utf8_new_file(repo: Path) -> None:
    data = json.dumps(_version(_event_v100(), "1-0-1")).encode().replace(b"Turn", b"T\xffrn", 1)
    (repo / EVENT / "1-0-1.json").write_bytes(data)
    found = _blocking(repo)
    assert [f.rule for f in found] == ["CG004"]
    assert "UTF-8" in found[0].message and "0xff" in found[0].message


def test_deeply_nested_edit_of_a_published_file(repo: Path) -> None:
    (repo / EVENT / "1-0-0.json").write_text(_nested(100_000), encoding="utf-8")
    found = _blocking(repo)
    assert [f.rule for f in found] == ["CI001"]


def test_diff_of_deeply_nested_files_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(json.dumps(_event_v100()), encoding="utf-8")
    new.write_text(_nested(100_000), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(new) in err[0] and f"deeper than {MAX_DEPTH}" in err[0]


def test_diff_of_a_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps(_event_v100()), encoding="utf-8")
    (tmp_path / "1-0-1.json").mkdir()
    assert main(["diff", str(old), str(tmp_path / "1-0-1.json")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1-0-1.json" in err[0]


def test_diff_of_a_recursive_schema_terminates(tmp_path: Path) -> None:
    """A schema that refers back to itself (a tree) is compared once per location pair."""
    base = "https://schemas.codex-analytics.invalid/common/node/"

    def node(version: str, extra: dict[str, object]) -> dict[str, object]:
        return {
            "$id": f"{base}{version}.json",
            "type": "object",
            "properties": {
                "kids": {"type": "array", "items": {"$ref": "#"}, "description": "Children."},
                "next": {"$ref": "#/$defs/link", "description": "A link."},
                **extra,
            },
            "$defs": {"link": {"type": "object", "properties": {"back": {"$ref": "#"}}}},
            "additionalProperties": False,
        }

    folder = tmp_path / "common" / "node"
    _write(folder, "1-0-0.json", node("1-0-0", {}))
    _write(folder, "1-0-1.json", node("1-0-1", {"name": {"type": "string", "description": "N."}}))
    diffs = diff_files(folder / "1-0-0.json", folder / "1-0-1.json", tmp_path)
    assert [(d.rule, d.path) for d in diffs] == [("CA001", "$.name")]
