"""The gate against real git history: a temporary repository with main and a feature branch."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.gate.check import run_check

FIXTURES = Path(__file__).parent / "fixtures"
EVENT = "schemas/events/fixture_event"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "gate test",
    "GIT_AUTHOR_EMAIL": "gate@test.invalid",
    "GIT_COMMITTER_NAME": "gate test",
    "GIT_COMMITTER_EMAIL": "gate@test.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def _event_v100() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (FIXTURES / "CA001_property_added_optional_closed" / "old.json").read_text("utf-8")
    )
    return doc


def _write(repo: Path, rel: str, doc: Any) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


def _version(doc: dict[str, Any], version: str) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    out["$id"] = f"https://schemas.codex-analytics.invalid/events/fixture_event/{version}.json"
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose main holds events/fixture_event/1-0-0, on branch `feature`."""
    _git(tmp_path, "init", "-q", "-b", "main")
    _write(tmp_path, f"{EVENT}/1-0-0.json", _event_v100())
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "publish fixture_event 1-0-0")
    _git(tmp_path, "checkout", "-q", "-b", "feature")
    return tmp_path


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def _check(repo: Path, capsys: pytest.CaptureFixture[str], fmt: str = "text") -> tuple[int, str]:
    rc = run_check("main", fmt, root=repo, drift=False)
    return rc, capsys.readouterr().out


def _params(doc: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = doc["properties"]["event_params"]
    return params


def test_unchanged_branch_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out = _check(repo, capsys)
    assert rc == 0, out
    assert "PASS" in out


def test_optional_field_as_new_addition_passes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _version(_event_v100(), "1-0-1")
    _params(new)["properties"]["note"] = {"type": "string", "description": "Free text."}
    _write(repo, f"{EVENT}/1-0-1.json", new)
    _commit(repo, "fixture_event 1-0-1: optional note")
    rc, out = _check(repo, capsys)
    assert rc == 0, out
    assert "CA001" in out and "$.event_params.note" in out
    assert "needs ADDITION, bumped ADDITION: ok" in out
    assert out.rstrip().endswith("PASS: the change may merge.")


def test_editing_published_version_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _event_v100()
    _params(doc)["properties"]["turn_id"]["description"] = "Turn id, reworded."
    _write(repo, f"{EVENT}/1-0-0.json", doc)
    _commit(repo, "edit 1-0-0 in place")
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CI001" in out
    assert f"{EVENT}/1-0-0.json at $.event_params.turn_id" in out
    assert "FAIL" in out


def test_whitespace_only_edit_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / EVENT / "1-0-0.json"
    path.write_text(path.read_text("utf-8") + "\n", encoding="utf-8")
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CI001" in out and "whitespace" in out


def test_deleting_published_version_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / EVENT / "1-0-0.json").unlink()
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CI002" in out


def _remove_model_in_101(repo: Path) -> None:
    new = _version(_event_v100(), "1-0-1")
    del _params(new)["properties"]["model"]
    _params(new)["required"].remove("model")
    _write(repo, f"{EVENT}/1-0-1.json", new)
    _commit(repo, "fixture_event 1-0-1: drop model")


def test_removing_field_in_addition_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _remove_model_in_101(repo)
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CA006" in out and "$.event_params.model" in out
    assert "need a MODEL bump (1-0-0 → 2-0-0)" in out
    assert "CV001" in out


def test_approved_break_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _remove_model_in_101(repo)
    _write(
        repo,
        "schemas/approved-breaks.json",
        [
            {
                "rule": "CA006",
                "schema": "events/fixture_event/1-0-1.json",
                "path": "$.event_params.model",
                "reason": "model moved to the runtime object",
                "approver": "alice",
            }
        ],
    )
    _commit(repo, "approve the break")
    rc, out = _check(repo, capsys)
    assert rc == 0, out
    assert "approved by alice: model moved to the runtime object" in out
    assert "PASS: the change may merge with 1 approved break(s)." in out
    rc, md = _check(repo, capsys, "markdown")
    assert rc == 0
    assert "approved by alice" in md and "✅" in md


def test_unused_approval_warns(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(
        repo,
        "schemas/approved-breaks.json",
        [
            {
                "rule": "CA006",
                "schema": "events/fixture_event/1-0-1.json",
                "reason": "r",
                "approver": "bob",
            }
        ],
    )
    rc, out = _check(repo, capsys)
    assert rc == 0
    assert "CG002" in out


def test_invalid_approval_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(repo, "schemas/approved-breaks.json", [{"rule": "CA006", "schema": "x"}])
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CG001" in out and "approver" in out


@pytest.mark.parametrize("version", ["1-0-2", "2-0-1", "1-1-1"])
def test_unclean_bump_fails(repo: Path, capsys: pytest.CaptureFixture[str], version: str) -> None:
    _write(repo, f"{EVENT}/{version}.json", _version(_event_v100(), version))
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CV002" in out and "not a clean bump" in out


def test_version_not_after_published_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(repo, "checkout", "-q", "main")
    _write(repo, f"{EVENT}/1-1-0.json", _version(_event_v100(), "1-1-0"))
    _commit(repo, "publish 1-1-0")
    _git(repo, "checkout", "-q", "-b", "late")
    _write(repo, f"{EVENT}/1-0-1.json", _version(_event_v100(), "1-0-1"))
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CV003" in out


def test_new_schema_must_start_at_100(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _event_v100()
    doc["$id"] = "https://schemas.codex-analytics.invalid/events/other_event/1-1-0.json"
    _write(repo, "schemas/events/other_event/1-1-0.json", doc)
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CV005" in out


def test_bad_file_name_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(repo, f"{EVENT}/v2.json", _version(_event_v100(), "v2"))
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CV004" in out


def test_lint_runs_on_new_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _version(_event_v100(), "1-0-1")
    _params(new)["properties"]["turnCount"] = {"type": "integer"}
    _write(repo, f"{EVENT}/1-0-1.json", new)
    rc, out = _check(repo, capsys)
    assert rc == 1
    for rule_id in ("CL003", "CL004", "CL006"):
        assert rule_id in out


def test_github_and_markdown_reports(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _remove_model_in_101(repo)
    rc, gh = _check(repo, capsys, "github")
    assert rc == 1
    assert (
        f"::error file={EVENT}/1-0-1.json,title=CA006 required property removed from a "
        "closed object::"
    ) in gh
    rc, md = _check(repo, capsys, "markdown")
    assert rc == 1
    assert "### Breaking" in md and "### Compatible" in md and "### Needs review" in md
    assert "`$.event_params.model`" in md
    assert f"codex-contract diff {EVENT}/1-0-0.json {EVENT}/1-0-1.json" in md


def test_cli_exit_codes(repo: Path) -> None:
    exe = Path(sys.executable).with_name("codex-contract")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "generator.cli"]
    env = {**os.environ, **GIT_ENV}
    ok = subprocess.run(
        [*cmd, "check", "--base", "main", "--no-drift"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run(
        [*cmd, "check", "--base", "no-such-ref", "--no-drift"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "no-such-ref" in bad.stderr
    (repo / EVENT / "1-0-0.json").write_text("{}", encoding="utf-8")
    fail = subprocess.run(
        [*cmd, "check", "--base", "main", "--no-drift"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert fail.returncode == 1


def test_default_base_is_merge_base_with_main(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(repo, "checkout", "-q", "main")
    _write(
        repo,
        "schemas/events/later_event/1-0-0.json",
        {
            **_event_v100(),
            "$id": "https://schemas.codex-analytics.invalid/events/later_event/1-0-0.json",
        },
    )
    _commit(repo, "main moves on")
    _git(repo, "checkout", "-q", "feature")
    rc = run_check(None, "text", root=repo, drift=False)
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "merge base with main" in out


def test_all_lints_published_files_too(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(repo, "checkout", "-q", "main")
    doc = _event_v100()
    doc["$id"] = "https://schemas.codex-analytics.invalid/events/loose_event/1-0-0.json"
    _params(doc)["properties"]["count"] = {"type": "integer", "description": "unbounded"}
    _write(repo, "schemas/events/loose_event/1-0-0.json", doc)
    _commit(repo, "publish an unbounded integer")
    _git(repo, "checkout", "-q", "feature")
    _git(repo, "merge", "-q", "main")
    rc, out = _check(repo, capsys)
    assert rc == 0, out
    rc = run_check("main", "text", root=repo, drift=False, every_file=True)
    out = capsys.readouterr().out
    assert rc == 1
    assert "CL006" in out and "loose_event" in out


def test_markdown_out_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = repo / "gate-report.md"
    rc = run_check("main", "github", root=repo, drift=False, markdown_out=str(target))
    capsys.readouterr()
    assert rc == 0
    assert target.read_text("utf-8").startswith("<!-- codex-contract-gate -->")


def test_internal_error_is_reported_not_raised(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.gate.check as check_mod

    def boom(*args: object, **kwargs: object) -> list[object]:
        raise ValueError("boom")

    monkeypatch.setattr(check_mod, "compare_schemas", boom)
    _write(repo, f"{EVENT}/1-0-1.json", _version(_event_v100(), "1-0-1"))
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CG005" in out and "boom" in out


def test_all_accepts_a_clean_published_history(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(repo, "checkout", "-q", "main")
    new = _version(_event_v100(), "1-0-1")
    _params(new)["properties"]["note"] = {"type": "string", "description": "Free text."}
    _write(repo, f"{EVENT}/1-0-1.json", new)
    _commit(repo, "publish 1-0-1")
    rc = run_check("main", "text", root=repo, drift=False, every_file=True)
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "CV003" not in out and "CA001" in out
