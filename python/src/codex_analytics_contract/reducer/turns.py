"""Turns and steers: pending turn/start and turn/steer requests, their responses and errors,
the turn lifecycle notifications, the turn config / token-usage facts, and turn-event emission
(with the accepted-line events that follow it). spec/reducer.md §2.2-§2.5, §2.9, §2.10, §3.2,
§3.3.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import mappings as m
from .accepted_lines import _accepted_line_events, _parse_unified_diff
from .state import (
    CompletedTurn,
    PendingTurnStart,
    PendingTurnSteer,
    ReducerState,
    RequestId,
    TurnState,
)

__all__ = [
    "TurnEnv",
    "ingest_client_request",
    "ingest_error_response",
    "ingest_resolved_config",
    "ingest_token_usage",
    "ingest_turn_completed",
    "ingest_turn_diff",
    "ingest_turn_start_response",
    "ingest_turn_started",
    "ingest_turn_steer_response",
]

_TOKEN_KEYS = (
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "reasoning_output_tokens",
    "total_tokens",
)
_NO_TOKENS: dict[str, None] = dict.fromkeys(_TOKEN_KEYS)


class TurnEnv:
    """Process-level inputs of turn emission: the clock and the repo-hash look-up."""

    __slots__ = ("clock", "repo_hash_provider")

    def __init__(
        self, clock: Callable[[], float], repo_hash_provider: Callable[[str], str | None]
    ) -> None:
        self.clock = clock
        self.repo_hash_provider = repo_hash_provider


# -- requests / responses / errors --------------------------------------------------------


def ingest_client_request(
    st: ReducerState, fact: Mapping[str, Any], clock: Callable[[], float]
) -> None:
    method = fact.get("method")
    if method != "turn/start" and method != "turn/steer":
        return
    params = fact.get("params") or {}
    key = (fact["connection_id"], fact["request_id"])
    images = m.num_input_images(params.get("input"))
    if method == "turn/start":
        st.requests.put(key, PendingTurnStart(params["threadId"], images))
    else:
        st.requests.put(
            key,
            PendingTurnSteer(
                params["threadId"], params.get("expectedTurnId"), images, int(clock())
            ),
        )


def ingest_turn_start_response(
    st: ReducerState,
    connection_id: int,
    request_id: RequestId,
    result: Mapping[str, Any],
    env: TurnEnv,
) -> list[dict[str, Any]]:
    pending = st.requests.pop((connection_id, request_id))
    if not isinstance(pending, PendingTurnStart):
        return []
    turn_id = result["turn"]["id"]
    turn = st.turn_entry(turn_id)
    turn.connection_id = connection_id
    turn.thread_id = pending.thread_id
    turn.num_input_images = pending.num_input_images
    return maybe_emit_turn(st, turn_id, turn, env)


def ingest_turn_steer_response(
    st: ReducerState, connection_id: int, request_id: RequestId, result: Mapping[str, Any]
) -> list[dict[str, Any]]:
    pending = st.requests.pop((connection_id, request_id))
    if not isinstance(pending, PendingTurnSteer):
        return []
    turn_id = result["turnId"]
    turn = st.turns.touch(turn_id)
    if turn is not None:
        turn.steer_count += 1
    return steer_event(st, connection_id, pending, turn_id, "accepted", None)


def ingest_error_response(st: ReducerState, fact: Mapping[str, Any]) -> list[dict[str, Any]]:
    connection_id = fact["connection_id"]
    pending = st.requests.pop((connection_id, fact["request_id"]))
    if not isinstance(pending, PendingTurnSteer):
        return []
    reason = m.rejection_reason(fact.get("error_type"))
    return steer_event(st, connection_id, pending, None, "rejected", reason)


def steer_event(
    st: ReducerState,
    connection_id: int,
    pending: PendingTurnSteer,
    accepted_turn_id: str | None,
    result: str,
    rejection_reason: str | None,
) -> list[dict[str, Any]]:
    connection = st.connections.touch(connection_id)
    if connection is None:
        return []
    thread = st.threads.touch(pending.thread_id)
    metadata = None if thread is None else thread.metadata
    if metadata is None:
        st.drop("turn steer", "thread_metadata", thread_id=pending.thread_id)
        return []
    return [
        {
            "event_type": "codex_turn_steer_event",
            "event_params": {
                "thread_id": pending.thread_id,
                "expected_turn_id": pending.expected_turn_id,
                "accepted_turn_id": accepted_turn_id,
                "app_server_client": dict(connection.app_server_client),
                "runtime": dict(connection.runtime),
                "thread_source": metadata.thread_source,
                "subagent_source": metadata.subagent_source,
                "parent_thread_id": metadata.parent_thread_id,
                "num_input_images": pending.num_input_images,
                "result": result,
                "rejection_reason": rejection_reason,
                "created_at": pending.created_at,
            },
        }
    ]


# -- turn facts and notifications -----------------------------------------------------------


def ingest_resolved_config(
    st: ReducerState, fact: Mapping[str, Any], env: TurnEnv
) -> list[dict[str, Any]]:
    turn_id = fact["turn_id"]
    turn = st.turn_entry(turn_id)
    turn.thread_id = fact["thread_id"]
    turn.num_input_images = fact.get("num_input_images", 0)
    # Derived here, not at emission: a profile the mapping cannot read is reported with this
    # fact (the same value either way: a pure function of the config).
    turn.sandbox_policy = m.sandbox_policy(
        fact.get("permission_profile"), fact.get("permission_profile_cwd")
    )
    turn.resolved_config = dict(fact)
    return maybe_emit_turn(st, turn_id, turn, env)


def ingest_token_usage(
    st: ReducerState, fact: Mapping[str, Any], env: TurnEnv
) -> list[dict[str, Any]]:
    turn_id = fact["turn_id"]
    turn = st.turn_entry(turn_id)
    turn.thread_id = fact["thread_id"]
    usage = fact.get("token_usage")
    turn.token_usage = dict(usage) if (type(usage) is dict or isinstance(usage, Mapping)) else {}
    return maybe_emit_turn(st, turn_id, turn, env)


def ingest_turn_started(st: ReducerState, params: Mapping[str, Any]) -> None:
    turn_info = params["turn"]
    st.turn_entry(turn_info["id"]).started_at = m.nonneg(turn_info.get("startedAt"))


def ingest_turn_diff(st: ReducerState, params: Mapping[str, Any]) -> None:
    turn_id = params["turnId"]
    thread_id = params["threadId"]
    diff = params.get("diff")
    if diff is not None and not isinstance(diff, str):
        raise TypeError(f"diff: expected a string, got {type(diff).__name__}")
    st.turn_entry(turn_id).thread_id = thread_id
    if diff is None:
        st.turn_diffs.pop(turn_id)
    else:
        st.turn_diffs.put(turn_id, diff)  # the latest wins; bounded in count and bytes


def ingest_turn_completed(
    st: ReducerState, params: Mapping[str, Any], env: TurnEnv
) -> list[dict[str, Any]]:
    turn_info = params["turn"]
    turn_id = turn_info["id"]
    turn = st.turn_entry(turn_id)
    error = turn_info.get("error")
    completed_at = m.nonneg(turn_info.get("completedAt"))
    turn.completed = CompletedTurn(
        status=m.turn_status(turn_info.get("status")),
        turn_error=error.get("codexErrorInfo")
        if (type(error) is dict or isinstance(error, Mapping))
        else None,
        completed_at=0 if completed_at is None else completed_at,
        duration_ms=m.nonneg(turn_info.get("durationMs")),
    )
    return maybe_emit_turn(st, turn_id, turn, env)


# -- emission -------------------------------------------------------------------------------


def maybe_emit_turn(
    st: ReducerState, turn_id: str, turn: TurnState, env: TurnEnv
) -> list[dict[str, Any]]:
    thread_id = turn.thread_id
    config = turn.resolved_config
    completed = turn.completed
    if (
        thread_id is None
        or turn.num_input_images is None
        or config is None
        or completed is None
        or turn.connection_id is None
    ):
        return []
    connection_id = turn.connection_id
    connections = st.connections.data  # st.connections.touch, inlined
    connection = connections.get(connection_id)
    if connection is None:
        st.drop(
            "turn", "connection", thread_id=thread_id, turn_id=turn_id, connection_id=connection_id
        )
        return []
    connections.move_to_end(connection_id)
    threads = st.threads.data  # st.threads.touch, inlined
    thread = threads.get(thread_id)
    if thread is not None:
        threads.move_to_end(thread_id)
    metadata = None if thread is None else thread.metadata
    if metadata is None:
        st.drop("turn", "thread_metadata", thread_id=thread_id, turn_id=turn_id)
        return []
    usage = turn.token_usage
    params: dict[str, Any] = {
        "thread_id": thread_id,
        "turn_id": turn_id,
        "submission_type": config.get("submission_type"),
        "app_server_client": dict(connection.app_server_client),
        "runtime": dict(connection.runtime),
        "ephemeral": config.get("ephemeral"),
        "thread_source": metadata.thread_source,
        "initialization_mode": metadata.initialization_mode,
        "subagent_source": metadata.subagent_source,
        "parent_thread_id": metadata.parent_thread_id,
        "model": config.get("model"),
        "model_provider": config.get("model_provider"),
        "sandbox_policy": turn.sandbox_policy,
        "reasoning_effort": m.optional_display(config.get("reasoning_effort")),
        "reasoning_summary": m.reasoning_summary(config.get("reasoning_summary")),
        "service_tier": m.service_tier(config.get("service_tier")),
        "approval_policy": m.optional_display(config.get("approval_policy")),
        "approvals_reviewer": m.optional_display(config.get("approvals_reviewer")),
        "sandbox_network_access": config.get("sandbox_network_access"),
        "collaboration_mode": m.collaboration_mode(config.get("collaboration_mode")),
        "personality": m.personality(config.get("personality")),
        "num_input_images": turn.num_input_images,
        "is_first_turn": config.get("is_first_turn"),
        "status": completed.status,
        "turn_error": completed.turn_error,
        "steer_count": turn.steer_count,
        "total_tool_call_count": None,
        "shell_command_count": None,
        "file_change_count": None,
        "mcp_tool_call_count": None,
        "dynamic_tool_call_count": None,
        "subagent_tool_call_count": None,
        "web_search_count": None,
        "image_generation_count": None,
    }
    if usage is None:
        params.update(_NO_TOKENS)
    else:
        get = usage.get
        params["input_tokens"] = get("input_tokens")
        params["cached_input_tokens"] = get("cached_input_tokens")
        params["output_tokens"] = get("output_tokens")
        params["reasoning_output_tokens"] = get("reasoning_output_tokens")
        params["total_tokens"] = get("total_tokens")
    params["duration_ms"] = completed.duration_ms
    params["started_at"] = turn.started_at
    params["completed_at"] = completed.completed_at
    out: list[dict[str, Any]] = [{"event_type": "codex_turn_event", "event_params": params}]
    diff = st.turn_diffs.pop(turn_id)
    if diff is not None:
        out.extend(_accepted_lines(turn_id, thread_id, diff, config, env))
    st.turns.pop(turn_id)
    return out


def _accepted_lines(
    turn_id: str, thread_id: str, diff: str, config: Mapping[str, Any], env: TurnEnv
) -> list[dict[str, Any]]:
    added, deleted, fingerprints = _parse_unified_diff(diff)
    if added == 0 and deleted == 0:
        return []
    cwd = config.get("permission_profile_cwd")
    repo_hash = env.repo_hash_provider(cwd) if isinstance(cwd, str) else None
    return _accepted_line_events(
        added,
        deleted,
        fingerprints,
        turn_id,
        thread_id,
        str(config.get("model")),
        int(env.clock()),
        repo_hash,
    )
