"""Memory bound: one million facts of completed sessions (plus orphans that upstream would keep
forever) through a reducer with small limits. Every map stays within its limit, the state size
after the run equals the size measured once the orphan maps had filled up, and evictions are
counted per map."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

from codex_analytics_contract.reducer import ReducerLimits
from tests.support.facts import (
    J,
    cmd_item,
    f_cmd_approval,
    f_guardian_notification,
    f_initialize,
    f_item_completed,
    f_item_started,
    f_resolved_config,
    f_server_response,
    f_thread_response,
    f_token_usage,
    f_turn_completed,
    f_turn_diff,
    f_turn_start_request,
    f_turn_start_response,
    f_turn_started,
)
from tests.support.reducing import feed, make_reducer

TOTAL_FACTS = 1_000_000
LIMITS = ReducerLimits(
    max_connections=64,
    max_threads=256,
    max_requests=64,
    max_turns=256,
    max_started_items=256,
    max_pending_reviews=64,
    max_review_summaries=256,
)
TURNS_PER_SESSION = 4


def session_facts(n: int) -> Iterator[J]:
    """Facts of session ``n``: one connection, one thread, a few complete turns, and orphans."""
    conn = n % 1_000  # connection ids are reused, so connections are re-initialized
    thread_id = f"thread-{n}"
    yield f_initialize(conn)
    yield f_thread_response(conn, thread_id=thread_id)
    for t in range(TURNS_PER_SESSION):
        turn_id = f"turn-{n}-{t}"
        request_id = n * 10 + t
        item = cmd_item(f"item-{t}", "completed")
        yield f_turn_start_request(conn, request_id, thread_id)
        yield f_turn_start_response(conn, request_id, turn_id)
        yield f_turn_started(thread_id, turn_id)
        yield f_resolved_config(thread_id, turn_id)
        yield f_item_started(thread_id, turn_id, item)
        yield f_cmd_approval(
            conn, request_id, item_id=f"item-{t}", thread_id=thread_id, turn_id=turn_id
        )
        yield f_server_response(request_id, decision="accept")
        yield f_item_completed(thread_id, turn_id, item)
        yield f_token_usage(thread_id, turn_id)
        yield f_turn_completed(thread_id, turn_id)
    # Orphans upstream never frees: a started item that never completes, a turn that never
    # had a turn/start (with its diff), a pending review never answered, a review summary for
    # an item that never completes, a turn/start request never answered.
    orphan_turn = f"orphan-{n}"
    yield f_item_started(thread_id, orphan_turn, cmd_item("lost"))
    yield f_turn_started(thread_id, orphan_turn)
    yield f_turn_diff(thread_id, orphan_turn, f"diff --git a/{n} b/{n}\n+line\n")
    lost = f"lost-{n}"
    yield f_cmd_approval(conn, lost, item_id="lost", thread_id=thread_id, turn_id=orphan_turn)
    yield f_guardian_notification(
        f"g-{n}",
        "never-completed",
        "approved",
        {"type": "command"},
        thread_id=thread_id,
        turn_id=orphan_turn,
        started_at_ms=1,
        completed_at_ms=2,
    )
    yield f_turn_start_request(conn, f"unanswered-{n}", thread_id)


FACTS_PER_SESSION = sum(1 for _ in session_facts(0))
SESSIONS = -(-TOTAL_FACTS // FACTS_PER_SESSION)  # enough whole sessions for a million facts


def test_state_stays_bounded_over_a_million_facts() -> None:
    r = make_reducer(LIMITS)
    ingest = r.ingest_raw
    emitted = 0
    baseline: dict[str, int] = {}
    peak: dict[str, int] = {}
    for n in range(SESSIONS):
        for fact in session_facts(n):
            emitted += len(ingest(fact))
        if n == SESSIONS // 10:
            baseline = r.state_size()  # measured at a session boundary once orphans filled up
            peak = dict(baseline)
        elif n > SESSIONS // 10 and n % 97 == 0:
            for name, size in r.state_size().items():
                peak[name] = max(peak[name], size)
    final = r.state_size()
    limits = {
        "connections": LIMITS.max_connections,
        "threads": LIMITS.max_threads,
        "requests": LIMITS.max_requests,
        "turns": LIMITS.max_turns,
        "turn_diffs": LIMITS.max_turns,
        "started_items": LIMITS.max_started_items,
        "pending_reviews": LIMITS.max_pending_reviews,
        "review_summaries": LIMITS.max_review_summaries,
    }
    assert final == baseline == limits  # every map saturated by orphans/old entries, no growth
    assert all(peak[name] <= limits[name] for name in limits)
    stats = r.stats
    assert stats.facts_ingested == SESSIONS * FACTS_PER_SESSION >= TOTAL_FACTS
    assert stats.drops_by_reason == {}
    evictions = stats.evictions_by_map
    assert all(evictions[name] > 0 for name in limits), evictions
    # every complete turn still produced its turn event, tool item and review
    by_type = stats.events_emitted_by_type
    sessions = by_type["codex_thread_initialized"]
    assert by_type["codex_turn_event"] >= (sessions - 1) * TURNS_PER_SESSION
    assert by_type["codex_command_execution_event"] == by_type["codex_turn_event"]
    assert sum(by_type.values()) == emitted
    print(
        f"\nmemory test: {stats.facts_ingested} facts, {sessions} sessions, {emitted} events, "
        f"final state {final}, evictions {evictions}"
    )


MIB = 1024 * 1024


def _big_diff(n: int, size: int) -> str:
    head = f"diff --git a/f{n} b/f{n}\n--- a/f{n}\n+++ b/f{n}\n@@ -0,0 +1 @@\n+"
    return head + "x" * (size - len(head) - 1) + "\n"


def test_turn_diffs_are_bounded_in_bytes_not_only_in_count() -> None:
    """300 orphan turns with 1 MiB diffs: upstream (and a count bound of 100,000 turns) keeps
    300 MiB; the byte bound keeps at most `max_diff_bytes` and counts what it evicts."""
    limits = ReducerLimits(max_diff_bytes=8 * MIB)
    r = make_reducer(limits)
    tracemalloc.start()
    try:
        for n in range(300):
            r.ingest_raw(f_turn_diff("thread-1", f"orphan-{n}", _big_diff(n, MIB)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    held = r.state_bytes()["turn_diffs"]
    assert MIB * 7 <= held <= limits.max_diff_bytes
    kept = r.state_size()["turn_diffs"]
    assert r.stats.evictions_by_map["turn_diffs"] == 300 - kept
    assert r.state_size()["turns"] == 300  # the turns themselves stay (small), by count
    assert peak < 16 * MIB, peak / MIB


def test_a_turn_whose_diff_was_evicted_still_gets_its_turn_event() -> None:
    r = make_reducer(ReducerLimits(max_diff_bytes=MIB))
    small = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+kept line\n"
    events = feed(
        r,
        f_initialize(7),
        f_thread_response(7, thread_id="thread-1"),
        f_turn_start_request(7, 1, "thread-1"),
        f_turn_start_response(7, 1, "turn-1"),
        f_resolved_config("thread-1", "turn-1"),
        f_turn_diff("thread-1", "turn-1", small),
        f_turn_completed("thread-1", "turn-1"),
        f_turn_start_request(7, 2, "thread-1"),
        f_turn_start_response(7, 2, "turn-2"),
        f_resolved_config("thread-1", "turn-2"),
        f_turn_diff("thread-1", "turn-2", _big_diff(2, 2 * MIB)),  # larger than the bound
        f_turn_completed("thread-1", "turn-2"),
    )
    kinds = [(e["event_type"], e["event_params"].get("turn_id")) for e in events]
    assert kinds == [
        ("codex_thread_initialized", None),
        ("codex_turn_event", "turn-1"),
        ("codex_accepted_line_fingerprints", "turn-1"),
        ("codex_turn_event", "turn-2"),  # its diff is gone: no accepted-line event
    ]
    assert r.stats.evictions_by_map["turn_diffs"] == 1
    assert r.state_bytes() == {"turn_diffs": 0} and r.state_size()["turns"] == 0
