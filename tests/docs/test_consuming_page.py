"""The Python on "Consuming the package" runs, block after block, against the installed package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.docs.conftest import DOCS
from tests.docs.pages import code_blocks

PAGE = DOCS / "consuming.md"
TOPICS = ("Install", "Parse", "Validate", "Serialize", "Reduce", "Normalize", "Errors")


def test_the_page_covers_every_topic() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for topic in TOPICS:
        assert f"\n## {topic}" in text, topic


def test_python_blocks_run_against_the_installed_package(tmp_path: Path) -> None:
    blocks = [b.text for b in code_blocks(PAGE.read_text(encoding="utf-8")) if b.lang == "python"]
    assert len(blocks) >= 6
    script = tmp_path / "consuming.py"
    script.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    # A fresh interpreter in an empty directory: only the installed package is importable.
    proc = subprocess.run(
        [sys.executable, "-I", str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "codex_thread_initialized" in proc.stdout
    assert "$.event_params.status" in proc.stdout


def test_shell_blocks_name_the_package() -> None:
    shell = [b.text for b in code_blocks(PAGE.read_text(encoding="utf-8")) if b.lang == "sh"]
    assert any("python" in s for s in shell)
    assert any("python -m codex_analytics_contract validate" in s for s in shell)
