"""Tool-item events from item/started + item/completed (spec/reducer.md §2.5, §3.4).

Seven item kinds are tracked; the review summary recorded for the item (reviews.py) is folded
into the event and then discarded.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from .mappings import nonneg
from .rust_text import rust_trim
from .state import Connection, ReducerState, ReviewSummary, ThreadMetadata

__all__ = ["TRACKED_ITEM_TYPES", "ingest_item_completed", "ingest_item_started"]

LOGGER = logging.getLogger("codex_analytics_contract.reducer")

TRACKED_ITEM_TYPES = frozenset(
    {
        "commandExecution",
        "fileChange",
        "mcpToolCall",
        "dynamicToolCall",
        "collabAgentToolCall",
        "webSearch",
        "imageGeneration",
    }
)

_EMPTY_SUMMARY = ReviewSummary()

# status -> (terminal_status, failure_kind); a missing status means "no event"
_PATCH_OR_COMMAND: dict[Any, tuple[str, str | None]] = {
    "completed": ("completed", None),
    "failed": ("failed", "tool_error"),
    "declined": ("rejected", "approval_denied"),
}
_CALL: dict[Any, tuple[str, str | None]] = {
    "completed": ("completed", None),
    "failed": ("failed", "tool_error"),
}

_COMMAND_TOOL_NAMES: dict[Any, str] = {
    "unifiedExecStartup": "unified_exec",
    "unifiedExecInteraction": "unified_exec",
    "userShell": "user_shell",
    "agent": "shell",
}
_COLLAB_TOOL_NAMES: dict[Any, Any] = {
    "spawnAgent": "spawn_agent",
    "sendInput": "send_input",
    "resumeAgent": "resume_agent",
    "wait": "wait_agent",
    "closeAgent": "close_agent",
}
_WEB_ACTIONS: dict[Any, str] = {
    "search": "search",
    "openPage": "open_page",
    "findInPage": "find_in_page",
    "other": "other",
}
_FAILED_AGENT_STATES = frozenset({"errored", "shutdown", "notFound"})


def ingest_item_started(st: ReducerState, params: Mapping[str, Any]) -> None:
    item = params.get("item")
    if (
        not (type(item) is dict or isinstance(item, Mapping))
        or item.get("type") not in TRACKED_ITEM_TYPES
    ):
        return
    started_at_ms = nonneg(params.get("startedAtMs"))
    if started_at_ms is None:
        return
    st.started_items.put((params["threadId"], params["turnId"], item["id"]), started_at_ms)


def ingest_item_completed(st: ReducerState, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    item = params.get("item")
    if (
        not (type(item) is dict or isinstance(item, Mapping))
        or item.get("type") not in TRACKED_ITEM_TYPES
    ):
        return []
    thread_id = params["threadId"]
    turn_id = params["turnId"]
    item_id = item["id"]
    key = (thread_id, turn_id, item_id)
    started_at_ms = st.started_items.data.pop(key, None)
    if started_at_ms is None:
        st.stats.count_drop("missing_item_started")
        if LOGGER.isEnabledFor(logging.WARNING):
            LOGGER.warning(
                "dropping tool item analytics event: missing item started notification",
                extra={"thread_id": thread_id, "turn_id": turn_id, "item_id": item_id},
            )
        return []
    completed_at_ms = nonneg(params.get("completedAtMs"))
    if completed_at_ms is None:
        return []
    found = st.thread_context("tool item", thread_id, turn_id, None, item_id)
    if found is None:
        return []
    summary = st.review_summaries.data.pop(key, None)
    event = _tool_item_event(
        item,
        thread_id,
        turn_id,
        started_at_ms,
        completed_at_ms,
        found[0],
        found[1],
        _EMPTY_SUMMARY if summary is None else summary,
    )
    return [] if event is None else [event]


def _tool_item_event(
    item: Mapping[str, Any],
    thread_id: str,
    turn_id: str,
    started_at_ms: int,
    completed_at_ms: int,
    connection: Connection,
    metadata: ThreadMetadata,
    summary: ReviewSummary,
) -> dict[str, Any] | None:
    kind = item["type"]
    execution_duration_ms: int | None = None
    tool_name: Any
    outcome: tuple[str, str | None] | None
    extra: dict[str, Any]
    if kind == "commandExecution":
        outcome = _PATCH_OR_COMMAND.get(item.get("status"))
        if outcome is None:
            return None
        event_type = "codex_command_execution_event"
        source = item.get("source", "agent")
        tool_name = _COMMAND_TOOL_NAMES.get(source, "shell")
        execution_duration_ms = nonneg(item.get("durationMs"))
        extra = _command_fields(item, source)
    elif kind == "fileChange":
        outcome = _PATCH_OR_COMMAND.get(item.get("status"))
        if outcome is None:
            return None
        event_type = "codex_file_change_event"
        tool_name = "apply_patch"
        extra = _file_change_fields(item)
    elif kind == "mcpToolCall":
        outcome = _CALL.get(item.get("status"))
        if outcome is None:
            return None
        event_type = "codex_mcp_tool_call_event"
        tool_name = item.get("tool")
        execution_duration_ms = nonneg(item.get("durationMs"))
        extra = {
            "mcp_server_name": item.get("server"),
            "mcp_tool_name": tool_name,
            "mcp_error_present": item.get("error") is not None,
        }
    elif kind == "dynamicToolCall":
        outcome = _CALL.get(item.get("status"))
        if outcome is None:
            return None
        event_type = "codex_dynamic_tool_call_event"
        tool_name = item.get("tool")
        execution_duration_ms = nonneg(item.get("durationMs"))
        extra = _dynamic_fields(item, tool_name)
    elif kind == "collabAgentToolCall":
        outcome = _CALL.get(item.get("status"))
        if outcome is None:
            return None
        event_type = "codex_collab_agent_tool_call_event"
        tool_name = _COLLAB_TOOL_NAMES.get(item.get("tool"), item.get("tool"))
        extra = _collab_fields(item)
    elif kind == "webSearch":
        outcome = ("completed", None)
        event_type = "codex_web_search_event"
        tool_name = "web_search"
        extra = _web_search_fields(item)
    else:  # imageGeneration
        status = item.get("status")
        outcome = ("failed", "tool_error") if status in ("failed", "error") else ("completed", None)
        event_type = "codex_image_generation_event"
        tool_name = "image_generation"
        extra = {
            "revised_prompt_present": item.get("revisedPrompt") is not None,
            "saved_path_present": item.get("savedPath") is not None,
        }
    duration = completed_at_ms - started_at_ms
    params: dict[str, Any] = {
        "thread_id": thread_id,
        "turn_id": turn_id,
        "item_id": item["id"],
        "app_server_client": dict(connection.app_server_client),
        "runtime": dict(connection.runtime),
        "thread_source": metadata.thread_source,
        "subagent_source": metadata.subagent_source,
        "parent_thread_id": metadata.parent_thread_id,
        "tool_name": tool_name,
        "started_at_ms": started_at_ms,
        "completed_at_ms": completed_at_ms,
        "duration_ms": duration if duration >= 0 else None,
        "execution_duration_ms": execution_duration_ms,
        "review_count": summary.review_count,
        "guardian_review_count": summary.guardian_review_count,
        "user_review_count": summary.user_review_count,
        "final_approval_outcome": summary.final_approval_outcome or "unknown",
        "terminal_status": outcome[0],
        "failure_kind": outcome[1],
        "requested_additional_permissions": summary.requested_additional_permissions,
        "requested_network_access": summary.requested_network_access,
    }
    params.update(extra)
    return {"event_type": event_type, "event_params": params}


def _command_fields(item: Mapping[str, Any], source: Any) -> dict[str, Any]:
    actions = item.get("commandActions") or []
    read = list_files = search = unknown = 0
    for action in actions:
        action_type = (
            action.get("type") if (type(action) is dict or isinstance(action, Mapping)) else None
        )
        if action_type == "read":
            read += 1
        elif action_type == "listFiles":
            list_files += 1
        elif action_type == "search":
            search += 1
        else:
            unknown += 1
    return {
        "command_execution_source": source,
        "exit_code": item.get("exitCode"),
        "command_total_action_count": len(actions),
        "command_read_action_count": read,
        "command_list_files_action_count": list_files,
        "command_search_action_count": search,
        "command_unknown_action_count": unknown,
    }


def _file_change_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    changes = item.get("changes") or []
    add = update = delete = move = 0
    for change in changes:
        change_kind = (
            change.get("kind") if (type(change) is dict or isinstance(change, Mapping)) else None
        )
        kind_type = (
            change_kind.get("type")
            if (type(change_kind) is dict or isinstance(change_kind, Mapping))
            else change_kind
        )
        if kind_type == "add":
            add += 1
        elif kind_type == "delete":
            delete += 1
        elif kind_type == "update":
            move_path = (
                change_kind.get("move_path", change_kind.get("movePath"))
                if (type(change_kind) is dict or isinstance(change_kind, Mapping))
                else None
            )
            if move_path is None:
                update += 1
            else:
                move += 1
    return {
        "file_change_count": len(changes),
        "file_add_count": add,
        "file_update_count": update,
        "file_delete_count": delete,
        "file_move_count": move,
    }


def _dynamic_fields(item: Mapping[str, Any], tool_name: Any) -> dict[str, Any]:
    content = item.get("contentItems")
    total = text = image = None
    if isinstance(content, list):
        total = len(content)
        text = image = 0
        for entry in content:
            entry_type = (
                entry.get("type") if (type(entry) is dict or isinstance(entry, Mapping)) else None
            )
            if entry_type == "inputText":
                text += 1
            elif entry_type == "inputImage":
                image += 1
    return {
        "dynamic_tool_name": tool_name,
        "success": item.get("success"),
        "output_content_item_count": total,
        "output_text_item_count": text,
        "output_image_item_count": image,
    }


def _collab_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    receivers = item.get("receiverThreadIds") or []
    states = item.get("agentsStates") or {}
    completed = failed = 0
    for state in states.values():
        status = (
            state.get("status") if (type(state) is dict or isinstance(state, Mapping)) else None
        )
        if status == "completed":
            completed += 1
        elif status in _FAILED_AGENT_STATES:
            failed += 1
    effort = item.get("reasoningEffort")
    return {
        "sender_thread_id": item.get("senderThreadId"),
        "receiver_thread_count": len(receivers),
        "receiver_thread_ids": list(receivers),
        "requested_model": item.get("model"),
        "requested_reasoning_effort": effort if isinstance(effort, str) else None,
        "agent_state_count": len(states),
        "completed_agent_count": completed,
        "failed_agent_count": failed,
    }


def _web_search_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    query = item.get("query")
    query_present = isinstance(query, str) and rust_trim(query) != ""
    action = item.get("action")
    action_kind: str | None = None
    query_count: int | None = None
    if type(action) is dict or isinstance(action, Mapping):
        action_kind = _WEB_ACTIONS.get(action.get("type"), "other")
        if action_kind == "search":
            queries = action.get("queries")
            if isinstance(queries, list):
                query_count = len(queries)
            elif action.get("query") is not None:
                query_count = 1
    elif query_present:
        query_count = 1
    return {
        "web_search_action": action_kind,
        "query_present": query_present,
        "query_count": query_count,
    }
