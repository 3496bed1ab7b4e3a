"""Shared fixtures for the documentation tests: the site, built once per session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "generated" / "docs"


def build_site(site_dir: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` (of the committed generated/docs by default) into site_dir."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    proc = build_site(site_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site_dir
