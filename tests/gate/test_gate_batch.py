"""CL011: the newest batch schema accepts every version of every event type.

A repository holding this checkout's schemas (main); on a branch, a new event version is added
with `codex-contract new-version` (as a contributor would): the gate fails in one line naming
`./codex-contract batch`, and passes once that command has written the next batch version.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.batch import missing_from_batch, newest_batch, write_next_batch
from generator.gate.check import run_check
from generator.gate.lint import lint_batch
from generator.scaffold import new_version
from tests.conftest import ROOT
from tests.gate.gitrepo import commit, contract_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return contract_repo(tmp_path, "schemas")


def test_the_committed_batch_accepts_every_event_version() -> None:
    assert missing_from_batch(ROOT / "schemas") == []
    assert lint_batch(ROOT / "schemas") == []


def test_new_event_version_without_batch_bump_fails_then_batch_fixes_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas = repo / "schemas"
    before = newest_batch(schemas)
    assert before is not None
    added = new_version("events/codex_turn_event", "addition", schemas, repo / "examples")
    commit(repo, "a new codex_turn_event version")
    rc = run_check("main", "text", root=repo, drift=False)
    out = capsys.readouterr().out
    assert rc == 1
    rel = added.relative_to(schemas).as_posix()
    lines = [line.strip() for line in out.splitlines() if "CL011" in line]
    assert lines, out
    detail = next(line for line in out.splitlines() if rel in line and "batch" in line)
    assert "./codex-contract batch" in detail
    findings = lint_batch(schemas)
    assert [f.rule for f in findings] == ["CL011"]
    assert "\n" not in findings[0].message and rel in findings[0].message
    assert findings[0].file == f"schemas/batch/{before[1].name}"

    written = write_next_batch(schemas)
    assert written is not None and written.name != before[1].name
    commit(repo, "the next batch version")
    rc = run_check("main", "text", root=repo, drift=False)
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "CL011" not in out
