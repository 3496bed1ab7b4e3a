"""Builders for facts (spec/facts.md shapes) and helpers shared by the reducer-core tests."""

from __future__ import annotations

import json
from typing import Any

from codex_analytics_contract.reducer import Reducer, ReducerLimits

Fact = dict[str, Any]
Event = dict[str, Any]

CLOCK = 1_700_000_000.0
RUNTIME = {
    "codex_rs_version": "0.0.0",
    "runtime_os": "linux",
    "runtime_os_version": "6.1",
    "runtime_arch": "x86_64",
}
CONN_RUNTIME = {
    "codex_rs_version": "0.99.0",
    "runtime_os": "macos",
    "runtime_os_version": "15.0",
    "runtime_arch": "aarch64",
}
CLIENT = {
    "product_client_id": "codex_vscode",
    "client_name": "codex-vscode",
    "client_version": "1.2.3",
    "rpc_transport": "stdio",
    "experimental_api_enabled": True,
}


def dumps(event: Event) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


def make_reducer(limits: ReducerLimits | None = None, repo_hash: str | None = None) -> Reducer:
    return Reducer(
        clock=lambda: CLOCK,
        runtime=RUNTIME,
        repo_hash_provider=lambda _cwd: repo_hash,
        skill_repo_provider=lambda _path: None,
        limits=limits,
    )


def feed(reducer: Reducer, *facts: Fact) -> list[Event]:
    out: list[Event] = []
    for fact in facts:
        out.extend(reducer.ingest_raw(fact))
    return out


def initialize(
    conn: int = 7, *, name: str = "codex-vscode", experimental: bool | None = True
) -> Fact:
    params: dict[str, Any] = {"clientInfo": {"name": name, "title": None, "version": "1.2.3"}}
    if experimental is not None:
        params["capabilities"] = {"experimentalApi": experimental}
    return {
        "fact": "initialize",
        "connection_id": conn,
        "product_client_id": "codex_vscode",
        "rpc_transport": "stdio",
        "runtime": dict(CONN_RUNTIME),
        "params": params,
    }


def thread_response(
    thread_id: str = "thread-1",
    *,
    conn: int = 7,
    method: str = "thread/start",
    source: Any = "vscode",
    thread_source: str | None = "user",
    created_at: int = 1_716_000_000,
    request_id: int = 1,
) -> Fact:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": request_id,
        "method": method,
        "result": {
            "thread": {
                "id": thread_id,
                "ephemeral": False,
                "createdAt": created_at,
                "source": source,
                "threadSource": thread_source,
                "preview": "",
            },
            "model": "gpt-5",
            "modelProvider": "openai",
        },
    }


def turn_start_request(
    thread_id: str = "thread-1", *, conn: int = 7, request_id: int | str = 3, images: int = 0
) -> Fact:
    inputs: list[dict[str, Any]] = [{"type": "text", "text": "hi"}]
    inputs += [{"type": "image", "url": "https://x"}] * images
    return {
        "fact": "client_request",
        "connection_id": conn,
        "request_id": request_id,
        "method": "turn/start",
        "params": {"threadId": thread_id, "input": inputs},
    }


def turn_start_response(
    turn_id: str = "turn-1", *, conn: int = 7, request_id: int | str = 3
) -> Fact:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": request_id,
        "method": "turn/start",
        "result": {"turn": {"id": turn_id, "items": [], "status": "inProgress", "error": None}},
    }


def steer_request(
    thread_id: str = "thread-1",
    *,
    conn: int = 7,
    request_id: int | str = 4,
    expected: str = "turn-1",
    local_images: int = 0,
) -> Fact:
    inputs: list[dict[str, Any]] = [{"type": "text", "text": "more"}]
    inputs += [{"type": "localImage", "path": "/tmp/a.png"}] * local_images
    return {
        "fact": "client_request",
        "connection_id": conn,
        "request_id": request_id,
        "method": "turn/steer",
        "params": {"threadId": thread_id, "input": inputs, "expectedTurnId": expected},
    }


def steer_response(turn_id: str = "turn-1", *, conn: int = 7, request_id: int | str = 4) -> Fact:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": request_id,
        "method": "turn/steer",
        "result": {"turnId": turn_id},
    }


def error_response(*, conn: int = 7, request_id: int | str = 4, error_type: Any = None) -> Fact:
    return {
        "fact": "error_response",
        "connection_id": conn,
        "request_id": request_id,
        "error": {"code": -32600, "message": "nope"},
        "error_type": error_type,
    }


def resolved_config(turn_id: str = "turn-1", thread_id: str = "thread-1", **overrides: Any) -> Fact:
    fact: Fact = {
        "fact": "turn_resolved_config",
        "turn_id": turn_id,
        "thread_id": thread_id,
        "num_input_images": 1,
        "submission_type": None,
        "ephemeral": False,
        "session_source": "vscode",
        "model": "gpt-5",
        "model_provider": "openai",
        "permission_profile": {
            "type": "managed",
            "file_system": {
                "type": "restricted",
                "entries": [
                    {"path": {"type": "special", "value": {"kind": "root"}}, "access": "read"},
                    {
                        "path": {"type": "special", "value": {"kind": "project_roots"}},
                        "access": "write",
                    },
                ],
            },
            "network": "restricted",
        },
        "permission_profile_cwd": "/repo",
        "reasoning_effort": "medium",
        "reasoning_summary": "auto",
        "service_tier": None,
        "approval_policy": "on-request",
        "approvals_reviewer": "user",
        "sandbox_network_access": False,
        "collaboration_mode": "default",
        "personality": "pragmatic",
        "is_first_turn": True,
    }
    fact.update(overrides)
    return fact


def token_usage(turn_id: str = "turn-1", thread_id: str = "thread-1") -> Fact:
    return {
        "fact": "turn_token_usage",
        "turn_id": turn_id,
        "thread_id": thread_id,
        "token_usage": {
            "input_tokens": 100,
            "cached_input_tokens": 20,
            "output_tokens": 30,
            "reasoning_output_tokens": 5,
            "total_tokens": 130,
        },
    }


def notification(method: str, params: dict[str, Any]) -> Fact:
    return {"fact": "notification", "method": method, "params": params}


def turn_started(
    turn_id: str = "turn-1", thread_id: str = "thread-1", started_at: int | None = 1_716_000_010
) -> Fact:
    return notification(
        "turn/started",
        {
            "threadId": thread_id,
            "turn": {"id": turn_id, "status": "inProgress", "startedAt": started_at},
        },
    )


def turn_completed(
    turn_id: str = "turn-1",
    thread_id: str = "thread-1",
    *,
    status: str = "completed",
    error: Any = None,
    completed_at: int | None = 1_716_000_042,
    duration_ms: int | None = 32_000,
) -> Fact:
    return notification(
        "turn/completed",
        {
            "threadId": thread_id,
            "turn": {
                "id": turn_id,
                "items": [],
                "status": status,
                "error": error,
                "completedAt": completed_at,
                "durationMs": duration_ms,
            },
        },
    )


def diff_updated(diff: str, turn_id: str = "turn-1", thread_id: str = "thread-1") -> Fact:
    return notification(
        "turn/diff/updated", {"threadId": thread_id, "turnId": turn_id, "diff": diff}
    )


def item_started(
    item: dict[str, Any], *, thread_id: str = "thread-1", turn_id: str = "turn-1", at: int = 1_000
) -> Fact:
    return notification(
        "item/started", {"threadId": thread_id, "turnId": turn_id, "startedAtMs": at, "item": item}
    )


def item_completed(
    item: dict[str, Any], *, thread_id: str = "thread-1", turn_id: str = "turn-1", at: int = 1_250
) -> Fact:
    return notification(
        "item/completed",
        {"threadId": thread_id, "turnId": turn_id, "completedAtMs": at, "item": item},
    )


def command_item(
    item_id: str = "item-1", *, status: str = "completed", source: str = "agent"
) -> dict[str, Any]:
    return {
        "type": "commandExecution",
        "id": item_id,
        "command": "ls",
        "cwd": "/repo",
        "processId": None,
        "source": source,
        "status": status,
        "commandActions": [
            {"type": "read", "command": "cat a", "name": "a", "path": "/repo/a"},
            {"type": "listFiles", "command": "ls", "path": None},
            {"type": "search", "command": "rg x", "query": "x", "path": None},
            {"type": "unknown", "command": "make"},
            {"type": "read", "command": "cat b", "name": "b", "path": "/repo/b"},
        ],
        "aggregatedOutput": "",
        "exitCode": 0,
        "durationMs": 200,
    }


def command_approval_request(
    request_id: int | str = 41,
    *,
    item_id: str = "item-1",
    thread_id: str = "thread-1",
    started_at: int = 1_000,
    **extra: Any,
) -> Fact:
    params: dict[str, Any] = {
        "threadId": thread_id,
        "turnId": "turn-1",
        "itemId": item_id,
        "approvalId": None,
        "reason": None,
        "command": "rm -rf build",
        "cwd": "/repo",
        "startedAtMs": started_at,
    }
    params.update(extra)
    return {
        "fact": "server_request",
        "connection_id": 7,
        "request_id": request_id,
        "method": "item/commandExecution/requestApproval",
        "params": params,
    }


def server_response(
    request_id: int | str = 41,
    decision: Any = "accept",
    *,
    method: str = "item/commandExecution/requestApproval",
    completed_at: int = 1_100,
) -> Fact:
    return {
        "fact": "server_response",
        "completed_at_ms": completed_at,
        "request_id": request_id,
        "method": method,
        "result": {"decision": decision},
    }
