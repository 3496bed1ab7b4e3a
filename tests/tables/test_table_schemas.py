"""The type mapping (spec/tables.md §2): u64 survives in every system, nullability follows the
schema, open objects are JSON text, and the generated DDL is what DuckDB builds."""

from __future__ import annotations

import json

import duckdb
import pyarrow as pa

from codex_analytics_contract._generated.warehouse import TABLE_DDL
from codex_analytics_contract.tables import arrow_schema
from tests.conftest import ROOT

TABLES = ROOT / "generated" / "tables"


def _spark(event: str) -> dict[str, dict[str, object]]:
    body = json.loads((TABLES / "spark" / f"{event}.json").read_text(encoding="utf-8"))
    return {f["name"]: f for f in body["fields"]}


def _bigquery(event: str) -> dict[str, dict[str, object]]:
    body = json.loads((TABLES / "bigquery" / f"{event}.json").read_text(encoding="utf-8"))
    return {f["name"]: f for f in body}


def _duckdb_columns(event: str) -> dict[str, tuple[str, bool]]:
    con = duckdb.connect(":memory:")
    con.execute(TABLE_DDL[event])
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ?",
        [event],
    ).fetchall()
    return {name: (kind, nullable == "YES") for name, kind, nullable in rows}


def test_u64_i64_and_nullability_in_every_system() -> None:
    # codex_turn_event: duration_ms u64 nullable, input_tokens i64 nullable, thread_id required
    ddb = _duckdb_columns("codex_turn_event")
    assert ddb["duration_ms"] == ("UBIGINT", True)
    assert ddb["input_tokens"] == ("BIGINT", True)
    assert ddb["thread_id"] == ("VARCHAR", False)
    spark = _spark("codex_turn_event")
    assert (spark["duration_ms"]["type"], spark["duration_ms"]["nullable"]) == (
        "decimal(20,0)",
        True,
    )
    assert spark["input_tokens"]["type"] == "long" and spark["thread_id"]["nullable"] is False
    bq = _bigquery("codex_turn_event")
    assert (bq["duration_ms"]["type"], bq["duration_ms"]["mode"]) == ("BIGNUMERIC", "NULLABLE")
    assert (bq["thread_id"]["type"], bq["thread_id"]["mode"]) == ("STRING", "REQUIRED")
    arrow = arrow_schema("codex_turn_event")
    assert arrow.field("duration_ms").type == pa.uint64()
    assert arrow.field("thread_id").nullable is False


def test_open_objects_are_json_text_and_unions_of_objects_one_struct() -> None:
    ddb = _duckdb_columns("codex_guardian_review")
    kind, _ = ddb["reviewed_action"]
    assert kind.startswith("STRUCT(") and "additional_permissions JSON" in kind
    assert "port USMALLINT" in kind and '"type" VARCHAR' in kind
    assert _duckdb_columns("codex_turn_event")["turn_error"] == ("JSON", True)
    spark = _spark("codex_guardian_review")["reviewed_action"]["type"]
    assert isinstance(spark, dict) and spark["type"] == "struct"


def test_lists_and_descriptions() -> None:
    ddb = _duckdb_columns("codex_plugin_install_requested")
    assert ddb["plugins"][0] == (
        "STRUCT(plugin_id VARCHAR, remote_plugin_id VARCHAR, plugin_name VARCHAR, "
        "connector_ids VARCHAR[])[]"
    )
    bq = _bigquery("codex_plugin_install_requested")["plugins"]
    assert bq["mode"] == "REPEATED" and bq["type"] == "RECORD"
    # an array whose items the schema leaves open (`[(); 0]` upstream): a list of JSON text
    line_fingerprints = _duckdb_columns("codex_accepted_line_fingerprints")["line_fingerprints"]
    assert line_fingerprints == ("JSON[]", False)
    con = duckdb.connect(":memory:")
    con.execute(TABLE_DDL["codex_turn_event"])
    [(comment,)] = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'codex_turn_event' "
        "AND column_name = 'thread_id'"
    ).fetchall()
    assert comment == "Thread the turn belongs to."


def test_every_table_has_the_load_columns_in_every_form() -> None:
    for event in TABLE_DDL:
        names = list(_duckdb_columns(event))
        assert names[-4:] == ["_schema_version", "_source", "_line", "_loaded_at"], event
        assert list(_spark(event))[-4:] == names[-4:]
        assert list(_bigquery(event))[-4:] == names[-4:]
        assert arrow_schema(event).names == names


def test_envelope_fields_are_columns() -> None:
    names = _duckdb_columns("skill_invocation")
    assert "skill_id" in names and "skill_name" in names and "event_params" not in names
