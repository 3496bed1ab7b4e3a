"""`validate` and `normalize` take the fast path when msgspec is installed, with the typed
path's counts, reports and output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from codex_analytics_contract import cli, fast
from tests.conftest import pass_examples


def _run(command: str, path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    run = cli.cmd_validate if command == "validate" else cli.cmd_normalize
    code = run(str(path), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", ["validate", "normalize"])
def test_fast_and_typed_cli_output_are_the_same(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [p.read_bytes().rstrip(b"\n") for p in pass_examples("events")]
    lines += [b"", b'{"event_type":"codex_turn_event"}', b"not json"]
    path = tmp_path / "events.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert cli._fast is fast  # type: ignore[attr-defined]
    fast_result = _run(command, path)
    monkeypatch.setattr(cli, "_fast", None)
    typed_result = _run(command, path)
    assert fast_result == typed_result
    assert fast_result[0] == 1 and "2 invalid" in (fast_result[1] + fast_result[2])
