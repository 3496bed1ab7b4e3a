"""The reducer the tests run, with fixed process values: one place for the scenario defaults.

`DEFAULT_CONFIG` is what every scenario runs with (a scenario's `config.json` overrides keys of
it) and what `make_reducer` builds from; the expected events of the scenarios repeat
`DEFAULT_RUNTIME` and `CLOCK` where the reducer takes them from the config.
"""

from __future__ import annotations

import json
from typing import Any

from codex_analytics_contract.reduce_config import reducer_from_config
from codex_analytics_contract.reducer import Reducer, ReducerLimits
from tests.support.facts import runtime

CLOCK = 1_700_000_000  # the fixed wall clock, seconds
DEFAULT_RUNTIME = runtime("0.0.0", "linux", "6.1", "x86_64")  # the host runtime
DEFAULT_CONFIG: dict[str, Any] = {
    "clock": float(CLOCK),
    "runtime": DEFAULT_RUNTIME,
    "originator": "codex_cli_rs",
    "repo_hash": None,
    "skill_repos": {},
}


def make_reducer(limits: ReducerLimits | None = None, **config: Any) -> Reducer:
    """A reducer with `DEFAULT_CONFIG`, keys overridden by `config` (`reduce --config` keys)."""
    return reducer_from_config({**DEFAULT_CONFIG, **config}, limits)


def feed(reducer: Reducer, *facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Every event `reducer` emits for `facts`, in order (`ingest_raw`: no schema check)."""
    out: list[dict[str, Any]] = []
    for fact in facts:
        out.extend(reducer.ingest_raw(fact))
    return out


def wire(value: Any) -> str:
    """Compact JSON as the wire writes it (UTF-8, no spaces)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
