"""The load on Spark, for data that outgrows one machine (spec/tables.md §7).

    python -m codex_analytics_contract.spark FILE... --out DIR [--redact CLASS,...]
    spark-submit .../codex_analytics_contract/spark.py FILE... --out DIR [--redact CLASS,...]

Reads NDJSON of events or of request bodies from any path Spark reads, validates and upgrades
every event with the package inside the executors (`mapPartitions` over
`codex_analytics_contract.rows.line_outcomes`, the same code as the DuckDB `load`), and
writes Parquet per event type with the generated `StructType` (`DIR/<event_type>/`), the
rejected lines with their path and reason (`DIR/_rejected/`) and the counts per file
(`DIR/_loads/`). Each run writes its output anew (overwrite): the same input gives the same
rows as `load` into DuckDB.

Needs the `[spark]` extra (pyspark) and Java 17.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from operator import add
from typing import IO, TYPE_CHECKING, Any

from codex_analytics_contract._generated.warehouse import SPARK_SCHEMAS
from codex_analytics_contract.rows import (
    EventRow,
    dropped_paths,
    line_outcomes,
    parse_classes,
    unknown_classes,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

EXTRA_HINT = "pip install 'codex-analytics-contract[spark]'"
REJECTED = "_rejected"
LOADS = "_loads"
_BLANK = "_blank"

#: `_rejected` and `_loads` as Spark StructType JSON (the DuckDB loader's columns).
REJECTED_SCHEMA: dict[str, Any] = {
    "type": "struct",
    "fields": [
        {"name": n, "type": t, "nullable": False, "metadata": {}}
        for n, t in (
            ("_source", "string"),
            ("_line", "long"),
            ("path", "string"),
            ("reason", "string"),
            ("raw", "string"),
            ("_loaded_at", "timestamp"),
        )
    ],
}
LOADS_SCHEMA: dict[str, Any] = {
    "type": "struct",
    "fields": [
        {"name": n, "type": t, "nullable": False, "metadata": {}}
        for n, t in (
            ("source", "string"),
            ("read", "long"),
            ("loaded", "long"),
            ("rejected", "long"),
            ("blank", "long"),
            ("redacted", "string"),
            ("loaded_at", "timestamp"),
        )
    ],
}

# -- rows as Spark values ----------------------------------------------------------------------

Convert = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _converter(spark_type: Any) -> Convert:
    """What turns a row value into the value Spark's type takes: a u64 (DECIMAL(20,0)) a
    Decimal, a double a float (JSON `1` is an int), a struct a tuple in field order."""
    if isinstance(spark_type, str):
        if spark_type.startswith("decimal"):
            return lambda v: None if v is None else Decimal(v)
        if spark_type == "double":
            return lambda v: None if v is None else float(v)
        return _same
    if spark_type["type"] == "struct":
        fields = [(f["name"], _converter(f["type"])) for f in spark_type["fields"]]
        return lambda v: None if v is None else tuple(c(v.get(n)) for n, c in fields)
    item = _converter(spark_type["elementType"])
    return lambda v: None if v is None else [item(x) for x in v]


def _nullable(schema: dict[str, Any], path: str) -> None:
    """Let the field at `path` (`a.b`, `a[].b`) hold NULL (a redaction drops it)."""
    node: dict[str, Any] = schema
    parts = path.split(".")
    for index, part in enumerate(parts):
        name = part.removesuffix("[]")
        field = next(f for f in node["fields"] if f["name"] == name)
        if index == len(parts) - 1:
            field["nullable"] = True
            return
        kind = field["type"]
        while isinstance(kind, dict) and kind["type"] == "array":
            kind = kind["elementType"]
        node = kind


def table_schema(event_type: str, redact: Iterable[str] = ()) -> dict[str, Any]:
    """The table's StructType JSON; the fields `redact` drops made nullable."""
    schema: dict[str, Any] = json.loads(SPARK_SCHEMAS[event_type])
    for path in dropped_paths(event_type, frozenset(redact)):
        _nullable(schema, path)
    return schema


#: (table, source, row count, pickled rows)
Chunk = tuple[str, str, int, bytes]


def _unpickled(chunk: Chunk) -> list[Any]:
    rows: list[Any] = pickle.loads(chunk[3])
    return rows


def _of_table(table: str) -> Callable[[Chunk], bool]:
    return lambda chunk: chunk[0] == table


#: tables written at once (each a Spark job)
WRITERS = 8

#: rows per pickled chunk: an executor hands its rows on per table in chunks of this many
CHUNK_ROWS = 5_000


def _outcomes(
    source: str, redact: frozenset[str], loaded_at: datetime
) -> Callable[[Iterable[tuple[str, int]]], Iterator[Chunk]]:
    """The executors' work on (line, 0-based index) pairs: per table, chunks of its Spark rows
    as (table, source, row count, pickled rows); blank lines counted as table `_blank`. A
    chunk travels as one pickled value, so each table's pass over the outcomes unpickles only
    its own rows."""

    def run(lines: Iterable[tuple[str, int]]) -> Iterator[Chunk]:
        converters: dict[str, Convert] = {}
        chunks: dict[str, list[Any]] = {}
        blank = 0
        for text, index in lines:
            number = index + 1
            line = text.encode("utf-8", "surrogateescape")
            if not line.strip():
                blank += 1
                continue
            for outcome in line_outcomes(number, line, redact):
                if isinstance(outcome, EventRow):
                    table = outcome.table
                    convert = converters.get(table)
                    if convert is None:
                        convert = converters[table] = _converter(table_schema(table, redact))
                    row = outcome.row
                    row["_source"] = source
                    row["_loaded_at"] = loaded_at
                    value = convert(row)
                else:
                    table = REJECTED
                    values = (source, number, outcome.path, outcome.reason, outcome.raw)
                    value = (*values, loaded_at)
                chunk = chunks.setdefault(table, [])
                chunk.append(value)
                if len(chunk) >= CHUNK_ROWS:
                    yield table, source, len(chunk), pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)
                    chunks[table] = []
        for table, chunk in chunks.items():
            if chunk:
                yield table, source, len(chunk), pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)
        if blank:
            yield _BLANK, source, blank, b""

    return run


# -- the job ------------------------------------------------------------------------------------


def _struct(schema: dict[str, Any]) -> StructType:
    from pyspark.sql.types import StructType

    return StructType.fromJson(schema)


def run_job(
    spark: SparkSession,
    sources: Sequence[str],
    out: str,
    redact: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Load `sources` into Parquet below `out`; the counts per file (`_loads`' rows)."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    loaded_at = datetime.now(UTC)
    parts = [
        sc.textFile(source).zipWithIndex().mapPartitions(_outcomes(source, redact, loaded_at))
        for source in sources
    ]
    outcomes = sc.union(parts).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        tally = outcomes.map(lambda o: ((o[0], o[1]), o[2])).reduceByKey(add).collectAsMap()

        def write(table: str) -> None:
            schema = REJECTED_SCHEMA if table == REJECTED else table_schema(table, redact)
            if any(t == table for t, _ in tally):
                rows = outcomes.filter(_of_table(table)).flatMap(_unpickled)
                frame = spark.createDataFrame(rows, _struct(schema), verifySchema=False)
            else:  # no rows: the table's schema alone
                frame = spark.createDataFrame([], _struct(schema))
            frame.write.mode("overwrite").parquet(f"{out.rstrip('/')}/{table}")

        # one Spark job per table, several at once: a small table's job is mostly waiting
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            list(pool.map(write, [*SPARK_SCHEMAS, REJECTED]))
        loads = []
        for source in sources:
            by_table = {t: n for (t, s), n in tally.items() if s == source}
            rejected = by_table.get(REJECTED, 0)
            blank = by_table.get(_BLANK, 0)
            loaded = sum(by_table.values()) - rejected - blank
            loads.append(
                {
                    "source": source,
                    "read": loaded + rejected,
                    "loaded": loaded,
                    "rejected": rejected,
                    "blank": blank,
                    "redacted": ",".join(sorted(redact)),
                    "loaded_at": loaded_at,
                }
            )
        names = [f["name"] for f in LOADS_SCHEMA["fields"]]
        frame = spark.createDataFrame(
            [tuple(row[n] for n in names) for row in loads], _struct(LOADS_SCHEMA)
        )
        frame.coalesce(1).write.mode("overwrite").parquet(f"{out.rstrip('/')}/{LOADS}")
        return loads
    finally:
        outcomes.unpersist()


def job_error(exc: BaseException) -> str:
    """The first line of a failed job's cause (a JVM exception's message, without its stack),
    e.g. `InvalidInputException: Input path does not exist: file:/data/x.ndjson`."""
    text = str(exc)
    for line in text.splitlines():
        head, found, rest = line.partition("Exception: ")
        if found and rest.strip():
            return f"{head.rsplit('.', 1)[-1].strip()}Exception: {rest.strip()}"
    lines = text.strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def count_line(counts: dict[str, Any]) -> str:
    """The line `load` prints for a file."""
    return (
        f"{counts['source']}: read {counts['read']} events: {counts['loaded']} loaded, "
        f"{counts['rejected']} rejected ({counts['blank']} blank lines)"
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m codex_analytics_contract.spark",
        description="Load NDJSON events (or request bodies) into Parquet per event type.",
    )
    p.add_argument("files", nargs="+", help="NDJSON files or directories, any path Spark reads")
    p.add_argument("--out", required=True, help="output directory (each table a folder)")
    p.add_argument(
        "--redact",
        default="",
        metavar="CLASS,...",
        help="data classes to hash or drop (spec/tables.md §5), e.g. user_content,file_path",
    )
    p.add_argument(
        "--master",
        default=None,
        help="Spark master when not run by spark-submit (default: local[*])",
    )
    return p


def main(
    argv: Sequence[str] | None = None, out: IO[str] | None = None, err: IO[str] | None = None
) -> int:
    """0 when every event was loaded, 1 when any was rejected, 2 for a usage error or a
    missing extra."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    classes = parse_classes(args.redact)
    unknown = unknown_classes(classes)
    if unknown:
        err.write(f"--redact: unknown data class {', '.join(unknown)} (spec/tables.md §5)\n")
        return 2
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        err.write(f"the Spark job needs pyspark ({exc.name} is missing): {EXTRA_HINT}\n")
        return 2
    builder = SparkSession.builder.appName("codex-analytics-contract load")
    if args.master is not None or "PYSPARK_GATEWAY_PORT" not in os.environ:
        # not run by spark-submit (which starts the JVM and says the master): a local Spark
        # whose Python workers are this interpreter (with this package)
        builder = builder.master(args.master or "local[*]")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    try:
        loads = run_job(spark, args.files, args.out, classes)
    except Exception as exc:  # Spark's errors come from the JVM: said in one line
        err.write(f"the Spark job failed: {job_error(exc)}\n")
        return 2
    finally:
        spark.stop()
    for counts in loads:
        out.write(count_line(counts) + "\n")
    return 1 if any(c["rejected"] for c in loads) else 0


if __name__ == "__main__":
    sys.exit(main())
