"""Issue #10 benchmark: how long `import codex_analytics_contract` takes, and the first parse.

Each measurement is a fresh interpreter (`python -c ...`), timed from outside, medians over
several runs; the baseline `python -c pass` runs in the same loop (one baseline and one import
per round, so both see the same machine load). The import time is the median of (import run -
baseline run) per round, as CPU time (user + system of the child: what the import costs, which
a shared machine's load barely changes; the target is judged on it) and as wall time (what a
user waits, which the load inflates). The first `parse_event` of a fresh process (which builds
the newest models) is timed inside the process (CPU time).

The interpreters use a bytecode cache in a temporary folder (`PYTHONPYCACHEPREFIX`, warmed by
one unmeasured run), as an installed package has its `.pyc` files: without one, every run would
also time compiling the package's sources.
"""

from __future__ import annotations

import os
import resource
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
    "t = time.process_time()\n"
    "c.parse_event(line)\n"
    "print(time.process_time() - t)\n"
)
TARGET_MS = 300.0


@dataclass(frozen=True)
class ImportTimes:
    baseline_ms: float  # median CPU time of `python -c pass`
    import_ms: float  # median of (import run - baseline run) CPU time, paired per round
    baseline_wall_ms: float
    import_wall_ms: float
    first_parse_ms: float  # median CPU time of the first parse_event in a fresh process
    runs: int


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one fresh interpreter running `code`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


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
        _run(f"{IMPORT}\nimport codex_analytics_contract._generated.registry", env)  # warm
        base: list[tuple[float, float]] = []
        diffs: list[tuple[float, float]] = []
        for _ in range(runs):
            b = _run("pass", env)
            i = _run(IMPORT, env)
            base.append(b)
            diffs.append((i[0] - b[0], i[1] - b[1]))
        parses = [_first_parse(line, env) for _ in range(runs)]
    return ImportTimes(
        baseline_ms=statistics.median(b[0] for b in base) * 1000,
        import_ms=statistics.median(d[0] for d in diffs) * 1000,
        baseline_wall_ms=statistics.median(b[1] for b in base) * 1000,
        import_wall_ms=statistics.median(d[1] for d in diffs) * 1000,
        first_parse_ms=statistics.median(parses) * 1000,
        runs=runs,
    )


def table(times: ImportTimes) -> str:
    met = "met" if times.import_ms < TARGET_MS else "MISSED"
    return "\n".join(
        [
            f"Import, {times.runs} fresh interpreters each (medians)",
            "",
            "| step | CPU ms | wall ms |",
            "|---|---:|---:|",
            f"| `python -c pass` (baseline) | {times.baseline_ms:.0f} "
            f"| {times.baseline_wall_ms:.0f} |",
            f"| `import codex_analytics_contract` (minus the baseline) | {times.import_ms:.0f} "
            f"| {times.import_wall_ms:.0f} |",
            f"| first `parse_event` after the import (builds the newest models) "
            f"| {times.first_parse_ms:.0f} | |",
            "",
            f"import: {times.import_ms:.0f} ms CPU, {times.import_wall_ms:.0f} ms wall "
            f"(target < {TARGET_MS:.0f} ms: {met})",
        ]
    )
