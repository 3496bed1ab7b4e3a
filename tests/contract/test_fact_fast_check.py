"""The reducer's fast fact check (typed-dict validators, no models) agrees with `parse_fact` on
every fact example, every scenario fact and thousands of seeded random mutations of them."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json

from codex_analytics_contract import ContractError, parse_fact
from codex_analytics_contract.api import FACT_CHECKS, fact_accepted, fact_line_validator
from tests.conftest import EXAMPLES, ROOT

REPLACEMENTS: list[Any] = [None, 0, -1, 2**64, "x", "", True, 1.5, [], {}, ["x"], {"k": 1}]


def corpus() -> Iterator[dict[str, Any]]:
    for path in sorted(EXAMPLES.glob("facts/*/*.pass.json")):
        yield json.loads(path.read_bytes())
    for path in sorted(EXAMPLES.glob("facts/*/*.fail.json")):
        yield json.loads(path.read_bytes())["instance"]
    for path in sorted((ROOT / "tests" / "scenarios").glob("*/facts.ndjson")):
        for line in path.read_bytes().splitlines():
            if len(line) < 20_000:
                yield json.loads(line)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


def mutate(fact: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(fact)
    candidates = [p for p in paths(out) if p[0] != "fact"]
    if not candidates:
        return out
    path = rng.choice(candidates)
    parent: Any = out
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = rng.randrange(3)
    if action == 0 and isinstance(parent, dict):
        del parent[last]
    elif action == 1 and isinstance(parent, dict):
        parent[f"extra_{rng.randrange(100)}"] = rng.choice(REPLACEMENTS)
    else:
        parent[last] = rng.choice(REPLACEMENTS)
    return out


def accepted_by_parse_fact(fact: dict[str, Any]) -> bool:
    try:
        parse_fact(fact)
    except ContractError:
        return False
    return True


def test_fast_check_agrees_with_parse_fact() -> None:
    rng = random.Random(20261125)
    base = list(corpus())
    checked = disagreements = 0
    examples: list[str] = []
    for fact in base + [mutate(rng.choice(base), rng) for _ in range(15_000)]:
        kind = fact.get("fact")
        fast = fact_accepted(fact)
        full = accepted_by_parse_fact(fact)
        if fast:
            assert full, f"fast check accepted a fact parse_fact rejects: {json.dumps(fact)[:300]}"
        if isinstance(kind, str) and FACT_CHECKS[kind] is not None:
            checked += 1
            if fast != full:
                disagreements += 1
                examples.append(json.dumps(fact)[:300])
    assert disagreements == 0, examples[:3]
    assert checked > 10_000  # the fast path really was exercised


def test_one_pass_line_validator_only_accepts_what_parse_fact_accepts() -> None:
    """The reduce fast path checks a JSON line and returns the fact in one Rust pass: whenever it
    accepts, parse_fact accepts too and the fact equals what `from_json(line)` gives."""
    validator = fact_line_validator()
    assert validator is not None
    rng = random.Random(7)
    base = list(corpus())
    accepted = 0
    for fact in base + [mutate(rng.choice(base), rng) for _ in range(15_000)]:
        line = json.dumps(fact).encode()
        try:
            out = validator.validate_json(line, strict=True)
        except ValidationError:
            continue  # no verdict: the line takes the usual path
        accepted += 1
        assert accepted_by_parse_fact(fact), (
            f"one-pass accepted what parse_fact rejects: {line[:300]!r}"
        )
        assert out == from_json(line)
    assert accepted > 5_000  # the fast path really was exercised
