"""A bad input of the generator (a schema, a template, templates.yaml) is reported by
`codex-contract` as one line naming the file (and line) and what is wrong: exit 1, no traceback,
nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import generator.generate as generate_module
from generator.cli import main
from generator.paths import SCHEMAS, TEMPLATES


@pytest.fixture
def no_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> tuple[int, int]:
        raise AssertionError("a failed generation must not write anything")

    monkeypatch.setattr(generate_module, "write_outputs", refuse)


def templates_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    monkeypatch.setattr(generate_module, "TEMPLATES", copy)
    return copy


def one_line_error(capsys: pytest.CaptureFixture[str], command: str = "generate") -> str:
    assert main([command]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("codex-contract: ")
    return err.removeprefix("codex-contract: ").rstrip("\n")


@pytest.mark.usefixtures("no_writes")
def test_undefined_name_in_a_template_names_the_template_line_and_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    event = templates_copy(tmp_path, monkeypatch) / "docs" / "event.md.j2"
    lines = event.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "{{ item.no_such_field }}\n")
    event.write_text("".join(lines), encoding="utf-8")
    err = one_line_error(capsys)
    assert err.startswith(f"{event}:3: ")
    assert "no_such_field" in err and "(rendering codex_" in err


@pytest.mark.usefixtures("no_writes")
def test_template_syntax_error_names_the_template_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    index = templates_copy(tmp_path, monkeypatch) / "docs" / "index.md.j2"
    index.write_text("# Index\n\n{% if %}\n", encoding="utf-8")
    err = one_line_error(capsys, "drift")
    assert err.startswith(f"{index}:3: syntax error: ")


@pytest.mark.usefixtures("no_writes")
def test_python_template_printing_schema_text_raw_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = templates_copy(tmp_path, monkeypatch) / "python" / "registry.py.j2"
    registry.write_text("X = {{ events[0].description }}\n", encoding="utf-8")
    err = one_line_error(capsys)
    assert err.startswith(f"{registry}:1: a Python template printed ")
    assert "without the `py` or `ident` filter" in err


@pytest.mark.usefixtures("no_writes")
def test_unknown_target_kind_names_templates_yaml_and_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    targets = templates_copy(tmp_path, monkeypatch) / "templates.yaml"
    text = targets.read_text(encoding="utf-8")
    targets.write_text(text.replace("  - kind: copy", "  - kind: kopy", 1), encoding="utf-8")
    err = one_line_error(capsys)
    number = [t.get("kind") for t in yaml.safe_load(text)["targets"]].index("copy") + 1
    assert err == (
        f"{targets}: target {number}: unknown kind 'kopy' (known: template, models, copy, render)"
    )


@pytest.mark.usefixtures("no_writes")
def test_two_targets_writing_one_file_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    targets = templates_copy(tmp_path, monkeypatch) / "templates.yaml"
    extra = "targets:\n  - template: docs/index.md.j2\n    output: generated/docs/catalog.md\n"
    targets.write_text(targets.read_text(encoding="utf-8").replace("targets:\n", extra))
    err = one_line_error(capsys)
    assert "generated/docs/catalog.md is written by another target" in err


@pytest.mark.usefixtures("no_writes")
def test_invalid_schema_json_names_the_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    bad = schemas / "events" / "codex_turn_event" / "1-0-0.json"
    bad.write_text('{\n  "type": "object",\n}\n', encoding="utf-8")
    monkeypatch.setattr(generate_module, "SCHEMAS", schemas)
    err = one_line_error(capsys)
    assert err.startswith(f"{bad}: line 3, column 1: invalid JSON: ")
