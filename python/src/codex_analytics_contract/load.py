"""`load FILE... --db analytics.duckdb`: NDJSON of events (or of `{"events":[...]}` request
bodies) into one DuckDB table per event type (spec/tables.md §4).

Every event is validated (`parse_event`: the newest version that accepts it), upgraded to its
table's version (`upgrade`; an UpgradeError rejects the event with its reason) and written to
its table; every line or body item that cannot be taken goes to
`_rejected` with its source, line, JSON path, reason and raw text. Per file:
read = loaded + rejected (blank lines are counted apart), printed and kept in `_loads`. A file
whose content (SHA-256) is already in `_loads` adds nothing. Rows travel to DuckDB in Arrow
batches; each file is one transaction.

Needs the `[duckdb]` extra (duckdb, pyarrow).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

import duckdb
import pyarrow as pa

from codex_analytics_contract._generated.warehouse import TABLE_DDL
from codex_analytics_contract.rows import EventRow, dropped_columns, line_outcomes, split_lines
from codex_analytics_contract.tables import arrow_schema, row_schema

BATCH_ROWS = 50_000
PROGRESS_EVERY = 5_000

META_DDL = """
CREATE TABLE IF NOT EXISTS _loads (
    source VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, bytes BIGINT NOT NULL,
    read BIGINT NOT NULL, loaded BIGINT NOT NULL, rejected BIGINT NOT NULL,
    blank BIGINT NOT NULL, redacted VARCHAR NOT NULL, loaded_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS _rejected (
    _source VARCHAR NOT NULL, _line BIGINT NOT NULL, path VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, raw VARCHAR NOT NULL, _loaded_at TIMESTAMPTZ NOT NULL
);
"""
_REJECTED_SCHEMA = pa.schema(
    [
        pa.field("_source", pa.string(), nullable=False),
        pa.field("_line", pa.int64(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("raw", pa.string(), nullable=False),
        pa.field("_loaded_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


@dataclass
class FileCounts:
    source: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    blank: int = 0
    skipped: bool = False  # already loaded: nothing added

    def line(self) -> str:
        if self.skipped:
            return f"{self.source}: already loaded (same SHA-256 in _loads): nothing added"
        return (
            f"{self.source}: read {self.read} events: {self.loaded} loaded, "
            f"{self.rejected} rejected ({self.blank} blank lines)"
        )


@dataclass
class _Batch:
    """Rows waiting for the next Arrow write, per table."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    size: int = 0


class Loader:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        redact: frozenset[str] = frozenset(),
        progress: IO[str] | None = None,
    ) -> None:
        self.con = con
        self.redact = redact
        self.progress = progress
        existing = {
            name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        # one transaction, sent as one script (each of the DDL's many comments would otherwise
        # commit alone and cost a round trip)
        script = [META_DDL]
        for event_type, ddl in TABLE_DDL.items():
            if event_type not in existing:
                script.append(ddl)
            for column in dropped_columns(event_type, redact):
                script.append(f'ALTER TABLE "{event_type}" ALTER COLUMN "{column}" DROP NOT NULL;')
        con.begin()
        con.execute("\n".join(script))
        con.commit()

    # -- one file -------------------------------------------------------------------------

    def load_bytes(self, source: str, data: bytes) -> FileCounts:
        counts = FileCounts(source)
        digest = hashlib.sha256(data).hexdigest()
        seen = self.con.execute("SELECT 1 FROM _loads WHERE sha256 = ?", [digest]).fetchone()
        if seen is not None:
            counts.skipped = True
            return counts
        loaded_at = datetime.now(UTC)
        self.con.begin()
        try:
            batch = _Batch()
            for number, line in enumerate(split_lines(data), start=1):
                self._line(source, number, line, counts, batch, loaded_at)
                if batch.size >= BATCH_ROWS:
                    self._flush(batch, source, loaded_at)
                    batch = _Batch()
                if self.progress is not None and number % PROGRESS_EVERY == 0:
                    self.progress.write(f"\r{source}: line {number:,} ({counts.loaded:,} loaded)")
                    self.progress.flush()
            self._flush(batch, source, loaded_at)
            self.con.execute(
                "INSERT INTO _loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    source,
                    digest,
                    len(data),
                    counts.read,
                    counts.loaded,
                    counts.rejected,
                    counts.blank,
                    ",".join(sorted(self.redact)),
                    loaded_at,
                ],
            )
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        finally:
            if self.progress is not None:
                self.progress.write("\r\033[K")
                self.progress.flush()
        return counts

    def _line(
        self,
        source: str,
        number: int,
        line: bytes,
        counts: FileCounts,
        batch: _Batch,
        loaded_at: datetime,
    ) -> None:
        if not line.strip():
            counts.blank += 1
            return
        for outcome in line_outcomes(number, line, self.redact):
            counts.read += 1
            batch.size += 1
            if isinstance(outcome, EventRow):
                batch.rows.setdefault(outcome.table, []).append(outcome.row)
                counts.loaded += 1
                continue
            counts.rejected += 1
            batch.rejected.append(
                {
                    "_source": source,
                    "_line": number,
                    "path": outcome.path,
                    "reason": outcome.reason,
                    "raw": outcome.raw,
                    "_loaded_at": loaded_at,
                }
            )

    def _flush(self, batch: _Batch, source: str, loaded_at: datetime) -> None:
        for event_type, rows in batch.rows.items():
            # `_source` and `_loaded_at` are one value per file: added as repeated columns
            schema = arrow_schema(event_type)
            table = pa.Table.from_pylist(rows, schema=row_schema(event_type))
            for name, value in (("_source", source), ("_loaded_at", loaded_at)):
                field = schema.field(name)
                table = table.append_column(
                    field, pa.repeat(pa.scalar(value, field.type), len(rows))
                )
            self._insert(event_type, table)
        if batch.rejected:
            self._insert("_rejected", pa.Table.from_pylist(batch.rejected, schema=_REJECTED_SCHEMA))

    def _insert(self, table: str, arrow: pa.Table) -> None:
        self.con.register("_batch", arrow)
        try:
            self.con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _batch')
        finally:
            self.con.unregister("_batch")


def run_load(
    sources: Sequence[str],
    db: str,
    redact: frozenset[str],
    out: IO[str],
    err: IO[str],
) -> int:
    """The `load` command: 0 when every line was taken, 1 when any was rejected."""
    progress = err if err.isatty() else None
    con = duckdb.connect(db)
    try:
        loader = Loader(con, redact, progress)
        total = FileCounts("total")
        for source in sources:
            data = sys.stdin.buffer.read() if source == "-" else _read(source)
            counts = loader.load_bytes("<stdin>" if source == "-" else source, data)
            out.write(counts.line() + "\n")
            for name in ("read", "loaded", "rejected", "blank"):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        if len(sources) > 1:
            out.write(total.line() + "\n")
    finally:
        con.close()
    return 1 if total.rejected else 0


def _read(source: str) -> bytes:
    with open(source, "rb") as handle:
        return handle.read()
