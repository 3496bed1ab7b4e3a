"""`make bench-spark`: the Spark job (spec/tables.md §7) in local mode on 1 core and on 2
cores, on the same corpus (every valid example of the newest versions, as in events_bench).
Each master gets its own SparkSession and a warm-up run (JVM, Python workers, imports), then
the timed runs; the table gives events per second and the speed-up of 2 cores over 1.

Not part of `make bench`: starting Spark twice and writing 33 Parquet tables per run takes
minutes on a shared machine. Needs Java 17 and the `[spark]` extra.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks import events_bench

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _session(master: str) -> SparkSession:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(master)
        .appName(f"codex-analytics-contract bench {master}")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def time_master(master: str, source: Path, warmup: Path, repeats: int) -> float:
    """Median seconds of the job on `source` under `master` (after one warm-up run)."""
    from codex_analytics_contract.spark import run_job

    spark = _session(master)
    try:
        with tempfile.TemporaryDirectory() as out:
            run_job(spark, [str(warmup)], f"{out}/warmup")
            times = []
            for index in range(repeats):
                start = time.perf_counter()
                loads = run_job(spark, [str(source)], f"{out}/run{index}")
                times.append(time.perf_counter() - start)
                if loads[0]["rejected"]:
                    raise RuntimeError(f"the corpus has {loads[0]['rejected']} rejected lines")
        return statistics.median(times)
    finally:
        spark.stop()


def run(size: int, repeats: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        source, warmup = Path(folder) / "events.ndjson", Path(folder) / "warmup.ndjson"
        lines = events_bench.corpus(size)
        source.write_bytes(b"\n".join(lines) + b"\n")
        warmup.write_bytes(b"\n".join(lines[:500]) + b"\n")
        one = time_master("local[1]", source, warmup, repeats)
        two = time_master("local[2]", source, warmup, repeats)
    return "\n".join(
        [
            f"Spark job, corpus 'examples' ({size:,} events), median of {repeats} runs",
            "",
            "| master | seconds | events/s | speed-up |",
            "|---|---:|---:|---:|",
            f"| local[1] | {one:.1f} | {size / one:,.0f} | 1.00x |",
            f"| local[2] | {two:.1f} | {size / two:,.0f} | {one / two:.2f}x |",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(run(args.events, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
