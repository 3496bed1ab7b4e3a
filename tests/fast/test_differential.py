"""A seeded differential of the two paths: at least 20,000 mutations of the valid examples per
run (keys dropped and added, types, nulls, integer bounds, enum near-misses, turn_error shapes,
number spellings, repeated keys, deep nesting, invalid UTF-8, awkward open values), each
judged by both paths: the same verdict, the same version, the same bytes, the same error.

`CONTRACT_DIFF_SEED` picks another seed (the default keeps runs reproducible); every failure
prints the seed and the payload.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from typing import Any

from codex_analytics_contract import fast
from codex_analytics_contract._generated.registry import EVENT_VERSIONS, FACT_VERSIONS
from tests.conftest import example_name, example_version, pass_examples
from tests.fast.agreement import Disagreement, judge
from tests.support.mutations import (
    MUTATIONS,
    NUMBER_SPELLINGS,
    OPEN_VALUES,
    Raw,
    mutate,
    replaced,
    write,
)

MUTATIONS_PER_RUN = 20_000
SEED = int(os.environ.get("CONTRACT_DIFF_SEED", "20260504"))


def _documents(kind: str) -> list[tuple[str, Any]]:
    """(kind, document) of every valid example of every version."""
    return [(kind, json.loads(p.read_bytes())) for p in pass_examples(f"{kind}s")]


def _carried_facts() -> list[tuple[str, Any]]:
    """The fact examples of every version the fast path carries."""
    return [
        ("fact", json.loads(p.read_bytes()))
        for p in pass_examples("facts")
        if fast.struct_for("facts", example_name(p), example_version(p)) is not None
    ]


def test_both_paths_judge_every_mutation_alike() -> None:
    """The examples of every version of every event and carried fact (a mixed-version corpus),
    mutated; one payload in ten pinned to a version of its type (a random one)."""
    rng = random.Random(SEED)
    documents = _documents("event") + _carried_facts()
    seen: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    pinned = 0
    unexplained: list[tuple[str, bytes, Disagreement]] = []
    for _ in range(MUTATIONS_PER_RUN):
        kind, doc = rng.choice(documents)
        name, data = mutate(rng, doc)
        seen[name] += 1
        version = None
        if rng.random() < 0.1:
            tag = doc["event_type" if kind == "event" else "fact"]
            version = rng.choice((EVENT_VERSIONS if kind == "event" else FACT_VERSIONS)[tag])
            pinned += 1
            name = f"{name} (version {version})"
        found = judge(data, kind, version)
        if found is None:
            verdicts[kind] += 1
        else:
            unexplained.append((name, data, found))
    assert pinned > MUTATIONS_PER_RUN // 20
    assert {n.split(" ", 1)[0] for n in seen} == set(MUTATIONS), seen
    per_mutation = Counter(n.split(" ", 1)[0] for n in seen.elements())
    assert min(per_mutation.values()) > MUTATIONS_PER_RUN // (2 * len(MUTATIONS)), seen
    assert not unexplained, "\n".join(
        f"seed {SEED}, {name}: {found.how}: {found.detail[:300]}\n  payload {data[:400]!r}"
        for name, data, found in unexplained[:10]
    )


def test_open_values_and_numbers_agree() -> None:
    """Every awkward open value in every event that holds one (guardian reviews), and every
    number spelling in a measurement's float: serde_json's reading and writing in both paths
    (1e16 not 1e+16; NaN, Infinity, 1e400, -0 and integers beyond 64 bits refused)."""
    judged = 0
    for kind, doc in _documents("event"):
        if "additional_permissions" in doc["event_params"].get("reviewed_action", {}):
            path: tuple[str, ...] = ("event_params", "reviewed_action", "additional_permissions")
            values: tuple[object, ...] = OPEN_VALUES
        elif "number_value" in doc["event_params"]:
            path = ("event_params", "number_value")
            values = tuple(Raw(spelling) for spelling in NUMBER_SPELLINGS)
        else:
            continue
        for value in values:
            data = write(replaced(doc, path, value))
            assert judge(data, kind) is None, data
            judged += 1
    assert judged > len(OPEN_VALUES) + len(NUMBER_SPELLINGS)


def test_nesting_limit_of_open_values_is_the_typed_paths() -> None:
    """An open value nested up to the typed path's JSON limit (200 containers around a value,
    counted from the event's root) is accepted by both paths, one level more by neither."""
    doc = next(
        d
        for _, d in _documents("event")
        if "additional_permissions" in d["event_params"].get("reviewed_action", {})
    )
    path = ("event_params", "reviewed_action", "additional_permissions")
    for opening, closing in ((b"[", b"]"), (b'{"a":', b"}")):
        for depth, accepted in ((196, True), (197, False)):  # 4 containers around the value
            value = {"deep": Raw(opening * depth + b"1" + closing * depth)}
            data = write(replaced(doc, path, value))
            assert judge(data) is None, (opening, depth)
            try:
                fast.decode_event(data)
            except ValueError:
                assert not accepted, (opening, depth)
            else:
                assert accepted, (opening, depth)
