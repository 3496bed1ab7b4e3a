"""The public API type-checks under `mypy --strict` the way a user writes it: what `Reducer.ingest`
returns are the event models (the `Event` union), so their fields are there for the checker."""

from __future__ import annotations

from pathlib import Path

from mypy import api

from tests.conftest import ROOT

USER_CODE = """
from codex_analytics_contract import Event, Reducer, parse_event, serialize_event

def event_types(reducer: Reducer, fact: dict[str, object]) -> list[str]:
    events: list[Event] = reducer.ingest(fact)
    return [event.event_type for event in events]

def round_trip(line: bytes) -> bytes:
    event = parse_event(line)
    kind: str = event.event_type
    return serialize_event(event) if kind else line
"""


def test_ingest_returns_event_models_to_the_type_checker(tmp_path: Path) -> None:
    source = tmp_path / "user_code.py"
    source.write_text(USER_CODE, encoding="utf-8")
    out, err, status = api.run(
        [
            "--strict",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--python-version",
            "3.11",
            str(source),
        ]
    )
    assert status == 0, out + err
    assert (ROOT / "python/src/codex_analytics_contract/py.typed").is_file()
