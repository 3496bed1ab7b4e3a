"""The Spark job (spec/tables.md §7) in local[2]: the same input gives the same rows, counts and
rejected lines as `load` into DuckDB, u64 values included; spark-submit runs it; `--redact`
redacts alike. One SparkSession for the module, a small corpus."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

from benchmarks.events_bench import session_corpus
from codex_analytics_contract import EVENT_VERSIONS
from codex_analytics_contract._generated.warehouse import TABLE_DDL
from codex_analytics_contract.load import Loader
from codex_analytics_contract.spark import LOADS, REJECTED, job_error, main, run_job
from codex_analytics_contract.tables import arrow_schema
from tests.conftest import fail_examples, pass_examples

U64_MAX = 2**64 - 1
ROOT = Path(__file__).resolve().parents[2]


def _examples(version: str | None = None) -> list[bytes]:
    """The valid examples (of every version, or of the newest when `version` is "newest")."""
    paths = (
        pass_examples("events")
        if version is None
        else [p for n, v in EVENT_VERSIONS.items() for p in pass_examples("events", n, v[0])]
    )
    return [json.dumps(json.loads(p.read_text(encoding="utf-8"))).encode() for p in paths]


def _corpus() -> list[bytes]:
    """Every version's valid examples (some without an honest upgrade), reducer sessions, fail
    examples, a request body with a bad event, a u64 at its maximum, blank and broken lines."""
    examples = _examples()
    turn = json.loads(next(line for line in _examples("newest") if b"codex_turn_event" in line))
    turn["event_params"]["duration_ms"] = U64_MAX
    fails = [
        json.dumps(json.loads(p.read_text(encoding="utf-8"))["instance"]).encode()
        for p in fail_examples("events")[::7]
    ]
    body = {"events": [json.loads(examples[0]), {"event_type": "codex_turn_event"}]}
    return [
        *examples,
        *session_corpus(200),
        *fails,
        json.dumps(body).encode(),
        json.dumps(turn).encode(),
        b"",
        b"{not json",
    ]


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("codex-analytics-contract tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _duckdb(source: Path, redact: frozenset[str] = frozenset()) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    Loader(con, redact).load_bytes(str(source), source.read_bytes())
    return con


@pytest.fixture(scope="module")
def both(
    spark: SparkSession, tmp_path_factory: pytest.TempPathFactory
) -> tuple[duckdb.DuckDBPyConnection, Path, list[dict[str, Any]]]:
    root = tmp_path_factory.mktemp("spark")
    source = root / "events.ndjson"
    source.write_bytes(b"\n".join(_corpus()) + b"\n")
    out = root / "out"
    loads = run_job(spark, [str(source)], str(out))
    return _duckdb(source), out, loads


def _plain(value: Any) -> Any:
    """A value read back, in one form for both: a u64 DECIMAL(20,0) as int, structs as sorted
    items, lists as tuples."""
    if isinstance(value, Decimal):
        assert value == value.to_integral_value()
        return int(value)
    if isinstance(value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> Counter[tuple[Any, ...]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    keep = [i for i, n in enumerate(names) if n not in ("_loaded_at", "loaded_at")]
    return Counter(tuple(_plain(row[i]) for i in keep) for row in cur.fetchall())


def _columns(table: str) -> str:
    names = [n for n in arrow_schema(table).names if n != "_loaded_at"]
    return ", ".join(f'"{n}"' for n in names)


def _parquet(out: Path, table: str) -> str:
    return f"read_parquet('{out / table}/*.parquet')"


def test_same_counts_as_duckdb(
    both: tuple[duckdb.DuckDBPyConnection, Path, list[dict[str, Any]]],
) -> None:
    con, out, loads = both
    [load] = loads
    [(read, loaded, rejected, blank)] = con.execute(
        "SELECT read, loaded, rejected, blank FROM _loads"
    ).fetchall()
    assert (load["read"], load["loaded"], load["rejected"], load["blank"]) == (
        read,
        loaded,
        rejected,
        blank,
    )
    assert loaded > 0 and rejected > 0 and blank == 1 and read == loaded + rejected
    [kept] = duckdb.connect().execute(f"SELECT * FROM {_parquet(out, LOADS)}").fetchall()
    assert kept[1:5] == (read, loaded, rejected, blank)


def test_same_rows_in_every_table(
    both: tuple[duckdb.DuckDBPyConnection, Path, list[dict[str, Any]]],
) -> None:
    con, out, _ = both
    reader = duckdb.connect()
    filled = 0
    for table in TABLE_DDL:
        columns = _columns(table)
        expected = _rows(con, f'SELECT {columns} FROM "{table}"')
        found = _rows(reader, f"SELECT {columns} FROM {_parquet(out, table)}")
        assert found == expected, table
        filled += bool(expected)
    assert filled == len(TABLE_DDL)  # the corpus has rows of every event type


def test_same_rejected_lines(
    both: tuple[duckdb.DuckDBPyConnection, Path, list[dict[str, Any]]],
) -> None:
    con, out, _ = both
    columns = "_source, _line, path, reason, raw"
    expected = _rows(con, f"SELECT {columns} FROM _rejected")
    assert expected
    assert _rows(duckdb.connect(), f"SELECT {columns} FROM {_parquet(out, REJECTED)}") == expected


def test_parquet_has_the_generated_types_and_u64_survives(
    both: tuple[duckdb.DuckDBPyConnection, Path, list[dict[str, Any]]],
) -> None:
    _, out, _ = both
    schema = pq.read_schema(next((out / "codex_turn_event").glob("*.parquet")))
    assert schema.field("duration_ms").type == pa.decimal128(20, 0)
    assert schema.field("thread_id").nullable is False
    assert schema.field("app_server_client").type.field("client_name").type == pa.string()
    durations = duckdb.connect().execute(
        f"SELECT max(duration_ms) FROM {_parquet(out, 'codex_turn_event')}"
    )
    assert durations.fetchone() == (Decimal(U64_MAX),)


def test_spark_submit_runs_the_job_with_redact(tmp_path: Path) -> None:
    """spark-submit of the module file on a few events, redacted as `load --redact` does."""
    source = tmp_path / "few.ndjson"
    lines = _examples("newest")[:12]
    first = json.loads(lines[0])["event_type"]
    source.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out"
    submit = Path(sys.executable).parent / "spark-submit"
    script = ROOT / "python/src/codex_analytics_contract/spark.py"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    spark_args = ["--master", "local[1]", "--conf", "spark.ui.enabled=false"]
    job_args = [str(source), "--out", str(out), "--redact", "identifier,label"]
    done = subprocess.run(
        [str(submit), *spark_args, str(script), *job_args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{source}: read 12 events: 12 loaded, 0 rejected (0 blank lines)" in done.stdout
    con = _duckdb(source, frozenset({"identifier", "label"}))
    reader = duckdb.connect()
    for table in TABLE_DDL:
        columns = _columns(table)
        expected = _rows(con, f'SELECT {columns} FROM "{table}"')
        assert _rows(reader, f"SELECT {columns} FROM {_parquet(out, table)}") == expected, table
    thread_ids = reader.execute(f"SELECT thread_id FROM {_parquet(out, first)}").fetchall()
    assert thread_ids and all(len(t) == 64 for (t,) in thread_ids)  # hashed (SHA-256 hex)


def test_unknown_redact_class_is_refused_before_spark_starts() -> None:
    err = io.StringIO()
    assert main(["x.ndjson", "--out", "o", "--redact", "secrets"], io.StringIO(), err) == 2
    assert "unknown data class secrets" in err.getvalue()


def test_a_missing_input_is_named_in_one_line(spark: SparkSession, tmp_path: Path) -> None:
    missing = tmp_path / "nope.ndjson"
    with pytest.raises(Exception) as info:  # the JVM's error, whatever its class
        run_job(spark, [str(missing)], str(tmp_path / "out"))
    said = job_error(info.value)
    assert "Input path does not exist" in said and "nope.ndjson" in said
    assert "\n" not in said
