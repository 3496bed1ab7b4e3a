"""`load`: events into DuckDB tables, rejected lines kept, counts that add up, no double load
(spec/tables.md §4)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from codex_analytics_contract import (
    EVENT_VERSIONS,
    ContractError,
    UpgradeError,
    parse_event,
    serialize_event,
    upgrade,
)
from codex_analytics_contract._generated.warehouse import JSON_PATHS, TABLE_DDL
from codex_analytics_contract.cli import main
from codex_analytics_contract.load import Loader
from tests.conftest import fail_examples, load_fail, pass_examples

U64_MAX = 2**64 - 1


def _line(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _pass_events() -> list[dict[str, Any]]:
    """The valid examples of the newest version of every event type."""
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for name, versions in EVENT_VERSIONS.items()
        for p in pass_examples("events", name, versions[0])
    ]


def _every_version_events() -> list[dict[str, Any]]:
    """The valid examples of every version of every event type."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in pass_examples("events")]


def _expected(event: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str | None]:
    """(the version the payload is read as, its wire dict at the newest version or None, the
    reason of its UpgradeError or None), computed with the package alone."""
    parsed = parse_event(_line(event))
    read_as = str(type(parsed).schema_version)  # type: ignore[attr-defined]
    try:
        newest = upgrade(parsed)
    except UpgradeError as exc:
        return read_as, None, str(exc)
    return read_as, json.loads(serialize_event(newest)), None


def _load(tmp_path: Path, name: str, lines: list[bytes], *args: str) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    out, err = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["load", str(path), "--db", str(tmp_path / "a.duckdb"), *args])
    return code, out.getvalue(), err.getvalue()


def _rows(tmp_path: Path, *sql: str) -> list[dict[str, Any]]:
    """The rows of the queries, one after the other (one connection)."""
    con = duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True)
    out = []
    try:
        for query in sql:
            cur = con.execute(query)
            names = [d[0] for d in cur.description]
            out.extend(dict(zip(names, row, strict=True)) for row in cur.fetchall())
        return out
    finally:
        con.close()


def _matches(expected: Any, actual: Any, path: str, json_paths: set[str]) -> bool:
    """Does a value read back from DuckDB hold the wire value at field `path`? JSON text
    columns hold the value's JSON; a merged union struct has the other variants' fields NULL."""
    if path in json_paths:
        return (expected is None and actual is None) or json.loads(actual) == expected
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and set(expected) <= set(actual)
            and all(
                _matches(expected[k], v, f"{path}.{k}", json_paths) if k in expected else v is None
                for k, v in actual.items()
            )
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(
                _matches(e, a, f"{path}[]", json_paths)
                for e, a in zip(expected, actual, strict=True)
            )
        )
    return type(expected) is type(actual) and expected == actual


def test_every_valid_example_reads_back_as_sent(tmp_path: Path) -> None:
    """Every valid example of every version: read as the version parse_event detects, upgraded
    to the newest (the row holds what `upgrade` returns), or rejected with the UpgradeError's
    reason when no honest upgrade exists; loaded + rejected = read."""
    events = _every_version_events()
    expected = [_expected(e) for e in events]
    upgraded = [n for n, (_, wire, _) in enumerate(expected, 1) if wire is not None]
    refused = [n for n, (_, wire, _) in enumerate(expected, 1) if wire is None]
    assert upgraded and refused  # the examples hold both kinds
    code, out, _ = _load(tmp_path, "ex.ndjson", [_line(e) for e in events])
    assert code == 1
    assert f"read {len(events)} events: {len(upgraded)} loaded, {len(refused)} rejected" in out
    queries = [f'SELECT * FROM "{events[n - 1]["event_type"]}" WHERE _line = {n}' for n in upgraded]
    rows = _rows(tmp_path, *queries)
    assert len(rows) == len(upgraded)
    for n, row in zip(upgraded, rows, strict=True):
        read_as, wire, _ = expected[n - 1]
        assert wire is not None
        event_type = wire["event_type"]
        want = {k: v for k, v in wire.items() if k not in ("event_type", "event_params")}
        want |= wire["event_params"]
        json_paths = set(JSON_PATHS[event_type])
        for key, value in want.items():
            assert _matches(value, row[key], key, json_paths), (n, event_type, key, row[key])
        assert row["_schema_version"] == read_as
        assert row["_source"].endswith("ex.ndjson")
    rejected = _rows(tmp_path, "SELECT _line, reason FROM _rejected ORDER BY _line")
    assert [(r["_line"], r["reason"]) for r in rejected] == [
        (n, expected[n - 1][2]) for n in refused
    ]
    versions = {
        r["_schema_version"]
        for t in TABLE_DDL
        for r in _rows(tmp_path, f'SELECT DISTINCT _schema_version FROM "{t}"')
    }
    assert len(versions) > len(TABLE_DDL) // 2  # older versions were read and upgraded


def _rejected_by_union(fail: dict[str, Any]) -> bool:
    """Is a fail example refused as an event of any type (not only as its own type)?"""
    try:
        parse_event(_line(fail["instance"]))
    except ContractError:
        return True
    return False


def test_u64_keeps_its_full_range(tmp_path: Path) -> None:
    event = next(e for e in _pass_events() if e["event_type"] == "codex_turn_event")
    event["event_params"]["duration_ms"] = U64_MAX
    code, _, _ = _load(tmp_path, "big.ndjson", [_line(event)])
    assert code == 0
    [row] = _rows(tmp_path, "SELECT duration_ms, typeof(duration_ms) AS t FROM codex_turn_event")
    assert row == {"duration_ms": U64_MAX, "t": "UBIGINT"}


def test_bad_lines_are_kept_with_path_and_reason(tmp_path: Path) -> None:
    fails = [f for f in map(load_fail, fail_examples("events")) if _rejected_by_union(f)]
    lines = [_line(f["instance"]) for f in fails] + [b"{not json", b""]
    code, out, _ = _load(tmp_path, "bad.ndjson", lines)
    assert code == 1
    assert f"read {len(fails) + 1} events: 0 loaded, {len(fails) + 1} rejected (1 blank" in out
    rejected = _rows(tmp_path, "SELECT * FROM _rejected ORDER BY _line")
    assert len(rejected) == len(fails) + 1
    for fail, row in zip(fails, rejected, strict=False):
        with pytest.raises(ContractError) as info:
            parse_event(_line(fail["instance"]))
        assert (row["path"], row["reason"]) == (info.value.path, str(info.value))
        assert row["path"] + ": expected " in row["reason"]
        assert json.loads(row["raw"]) == fail["instance"]
    assert rejected[-1]["raw"] == "{not json" and rejected[-1]["_line"] == len(fails) + 1


def test_request_bodies_load_event_by_event(tmp_path: Path) -> None:
    events = _pass_events()[:3]
    broken = json.loads(json.dumps(events[1]))
    broken["event_params"]["surprise"] = 1
    body = _line({"events": [events[0], broken, events[2]]})
    code, out, _ = _load(tmp_path, "bodies.ndjson", [body])
    assert code == 1
    assert "read 3 events: 2 loaded, 1 rejected" in out
    [rejected] = _rows(tmp_path, "SELECT * FROM _rejected")
    assert rejected["_line"] == 1
    assert rejected["path"] == "$.events[1].event_params.surprise"
    assert json.loads(rejected["raw"]) == broken


def test_loading_the_same_file_again_adds_nothing(tmp_path: Path) -> None:
    lines = [_line(e) for e in _pass_events()] + [b"[]"]
    _load(tmp_path, "one.ndjson", lines)
    before = _rows(tmp_path, "SELECT count(*) AS n FROM _rejected")
    code, out, _ = _load(tmp_path, "one.ndjson", lines)
    assert "already loaded" in out and code == 0
    (tmp_path / "copy.ndjson").write_bytes((tmp_path / "one.ndjson").read_bytes())
    _, out, _ = _load(tmp_path, "copy.ndjson", lines)
    assert "already loaded" in out
    assert _rows(tmp_path, "SELECT count(*) AS n FROM _rejected") == before
    [load] = _rows(tmp_path, "SELECT * FROM _loads")
    total = sum(_rows(tmp_path, f'SELECT count(*) AS n FROM "{t}"')[0]["n"] for t in TABLE_DDL)
    assert load["loaded"] == total == len(lines) - 1
    assert load["read"] == load["loaded"] + load["rejected"] and load["rejected"] == 1
    digest = hashlib.sha256((tmp_path / "one.ndjson").read_bytes()).hexdigest()
    assert load["sha256"] == digest


def test_redact_hashes_and_drops_by_data_class(tmp_path: Path) -> None:
    event = next(e for e in _pass_events() if e["event_type"] == "codex_guardian_review")
    code, _, _ = _load(
        tmp_path, "r.ndjson", [_line(event)], "--redact", "identifier,label,file_path"
    )
    assert code == 0
    [row] = _rows(tmp_path, "SELECT * FROM codex_guardian_review")
    params = event["event_params"]
    assert row["thread_id"] == hashlib.sha256(params["thread_id"].encode()).hexdigest()
    assert row["guardian_model"] is None  # label: dropped
    program = params["reviewed_action"].get("program")
    if program is not None:
        assert row["reviewed_action"]["program"] == hashlib.sha256(program.encode()).hexdigest()
    assert row["decision"] == params["decision"]  # enum: kept


def test_redact_refuses_an_unknown_class(tmp_path: Path) -> None:
    code, _, err = _load(tmp_path, "r.ndjson", [b""], "--redact", "secrets")
    assert code == 2 and "unknown data class secrets" in err


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    data = b"\n".join(_line(e) for e in _pass_events() * 80)
    for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
        con = duckdb.connect(":memory:")
        Loader(con, progress=stream if stream.isatty() else None).load_bytes("x", data)
        assert ("\r" in stream.getvalue()) is shown


def test_missing_extra_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "duckdb", None)
    monkeypatch.delitem(sys.modules, "codex_analytics_contract.load", raising=False)
    code, _, err = _load(tmp_path, "x.ndjson", [b""])
    assert code == 2
    assert "load needs duckdb and pyarrow (duckdb is missing)" in err
    assert "codex-analytics-contract[duckdb]" in err


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    err = io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(err):
        code = main(["load", str(tmp_path / "nope.ndjson"), "--db", str(tmp_path / "a.duckdb")])
    assert code == 2 and "nope.ndjson: cannot read: No such file" in err.getvalue()
