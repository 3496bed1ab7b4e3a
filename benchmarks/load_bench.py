"""`load` into DuckDB against `parse_event` on the same event lines: the reducer benchmark's
sessions (as in events_bench) without the lines `load` rejects (the sessions' reducer emits
some turns and line fingerprints in older shapes that have no honest upgrade). Target: the
whole load (validate, upgrade, rows, Arrow batches, DuckDB insert) at >= 0.5x the throughput
of `parse_event` alone (spec/tables.md §4)."""

from __future__ import annotations

import duckdb

from benchmarks.events_bench import session_corpus
from benchmarks.timing import compare, table
from codex_analytics_contract.api import parse_event
from codex_analytics_contract.load import Loader
from codex_analytics_contract.rows import EventRow, line_outcomes

TARGET = 0.5


def load_once(data: bytes) -> int:
    """Load the NDJSON bytes into a fresh in-memory database; the rows loaded."""
    con = duckdb.connect(":memory:")
    try:
        loader = Loader(con)
        counts = loader.load_bytes("bench.ndjson", data)
        if counts.rejected:
            raise RuntimeError(f"the benchmark corpus has {counts.rejected} rejected lines")
        return counts.loaded
    finally:
        con.close()


def loadable_corpus(size: int) -> list[bytes]:
    """`size` session lines that `load` takes whole (every event upgraded)."""
    want = size * 3 // 2
    while True:
        found = [
            line
            for number, line in enumerate(session_corpus(want), start=1)
            if all(isinstance(o, EventRow) for o in line_outcomes(number, line))
        ]
        if len(found) >= size:
            return found[:size]
        if want > 20 * size:
            raise RuntimeError(f"the sessions hold only {len(found)} loadable lines in {want}")
        want *= 2


def run(size: int = 100_000, repeats: int = 5) -> tuple[str, float]:
    lines = loadable_corpus(size)
    data = b"\n".join(lines) + b"\n"

    def parse() -> None:
        for line in lines:
            parse_event(line)

    results = compare(
        ("parse_event", size, parse),
        [("load into DuckDB (validate, upgrade, Arrow, insert)", size, lambda: load_once(data))],
        repeats,
    )
    ratio = results[1].ratio
    verdict = "target met" if ratio >= TARGET else "TARGET MISSED"
    text = table(results, f"load, corpus 'sessions' ({size:,} events); target >= {TARGET}x")
    return f"{text}\n\nload: {verdict}", ratio
