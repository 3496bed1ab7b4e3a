"""Run every scenario folder of ``tests/scenarios`` through ``Reducer.ingest_raw`` and compare the
serialized events with ``events.ndjson`` byte for byte, line by line (format: notes/REDUCER_API.md).

``CODEX_SCENARIOS_DIR`` points the test at another folder of scenarios.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from codex_analytics_contract.reduce_config import reducer_from_config
from codex_analytics_contract.reducer import Reducer

SCENARIOS_DIR = Path(
    os.environ.get("CODEX_SCENARIOS_DIR", Path(__file__).resolve().parents[1] / "scenarios")
)
DEFAULT_CONFIG: dict[str, Any] = {
    "clock": 1_700_000_000.0,
    "runtime": {
        "codex_rs_version": "0.0.0",
        "runtime_os": "linux",
        "runtime_os_version": "6.1",
        "runtime_arch": "x86_64",
    },
    "originator": "codex_cli_rs",
    "repo_hash": None,
    "skill_repos": {},
}


def scenario_dirs() -> list[Path]:
    if not SCENARIOS_DIR.is_dir():
        return []
    return sorted(p for p in SCENARIOS_DIR.iterdir() if (p / "facts.ndjson").is_file())


def reducer_for(folder: Path) -> Reducer:
    """The scenario's config.json over the defaults, as `reduce --config` would read it."""
    config = dict(DEFAULT_CONFIG)
    config_file = folder / "config.json"
    if config_file.is_file():
        config.update(json.loads(config_file.read_text(encoding="utf-8")))
    return reducer_from_config(config)


def run_scenario(folder: Path) -> tuple[list[str], list[str], dict[str, int], dict[str, int]]:
    reducer = reducer_for(folder)
    actual: list[str] = []
    for line in (folder / "facts.ndjson").read_text(encoding="utf-8").splitlines():
        if line.strip():
            for event in reducer.ingest_raw(json.loads(line)):
                actual.append(json.dumps(event, separators=(",", ":"), ensure_ascii=False))
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
