"""The command line's options and its behaviour at the edges: --version, the console script,
the --config file (validated against its JSON Schema, errors naming the file), output encoding,
a reader that goes away, over-long lines, and `validate --backend` for `normalize` output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import ROOT, pass_examples
from tests.support.reducing import DEFAULT_CONFIG
from tests.support.scenarios import SCENARIOS_DIR

TURN = SCENARIOS_DIR / "turn_lifecycle_emits_turn_event"


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "codex_analytics_contract", *args],
        input=stdin,
        capture_output=True,
        check=False,
        env=None if env is None else {**os.environ, **env},
    )


def event_lines() -> list[bytes]:
    return [p.read_bytes().rstrip(b"\n") for p in pass_examples("events")]


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert (
        proc.stdout.decode().strip()
        == f"codex-analytics-contract {version('codex-analytics-contract')}"
    )


def test_the_console_script_runs_the_same_command_line_and_is_documented() -> None:
    script = Path(sys.executable).parent / "codex-analytics"
    proc = subprocess.run([str(script), "--help"], capture_output=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.startswith(b"usage: codex-analytics ")
    for doc in ("python/README.md", "docs-src/consuming.md", "README.md"):
        assert "codex-analytics " in (ROOT / doc).read_text(encoding="utf-8"), doc


# -- the --config file ----------------------------------------------------------------------

BAD_CONFIGS = {
    "deep": b"[" * 100_000 + b"]" * 100_000,  # was a RecursionError
    "overflow": b'{"clock": 1e400}',  # was an OverflowError
    "nan": b'{"clock": NaN}',  # made every fact line be rejected
    "beyond_u64": b'{"clock": 1e30}',  # wrote completed_at above the u64 maximum
    "negative": b'{"clock": -1}',
    "string_clock": b'{"clock": "1700000000"}',
    "unknown_key": b'{"clock": 1, "colour": "blue"}',
    "partial_runtime": b'{"runtime": {"runtime_os": "linux"}}',
    "skill_repo": b'{"skill_repos": {"/a/SKILL.md": {"repo_url": 5}}}',
    "not_an_object": b"[1, 2]",
    "not_json": b"{clock: 1}",
}
WHERE = {
    "overflow": "$.clock",
    "nan": "$.clock",
    "beyond_u64": "$.clock",
    "negative": "$.clock",
    "string_clock": "$.clock",
    "unknown_key": "$.colour",
    "partial_runtime": "$.runtime.codex_rs_version",
    "skill_repo": '$.skill_repos["/a/SKILL.md"].repo_url',
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_a_bad_config_is_reported_against_the_config_file(tmp_path: Path, name: str) -> None:
    config = tmp_path / "cfg.json"
    config.write_bytes(BAD_CONFIGS[name])
    facts = tmp_path / "facts.ndjson"
    facts.write_bytes((TURN / "facts.ndjson").read_bytes())
    proc = run("reduce", "--config", str(config), str(facts))
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err and str(facts) not in err
    assert err.startswith(f"not a reducer config: {config}: {WHERE.get(name, '$')}: expected"), err
    assert proc.stdout == b""


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_an_unreadable_config_is_named_not_the_input(tmp_path: Path, kind: str) -> None:
    config = tmp_path / "cfg.json"
    if kind == "directory":
        config.mkdir()
    proc = run("reduce", "--config", str(config), "-", stdin=b"")
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err.startswith(f"not a reducer config: {config}: $: expected a readable JSON file")
    assert "-: cannot read" not in err and "Traceback" not in err


def config_schema() -> Draft202012Validator:
    proc = run("reduce", "--config-schema")
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_config_schema_agrees_with_the_reducer_config_check(tmp_path: Path) -> None:
    validator = config_schema()
    good = [DEFAULT_CONFIG, {}, {"repo_hash": "abc"}, {"clock": 0}]
    good += [json.loads(p.read_text()) for p in sorted(SCENARIOS_DIR.glob("*/config.json"))]
    facts = (TURN / "facts.ndjson").read_bytes()
    for config in good:
        assert not list(validator.iter_errors(config)), config
        path = tmp_path / "good.json"
        path.write_text(json.dumps(config))
        proc = run("reduce", "--config", str(path), "-", stdin=facts)
        assert proc.returncode == 0, (config, proc.stderr.decode())
    for name, data in BAD_CONFIGS.items():
        if name in ("deep", "not_json", "overflow", "nan"):
            continue  # not JSON that jsonschema could be given
        assert list(validator.iter_errors(json.loads(data))), name


def test_the_config_format_is_in_the_help_and_the_docs() -> None:
    help_text = run("reduce", "--help").stdout.decode()
    docs = (ROOT / "docs-src" / "consuming.md").read_text(encoding="utf-8")
    for key in ("clock", "runtime", "originator", "repo_hash", "skill_repos"):
        assert f"  {key}: " in help_text, key
        assert f"`{key}`" in docs, key
    assert "--config-schema" in help_text and "--config-schema" in docs


def test_a_fixed_clock_reaches_the_events_as_u64_seconds(tmp_path: Path) -> None:
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps({**DEFAULT_CONFIG, "clock": 18446744073709549568.0}))
    folder = SCENARIOS_DIR / "accepted_turn_steer_emits_expected_event"
    proc = run("reduce", "--config", str(config), "-", stdin=(folder / "facts.ndjson").read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    steer = next(json.loads(line) for line in proc.stdout.splitlines() if b"steer" in line)
    assert steer["event_params"]["created_at"] == 18446744073709549568 <= 2**64 - 1
    assert run("validate", "-", stdin=proc.stdout).returncode == 0


# -- output, encoding, pipes, long lines ----------------------------------------------------


def test_non_ascii_data_with_an_ascii_locale_is_written_as_utf8(tmp_path: Path) -> None:
    lines = [line for line in event_lines() if any(b > 127 for b in line)]
    assert lines, "no example with non-ASCII text"
    bad = b'{"event_type":"\xc3\xa9t\xc3\xa9","event_params":{}}'  # reported: message non-ASCII
    data = b"\n".join([*lines, bad]) + b"\n"
    for command in ("validate", "normalize"):
        plain = run(command, "-", stdin=data)
        ascii_ = run(command, "-", stdin=data, env={"PYTHONIOENCODING": "ascii"})
        assert ascii_.returncode == plain.returncode == 1, ascii_.stderr.decode()
        assert b"Traceback" not in ascii_.stderr
        assert ascii_.stdout == plain.stdout  # the data: UTF-8 bytes either way
        assert f"-:{len(lines) + 1}: $.event_type".encode() in ascii_.stderr
    proc = run("reduce", "-", stdin=(TURN / "facts.ndjson").read_bytes(), env={"LC_ALL": "C"})
    assert proc.returncode == 0 and proc.stdout == (TURN / "events.ndjson").read_bytes()


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    source = tmp_path / "events.ndjson"
    source.write_bytes(b"\n".join(event_lines() * 200) + b"\n")  # far more than a pipe holds
    proc = subprocess.Popen(
        [sys.executable, "-m", "codex_analytics_contract", "normalize", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1) == b"{"
    proc.stdout.close()  # `normalize F | head -c1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141  # as a shell reports a writer whose reader left
    assert err == ""  # no "cannot read", no traceback


def test_an_over_long_line_is_reported_and_skipped_not_read_into_memory(tmp_path: Path) -> None:
    good = event_lines()[:3]
    cap = max(len(line) for line in good)
    source = tmp_path / "events.ndjson"
    source.write_bytes(b"\n".join([good[0], b"x" * (cap * 50), good[1], good[2]]) + b"\n")
    proc = run("validate", "--max-line-bytes", str(cap), str(source))
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 1
    assert f"{source}:2: $: expected a line of at most {cap} bytes" in err
    assert "read 4 lines: 3 valid, 1 invalid, 0 blank" in out
    facts = (TURN / "facts.ndjson").read_bytes().splitlines()
    cap = max(len(line) for line in facts)
    data = b"\n".join([*facts[:2], b'{"fact":"' + b"y" * cap + b'"}', *facts[2:]]) + b"\n"
    proc = run("reduce", "--max-line-bytes", str(cap), "-", stdin=data)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "-:3: $: expected a line of at most" in err
    n = len(facts) + 1
    assert f"facts: read {n} lines: {n - 1} reduced, 1 rejected, 0 blank" in err
    assert proc.stdout == (TURN / "events.ndjson").read_bytes()


# -- validate --backend ---------------------------------------------------------------------


def test_normalize_output_validates_as_backend_events() -> None:
    data = b"\n".join(event_lines()) + b"\n"
    normalized = run("normalize", "-", stdin=data)
    assert normalized.returncode == 0, normalized.stderr.decode()
    proc = run("validate", "--backend", "-", stdin=normalized.stdout)
    n = len(event_lines())
    assert proc.returncode == 0, proc.stderr.decode()
    assert f"read {n} lines: {n} valid, 0 invalid, 0 blank" in proc.stdout.decode()
    assert run("validate", "-", stdin=normalized.stdout).returncode == 1  # not the wire view


def test_validate_backend_names_what_is_not_the_backend_view() -> None:
    line = next(
        json.loads(row)
        for row in run(
            "normalize", "-", stdin=b"\n".join(event_lines()) + b"\n"
        ).stdout.splitlines()
        if b"codex_thread_initialized" in row and b"CODEX_CLI" in row
    )
    params = line["event_params"]
    no_surface = {
        **line,
        "event_params": {k: v for k, v in params.items() if k != "product_surface"},
    }
    wire_client = json.loads(json.dumps(line).replace("CODEX_CLI", "codex_cli_rs"))
    moved = {**line, "event_params": {k: params[k] for k in reversed(list(params))}}
    bad_value = {**line, "event_params": {**params, "created_at": "soon"}}
    cases = [
        (no_surface, "$.event_params.product_surface"),
        (wire_client, "$.event_params.app_server_client.product_client_id"),
        (moved, "$.event_params"),
        (bad_value, "$.event_params.created_at"),
    ]
    data = b"\n".join(json.dumps(case).encode() for case, _ in cases) + b"\n"
    err = run("validate", "--backend", "-", stdin=data).stderr.decode()
    for number, (_, path) in enumerate(cases, start=1):
        reported = [line for line in err.splitlines() if line.startswith(f"-:{number}: ")]
        assert len(reported) == 1 and f" {path}: expected" in reported[0], (number, err)
