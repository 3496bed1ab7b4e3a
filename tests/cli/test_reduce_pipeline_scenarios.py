"""Every scenario through the CLI pipeline (`reduce_lines`: the one-pass fact check, the per-kind
fast check, the encoder), validated and --trusted: exactly the expected bytes, nothing rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from codex_analytics_contract.reduce_cli import ReduceCounts, encode_events, reduce_lines
from tests.support.scenarios import reducer_for, scenario_dirs


@pytest.mark.parametrize("validate", [True, False], ids=["validated", "trusted"])
@pytest.mark.parametrize("folder", scenario_dirs(), ids=lambda p: p.name)
def test_scenario_through_the_cli_pipeline(folder: Path, validate: bool) -> None:
    lines = (folder / "facts.ndjson").read_bytes().splitlines()
    counts = ReduceCounts()
    errors: list[str] = []
    reducer = reducer_for(folder)
    out = list(
        reduce_lines(
            enumerate(lines, 1),
            reducer,
            counts,
            lambda n, e: errors.append(f"{n}: {e}"),
            validate=validate,
        )
    )
    out += encode_events(reducer.flush(), batches=False)  # end of input, as `reduce` does
    assert errors == []
    assert counts.read == counts.reduced + counts.blank
    assert out == (folder / "events.ndjson").read_bytes().splitlines()
