"""Run every scenario folder of ``tests/scenarios`` through ``Reducer.ingest_raw`` and compare the
serialized events with ``events.ndjson`` byte for byte, line by line (format: spec/scenarios.md);
and the folders are exactly what their builder (tests/scenarios/make_scenarios.py) writes.

``CODEX_SCENARIOS_DIR`` points the test at another folder of scenarios.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.scenarios import make_scenarios
from tests.scenarios.build_scenarios import HERE, SCENARIOS, stale_folders, write_all
from tests.support.reducing import wire
from tests.support.scenarios import SCENARIOS_DIR, reducer_for, scenario_dirs


def run_scenario(folder: Path) -> tuple[list[str], list[str], dict[str, int], dict[str, int]]:
    reducer = reducer_for(folder)
    actual: list[str] = []
    for line in (folder / "facts.ndjson").read_text(encoding="utf-8").splitlines():
        if line.strip():
            for event in reducer.ingest_raw(json.loads(line)):
                actual.append(wire(event))
    actual.extend(wire(event) for event in reducer.flush())  # end of input, as `reduce` does
    expected = (folder / "events.ndjson").read_text(encoding="utf-8").splitlines()
    drops_file = folder / "drops.json"
    expected_drops: dict[str, int] = (
        json.loads(drops_file.read_text(encoding="utf-8")) if drops_file.is_file() else {}
    )
    return actual, expected, dict(reducer.stats.drops_by_reason), expected_drops


def test_scenarios_exist() -> None:
    # Fails loudly (instead of silently passing) when the fixtures are not there.
    assert scenario_dirs(), f"no scenario folders under {SCENARIOS_DIR}"


@pytest.mark.parametrize("folder", scenario_dirs(), ids=lambda p: p.name)
def test_scenario(folder: Path) -> None:
    actual, expected, drops, expected_drops = run_scenario(folder)
    for index, (got, want) in enumerate(zip(actual, expected, strict=False)):
        assert got == want, f"event {index} differs"
    assert len(actual) == len(expected), f"{len(actual)} events, expected {len(expected)}"
    assert drops == expected_drops


def test_scenario_folders_are_what_the_builder_writes() -> None:
    make_scenarios.register_all()
    stale = stale_folders(HERE)
    assert stale == [], (
        f"{len(stale)} scenario folders differ from tests/scenarios/make_scenarios.py: {stale[:5]};"
        " edit the script, then run"
        " `PYTHONDONTWRITEBYTECODE=1 .venv/bin/python -m tests.scenarios.make_scenarios`"
    )


def test_the_builder_check_finds_edited_missing_and_leftover_folders(tmp_path: Path) -> None:
    make_scenarios.register_all()
    write_all(tmp_path)
    assert stale_folders(tmp_path) == []
    first, second, third = (s.name for s in SCENARIOS[:3])
    events = tmp_path / first / "events.ndjson"
    events.write_bytes(events.read_bytes() + b"\n")
    shutil.rmtree(tmp_path / second)
    (tmp_path / third / "drops.json").write_text("{}\n", encoding="utf-8")
    shutil.copytree(tmp_path / SCENARIOS[3].name, tmp_path / "renamed_scenario")
    assert stale_folders(tmp_path) == [first, second, third, "renamed_scenario"]
