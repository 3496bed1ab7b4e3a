"""The package's README (its long description on an index) is a working guide for consumers:
install, parse, errors, versions, command line. Its Python blocks run, in order, against the
installed package, and the commands it shows exist."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.docs.pages import code_blocks

README = ROOT / "python" / "README.md"
SECTIONS = ("Install", "Parse, validate, serialize", "Errors", "Versions", "Command line")


def test_readme_covers_what_a_consumer_needs() -> None:
    text = README.read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f"\n## {section}\n" in text, section
    for name in (
        "InvalidJSONError",
        "UnknownEventTypeError",
        "MissingFieldError",
        "UnexpectedFieldError",
        "WrongTypeError",
        "OutOfRangeError",
        "InvalidValueError",
    ):
        assert f"`{name}`" in text, name


def test_python_blocks_run_against_the_installed_package(tmp_path: Path) -> None:
    blocks = [b.text for b in code_blocks(README.read_text(encoding="utf-8")) if b.lang == "python"]
    assert len(blocks) >= 3
    script = tmp_path / "readme.py"
    script.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-I", str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "$.event_params.status" in proc.stdout


def _help(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "codex_analytics_contract", *args, "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_every_command_and_option_shown_exists() -> None:
    shell = [b.text for b in code_blocks(README.read_text(encoding="utf-8")) if b.lang == "sh"]
    commands = [
        shlex.split(line.split("#", 1)[0])
        for block in shell
        for line in block.splitlines()
        if line.startswith("codex-analytics ")
    ]
    assert {c[1] for c in commands} == {"validate", "normalize", "reduce", "--version"}
    helps = {name: _help(name) for name in ("validate", "normalize", "reduce")}
    helps["--version"] = _help()  # the program's own options
    for command in (c for c in commands if c[1] in helps):
        for option in (w for w in command[2:] if w.startswith("--")):
            assert option in helps[command[1]], (command, option)
    for option in re.findall(r"--[a-z][a-z-]+", " ".join(shell)):  # also those in comments
        assert any(option in text for text in helps.values()), option
