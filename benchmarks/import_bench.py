"""Issue #10 benchmark: how long `import codex_analytics_contract` takes, and the first parse.

Each measurement is a fresh interpreter (`python -c ...`), timed from outside as the wall time
of the whole process, medians over several runs; the baseline `python -c pass` runs in the same
loop (one baseline and one import per round, so both see the same machine load). The import
time is the median of (import run - baseline run) per round. The first `parse_event` of a fresh
process (which builds the newest models) is timed inside the process.

The interpreters use a bytecode cache in a temporary folder (`PYTHONPYCACHEPREFIX`, warmed by
one unmeasured run), as an installed package has its `.pyc` files: without one, every run would
also time compiling the package's sources.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

IMPORT = "import codex_analytics_contract"
# one newest-version event, parsed right after the import (the models are built on first use)
FIRST_PARSE = (
    "import time\n"
    "import codex_analytics_contract as c\n"
    "line = {line!r}\n"
    "t = time.perf_counter()\n"
    "c.parse_event(line)\n"
    "print(time.perf_counter() - t)\n"
)
TARGET_MS = 300.0


@dataclass(frozen=True)
class ImportTimes:
    baseline_ms: float  # median wall time of `python -c pass`
    import_ms: float  # median of (import run - baseline run), paired per round
    first_parse_ms: float  # median time of the first parse_event in a fresh process
    runs: int


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _wall(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def _first_parse(line: bytes, env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_PARSE.format(line=line)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def measure(line: bytes, runs: int = 9) -> ImportTimes:
    """Import and first-parse times over `runs` fresh interpreters each."""
    with tempfile.TemporaryDirectory(prefix="contract-pyc-") as tmp:
        env = _env(Path(tmp))
        _wall(f"{IMPORT}\nimport codex_analytics_contract._generated.registry", env)  # warm
        base: list[float] = []
        diffs: list[float] = []
        for _ in range(runs):
            b = _wall("pass", env)
            i = _wall(IMPORT, env)
            base.append(b)
            diffs.append(i - b)
        parses = [_first_parse(line, env) for _ in range(runs)]
    return ImportTimes(
        baseline_ms=statistics.median(base) * 1000,
        import_ms=statistics.median(diffs) * 1000,
        first_parse_ms=statistics.median(parses) * 1000,
        runs=runs,
    )


def table(times: ImportTimes) -> str:
    met = "met" if times.import_ms < TARGET_MS else "MISSED"
    return "\n".join(
        [
            f"Import, {times.runs} fresh interpreters each (wall time, medians)",
            "",
            "| step | median ms |",
            "|---|---:|",
            f"| `python -c pass` (baseline) | {times.baseline_ms:.0f} |",
            f"| `import codex_analytics_contract` (minus the baseline) | {times.import_ms:.0f} |",
            f"| first `parse_event` after the import (builds the models) "
            f"| {times.first_parse_ms:.0f} |",
            "",
            f"import: {times.import_ms:.0f} ms (target < {TARGET_MS:.0f} ms: {met})",
        ]
    )
