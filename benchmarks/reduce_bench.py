"""Issue #3 benchmark: `reduce` from NDJSON bytes to serialized events, against orjson.loads of
the same lines (the floor), on a generated corpus of realistic sessions (>= 200,000 facts).
Target: >= 0.2x of the floor, and peak memory flat in the corpus size.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from typing import Any

import orjson

from benchmarks.timing import compare, table
from codex_analytics_contract.reduce_cli import ReduceCounts, reduce_lines
from codex_analytics_contract.reduce_config import reducer_from_config
from codex_analytics_contract.reducer import ReducerLimits
from tests.support.facts import (
    FOUR_ACTIONS,
    J,
    change,
    cmd_item,
    collab_item,
    dyn_item,
    f_cmd_approval,
    f_compaction,
    f_initialize,
    f_item_completed,
    f_item_started,
    f_resolved_config,
    f_server_response,
    f_steer_request,
    f_steer_response,
    f_thread_response,
    f_token_usage,
    f_turn_completed,
    f_turn_diff,
    f_turn_start_request,
    f_turn_start_response,
    f_turn_started,
    file_item,
    image_item,
    mcp_item,
    web_item,
)
from tests.support.reducing import DEFAULT_CONFIG

CONFIG: dict[str, Any] = {**DEFAULT_CONFIG, "repo_hash": "ebe09d3405069192a994b36a394fc2a6a3dd3ee1"}
DIFF = (
    "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n"
    "@@ -1,3 +1,4 @@\n fn a() {}\n-fn old() {}\n+fn useful() {\n+    return user.id;\n+}\n"
)
# One terminal item of each tracked kind (its id is set per use).
ITEMS: list[J] = [
    cmd_item("", "completed", exit_code=0, duration_ms=42, actions=FOUR_ACTIONS),
    file_item("", "completed", [change("src/lib.rs", "update"), change("src/new.rs", "add")]),
    mcp_item("", "completed"),
    dyn_item("", "completed", [{"type": "inputText", "text": "done"}], True, 7),
    collab_item(
        "",
        "spawnAgent",
        "completed",
        ["thread-x"],
        {"thread-x": {"status": "completed", "message": None}},
    ),
    web_item("", "rust", {"type": "search", "query": "rust", "queries": ["rust", "serde"]}),
    image_item("", "completed", "a cat", None),
]


def session(n: int) -> Iterator[J]:
    conn = n % 500
    thread_id = f"thread-{n}"
    yield f_initialize(conn)
    yield f_thread_response(conn, thread_id=thread_id)
    for t in range(4):
        turn_id = f"turn-{n}-{t}"
        request_id = n * 100 + t * 10
        yield f_turn_start_request(conn, request_id, thread_id)
        yield f_turn_start_response(conn, request_id, turn_id)
        yield f_turn_started(thread_id, turn_id)
        yield f_resolved_config(thread_id, turn_id)
        for k in range(3):
            item = {**ITEMS[(n + t + k) % len(ITEMS)], "id": f"item-{t}-{k}"}
            yield f_item_started(thread_id, turn_id, item)
            if item["type"] == "commandExecution":
                approval = request_id + k + 1
                yield f_cmd_approval(
                    conn, approval, item_id=item["id"], thread_id=thread_id, turn_id=turn_id
                )
                yield f_server_response(approval, decision="accept")
            yield f_item_completed(thread_id, turn_id, item)
        if t % 2:
            yield f_steer_request(conn, request_id + 9, thread_id, turn_id)
            yield f_steer_response(conn, request_id + 9, turn_id)
        yield f_turn_diff(thread_id, turn_id, DIFF)
        yield f_token_usage(thread_id, turn_id)
        yield f_turn_completed(thread_id, turn_id)
    if n % 3 == 0:
        yield f_compaction(
            thread_id, f"turn-{n}-3", "auto", "context_limit", "responses", "mid_turn",
            "memento", "completed", None, 20325, 14641, 1775781500, 1775781508, 7507,
        )  # fmt: skip


def corpus(size: int) -> list[bytes]:
    lines: list[bytes] = []
    n = 0
    while len(lines) < size:
        lines.extend(orjson.dumps(f) for f in session(n))
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
