"""CV006: a MODEL bump is reported as breaking (a `::warning` annotation, listed under
"Breaking" in the pull-request comment) and says whether `upgrade()` exists from the previous
version -- worked out by the generator's own upgrade steps, so it agrees with the package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codex_analytics_contract._generated.registry import UPGRADE_STEPS
from generator.batch import write_next_batch
from generator.gate.check import run_check
from generator.gate.upgrades import upgrade_verdict
from generator.scaffold import new_version
from tests.conftest import ROOT
from tests.gate.gitrepo import commit, contract_repo

TURN = "events/codex_turn_event"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return contract_repo(tmp_path, "schemas")


def _model_bump_with_required_key(repo: Path, migration: dict[str, Any] | None) -> str:
    """A MODEL bump of codex_turn_event that adds a required `retry_count` (and the next batch
    version, so that only the bump is reported)."""
    path = new_version(TURN, "model", repo / "schemas", repo / "examples")
    doc = json.loads(path.read_text("utf-8"))
    params = doc["properties"]["event_params"]
    params["properties"]["retry_count"] = {
        "type": "integer",
        "minimum": 0,
        "maximum": 4294967295,
        "description": "Times the turn was retried.",
    }
    params["required"].append("retry_count")
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    if migration is not None:
        beside = path.with_name(f"{path.stem}.migration.json")
        beside.write_text(json.dumps(migration, indent=2) + "\n", encoding="utf-8")
    write_next_batch(repo / "schemas")
    commit(repo, "codex_turn_event: MODEL bump")
    return path.relative_to(repo).as_posix()


def _annotations(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    rc = run_check("main", "github", root=repo, drift=False)
    return rc, [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]


def test_model_bump_without_migration_warns_no_upgrade(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _model_bump_with_required_key(repo, None)
    rc, lines = _annotations(repo, capsys)
    assert rc == 0  # a MODEL bump may merge; it is reported as breaking
    cv006 = [line for line in lines if "title=CV006" in line]
    assert len(cv006) == 1 and cv006[0].startswith(f"::warning file={file},")
    assert "is a MODEL bump (breaking" in cv006[0]
    assert "no upgrade: upgrade() raises UpgradeError" in cv006[0] and "`retry_count`" in cv006[0]
    # the difference that needs the MODEL bump is a warning too, never a notice
    ca003 = [line for line in lines if "title=CA003" in line]
    assert ca003 and all(line.startswith("::warning ") for line in ca003)
    assert not any(line.startswith("::notice") and "[MODEL]" in line for line in lines)


def test_model_bump_with_declared_migration_says_upgrade_exists(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migration = {
        "fields": {"retry_count": {"value": 0, "description": "older clients never retried"}}
    }
    _model_bump_with_required_key(repo, migration)
    rc, lines = _annotations(repo, capsys)
    assert rc == 0
    cv006 = next(line for line in lines if "title=CV006" in line)
    assert cv006.startswith("::warning ")
    assert "exists (migrated: `retry_count`" in cv006 and "UpgradeError" not in cv006
    md = run_check("main", "markdown", root=repo, drift=False)
    report = capsys.readouterr().out
    assert md == 0
    breaking = report.split("### Breaking", 1)[1].split("### Needs review", 1)[0]
    assert "`CV006`" in breaking


def test_verdict_agrees_with_the_packages_upgrade_table() -> None:
    """For every step of every event: "no upgrade" exactly where the generated UPGRADE_STEPS
    hold an error op (what upgrade() raises UpgradeError for)."""
    schemas = ROOT / "schemas"
    checked = 0
    for folder in sorted((schemas / "events").iterdir()):
        versions = [v for (name, v) in UPGRADE_STEPS if name == folder.name]
        for new in versions:
            old, ops = UPGRADE_STEPS[(folder.name, new)]
            verdict = upgrade_verdict(
                schemas, f"events/{folder.name}/{old}.json", f"events/{folder.name}/{new}.json"
            )
            refused = any(op[0] == "error" for _, op in ops)
            assert verdict.startswith("no upgrade") == refused, (folder.name, new, verdict)
            assert verdict.startswith(f"upgrade() from {old} exists") != refused
            checked += 1
    assert checked == len(UPGRADE_STEPS)
