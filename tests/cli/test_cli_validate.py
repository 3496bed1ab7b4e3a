"""`python -m codex_analytics_contract validate`: each line processed or reported; counts add up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import pass_examples


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codex_analytics_contract", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        check=False,
    )


def test_validate_reports_every_bad_line_and_keeps_going(tmp_path: Path) -> None:
    good = [p.read_bytes().rstrip(b"\n") for p in pass_examples("events")[:5]]
    bad_type = json.loads(good[0])
    bad_type["event_type"] = "nope"
    lines = [
        good[0],
        b"{not json",
        good[1],
        json.dumps(bad_type).encode(),
        b"",
        good[2],
    ]
    source = tmp_path / "events.ndjson"
    source.write_bytes(b"\n".join(lines) + b"\n")
    proc = run("validate", str(source))
    assert proc.returncode == 1
    assert f"{source}:2: $" in proc.stderr and "JSON" in proc.stderr
    assert f"{source}:4: $.event_type" in proc.stderr
    assert "read 6 lines: 3 valid, 2 invalid, 1 blank" in proc.stdout


def test_validate_stdin_all_good() -> None:
    data = b"\n".join(p.read_bytes().rstrip(b"\n") for p in pass_examples("events"))
    proc = run("validate", "-", stdin=data + b"\n")
    assert proc.returncode == 0, proc.stderr
    n = len(pass_examples("events"))
    assert f"read {n} lines: {n} valid, 0 invalid, 0 blank" in proc.stdout


def test_validate_missing_file() -> None:
    proc = run("validate", "/nonexistent/events.ndjson")
    assert proc.returncode == 2
    assert "/nonexistent/events.ndjson: cannot read" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_normalize_adds_product_surface() -> None:
    line = next(p for p in pass_examples("events") if "codex_thread_initialized" in str(p))
    proc = run("normalize", "-", stdin=line.read_bytes())
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["event_params"]["product_surface"] == "codex"
