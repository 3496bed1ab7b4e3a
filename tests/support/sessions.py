"""Whole sessions of the newest protocol, for the memory soak and the benchmark: every fact kind
the newest reducer reads, in the order a client produces them (spec/reducer.md §12).

`newest_session(n)` is session `n`: one connection (ids reused modulo `connections`), one
thread, four turns with tool items, code-mode cells (a sampling response before and after each
cell), a control tool call, image preparations, an accepted interrupt, a codex error, token
usage, the turn profile; then a goal, plugin facts, a compaction, the archive and the close of
the thread. With `orphans`, a session also leaves state behind that no later fact clears (a
turn that never completes, with a held-back tool event and an open code-mode cell), which is
what fills the reducer's maps in a long run.
"""

from __future__ import annotations

from collections.abc import Iterator

from tests.support.facts import (
    FOUR_ACTIONS,
    J,
    cmd_item,
    f_code_mode,
    f_code_mode_completed,
    f_control_tool_call,
    f_goal,
    f_image_preparation,
    f_initialize,
    f_interrupt_request,
    f_interrupt_response,
    f_item_completed,
    f_item_started,
    f_notification,
    f_plugin_measurements,
    f_resolved_config,
    f_sampling_response,
    f_thread_started,
    f_token_usage,
    f_turn_codex_error,
    f_turn_completed,
    f_turn_profile,
    f_turn_start_request,
    f_turn_start_response,
    f_turn_started,
    mcp_item,
)

TURNS_PER_SESSION = 4

COMPACTION: J = {
    "fact": "compaction",
    "trigger": "auto",
    "reason": "context_limit",
    "implementation": "responses_compaction_v2",
    "phase": "mid_turn",
    "strategy": "memento",
    "status": "completed",
    "codex_error_kind": None,
    "codex_error_http_status_code": None,
    "active_context_tokens_before": 20325,
    "active_context_tokens_after": 14641,
    "retained_image_count": 1,
    "compaction_summary_tokens": 900,
    "cached_input_tokens": 100,
    "cache_write_input_tokens": 50,
    "started_at": 1775781500,
    "completed_at": 1775781508,
    "duration_ms": 7507,
}


def _turn(conn: int, n: int, t: int, thread_id: str) -> Iterator[J]:
    turn_id = f"turn-{n}-{t}"
    request_id = n * 100 + t * 10
    yield f_turn_start_request(conn, request_id, thread_id)
    yield f_turn_start_response(conn, request_id, turn_id)
    yield f_turn_started(thread_id, turn_id)
    config = f_resolved_config(thread_id, turn_id)
    config["workspace_kind"] = "git_repo"
    yield config
    yield f_image_preparation(turn_id)
    # a code-mode cell: the model asks for exec in response a, a child command runs in the
    # cell, response b releases both events
    exec_id, child_id, cell_id = f"exec-{t}", f"child-{t}", f"cell-{n}-{t}"
    yield f_sampling_response(thread_id, turn_id, f"resp-{n}-{t}-a", [exec_id])
    yield f_code_mode("cell_started", thread_id, turn_id=turn_id, call_id=exec_id, cell_id=cell_id)
    yield f_code_mode(
        "child_started", thread_id, turn_id=turn_id, call_id=child_id, cell_id=cell_id
    )
    yield f_code_mode_completed(thread_id, turn_id, exec_id, cell_id=cell_id)
    child = cmd_item(child_id, "completed", exit_code=0, duration_ms=3, actions=FOUR_ACTIONS)
    yield f_item_started(thread_id, turn_id, {**child, "status": "inProgress"})
    yield f_item_completed(thread_id, turn_id, child)
    yield f_code_mode("cell_closed", thread_id, turn_id=turn_id, cell_id=cell_id)
    yield f_sampling_response(thread_id, turn_id, f"resp-{n}-{t}-b", [])
    # an ordinary tool item (emitted at once) and a control tool call (held to turn end)
    item = mcp_item(f"mcp-{t}", "completed")
    yield f_item_started(thread_id, turn_id, {**item, "status": "inProgress"})
    yield f_item_completed(thread_id, turn_id, item)
    yield f_control_tool_call(thread_id, turn_id, f"control-{t}")
    if t == 1:
        yield f_interrupt_request(conn, request_id + 7, turn_id)
        yield f_interrupt_response(conn, request_id + 7)
    if t == 2:
        yield f_turn_codex_error(thread_id, turn_id, "stream", 502)
    yield f_token_usage(thread_id, turn_id)
    yield f_turn_profile(turn_id)
    yield f_turn_completed(thread_id, turn_id, "interrupted" if t == 1 else "completed")


def newest_session(n: int, *, connections: int = 500, orphans: bool = False) -> Iterator[J]:
    conn = n % connections
    thread_id = f"thread-{n}"
    yield f_initialize(conn)
    yield f_thread_started(conn, n, thread_id, originator="codex_work_desktop" if n % 2 else None)
    for t in range(TURNS_PER_SESSION):
        yield from _turn(conn, n, t, thread_id)
    yield f_goal(thread_id)
    yield f_plugin_measurements(thread_id, f"turn-{n}-0")
    yield {**COMPACTION, "thread_id": thread_id, "turn_id": f"turn-{n}-3"}
    if orphans:
        turn_id = f"turn-{n}-orphan"
        yield f_turn_started(thread_id, turn_id)
        yield f_code_mode(
            "cell_started", thread_id, turn_id=turn_id, call_id="exec-o", cell_id=f"cell-{n}-o"
        )
        yield f_control_tool_call(thread_id, turn_id, "control-orphan")
        yield f_notification("thread/archived", {"threadId": thread_id})
        return  # never closed: its held-back event and cell stay until evicted or flushed
    yield f_notification("thread/archived", {"threadId": thread_id})
    yield f_notification("thread/closed", {"threadId": thread_id})
