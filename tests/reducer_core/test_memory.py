"""Memory bound: one million facts of completed sessions (plus orphans that upstream would keep
forever) through a reducer with small limits. Every map stays within its limit, the state size
after the run equals the size measured once the orphan maps had filled up, and evictions are
counted per map."""

from __future__ import annotations

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
    f_turn_start_request,
    f_turn_start_response,
    f_turn_started,
)
from tests.support.reducing import make_reducer
from tests.support.sessions import TURNS_PER_SESSION as NEWEST_TURNS
from tests.support.sessions import newest_session

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
    # had a turn/start, a pending review never answered, a review summary for an item that
    # never completes, a turn/start request never answered.
    orphan_turn = f"orphan-{n}"
    yield f_item_started(thread_id, orphan_turn, cmd_item("lost"))
    yield f_turn_started(thread_id, orphan_turn)
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
        "started_items": LIMITS.max_started_items,
        "pending_reviews": LIMITS.max_pending_reviews,
        "review_summaries": LIMITS.max_review_summaries,
    }
    assert final == {**limits, "tool_responses": 0, "code_mode_cells": 0}  # none at the pin
    final = {name: final[name] for name in limits}
    baseline = {name: baseline[name] for name in limits}
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


NEWEST_LIMITS = ReducerLimits(
    max_connections=64,
    max_threads=256,
    max_requests=64,
    max_turns=256,
    max_started_items=256,
    max_pending_reviews=64,
    max_review_summaries=256,
    max_tool_responses=256,
    max_code_mode_threads=64,
)


def test_newest_state_stays_bounded_and_loses_nothing_over_a_million_facts() -> None:
    """The newest release over one million facts of every kind it reads (tests/support/
    sessions.py), each session leaving an orphan turn with a held-back control tool event and
    an open code-mode cell: the maps saturate at their limits and stop growing, every eviction
    is counted, and every held-back event still comes out (on eviction or at the flush)."""
    r = make_reducer(NEWEST_LIMITS, emit_as="newest")
    ingest = r.ingest_raw
    emitted = 0
    facts = 0
    control_facts = 0
    code_mode_completed = 0
    baseline: dict[str, int] = {}
    n = 0
    while facts < TOTAL_FACTS:
        for fact in newest_session(n, orphans=True):
            facts += 1
            kind = fact["fact"]
            control_facts += kind == "control_tool_call"
            code_mode_completed += kind == "code_mode_tool_call" and "completed" in fact["call"]
            emitted += len(ingest(fact))
        n += 1
        if n == 1_000:
            baseline = r.state_size()
    final = r.state_size()
    assert (
        final
        == baseline
        == {
            "connections": 64,
            "threads": 256,
            "requests": 0,
            "turns": 256,
            "started_items": 0,
            "pending_reviews": 0,
            "review_summaries": 0,
            "tool_responses": 256,
            "code_mode_cells": 64,
        }
    )
    flushed = r.flush()
    assert len(flushed) == 256  # the orphan turns still in the map hold one event each
    emitted += len(flushed)
    stats = r.stats
    assert stats.facts_ingested == facts >= TOTAL_FACTS
    assert stats.drops_by_reason == {}
    evictions = stats.evictions_by_map
    for name in ("connections", "threads", "turns", "tool_responses", "code_mode_cells"):
        assert evictions[name] > 0, evictions
    by_type = stats.events_emitted_by_type
    assert by_type["codex_control_tool_call_event"] == control_facts  # nothing lost
    assert by_type["codex_dynamic_tool_call_event"] == code_mode_completed
    assert by_type["codex_turn_event"] == n * NEWEST_TURNS
    assert sum(by_type.values()) == emitted
    print(
        f"\nnewest memory test: {facts} facts, {n} sessions, {emitted} events, "
        f"final state {final}, evictions {evictions}"
    )
