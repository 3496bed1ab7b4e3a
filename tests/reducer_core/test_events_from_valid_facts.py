"""Facts the fact schemas accept never make the reducer emit an event the event schemas reject.

`reduce` (default mode) only checks facts on the way in: its events are valid by construction
when every value the reducer copies from a fact into an event is one the event may carry. This
test checks that claim on every scenario: each value of each fact (every key, at any depth) is
replaced by values of every JSON type, by the boundary integers, by strings of other shapes, by
the other values seen at the same place in the scenarios, or deleted; whenever the newest
version of the fact's schema still accepts the changed fact, the scenario is run again with it
through `Reducer.ingest`, which validates every event it returns against the event schemas.

The claim is made for the newest fact versions: a published older version cannot be tightened
(an older `notification` takes any string as `codexErrorInfo`), so `reduce` checks the events
of a fact only an older version accepts (tests/cli/test_cli_reduce.py).
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codex_analytics_contract import FACT_VERSIONS, ContractError, parse_fact
from codex_analytics_contract.reducer import Reducer
from tests.support.scenarios import reducer_for, scenario_dirs

_ABSENT = object()
REPLACEMENTS: list[Any] = [
    None,
    _ABSENT,  # the key deleted
    0,
    -1,
    2**31,
    2**63 - 1,
    -(2**63),
    2**64 - 1,
    1.5,
    True,
    "",
    "x",
    "Not-Camel",
    "notListedYet",
    [],
    ["x"],
    [{}],
    {},
    {"unlisted": {}},
    {"k": 1},
]

Path_ = tuple[str | int, ...]


def _paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _place(fact: dict[str, Any], path: Path_) -> tuple[str, ...]:
    """Where a value sits, independent of the scenario: fact kind, method, keys (no indexes)."""
    return (
        str(fact.get("fact")),
        str(fact.get("method")),
        *(part if isinstance(part, str) else "[]" for part in path),
    )


def _with(fact: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(fact)
    parent: Any = out
    for part in path[:-1]:
        parent = parent[part]
    if value is _ABSENT:
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(value)
    return out


def _newest(fact: dict[str, Any]) -> None:
    """parse_fact pinned to the newest version of the fact's schema."""
    parse_fact(fact, version=FACT_VERSIONS[fact["fact"]][0])


def _accepted(fact: dict[str, Any]) -> bool:
    try:
        _newest(fact)
    except ContractError:
        return False
    return True


def _scenario_facts(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "facts.ndjson").read_bytes().splitlines()
    return [json.loads(line) for line in lines if line.strip() and len(line) < 20_000]


def _events(folder: Path, facts: list[dict[str, Any]]) -> int:
    """Run the facts through `Reducer.ingest` (events validated on the way out)."""
    reducer: Reducer = reducer_for(folder)
    return sum(len(reducer.ingest(fact)) for fact in facts)


def _cases() -> Iterator[tuple[Path, list[dict[str, Any]], int, Path_, Any]]:
    seen_values: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    scenarios = [(folder, _scenario_facts(folder)) for folder in scenario_dirs()]
    for _, facts in scenarios:
        for fact in facts:
            for path in _paths(fact):
                value: Any = fact
                for part in path:
                    value = value[part]
                known = seen_values[_place(fact, path)]
                if not isinstance(value, dict | list) and value not in known:
                    known.append(value)
    done: set[tuple[Any, ...]] = set()
    for folder, facts in scenarios:
        for index, fact in enumerate(facts):
            for path in _paths(fact):
                if path == ("fact",):
                    continue
                place = _place(fact, path)
                for value in [*REPLACEMENTS, *seen_values[place]]:
                    key = (place, json.dumps(value, sort_keys=True, default=repr))
                    if key not in done:
                        done.add(key)
                        yield folder, facts, index, path, value


def test_no_schema_valid_fact_yields_an_invalid_event() -> None:
    tried = accepted = emitted = 0
    failures: list[str] = []
    for folder, facts, index, path, value in _cases():
        tried += 1
        changed = _with(facts[index], path, value)
        if not _accepted(changed):
            continue
        accepted += 1
        try:
            emitted += _events(folder, [*facts[:index], changed, *facts[index + 1 :]])
        except ContractError as exc:
            shown = "deleted" if value is _ABSENT else json.dumps(value)
            failures.append(f"{folder.name}: fact {index + 1} {list(path)} = {shown}: {exc}")
    assert not failures, "\n".join(failures[:10])
    # the fuzzing really reached the reducer and its events
    assert tried > 5_000 and accepted > 1_000 and emitted > 1_000, (tried, accepted, emitted)


@pytest.mark.parametrize(
    ("error_info", "kind"),
    [
        ("Not-Camel", "a string that is no variant"),
        ({"unlisted": {}}, "an unlisted one-key object"),
    ],
)
def test_turn_error_the_event_cannot_carry_is_rejected_with_the_fact(
    error_info: Any, kind: str
) -> None:
    fact = {
        "fact": "notification",
        "method": "turn/completed",
        "params": {
            "threadId": "thread-1",
            "turn": {
                "id": "turn-1",
                "status": "failed",
                "error": {"message": "failed", "codexErrorInfo": error_info},
                "completedAt": 2,
            },
        },
    }
    with pytest.raises(ContractError) as caught:
        _newest(fact)
    assert caught.value.path == "$.params.turn.error.codexErrorInfo", kind


def test_null_command_source_is_rejected_with_the_fact() -> None:
    item = {"type": "commandExecution", "id": "item-1", "source": None, "status": "completed"}
    item["commandActions"] = []
    fact = {
        "fact": "notification",
        "method": "item/completed",
        "params": {"item": item, "threadId": "t", "turnId": "u", "completedAtMs": 5},
    }
    with pytest.raises(ContractError) as caught:
        _newest(fact)
    assert caught.value.path == "$.params.item.source"
    del item["source"]  # absent is fine: serde's default, `agent`
    _newest(fact)
