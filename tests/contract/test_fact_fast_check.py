"""The reducer's fast fact checks (validators built from the generated fact schemas, no models)
accept exactly what the fact JSON Schemas accept (jsonschema is the oracle) and never anything
`parse_fact` rejects, on every fact example, every scenario fact and thousands of seeded random
mutations of them."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import from_json

from codex_analytics_contract import ContractError, parse_fact
from codex_analytics_contract.api import (
    FACT_CHECKS,
    JSON_FACT_KINDS,
    fact_accepted,
    fact_line_validator,
)
from codex_analytics_contract.json_numbers import check_json_value
from codex_analytics_contract.registry import FACT_KINDS
from tests.conftest import EXAMPLES, ROOT
from tests.contract import jsonschema_oracle

REPLACEMENTS: list[Any] = [None, 0, -1, 2**64, "x", "", True, 1.5, [], {}, ["x"], {"k": 1}]
MUTATIONS = 15_000


def corpus() -> Iterator[dict[str, Any]]:
    for path in sorted(EXAMPLES.glob("facts/*/*/*.pass.json")):
        yield json.loads(path.read_bytes())
    for path in sorted(EXAMPLES.glob("facts/*/*/*.fail.json")):
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


def serde_json_numbers(fact: dict[str, Any]) -> bool:
    """Every number one the emitter's serde_json reads back unchanged: finite, and an integer
    within [-2^63, 2^64 - 1] (the contract's rule for untyped values, spec/wire-format.md; a
    typed field is bounded by its schema anyway)."""
    try:
        check_json_value(fact)
    except ValueError:  # PydanticCustomError is a ValueError
        return False
    return True


def accepted_by_schema(fact: dict[str, Any]) -> bool:
    """The contract's verdict: jsonschema Draft 2020-12 over the fact's schema file, and JSON
    numbers as serde_json reads them."""
    kind = fact.get("fact")
    if not isinstance(kind, str) or kind not in FACT_KINDS:
        return False
    valid = jsonschema_oracle.validator("facts", kind).is_valid(fact)
    return bool(valid) and serde_json_numbers(fact)


@cache
def facts(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    base = list(corpus())
    return base + [mutate(rng.choice(base), rng) for _ in range(MUTATIONS)]


def test_fast_check_accepts_exactly_what_the_fact_schemas_accept() -> None:
    checked = accepted = 0
    wrong: list[str] = []
    for fact in facts(20261125):
        fast = fact_accepted(fact)
        if fast != accepted_by_schema(fact):
            wrong.append(f"fast check says {fast}: {json.dumps(fact)[:300]}")
        checked += isinstance(fact.get("fact"), str) and FACT_CHECKS[fact["fact"]] is not None
        accepted += fast
    assert not wrong, wrong[:3]
    assert checked > 10_000 and accepted > 3_000  # the fast path really was exercised


def test_fast_check_only_accepts_what_parse_fact_accepts() -> None:
    """A fact the fast check refuses goes to parse_fact, so the reduce paths accept exactly what
    parse_fact accepts as long as the fast check accepts nothing more."""
    for fact in facts(20261125):
        if fact_accepted(fact):
            assert accepted_by_parse_fact(fact), (
                f"fast check accepted a fact parse_fact rejects: {json.dumps(fact)[:300]}"
            )


def test_one_pass_line_validator_only_accepts_what_parse_fact_accepts() -> None:
    """The reduce fast path checks a JSON line and returns the fact in one Rust pass: whenever it
    accepts, parse_fact accepts too and the fact equals what `from_json(line)` gives; for the
    kinds it checks, its verdict is the schema's."""
    validator = fact_line_validator()
    accepted = 0
    wrong: list[str] = []
    for fact in facts(7):
        line = json.dumps(fact).encode()
        try:
            out = validator.validate_json(line, strict=True)
        except ValidationError:
            if fact.get("fact") in JSON_FACT_KINDS and accepted_by_schema(fact):
                wrong.append(f"one-pass rejected a valid fact: {line[:300]!r}")
            continue  # no verdict: the line takes the usual path
        accepted += 1
        assert accepted_by_parse_fact(fact), (
            f"one-pass accepted what parse_fact rejects: {line[:300]!r}"
        )
        assert accepted_by_schema(fact), f"one-pass accepted an invalid fact: {line[:300]!r}"
        assert out == from_json(line)
    assert not wrong, wrong[:3]
    assert accepted > 3_000  # exercised (facts of older versions take parse_fact: no verdict)


# Optional keys whose schema does not allow null: absent is fine, null is not.
OPTIONAL_NOT_NULLABLE = [
    ("effective_permissions_approval_response/empty_grant", ("response", "scope")),
    ("initialize/websocket_with_capabilities", ("params", "capabilities", "experimentalApi")),
    ("notification/item_started_command", ("params", "item", "source")),
    (
        "turn_resolved_config/managed_workspace_write",
        ("permission_profile", "file_system", "entries"),
    ),
]


def one_pass_accepts(fact: dict[str, Any]) -> bool:
    try:
        fact_line_validator().validate_json(json.dumps(fact), strict=True)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("example", "path"), OPTIONAL_NOT_NULLABLE, ids=[".".join(p) for _, p in OPTIONAL_NOT_NULLABLE]
)
def test_optional_key_may_be_absent_but_not_null(example: str, path: tuple[str, ...]) -> None:
    name, case = example.split("/")
    fact = json.loads(Path(EXAMPLES / "facts" / name / "1-0-0" / f"{case}.pass.json").read_bytes())
    kind = fact["fact"]
    absent, null = copy.deepcopy(fact), copy.deepcopy(fact)
    for variant in (absent, null):
        parent = variant
        for key in path[:-1]:
            parent = parent[key]
        assert path[-1] in parent, "the example must hold the key"
        if variant is absent:
            del parent[path[-1]]
        else:
            parent[path[-1]] = None
    assert accepted_by_schema(absent) and not accepted_by_schema(null)  # what the schema says
    assert fact_accepted(absent)
    assert not fact_accepted(null)
    assert kind in JSON_FACT_KINDS
    assert one_pass_accepts(absent)
    assert not one_pass_accepts(null)
