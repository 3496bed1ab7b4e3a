"""`load` into DuckDB against `parse_event` on the same event lines: the reducer benchmark's
sessions (as in events_bench) without the lines `load` rejects (the sessions' reducer emits
some turns and line fingerprints in older shapes that have no honest upgrade). Target: the
whole load (validate, upgrade, rows, Arrow batches, DuckDB insert) at >= 0.5x the throughput
of `parse_event` alone (spec/tables.md §4), on those sessions and on the newest versions'
valid examples; two ceilings show where the time goes (the rows alone, the rows and Arrow),
and the rows without the `fast` extra stand beside them (the typed path alone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa

from benchmarks import events_bench
from benchmarks.events_bench import session_corpus
from benchmarks.timing import compare, table
from codex_analytics_contract import rows as rows_module
from codex_analytics_contract.api import parse_event
from codex_analytics_contract.load import Loader
from codex_analytics_contract.rows import EventRow, line_outcomes
from codex_analytics_contract.tables import row_schema

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


def _rows_only(lines: list[bytes]) -> Callable[[], None]:
    """Ceiling: validate, upgrade and make the rows (`rows.line_outcomes`), write nothing."""

    def run() -> None:
        for number, line in enumerate(lines, start=1):
            line_outcomes(number, line)

    return run


def _rows_typed(lines: list[bytes]) -> Callable[[], None]:
    """The rows without the `fast` extra (the typed path alone), beside the fast path's."""

    def run() -> None:
        kept = rows_module._fast
        rows_module._fast = None
        try:
            for number, line in enumerate(lines, start=1):
                line_outcomes(number, line)
        finally:
            rows_module._fast = kept

    return run


def _rows_and_arrow(lines: list[bytes]) -> Callable[[], None]:
    """Ceiling: the rows, then one Arrow table per event type; no DuckDB."""

    def run() -> None:
        by_table: dict[str, list[dict[str, Any]]] = {}
        for number, line in enumerate(lines, start=1):
            for outcome in line_outcomes(number, line):
                if isinstance(outcome, EventRow):
                    by_table.setdefault(outcome.table, []).append(outcome.row)
        for name, rows in by_table.items():
            pa.Table.from_pylist(rows, schema=row_schema(name))

    return run


def run_corpus(name: str, lines: list[bytes], repeats: int) -> tuple[str, float]:
    size = len(lines)
    data = b"\n".join(lines) + b"\n"

    def parse() -> None:
        for line in lines:
            parse_event(line)

    results = compare(
        ("parse_event", size, parse),
        [
            ("(typed path) validate, upgrade, rows: no writing", size, _rows_typed(lines)),
            ("(ceiling) validate, upgrade, rows: no writing", size, _rows_only(lines)),
            ("(ceiling) rows and Arrow tables: no DuckDB", size, _rows_and_arrow(lines)),
            (
                "load into a new DuckDB (tables created, Arrow, insert)",
                size,
                lambda: load_once(data),
            ),
        ],
        repeats,
    )
    ratio = results[-1].ratio
    verdict = "target met" if ratio >= TARGET else "TARGET MISSED"
    text = table(results, f"load, corpus '{name}' ({size:,} events); target >= {TARGET}x")
    return f"{text}\n\nload, corpus '{name}': {verdict}", ratio


def run(size: int = 100_000, repeats: int = 5) -> tuple[str, dict[str, float]]:
    """Both corpora: the reducer's sessions (mostly older versions, upgraded) and every valid
    example of the newest versions (no upgrade: the writing weighs most)."""
    text_s, ratio_s = run_corpus("sessions", loadable_corpus(size), repeats)
    text_e, ratio_e = run_corpus("examples", events_bench.corpus(size), repeats)
    return f"{text_s}\n\n{text_e}", {"sessions": ratio_s, "examples": ratio_e}
