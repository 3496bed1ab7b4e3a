"""Tool events held back until the next model response (155f1ca9e, spec/reducer.md §12.5),
code-mode cells and the code-mode and control tool-call facts (155f1ca9e, 992f5c681).

Per (thread, turn) the reducer keeps which model response asked for each call id, which
code-mode cell a child call ran in, and the tool events waiting for a later response id. A
tool event is "correlated" when it belongs to a cell or its originating response is known;
a correlated event (and every code-mode and control tool event) waits until a sampling
response with a different id completes, which becomes its ``subsequent_response_id``. Turn
completion, ``thread/closed`` and :meth:`Reducer.flush` release what is still waiting; nothing
is dropped: when the bounded map of correlation states evicts one, its held-back events are
released. Each map inside a correlation state holds at most 256 entries, as upstream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .mappings import nonneg
from .state import CodeModeCell, ReducerState, ToolCounts, ToolResponseState

__all__ = [
    "MAX_TOOL_RESPONSE_ENTRIES",
    "TOOL_EVENT_TYPES",
    "flush_all",
    "flush_thread",
    "ingest_code_mode_tool_call",
    "ingest_control_tool_call",
    "record_tool_event",
]

MAX_TOOL_RESPONSE_ENTRIES = 256

TOOL_EVENT_TYPES = frozenset(
    {
        "codex_command_execution_event",
        "codex_file_change_event",
        "codex_mcp_tool_call_event",
        "codex_dynamic_tool_call_event",
        "codex_control_tool_call_event",
        "codex_collab_agent_tool_call_event",
        "codex_web_search_event",
        "codex_image_generation_event",
    }
)

Event = dict[str, Any]


def _state(st: ReducerState, thread_id: str, turn_id: str, out: list[Event]) -> ToolResponseState:
    """The (thread, turn)'s correlation state; when a new one evicts the least recently used,
    that one's held-back events go to ``out`` (an eviction never loses an event)."""
    key = (thread_id, turn_id)
    state = st.tool_responses.touch(key)
    if state is None:
        state = ToolResponseState()
        evicted = st.tool_responses.put(key, state)
        if evicted is not None:
            out.extend(evicted.pending_events)
    return state


def _enrich(params: dict[str, Any], state: ToolResponseState, cells: Any) -> None:
    """Upstream ``enrich_tool_response_event``."""
    item_id = params["item_id"]
    if params["cell_id"] is None:
        params["cell_id"] = state.cell_ids_by_child_call_id.get(item_id)
    cell_id = params["cell_id"]
    cell = None if cell_id is None or cells is None else cells.get(cell_id)
    if cell is not None:
        params["parent_call_id"] = cell.parent_call_id if cell.parent_call_id != item_id else None
    else:
        params["cell_id"] = None
        params["parent_call_id"] = None
    originating = state.response_ids_by_call_id.get(item_id)
    if originating is None and cell is not None:
        originating = cell.originating_response_id
    params["originating_response_id"] = originating


def record_tool_event(
    st: ReducerState,
    thread_id: str,
    turn_id: str,
    event: Event,
    *,
    immediate_unless_correlated: bool,
) -> list[Event]:
    """Emit ``event`` now (an uncorrelated item event) or hold it back; a full queue lets its
    oldest event go."""
    out: list[Event] = []
    state = _state(st, thread_id, turn_id, out)
    params = event["event_params"]
    _enrich(params, state, st.code_mode_cells.data.get(thread_id))
    correlated = params["cell_id"] is not None or params["originating_response_id"] is not None
    if immediate_unless_correlated and not correlated:
        out.append(event)
        return out
    pending = state.pending_events
    if len(pending) == MAX_TOOL_RESPONSE_ENTRIES:
        out.append(pending.popleft())
    pending.append(event)
    return out


def _sampling_response_completed(
    st: ReducerState, thread_id: str, turn_id: str, response_id: str, call_ids: Any
) -> list[Event]:
    out: list[Event] = []
    state = _state(st, thread_id, turn_id, out)
    by_call = state.response_ids_by_call_id
    for call_id in call_ids if isinstance(call_ids, list) else []:
        if call_id in by_call or len(by_call) < MAX_TOOL_RESPONSE_ENTRIES:
            by_call[call_id] = response_id
    cells = st.code_mode_cells.data.get(thread_id)
    if cells is not None:
        for cell in cells.values():
            if cell.originating_response_id is None:
                origin = by_call.get(cell.parent_call_id)
                if origin is not None:
                    cell.originating_response_id = origin
    remaining = type(state.pending_events)()
    while state.pending_events:
        event = state.pending_events.popleft()
        params = event["event_params"]
        _enrich(params, state, cells)
        origin = params["originating_response_id"]
        if origin is not None and origin != response_id:
            params["subsequent_response_id"] = response_id
            out.append(event)
        else:
            remaining.append(event)
    state.pending_events = remaining
    return out


def flush_thread(st: ReducerState, thread_id: Any) -> list[Event]:
    """``thread/closed``: every held-back event of the thread; its cells are forgotten."""
    out: list[Event] = []
    data = st.tool_responses.data
    for key in [k for k in data if k[0] == thread_id]:
        out.extend(data.pop(key).pending_events)
    st.code_mode_cells.pop(thread_id)
    return out


def flush_all(st: ReducerState) -> list[Event]:
    """``Reducer.flush``: every held-back event (upstream's flush on shutdown)."""
    out: list[Event] = []
    for state in st.tool_responses.data.values():
        out.extend(state.pending_events)
        state.pending_events.clear()
    return out


def _has_thread_context(st: ReducerState, thread_id: str) -> bool:
    thread = st.threads.data.get(thread_id)
    if thread is None or thread.metadata is None:
        return False
    connection_id = thread.connection_id
    if connection_id is None:
        connection_id = st.lineage_connection_id(thread_id)
    return connection_id is not None and connection_id in st.connections.data


def _tool_event(
    st: ReducerState,
    call: Mapping[str, Any],
    event_name: str,
    terminal_status: str,
    failure_kind: str | None,
) -> dict[str, Any] | None:
    """The base of a code-mode or control tool event (no review summary)."""
    from .tool_items import tool_base

    thread_id = call["thread_id"]
    turn_id = call["turn_id"]
    found = st.thread_context(event_name, thread_id, turn_id, None, call.get("call_id"))
    if found is None:
        return None
    params = tool_base(st, thread_id, turn_id, found[0], found[1])
    metadata = call.get("turn_metadata")
    if isinstance(metadata, Mapping) and "root_turn_id" in metadata:
        params["root_turn_id"] = metadata["root_turn_id"]
    started = nonneg(call.get("started_at_ms"))
    completed = nonneg(call.get("completed_at_ms"))
    duration = None if started is None or completed is None else completed - started
    duration = duration if duration is not None and duration >= 0 else None
    params["item_id"] = call.get("call_id")
    params["cell_id"] = call.get("cell_id")
    params.update(
        {
            "tool_name": call.get("tool_name"),
            "started_at_ms": call.get("started_at_ms"),
            "completed_at_ms": call.get("completed_at_ms"),
            "duration_ms": duration,
            "execution_duration_ms": duration,
            "review_count": 0,
            "guardian_review_count": 0,
            "user_review_count": 0,
            "final_approval_outcome": "unknown",
            "terminal_status": terminal_status,
            "failure_kind": failure_kind,
            "requested_additional_permissions": False,
            "requested_network_access": False,
        }
    )
    return params


def _counts(st: ReducerState, turn_id: str) -> ToolCounts:
    turn = st.turn_entry(turn_id)
    if turn.tool_counts is None:
        turn.tool_counts = ToolCounts()
    return turn.tool_counts


_CONTROL_FAILURE = {"failed": "tool_error", "rejected": "policy_forbidden"}


def ingest_control_tool_call(st: ReducerState, fact: Mapping[str, Any]) -> list[Event]:
    """992f5c681: one codex_control_tool_call_event, held back until the next response."""
    status = str(fact.get("status"))
    params = _tool_event(st, fact, "control tool", status, _CONTROL_FAILURE.get(status))
    if params is None:
        return []
    params["success"] = status == "completed"
    _counts(st, fact["turn_id"]).total += 1
    event = {"event_type": "codex_control_tool_call_event", "event_params": params}
    return record_tool_event(
        st, fact["thread_id"], fact["turn_id"], event, immediate_unless_correlated=False
    )


_CODE_MODE_VARIANTS = frozenset(
    {"cell_started", "child_started", "cell_closed", "sampling_response_completed", "completed"}
)


def ingest_code_mode_tool_call(st: ReducerState, fact: Mapping[str, Any]) -> list[Event]:
    """155f1ca9e: code-mode cells, child calls, sampling responses and completed calls."""
    tagged = fact.get("call")
    if not isinstance(tagged, Mapping) or len(tagged) != 1:
        return []
    ((variant, call),) = tagged.items()  # externally tagged: exactly one variant key
    if variant not in _CODE_MODE_VARIANTS or not isinstance(call, Mapping):
        return []
    thread_id = call["thread_id"]
    if not _has_thread_context(st, thread_id):
        return []
    turn_id = call["turn_id"]
    if variant == "cell_started":
        cells = st.code_mode_cells.touch(thread_id)
        if cells is None:
            cells = {}
            st.code_mode_cells.put(thread_id, cells)
        cell_id = call["cell_id"]
        if cell_id in cells or len(cells) < MAX_TOOL_RESPONSE_ENTRIES:
            state = st.tool_responses.data.get((thread_id, turn_id))
            origin = None if state is None else state.response_ids_by_call_id.get(call["call_id"])
            cells[cell_id] = CodeModeCell(call["call_id"], origin)
        return []
    if variant == "child_started":
        cells = st.code_mode_cells.data.get(thread_id)
        released: list[Event] = []
        if cells is not None and call["cell_id"] in cells:
            by_child = _state(st, thread_id, turn_id, released).cell_ids_by_child_call_id
            call_id = call["call_id"]
            if call_id in by_child or len(by_child) < MAX_TOOL_RESPONSE_ENTRIES:
                by_child[call_id] = call["cell_id"]
        return released
    if variant == "cell_closed":
        cells = st.code_mode_cells.data.get(thread_id)
        cell = None if cells is None else cells.get(call["cell_id"])
        if cell is not None:
            cell.closed_in_turn_id = turn_id
        return []
    if variant == "sampling_response_completed":
        return _sampling_response_completed(
            st, thread_id, turn_id, call["response_id"], call.get("tool_call_ids")
        )
    status = call.get("status")
    failure = "tool_error" if status == "failed" else None
    params = _tool_event(st, call, "code mode tool", str(status), failure)
    if params is None:
        return []
    params.update(
        {
            "dynamic_tool_name": call.get("tool_name"),
            "success": status == "completed",
            "output_content_item_count": None,
            "output_text_item_count": None,
            "output_image_item_count": None,
            "output_audio_item_count": None,
        }
    )
    counts = _counts(st, turn_id)
    counts.total += 1
    counts.dynamic_tool_call += 1
    event = {"event_type": "codex_dynamic_tool_call_event", "event_params": params}
    return record_tool_event(st, thread_id, turn_id, event, immediate_unless_correlated=False)
