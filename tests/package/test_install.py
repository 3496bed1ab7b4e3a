"""The generated package installs with `pip install ./python` into an empty virtual
environment (pydantic is its only dependency) and its public API works there."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

from tests.conftest import ROOT, SCHEMAS, pass_examples

SCRIPT = r"""
import json, subprocess, sys
import codex_analytics_contract as c
from importlib.metadata import requires
import re
declared = requires("codex-analytics-contract") or []
deps = [re.split(r"[;<>=! ]", r)[0] for r in declared if "extra ==" not in r]
assert deps == ["pydantic"], deps
def extra(name):
    return sorted(re.split(r"[;<>=! ]", r)[0] for r in declared if f'extra == "{name}"' in r)
assert extra("fast") == ["msgspec"], declared  # the opt-in fast path: pip install '...[fast]'
assert extra("duckdb") == ["duckdb", "pyarrow"], declared
assert extra("spark") == ["pyspark"], declared
line = sys.stdin.buffer.read().rstrip(b"\n")
event = c.parse_event(line)
assert c.serialize_event(event) == line
assert event.event_type in c.EVENT_TYPES and len(c.EVENT_TYPES) == int(sys.argv[1])
try:
    c.parse_event(b'{"event_type":"nope","event_params":{}}')
except c.UnknownEventTypeError as exc:
    assert "$.event_type" in str(exc)
else:
    raise SystemExit("unknown event type accepted")
reducer = c.Reducer()
aborted = {"fact": "server_request_aborted", "completed_at_ms": 1, "request_id": 5}
assert reducer.ingest_raw(aborted) == []
from codex_analytics_contract.registry import EVENT_SCHEMAS, SCHEMAS
assert SCHEMAS.joinpath("batch/1-0-0.json").is_file()
assert SCHEMAS.joinpath(EVENT_SCHEMAS["codex_turn_event"][0]).is_file()
from importlib.metadata import metadata
meta = metadata("codex-analytics-contract")
assert meta["Description-Content-Type"] == "text/markdown", meta["Description-Content-Type"]
readme = meta["Description"] or meta.get_payload()
for section in ("## Install", "## Parse, validate, serialize", "## Errors", "## Versions",
                "## Command line"):
    assert section in readme, section
urls = meta.get_all("Project-URL") or []
assert any(u.startswith("Upstream, https://github.com/openai/codex") for u in urls), urls
assert "Typing :: Typed" in (meta.get_all("Classifier") or [])
from importlib.metadata import version
from importlib.resources import files
installed = version("codex-analytics-contract")
assert installed == c.__version__, (installed, c.__version__)
changelog = files("codex_analytics_contract._generated").joinpath("CHANGELOG.md").read_text()
assert f"## {c.__version__}" in changelog
print("ok", len(c.EVENT_TYPES))
"""


def test_pip_install_into_empty_venv(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    source = tmp_path / "pkg"
    shutil.copytree(
        ROOT / "python",
        source,
        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"),
    )
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    line = next(p for p in pass_examples("events") if "codex_turn_event" in str(p)).read_bytes()
    event_types = len([p for p in (SCHEMAS / "events").iterdir() if p.is_dir()])
    proc = subprocess.run(
        [str(python), "-c", SCRIPT, str(event_types)],
        input=line,
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.strip() == f"ok {event_types}".encode()
    cli = subprocess.run(
        [str(python), "-m", "codex_analytics_contract", "validate", "-"],
        input=line,
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    assert cli.returncode == 0 and b"1 valid" in cli.stdout
