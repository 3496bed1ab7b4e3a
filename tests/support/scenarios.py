"""The scenario folders (tests/scenarios/<name>/, format: spec/scenarios.md) as the tests read
them: which folders there are and the reducer each one runs with.

`CODEX_SCENARIOS_DIR` points the tests at another folder of scenarios.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from codex_analytics_contract.reducer import Reducer
from tests.support.reducing import make_reducer

SCENARIOS_DIR = Path(
    os.environ.get("CODEX_SCENARIOS_DIR", Path(__file__).resolve().parents[1] / "scenarios")
)


def scenario_dirs() -> list[Path]:
    if not SCENARIOS_DIR.is_dir():
        return []
    return sorted(p for p in SCENARIOS_DIR.iterdir() if (p / "facts.ndjson").is_file())


def reducer_for(folder: Path) -> Reducer:
    """The scenario's config.json over the defaults, as `reduce --config` would read it."""
    config_file = folder / "config.json"
    config = json.loads(config_file.read_text(encoding="utf-8")) if config_file.is_file() else {}
    return make_reducer(**config)
