"""Buf-style fixtures: one folder per compatibility rule, old.json → new.json → expected.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.gate.compare import required_bump
from generator.gate.diff_cmd import diff_files
from generator.gate.rules import RULES

FIXTURES = Path(__file__).parent / "fixtures"
FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir())


def _schemas(folder: Path) -> Path:
    return folder / "schemas" if (folder / "schemas").is_dir() else folder


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_fixture(folder: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    diffs = diff_files(folder / "old.json", folder / "new.json", _schemas(folder))
    got = [{"rule": d.rule, "category": d.category.name, "path": d.path} for d in diffs]
    assert got == expected["differences"]
    assert required_bump(diffs).name == expected["required_bump"]
    rule_id = folder.name.split("_", 1)[0]
    if rule_id in RULES:
        assert rule_id in {d["rule"] for d in expected["differences"]}


def test_every_compat_rule_has_a_fixture() -> None:
    covered = {f.name.split("_", 1)[0] for f in FOLDERS}
    missing = sorted(r.id for r in RULES.values() if r.kind == "compat" and r.id not in covered)
    assert missing == []


def test_diff_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    folder = FIXTURES / "CA006_property_removed_required_closed"
    rc = main(["diff", str(folder / "old.json"), str(folder / "new.json"), "--format", "json"])
    assert rc == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["rule"] == "CA006"
    assert lines[0]["category"] == "MODEL"
    assert lines[0]["path"] == "$.event_params.model"
    assert list(lines[0]) == ["rule", "category", "path", "message"]
    assert lines[-1] == {"required_bump": "MODEL"}


def test_diff_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    folder = FIXTURES / "CA028_ref_retargeted_with_inner_change"
    rc = main(
        [
            "diff",
            str(folder / "old.json"),
            str(folder / "new.json"),
            "--schemas",
            str(folder / "schemas"),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "CA028 [ADDITION] $.event_params.runtime" in out
    assert "CA001 [ADDITION] $.event_params.runtime.arch" in out
    assert out.rstrip().endswith("Required bump: ADDITION")


def test_diff_identical_says_none(capsys: pytest.CaptureFixture[str]) -> None:
    folder = FIXTURES / "NONE_identical_copy"
    assert (
        main(["diff", str(folder / "old.json"), str(folder / "new.json"), "--format", "json"]) == 0
    )
    assert capsys.readouterr().out.strip() == '{"required_bump": "NONE"}'


def test_diff_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["diff", str(tmp_path / "missing.json"), str(bad)]) == 2
    assert main(["diff", str(bad), str(bad)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["diff", str(bad)])
    assert exc.value.code == 2


def test_remote_refs_are_refused_not_fetched(tmp_path: Path) -> None:
    old = {
        "$id": "https://schemas.codex-analytics.invalid/events/x/1-0-0.json",
        "type": "object",
        "properties": {"a": {"type": "string", "description": "A."}},
    }
    new = {
        "$id": "https://schemas.codex-analytics.invalid/events/x/1-0-1.json",
        "type": "object",
        "properties": {"a": {"$ref": "https://example.com/a.json", "description": "A."}},
    }
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    diffs = diff_files(tmp_path / "old.json", tmp_path / "new.json", tmp_path)
    assert [(d.rule, d.path) for d in diffs] == [("CA033", "$.a")]
    assert "refused" in diffs[0].message
