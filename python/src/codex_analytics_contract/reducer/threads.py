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
    "ingest_compaction",
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
    "active_context_tokens_before",
    "active_context_tokens_after",
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
    "risk_level",
    "user_authorization",
    "outcome",
    "guardian_thread_id",
    "guardian_session_kind",
    "guardian_model",
    "guardian_reasoning_effort",
    "had_prior_review_context",
    "review_timeout_ms",
    "tool_call_count",
    "time_to_first_token_ms",
    "completion_latency_ms",
    "started_at",
    "completed_at",
    "input_tokens",
    "cached_input_tokens",
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
    st: ReducerState, connection_id: int, method: str, result: Mapping[str, Any]
) -> list[dict[str, Any]]:
    connection = st.connections.touch(connection_id)
    if connection is None:
        return []
    thread = result["thread"]
    mode = INITIALIZATION_MODES[method]
    metadata = thread_metadata_from_source(thread.get("source"), thread.get("threadSource"), mode)
    thread_id = thread["id"]
    st.threads.put(thread_id, ThreadState(connection_id, metadata))
    created_at = nonneg(thread.get("createdAt"))
    return [
        {
            "event_type": "codex_thread_initialized",
            "event_params": {
                "thread_id": thread_id,
                "app_server_client": dict(connection.app_server_client),
                "runtime": dict(connection.runtime),
                "model": result.get("model"),
                "ephemeral": thread.get("ephemeral"),
                "thread_source": metadata.thread_source,
                "initialization_mode": mode,
                "subagent_source": metadata.subagent_source,
                "parent_thread_id": metadata.parent_thread_id,
                "created_at": 0 if created_at is None else created_at,
            },
        }
    ]


def ingest_subagent_thread_started(
    st: ReducerState, fact: Mapping[str, Any], host_runtime: Mapping[str, Any]
) -> list[dict[str, Any]]:
    source = fact.get("subagent_source")
    source_name = subagent_source_name(source)
    explicit_parent = fact.get("parent_thread_id")
    parent = explicit_parent if explicit_parent is not None else subagent_parent_thread_id(source)
    parent_connection = None
    if parent is not None:
        parent_state = st.threads.touch(parent)
        parent_connection = None if parent_state is None else parent_state.connection_id
    thread_id = fact["thread_id"]
    state = st.threads.touch(thread_id)
    if state is None:
        state = ThreadState()
        st.threads.put(thread_id, state)
    if state.metadata is None:
        state.metadata = ThreadMetadata("subagent", "new", source_name, parent)
    if state.connection_id is None:
        state.connection_id = parent_connection
    return [
        {
            "event_type": "codex_thread_initialized",
            "event_params": {
                "thread_id": thread_id,
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
                "thread_source": "subagent",
                "initialization_mode": "new",
                "subagent_source": source_name,
                "parent_thread_id": parent,
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
        "turn_id": turn_id,
        "app_server_client": dict(connection.app_server_client),
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
    found = st.thread_connection("guardian", thread_id, fact.get("turn_id"), fact.get("review_id"))
    if found is None:
        return []
    connection = found[1]
    params: dict[str, Any] = {
        "app_server_client": dict(connection.app_server_client),
        "runtime": dict(connection.runtime),
    }
    for key in GUARDIAN_FIELDS:
        params[key] = fact.get(key)
    return [{"event_type": "codex_guardian_review", "event_params": params}]
