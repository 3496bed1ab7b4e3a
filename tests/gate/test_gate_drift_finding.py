"""The gate's drift finding says in one line what to do: after adding a schema and running
`make`, the new generated files only need `git add`."""

from __future__ import annotations

import pytest

import generator.drift
import generator.generate
from generator.drift import Drift
from generator.gate.check import _drift
from generator.gate.findings import Result
from generator.gate.report import render
from generator.paths import OUTPUT_ROOTS, ROOT


def _finding_text(monkeypatch: pytest.MonkeyPatch, drift: Drift) -> tuple[str, str]:
    monkeypatch.setattr(generator.generate, "render_all", dict)
    monkeypatch.setattr(generator.drift, "find_drift", lambda fresh: drift)
    result = Result(base=None, base_ref=None)
    findings, _ = _drift(ROOT, result)
    assert [f.rule for f in findings] == ["CG003"]
    result.findings = findings
    return findings[0].message, render(result, "text")


def test_untracked_generated_files_say_git_add(monkeypatch: pytest.MonkeyPatch) -> None:
    new = ["generated/docs/events/codex_new_event.md", "generated/docs/facts/x.md"]
    message, report = _finding_text(monkeypatch, Drift(untracked=new))
    assert "\n" not in message and "|" not in message
    assert f"`git add {' '.join(OUTPUT_ROOTS)}`" in message
    assert new[0] in message and "make generate" not in message
    assert any(line.strip() == message for line in report.splitlines())  # one line in the report


def test_stale_output_says_make_generate_then_git_add(monkeypatch: pytest.MonkeyPatch) -> None:
    message, _ = _finding_text(
        monkeypatch, Drift(changed=["generated/docs/index.md"], untracked=["generated/docs/y.md"])
    )
    assert "\n" not in message and "|" not in message
    assert "`make generate`" in message and "`git add" in message


def test_a_clean_tree_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator.generate, "render_all", dict)
    monkeypatch.setattr(generator.drift, "find_drift", lambda fresh: Drift())
    result = Result(base=None, base_ref=None)
    assert _drift(ROOT, result) == ([], {})
    assert any("drift check passed" in note for note in result.notes)
