"""`null` is accepted exactly where the schema allows it: the package and jsonschema agree on
every example and scenario fact with any one of its values (at any depth) replaced by null.

An optional key is not a nullable one: a fact may leave out `source`, but `"source": null` is
invalid (JSON Schema's reading, and the one the models must share)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from codex_analytics_contract import ContractError, parse_event, parse_fact
from tests.conftest import EXAMPLES, ROOT
from tests.contract import jsonschema_oracle


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _instances(kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(EXAMPLES.glob(f"{kind}/*/*.pass.json")):
        yield path.parent.name, json.loads(path.read_bytes())
    if kind == "facts":
        for path in sorted((ROOT / "tests" / "scenarios").glob("*/facts.ndjson")):
            for line in path.read_bytes().splitlines():
                if line.strip() and len(line) < 20_000:
                    fact = json.loads(line)
                    yield fact["fact"], fact


def _nulled(kind: str) -> Iterator[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    seen: set[tuple[Any, ...]] = set()
    for name, instance in _instances(kind):
        for path in _paths(instance):
            if path in (("fact",), ("event_type",)):
                continue
            place = (name, instance.get("method"), *(p for p in path if isinstance(p, str)))
            if place in seen:
                continue
            seen.add(place)
            changed = copy.deepcopy(instance)
            parent: Any = changed
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = None
            yield name, path, changed


def _accepts(parse: Callable[[Any], Any], data: Any) -> bool:
    try:
        parse(data)
    except ContractError:
        return False
    return True


@pytest.mark.parametrize(
    ("kind", "parse"),
    [("facts", parse_fact), ("events", lambda i: parse_event(json.dumps(i).encode()))],
)
def test_null_is_accepted_where_the_schema_allows_it(
    kind: str, parse: Callable[[Any], Any]
) -> None:
    checked = 0
    disagreements: list[str] = []
    for name, path, instance in _nulled(kind):
        checked += 1
        oracle = not jsonschema_oracle.errors(kind, name, instance)
        package = _accepts(parse, instance)
        if oracle != package:
            verdict = "accepts" if package else "rejects"
            disagreements.append(f"{name} {list(path)} = null: the package {verdict} it")
    assert not disagreements, "\n".join(disagreements[:10])
    assert checked > 300, checked
