"""`python -m codex_analytics_contract reduce`: facts NDJSON in, events NDJSON out; bad facts are
reported with their line number and the run goes on; the closing counts add up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.reducing import DEFAULT_CONFIG
from tests.support.scenarios import SCENARIOS_DIR

GOLDEN = SCENARIOS_DIR / "golden_compaction_auto_mid_turn"
TURN = SCENARIOS_DIR / "turn_lifecycle_emits_turn_event"
CHUNKED = (
    SCENARIOS_DIR / "reducer_chunks_large_accepted_line_fingerprint_events_without_repeating_counts"
)


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "codex_analytics_contract", "reduce", *args],
        input=stdin,
        capture_output=True,
        check=False,
    )


def test_reduce_good_and_bad_facts(tmp_path: Path) -> None:
    facts = (GOLDEN / "facts.ndjson").read_bytes().splitlines()
    bad_schema = json.loads(facts[0])
    bad_schema["connection_id"] = "7"
    lines = [
        facts[0],
        b'{"fact": "initialize", ',  # malformed JSON
        json.dumps(bad_schema).encode(),  # schema-invalid
        b"",
        b'{"fact": "no_such_fact"}',  # unknown fact kind
        *facts[1:],
    ]
    source = tmp_path / "facts.ndjson"
    source.write_bytes(b"\n".join(lines) + b"\n")
    proc = run(str(source))
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert f"{source}:2: $" in err and "JSON" in err
    assert f"{source}:3: $.connection_id: expected an integer" in err
    assert f"{source}:5: $.fact" in err
    total = len(lines)
    reduced = total - 4
    assert f"facts: read {total} lines: {reduced} reduced, 3 rejected, 1 blank" in err
    expected_events = (GOLDEN / "events.ndjson").read_bytes()
    assert proc.stdout == expected_events  # bytes as upstream sends them
    n = len(expected_events.splitlines())
    assert f"events emitted: {n}" in err
    assert "Traceback" not in err


def test_reduce_batches_isolate_accepted_lines(tmp_path: Path) -> None:
    config = tmp_path / "config.json"  # the scenario's config over the scenario defaults
    merged = {**DEFAULT_CONFIG, **json.loads((CHUNKED / "config.json").read_text())}
    config.write_text(json.dumps(merged))
    proc = run(
        "--batches", "--config", str(config), "-", stdin=(CHUNKED / "facts.ndjson").read_bytes()
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    bodies = [json.loads(line) for line in proc.stdout.splitlines()]
    kinds = [[e["event_type"] for e in body["events"]] for body in bodies]
    fingerprint_bodies = [k for k in kinds if "codex_accepted_line_fingerprints" in k]
    assert len(fingerprint_bodies) >= 2 and all(len(k) == 1 for k in fingerprint_bodies)
    flat = [e for body in bodies for e in body["events"]]
    expected = [json.loads(line) for line in (CHUNKED / "events.ndjson").read_bytes().splitlines()]
    assert flat == expected


def test_reduce_counts_drops() -> None:
    folder = next(p for p in sorted(SCENARIOS_DIR.iterdir()) if (p / "drops.json").is_file())
    drops = json.loads((folder / "drops.json").read_text())
    proc = run("-", stdin=(folder / "facts.ndjson").read_bytes())
    err = proc.stderr.decode()
    assert f"events dropped (missing context): {sum(drops.values())}" in err
    for reason, n in drops.items():
        assert f"  {reason}: {n}" in err


def test_reduce_rejects_a_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"clock": 1, "colour": "blue"}')
    proc = run("--config", str(config), "-", stdin=b"")
    assert proc.returncode == 2
    assert b"colour" in proc.stderr and b"Traceback" not in proc.stderr


def test_trusted_mode_skips_the_schema_check_but_not_json() -> None:
    facts = (GOLDEN / "facts.ndjson").read_bytes().splitlines()
    loose = json.loads(facts[0])
    loose["unexpected"] = True  # schema-invalid (closed object), harmless to the reducer
    data = b"\n".join([json.dumps(loose).encode(), b"{oops", b'{"no_fact": 1}', *facts[1:]]) + b"\n"
    strict = run("-", stdin=data)
    assert b"-:1: $.unexpected" in strict.stderr
    trusted = run("--trusted", "-", stdin=data)
    assert trusted.returncode == 1
    err = trusted.stderr.decode()
    assert "-:1:" not in err and "-:2: $" in err and "-:3: $.fact" in err
    assert trusted.stdout == (GOLDEN / "events.ndjson").read_bytes()


def test_trusted_mode_reports_a_fact_the_reducer_cannot_read() -> None:
    facts = (GOLDEN / "facts.ndjson").read_bytes().splitlines()
    broken = json.loads(facts[0])
    del broken["connection_id"]  # the reducer reads it; only the schema check would have said so
    data = b"\n".join([json.dumps(broken).encode(), *facts]) + b"\n"
    proc = run("--trusted", "-", stdin=data)
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert "-:1: $.connection_id: expected this required key" in err  # its schema check says why
    total = len(facts) + 1
    assert f"facts: read {total} lines: {total - 1} reduced, 1 rejected, 0 blank" in err


def test_trusted_mode_reports_every_fact_the_reducer_cannot_read_and_goes_on() -> None:
    facts = (TURN / "facts.ndjson").read_bytes().splitlines()
    config = next(json.loads(line) for line in facts if b"turn_resolved_config" in line)
    unreadable = [
        {**config, "permission_profile": "managed"},  # was an AssertionError traceback
        {**config, "permission_profile": {"type": "managed", "file_system": "restricted"}},
        {"fact": "notification", "method": "turn/diff/updated", "params": {"diff": 5}},
        {
            "fact": "notification",
            "method": "item/completed",
            "params": {"item": {"type": "webSearch"}},
        },
        {"fact": "initialize"},
        {"fact": "no_such_fact"},
        {"fact": "app_used", "tracking": 5},
    ]
    lines = [json.dumps(fact).encode() for fact in unreadable]
    data = b"\n".join([*facts, *lines]) + b"\n"
    for extra in ((), ("--client-filter",)):
        proc = run("--trusted", *extra, "-", stdin=data)
        err = proc.stderr.decode()
        assert proc.returncode == 1 and "Traceback" not in err, err
        for number in range(len(facts) + 1, len(facts) + len(lines) + 1):
            reported = [line for line in err.splitlines() if line.startswith(f"-:{number}: ")]
            assert len(reported) == 1 and ": $." in reported[0], (number, err)
        n, bad = len(facts) + len(lines), len(lines)
        assert f"facts: read {n} lines: {n - bad} reduced, {bad} rejected, 0 blank" in err
        assert proc.stdout == (TURN / "events.ndjson").read_bytes()


def test_client_filter_drops_what_the_client_never_forwards() -> None:
    facts = (GOLDEN / "facts.ndjson").read_bytes().splitlines()
    ignored = {"fact": "notification", "method": "thread/tokenUsage/updated", "params": {}}
    data = b"\n".join([*facts, json.dumps(ignored).encode()]) + b"\n"
    proc = run("--client-filter", "-", stdin=data)
    assert proc.returncode == 0, proc.stderr.decode()
    err = proc.stderr.decode()
    n = len(facts) + 1
    assert f"facts: read {n} lines: {n} reduced, 0 rejected, 0 blank" in err
    assert "of the reduced facts, 1 were dropped by the client stage" in err
    assert proc.stdout == (GOLDEN / "events.ndjson").read_bytes()


def test_reduce_never_writes_an_event_the_event_contract_rejects() -> None:
    """The issue's facts: each passed the fact schema and produced an event `validate` rejects
    (exit status 0); now the fact is rejected with its path, and every event written is valid."""
    failed = SCENARIOS_DIR / "turn_lifecycle_emits_failed_turn_event"
    item = SCENARIOS_DIR / "item_lifecycle_notifications_publish_command_execution_event"
    cases = [
        (failed, b'"codexErrorInfo":"badRequest"', b'"codexErrorInfo":"Not-Camel"'),
        (failed, b'"codexErrorInfo":"badRequest"', b'"codexErrorInfo":{"unlisted":{}}'),
        (item, b'"source":"agent","status":"completed"', b'"source":null,"status":"completed"'),
    ]
    for folder, old, new in cases:
        facts = (folder / "facts.ndjson").read_bytes()
        assert old in facts
        changed = facts.replace(old, new)
        number = next(i for i, line in enumerate(changed.splitlines(), 1) if new in line)
        proc = run("-", stdin=changed)
        err = proc.stderr.decode()
        assert proc.returncode == 1, err
        # the newest fact schema rejects it at its path; a fact only an older version accepts
        # is rejected because its event would break the event contract
        reported = next(line for line in err.splitlines() if line.startswith(f"-:{number}: "))
        assert "$.params." in reported or "the event contract accepts" in reported, reported
        checked = subprocess.run(
            [sys.executable, "-m", "codex_analytics_contract", "validate", "-"],
            input=proc.stdout,
            capture_output=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr.decode()
