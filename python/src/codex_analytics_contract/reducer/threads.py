"""Connections and threads: initialize, thread start/resume/fork, subagent threads, and the two
thread-scoped custom facts that need no turn state (compaction, guardian review).
spec/reducer.md §2.1, §2.3 (thread responses), §2.11, §3.1, §3.6, §3.7.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .mappings import (
    nonneg,
    subagent_parent_thread_id,
    subagent_source_name,
    thread_metadata_from_source,
)
from .state import Connection, ReducerState, ThreadMetadata, ThreadState

__all__ = [
    "GUARDIAN_FIELDS",
    "archive_event",
    "ingest_compaction",
    "ingest_goal",
    "ingest_guardian_review",
    "ingest_initialize",
    "ingest_subagent_thread_started",
    "ingest_thread_response",
]

INITIALIZATION_MODES = {"thread/start": "new", "thread/resume": "resumed", "thread/fork": "forked"}

COMPACTION_FIELDS = (
    "trigger",
    "reason",
    "implementation",
    "phase",
    "strategy",
    "status",
    "error",
    "codex_error_kind",
    "codex_error_http_status_code",
    "active_context_tokens_before",
    "active_context_tokens_after",
    "retained_image_count",
    "compaction_summary_tokens",
    "cached_input_tokens",
    "cache_write_input_tokens",
    "started_at",
    "completed_at",
    "duration_ms",
)

GUARDIAN_FIELDS = (
    "thread_id",
    "turn_id",
    "review_id",
    "target_item_id",
    "approval_request_source",
    "reviewed_action",
    "reviewed_action_truncated",
    "decision",
    "terminal_status",
    "failure_reason",
    "attempt_count",
    "risk_level",
    "user_authorization",
    "outcome",
    "guardian_thread_id",
    "guardian_session_kind",
    "guardian_model",
    "guardian_reasoning_effort",
    "guardian_default_review_model_id",
    "guardian_catalog_contains_auto_review",
    "guardian_review_model_overridden",
    "guardian_review_model_override",
    "guardian_model_provider_id",
    "had_prior_review_context",
    "review_timeout_ms",
    "tool_call_count",
    "time_to_first_token_ms",
    "completion_latency_ms",
    "started_at",
    "completed_at",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_input_tokens",
    "output_tokens",
    "reasoning_output_tokens",
    "total_tokens",
)

_RUNTIME_KEYS = ("codex_rs_version", "runtime_os", "runtime_os_version", "runtime_arch")


def runtime_dict(runtime: Any) -> dict[str, Any]:
    """A runtime object in wire order."""
    source = runtime if isinstance(runtime, Mapping) else {}
    return {key: source.get(key) for key in _RUNTIME_KEYS}


def ingest_initialize(st: ReducerState, fact: Mapping[str, Any]) -> None:
    params = fact.get("params") or {}
    client_info = params.get("clientInfo") or {}
    capabilities = params.get("capabilities")
    experimental = None
    if isinstance(capabilities, Mapping):
        experimental = bool(capabilities.get("experimentalApi", False))
    client = {
        "product_client_id": fact.get("product_client_id"),
        "client_name": client_info.get("name"),
        "client_version": client_info.get("version"),
        "rpc_transport": fact.get("rpc_transport"),
        "experimental_api_enabled": experimental,
    }
    st.connections.put(fact["connection_id"], Connection(client, runtime_dict(fact.get("runtime"))))


def ingest_thread_response(
    st: ReducerState,
    connection_id: int,
    method: str,
    result: Mapping[str, Any],
    originator: str | None = None,
) -> list[dict[str, Any]]:
    connection = st.connections.touch(connection_id)
    if connection is None:
        return []
    thread = result["thread"]
    mode = INITIALIZATION_MODES[method]
    rules = st.rules
    metadata = thread_metadata_from_source(thread.get("source"), thread.get("threadSource"), mode)
    metadata.session_id = thread.get("sessionId")
    if rules.parent_from_thread:  # cf0911076 (spec/reducer.md §12.1)
        metadata.parent_thread_id = thread.get("parentThreadId")
    thread_id = thread["id"]
    client = dict(connection.app_server_client)
    if rules.august:  # 1acb722e8, 841f30598: the thread's originator (spec/reducer.md §12.2)
        previous = st.threads.data.get(thread_id)
        if originator is None and previous is not None:
            originator = previous.originator
        if originator is not None:
            client["product_client_id"] = originator
    else:
        originator = None
    st.threads.put(thread_id, ThreadState(connection_id, metadata, originator))
    created_at = nonneg(thread.get("createdAt"))
    return [
        {
            "event_type": "codex_thread_initialized",
            "event_params": {
                "thread_id": thread_id,
                "session_id": metadata.session_id,
                "app_server_client": client,
                "runtime": dict(connection.runtime),
                "model": result.get("model"),
                "ephemeral": thread.get("ephemeral"),
                "thread_source": metadata.thread_source,
                "initialization_mode": mode,
                "subagent_source": metadata.subagent_source,
                "parent_thread_id": metadata.parent_thread_id,
                "forked_from_thread_id": thread.get("forkedFromId"),
                "created_at": 0 if created_at is None else created_at,
            },
        }
    ]


def ingest_subagent_thread_started(
    st: ReducerState, fact: Mapping[str, Any], host_runtime: Mapping[str, Any]
) -> list[dict[str, Any]]:
    rules = st.rules
    source = fact.get("subagent_source")
    source_name = subagent_source_name(source)
    explicit_parent = fact.get("parent_thread_id")
    if rules.parent_from_thread:  # cf0911076: the fact's parent as is (spec/reducer.md §12.1)
        parent = explicit_parent
    else:
        parent = (
            explicit_parent if explicit_parent is not None else subagent_parent_thread_id(source)
        )
    parent_connection = None
    if parent is not None:
        if rules.august:  # 3fe19fcd8: the parent's or its nearest ancestor's connection
            parent_connection = st.lineage_connection_id(parent)
        else:
            parent_state = st.threads.touch(parent)
            parent_connection = None if parent_state is None else parent_state.connection_id
    thread_id = fact["thread_id"]
    state = st.threads.touch(thread_id)
    if state is None:
        state = ThreadState()
        st.threads.put(thread_id, state)
    # newer upstream: the fact's thread_source (was always "subagent")
    thread_source = fact.get("thread_source", "subagent") if rules.august else "subagent"
    if state.metadata is None:
        state.metadata = ThreadMetadata(
            thread_source, "new", source_name, parent, fact.get("session_id")
        )
    if state.connection_id is None:
        state.connection_id = parent_connection
    if rules.august and state.originator is None:
        state.originator = fact.get("product_client_id")
    return [
        {
            "event_type": "codex_thread_initialized",
            "event_params": {
                "thread_id": thread_id,
                "session_id": fact.get("session_id"),
                "app_server_client": {
                    "product_client_id": fact.get("product_client_id"),
                    "client_name": fact.get("client_name"),
                    "client_version": fact.get("client_version"),
                    "rpc_transport": "in_process",
                    "experimental_api_enabled": None,
                },
                "runtime": runtime_dict(host_runtime),
                "model": fact.get("model"),
                "ephemeral": fact.get("ephemeral"),
                "thread_source": thread_source,
                "initialization_mode": "new",
                "subagent_source": source_name,
                "parent_thread_id": parent,
                "forked_from_thread_id": fact.get("forked_from_thread_id"),
                "created_at": fact.get("created_at"),
            },
        }
    ]


def ingest_compaction(st: ReducerState, fact: Mapping[str, Any]) -> list[dict[str, Any]]:
    thread_id = fact["thread_id"]
    turn_id = fact.get("turn_id")
    found = st.thread_context("compaction", thread_id, turn_id)
    if found is None:
        return []
    connection, metadata = found
    params: dict[str, Any] = {
        "thread_id": thread_id,
        "session_id": metadata.session_id,
        "turn_id": turn_id,
        "app_server_client": st.app_server_client(thread_id, connection),
        "runtime": dict(connection.runtime),
        "thread_source": metadata.thread_source,
        "subagent_source": metadata.subagent_source,
        "parent_thread_id": metadata.parent_thread_id,
    }
    for key in COMPACTION_FIELDS:
        params[key] = fact.get(key)
    return [{"event_type": "codex_compaction_event", "event_params": params}]


def ingest_guardian_review(st: ReducerState, fact: Mapping[str, Any]) -> list[dict[str, Any]]:
    thread_id = fact["thread_id"]
    turn_id = fact.get("turn_id")
    review_id = fact.get("review_id")
    session_id = None
    if st.rules.session_ids:  # 487521733: the thread's session id, so its metadata too
        found_context = st.thread_context("guardian", thread_id, turn_id, review_id)
        if found_context is None:
            return []
        connection, metadata = found_context
        session_id = metadata.session_id
    else:
        found = st.thread_connection("guardian", thread_id, turn_id, review_id)
        if found is None:
            return []
        connection = found[1]
    params: dict[str, Any] = {
        "session_id": session_id,
        "app_server_client": st.app_server_client(thread_id, connection),
        "runtime": dict(connection.runtime),
    }
    for key in GUARDIAN_FIELDS:
        params[key] = fact.get(key)
    return [{"event_type": "codex_guardian_review", "event_params": params}]


def ingest_goal(st: ReducerState, fact: Mapping[str, Any]) -> list[dict[str, Any]]:
    """608b8b1cc: one codex_goal_event with the thread's context (spec/reducer.md §12.3)."""
    thread_id = fact["thread_id"]
    turn_id = fact.get("turn_id")
    found = st.thread_context("goal", thread_id, turn_id)
    if found is None:
        return []
    connection, metadata = found
    return [
        {
            "event_type": "codex_goal_event",
            "event_params": {
                "thread_id": thread_id,
                "session_id": metadata.session_id,
                "turn_id": turn_id,
                "app_server_client": st.app_server_client(thread_id, connection),
                "runtime": dict(connection.runtime),
                "thread_source": metadata.thread_source,
                "subagent_source": metadata.subagent_source,
                "parent_thread_id": metadata.parent_thread_id,
                "goal_id": fact.get("goal_id"),
                "event_kind": fact.get("event_kind"),
                "goal_status": fact.get("goal_status"),
                "has_token_budget": fact.get("has_token_budget"),
                "cumulative_tokens_accounted": fact.get("cumulative_tokens_accounted"),
                "cumulative_time_accounted_seconds": fact.get("cumulative_time_accounted_seconds"),
            },
        }
    ]


def archive_event(
    st: ReducerState, thread_id: str, action: str, occurred_at_ms: int
) -> list[dict[str, Any]]:
    """70b465323, cc801d704: thread/archived and thread/unarchived (spec/reducer.md §12.4).

    Never dropped: the context keys are left out when unknown; a feature thread source other
    than ``automation`` is left out as well.
    """
    thread = st.threads.data.get(thread_id)
    connection_id = None if thread is None else st.lineage_connection_id(thread_id)
    connection = None if connection_id is None else st.connections.data.get(connection_id)
    metadata = None if thread is None else thread.metadata
    source = None if metadata is None else metadata.thread_source
    if source not in (None, "user", "subagent", "memory_consolidation", "automation"):
        source = None
    params: dict[str, Any] = {
        "thread_id": thread_id,
        "action": action,
        "occurred_at_ms": occurred_at_ms,
        "app_server_client": (
            None
            if connection is None or thread is None
            else st.app_server_client(thread_id, connection)
        ),
        "runtime": None if connection is None else dict(connection.runtime),
        "thread_source": source,
        "parent_thread_id": None if metadata is None else metadata.parent_thread_id,
    }
    return [{"event_type": "codex_thread_archive_event", "event_params": params}]
