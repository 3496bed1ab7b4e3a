"""`codex-contract diff OLD NEW` compares any two schema files; its help says what OLD and NEW
are; the wrapper at the repository root runs it without knowing where the virtualenv is."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.gate.diff_cmd import diff_files
from generator.paths import ROOT


def _pair(tmp_path: Path, schema_id: str | None) -> tuple[Path, Path]:
    def doc(kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"a": {"$ref": "#/$defs/A", "description": "A."}},
            "$defs": {"A": {"type": kind}},
        }
        if schema_id is not None:
            out["$id"] = schema_id
        return out

    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(doc("string")), encoding="utf-8")
    new.write_text(json.dumps(doc("integer")), encoding="utf-8")
    return old, new


@pytest.mark.parametrize(
    "schema_id",
    ["urn:example:thing", "https://example.com/thing.json", "thing.json", None],
    ids=["urn", "foreign-https", "relative", "no-id"],
)
def test_local_refs_resolve_whatever_the_id(tmp_path: Path, schema_id: str | None) -> None:
    old, new = _pair(tmp_path, schema_id)
    diffs = diff_files(old, new, tmp_path)
    assert [(d.rule, d.path) for d in diffs] == [("CA012", "$.a")], diffs


def test_diff_command_on_files_outside_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _pair(tmp_path, "urn:example:thing")
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "CA012 [REVISION] $.a: type string → integer" in out and "refusing" not in out


def test_diff_help_describes_old_and_new(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["diff", "--help"])
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "OLD NEW" in text
    assert "OLD the earlier version" in text and "NEW the later version" in text


def test_root_wrapper_runs_codex_contract_from_anywhere(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, None)
    proc = subprocess.run(
        [str(ROOT / "codex-contract"), "diff", str(old), str(new), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]) == {"required_bump": "REVISION"}
