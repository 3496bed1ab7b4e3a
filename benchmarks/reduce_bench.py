"""Issue #3 benchmark: `reduce` from NDJSON bytes to serialized events, against orjson.loads of
the same lines (the floor), on a generated corpus of realistic sessions (>= 200,000 facts).
Target: >= 0.2x of the floor, and peak memory flat in the corpus size.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from benchmarks.timing import compare, table
from codex_analytics_contract.reduce_cli import ReduceCounts, reduce_lines
from codex_analytics_contract.reduce_config import reducer_from_config
from codex_analytics_contract.reducer import ReducerLimits
from tests.reducer_core import factkit as fk
from tests.reducer_core.test_scenarios import DEFAULT_CONFIG

ROOT = Path(__file__).resolve().parent.parent
CONFIG: dict[str, Any] = {**DEFAULT_CONFIG, "repo_hash": "ebe09d3405069192a994b36a394fc2a6a3dd3ee1"}
DIFF = (
    "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n"
    "@@ -1,3 +1,4 @@\n fn a() {}\n-fn old() {}\n+fn useful() {\n+    return user.id;\n+}\n"
)


def _item_templates() -> list[dict[str, Any]]:
    """One terminal item of each tracked kind, taken from the scenario fixtures."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "tests/scenarios").glob("*/facts.ndjson")):
        for line in path.read_bytes().splitlines():
            fact = json.loads(line)
            if fact.get("fact") == "notification" and fact["method"] == "item/completed":
                item = fact["params"]["item"]
                if (
                    item.get("status", "completed") in ("completed", "failed")
                    or item["type"] == "webSearch"
                ):
                    found.setdefault(item["type"], item)
    return [found[k] for k in sorted(found)]


def _compaction_template() -> dict[str, Any]:
    for path in sorted((ROOT / "tests/scenarios").glob("golden_compaction_*/facts.ndjson")):
        for line in path.read_bytes().splitlines():
            fact = json.loads(line)
            if fact["fact"] == "compaction":
                return dict(fact)
    raise RuntimeError("no compaction fact in the scenarios")


def session(
    n: int, items: list[dict[str, Any]], compaction: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    conn = n % 500
    thread_id = f"thread-{n}"
    yield fk.initialize(conn)
    yield fk.thread_response(thread_id, conn=conn)
    for t in range(4):
        turn_id = f"turn-{n}-{t}"
        request_id = n * 100 + t * 10
        yield fk.turn_start_request(thread_id, conn=conn, request_id=request_id)
        yield fk.turn_start_response(turn_id, conn=conn, request_id=request_id)
        yield fk.turn_started(turn_id, thread_id)
        yield fk.resolved_config(turn_id, thread_id)
        for k in range(3):
            item = dict(items[(n + t + k) % len(items)])
            item["id"] = f"item-{t}-{k}"
            yield fk.item_started(item, thread_id=thread_id, turn_id=turn_id)
            if item["type"] == "commandExecution":
                approval = fk.command_approval_request(
                    request_id + k + 1, item_id=item["id"], thread_id=thread_id
                )
                approval["params"]["turnId"] = turn_id
                yield approval
                yield fk.server_response(request_id + k + 1, "accept")
            yield fk.item_completed(item, thread_id=thread_id, turn_id=turn_id)
        if t % 2:
            yield fk.steer_request(
                thread_id, conn=conn, request_id=request_id + 9, expected=turn_id
            )
            yield fk.steer_response(turn_id, conn=conn, request_id=request_id + 9)
        yield fk.diff_updated(DIFF, turn_id, thread_id)
        yield fk.token_usage(turn_id, thread_id)
        yield fk.turn_completed(turn_id, thread_id)
    if n % 3 == 0:
        yield {**compaction, "thread_id": thread_id, "turn_id": f"turn-{n}-3"}


def corpus(size: int) -> list[bytes]:
    items = _item_templates()
    compaction = _compaction_template()
    lines: list[bytes] = []
    n = 0
    while len(lines) < size:
        lines.extend(orjson.dumps(f) for f in session(n, items, compaction))
        n += 1
    return lines[:size]


LIMITS = ReducerLimits(
    max_connections=1_000,
    max_threads=500,
    max_requests=1_000,
    max_turns=2_000,
    max_started_items=2_000,
    max_pending_reviews=1_000,
    max_review_summaries=2_000,
)


def reduce_all(lines: list[bytes], validate: bool = True) -> ReduceCounts:
    counts = ReduceCounts()
    errors: list[str] = []
    reducer = reducer_from_config(CONFIG, LIMITS)
    sink = reduce_lines(
        enumerate(lines, 1),
        reducer,
        counts,
        lambda n, e: errors.append(f"{n}: {e}"),
        validate=validate,
    )
    for _ in sink:
        pass
    if errors:
        raise RuntimeError(f"{len(errors)} facts rejected, first: {errors[0]}")
    return counts


def peak_memory(lines: list[bytes]) -> int:
    tracemalloc.start()
    try:
        reduce_all(lines)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(size: int = 200_000, repeats: int = 5) -> tuple[str, bool]:
    lines = corpus(size)
    counts = reduce_all(lines)
    assert counts.rejected == 0 and counts.reduced == size

    def loads() -> None:
        for line in lines:
            orjson.loads(line)

    def reduce() -> None:
        reduce_all(lines)

    def reduce_trusted() -> None:
        reduce_all(lines, validate=False)

    results = compare(
        ("orjson.loads", size, loads),
        [
            ("reduce, facts validated (default)", size, reduce),
            ("reduce --trusted (no fact schema check)", size, reduce_trusted),
        ],
        repeats,
    )
    # State is bounded (LIMITS): past the first few hundred sessions the peak stops growing, so
    # the peak for half the corpus and for all of it must be about the same.
    small = peak_memory(lines[: size // 2])
    full = peak_memory(lines)
    ratio = results[1].ratio
    flat = full <= small * 1.25
    text = table(
        results, f"Reducer: {size:,} facts of realistic sessions, {repeats} paired repeats"
    )
    text += (
        f"\n\nreduce / orjson.loads = {ratio:.3f}x validated, {results[2].ratio:.3f}x trusted "
        "(target >= 0.2x)"
        f"\npeak traced memory while reducing: {small / 1e6:.1f} MB for {size // 2:,} facts, "
        f"{full / 1e6:.1f} MB for {size:,} facts ({'flat' if flat else 'NOT flat'})"
    )
    return text, ratio >= 0.2 and flat
