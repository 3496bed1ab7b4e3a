"""The CI workflow and the pre-commit hook call the gate the documented way."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _yaml(path: Path) -> Any:
    return importlib.import_module("yaml").safe_load(path.read_text(encoding="utf-8"))


def test_workflow_runs_the_gate_on_pull_requests() -> None:
    wf = _yaml(ROOT / ".github" / "workflows" / "contract.yml")
    assert "pull_request" in wf[True]  # YAML 1.1 reads the key `on` as True
    steps = wf["jobs"]["gate"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = " ".join(str(s.get("run", "")) for s in steps)
    assert "make check BASE=origin/${{ github.base_ref }}" in runs
    assert any(str(s.get("uses", "")).startswith("actions/github-script") for s in steps)
    assert wf["permissions"]["pull-requests"] == "write"


def test_pre_commit_hooks_call_make_check_and_the_pinned_ruff() -> None:
    cfg = _yaml(ROOT / ".pre-commit-config.yaml")
    hooks = [h for repo in cfg["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    assert any(h["entry"] == "make check" and h["language"] == "system" for h in hooks)
    ruff = next(h for h in hooks if h["id"] == "ruff")
    # the .venv's ruff: the version pinned in requirements.lock, not whatever pre-commit fetches
    assert ruff["entry"].startswith(".venv/bin/ruff check") and ruff["language"] == "system"
    pinned = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("ruff==") for line in pinned)


def test_approved_breaks_file_is_valid() -> None:
    from generator.gate.approvals import load_approvals

    approvals, problems = load_approvals(ROOT)
    assert problems == []
    assert all(a.reason and a.approver for a in approvals)
