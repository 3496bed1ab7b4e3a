"""The reducer's msgspec fact check (`fast.checked_fact`, the first check of a validated
`reduce`): whenever it gives a fact, the typed check (`fact_accepted`, the newest version of the
kind) accepts it and the dict is what `from_json` gives; it gives one for the valid facts of
every kind it carries. Over every fact example, every scenario fact, 15,000 seeded mutations of
them and number spellings the Rust emitter never writes."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from pydantic_core import from_json

from codex_analytics_contract.api import fact_accepted
from codex_analytics_contract.fast import FACT_STRUCTS, checked_fact
from codex_analytics_contract.reduce_cli import fast_fact_check
from tests.contract.test_fact_fast_check import facts

SPELLINGS = [b"-0", b"-0.0", b"1.0", b"1e2", b"1E400", b"-1e400", b"NaN", b"Infinity", b"0.5"]


def lines() -> list[bytes]:
    out = [json.dumps(fact).encode() for fact in facts(20261125)]
    rng = random.Random(20261202)
    for line in list(out[:4000]):  # an integer of each line respelt
        digits = [
            i for i in range(1, len(line)) if line[i : i + 1].isdigit() and line[i - 1 : i] in b": "
        ]
        if digits:
            at = rng.choice(digits)
            end = at
            while end < len(line) and line[end : end + 1].isdigit():
                end += 1
            out.append(line[:at] + rng.choice(SPELLINGS) + line[end:])
    return out


def test_checked_fact_gives_only_what_the_typed_check_accepts() -> None:
    given: dict[str, int] = {}
    for line in lines():
        found = checked_fact(line)
        if found is None:
            continue
        assert found == from_json(line), line[:300]
        assert fact_accepted(found), (
            f"msgspec accepted a fact the typed check refuses: {line[:300]!r}"
        )
        given[found["fact"]] = given.get(found["fact"], 0) + 1
    # it really decides: every carried kind without open values gets a verdict
    assert set(given) >= set(FACT_STRUCTS) - {"guardian_review"}, set(FACT_STRUCTS) - set(given)
    assert sum(given.values()) > 250


def test_checked_fact_accepts_the_valid_facts_of_the_kinds_it_carries() -> None:
    """No verdict is allowed (the typed check then decides), but for a valid fact of a carried
    kind msgspec must say yes, or the fast path buys nothing."""
    missed = []
    for fact in facts(20261125):
        kind: Any = fact.get("fact")
        carried = kind in FACT_STRUCTS and kind != "guardian_review"
        if carried and fact_accepted(fact) and checked_fact(json.dumps(fact).encode()) is None:
            missed.append(json.dumps(fact)[:200])
    assert not missed, missed[:3]


@pytest.mark.parametrize("line", [b"[]", b"{", b'{"fact":"goal"}', b'{"fact":1}', b"\xff"])
def test_checked_fact_has_no_verdict_on_broken_lines(line: bytes) -> None:
    assert checked_fact(line) is None


def test_reduce_uses_the_msgspec_check_when_installed() -> None:
    assert fast_fact_check() is checked_fact
