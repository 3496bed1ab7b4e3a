"""Throughput measured as ratios against a baseline run in the same process.

Each repeat times the baseline and then every candidate back to back over the same items
(garbage collection off while timing, as `timeit` does), and the ratio of each repeat is
computed from that pair; the reported ratio is the median over the repeats. Pairing keeps the
ratio meaningful on a shared, noisy machine where absolute times are not.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    items: int
    seconds: float  # median seconds for one pass over the items
    ratio: float  # median of per-repeat (baseline time per item / this time per item)

    @property
    def per_second(self) -> float:
        return self.items / self.seconds


def _timed(run: Callable[[], object]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def compare(
    baseline: tuple[str, int, Callable[[], object]],
    candidates: list[tuple[str, int, Callable[[], object]]],
    repeats: int,
) -> list[Result]:
    """[baseline, *candidates] results; each candidate's ratio is paired with the baseline."""
    b_name, b_items, b_run = baseline
    b_times: list[float] = []
    c_times: dict[str, list[float]] = {name: [] for name, _, _ in candidates}
    ratios: dict[str, list[float]] = {name: [] for name, _, _ in candidates}
    for _ in range(repeats):
        base = _timed(b_run)
        b_times.append(base)
        for name, items, run in candidates:
            took = _timed(run)
            c_times[name].append(took)
            ratios[name].append((base / b_items) / (took / items))
    results = [Result(b_name, b_items, statistics.median(b_times), 1.0)]
    for name, items, _ in candidates:
        results.append(
            Result(name, items, statistics.median(c_times[name]), statistics.median(ratios[name]))
        )
    return results


def table(results: list[Result], title: str) -> str:
    floor = results[0]
    lines = [
        title,
        "",
        f"| step | items | median items/s | ratio to {floor.name} (paired median) |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r.name} | {r.items:,} | {r.per_second:,.0f} | {r.ratio:.3f}x |")
    return "\n".join(lines)
