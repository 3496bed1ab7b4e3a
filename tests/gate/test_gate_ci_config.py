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


def _commands(step: dict[str, Any]) -> list[str]:
    """The shell lines a workflow step runs, with `.ci/run` read in place of its call."""
    lines = [line.strip() for line in str(step.get("run", "")).splitlines()]
    out: list[str] = []
    for line in lines:
        if line == ".ci/run":
            script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
            out.extend(s.strip() for s in script if s.strip() and not s.startswith("#"))
        elif line:
            out.append(line)
    return out


def test_pull_requests_run_the_gate_and_every_test() -> None:
    """The gate alone would let a change merge green that breaks the package (the issue that
    asked for this: an optional key added in place passed `make check` and failed 34 tests)."""
    wf = _yaml(ROOT / ".github" / "workflows" / "contract.yml")
    assert list(wf[True]) == ["pull_request"]
    by_job = {
        name: [c for s in job["steps"] for c in _commands(s)] for name, job in wf["jobs"].items()
    }
    gate = [c for c in by_job["gate"] if c.startswith("make check")]
    assert gate and "BASE=origin/${{ github.base_ref }}" in gate[0]
    tests = [job for job, commands in by_job.items() if "make test" in commands]
    assert tests == ["test"]
    job = wf["jobs"]["test"]
    assert not job.get("if") and not job.get("continue-on-error")
    assert not any(s.get("continue-on-error") or s.get("if") for s in job["steps"])
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111  # executable, as the step calls it


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
