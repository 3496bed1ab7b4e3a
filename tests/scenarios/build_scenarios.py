"""Builders for the reducer scenario folders (the scenarios themselves: make_scenarios.py).

Every scenario is a list of facts (spec/facts.md shapes) and the events the reference reducer must
emit for them, written out by hand from spec/reducer.md and the upstream tests (openai/codex
codex-rs/analytics/src/analytics_client_tests.rs). The builders below only assemble JSON in wire
order; there is no reducer logic here apart from the accepted-line hashing of spec/reducer.md §5
(needed to spell out expected fingerprints).
"""

# ruff: noqa: E501
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

J = dict[str, Any]
HERE = Path(__file__).resolve().parent

DEFAULT_RUNTIME: J = {
    "codex_rs_version": "0.0.0",
    "runtime_os": "linux",
    "runtime_os_version": "6.1",
    "runtime_arch": "x86_64",
}
CLOCK = 1700000000


# --------------------------------------------------------------------------- shared pieces


def runtime(version: str, os: str, os_version: str, arch: str) -> J:
    return {
        "codex_rs_version": version,
        "runtime_os": os,
        "runtime_os_version": os_version,
        "runtime_arch": arch,
    }


RT_SAMPLE = runtime("0.1.0", "macos", "15.3.1", "aarch64")
RT_LINUX = runtime("0.99.0", "linux", "24.04", "x86_64")
RT_MAC99 = runtime("0.99.0", "macos", "15.3.1", "aarch64")
RT_GOLDEN = runtime("0.0.0", "macos", "26.4.0", "aarch64")


def client(pcid: str, name: str | None, version: str | None, transport: str, exp: bool | None) -> J:
    return {
        "product_client_id": pcid,
        "client_name": name,
        "client_version": version,
        "rpc_transport": transport,
        "experimental_api_enabled": exp,
    }


# --------------------------------------------------------------------------- facts


def f_initialize(
    conn: int,
    pcid: str,
    name: str,
    version: str,
    transport: str,
    exp: bool | None,
    rt: J,
) -> J:
    caps: J | None = None
    if exp is not None:
        caps = {"experimentalApi": exp}
    return {
        "fact": "initialize",
        "connection_id": conn,
        "product_client_id": pcid,
        "rpc_transport": transport,
        "runtime": rt,
        "params": {
            "clientInfo": {"name": name, "title": None, "version": version},
            "capabilities": caps,
        },
    }


def thread_obj(
    thread_id: str,
    *,
    ephemeral: bool = False,
    created_at: int = 1,
    source: Any = "exec",
    thread_source: str | None = "user",
) -> J:
    return {
        "id": thread_id,
        "forkedFromId": None,
        "preview": "first prompt",
        "ephemeral": ephemeral,
        "modelProvider": "openai",
        "createdAt": created_at,
        "updatedAt": created_at + 1,
        "status": {"type": "idle"},
        "path": None,
        "cwd": "/tmp",
        "cliVersion": "0.0.0",
        "source": source,
        "threadSource": thread_source,
        "agentNickname": None,
        "agentRole": None,
        "gitInfo": None,
        "name": None,
        "turns": [],
    }


def f_thread_response(
    conn: int,
    req: int | str,
    method: str,
    thread_id: str,
    *,
    model: str = "gpt-5",
    ephemeral: bool = False,
    created_at: int = 1,
    source: Any = "exec",
    thread_source: str | None = "user",
) -> J:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": req,
        "method": method,
        "result": {
            "thread": thread_obj(
                thread_id,
                ephemeral=ephemeral,
                created_at=created_at,
                source=source,
                thread_source=thread_source,
            ),
            "model": model,
            "modelProvider": "openai",
            "serviceTier": None,
            "cwd": "/tmp",
            "approvalPolicy": "on-failure",
            "approvalsReviewer": "user",
            "sandbox": {"type": "dangerFullAccess"},
            "reasoningEffort": None,
        },
    }


def spawn_source(parent: str, depth: int = 1) -> J:
    return {
        "thread_spawn": {
            "parent_thread_id": parent,
            "depth": depth,
            "agent_nickname": None,
            "agent_role": None,
        }
    }


def text_input(text: str) -> J:
    return {"type": "text", "text": text, "text_elements": []}


IMG = {"type": "image", "url": "https://example.com/a.png"}
LOCAL_IMG = {"type": "localImage", "path": "/tmp/a.png"}


def f_turn_start_request(conn: int, req: int | str, thread_id: str, inputs: list[J] | None = None) -> J:
    return {
        "fact": "client_request",
        "connection_id": conn,
        "request_id": req,
        "method": "turn/start",
        "params": {"threadId": thread_id, "input": inputs if inputs is not None else [text_input("hello"), IMG]},
    }


def turn_obj(
    turn_id: str,
    status: str = "inProgress",
    *,
    error: J | None = None,
    started_at: int | None = None,
    completed_at: int | None = None,
    duration_ms: int | None = None,
) -> J:
    return {
        "id": turn_id,
        "items": [],
        "status": status,
        "error": error,
        "startedAt": started_at,
        "completedAt": completed_at,
        "durationMs": duration_ms,
    }


def f_turn_start_response(conn: int, req: int | str, turn_id: str) -> J:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": req,
        "method": "turn/start",
        "result": {"turn": turn_obj(turn_id)},
    }


def f_steer_request(
    conn: int, req: int | str, thread_id: str, expected: str, inputs: list[J] | None = None
) -> J:
    return {
        "fact": "client_request",
        "connection_id": conn,
        "request_id": req,
        "method": "turn/steer",
        "params": {
            "threadId": thread_id,
            "expectedTurnId": expected,
            "input": inputs if inputs is not None else [text_input("more"), LOCAL_IMG],
        },
    }


def f_steer_response(conn: int, req: int | str, turn_id: str) -> J:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": req,
        "method": "turn/steer",
        "result": {"turnId": turn_id},
    }


def f_error_response(
    conn: int,
    req: int | str,
    error_type: J | None,
    *,
    code: int = -32600,
    message: str = "no active turn to steer",
    data: Any = None,
) -> J:
    err: J = {"code": code, "message": message}
    if data is not None:
        err["data"] = data
    return {
        "fact": "error_response",
        "connection_id": conn,
        "request_id": req,
        "error": err,
        "error_type": error_type,
    }


def f_notification(method: str, params: J) -> J:
    return {"fact": "notification", "method": method, "params": params}


def f_turn_started(thread_id: str, turn_id: str, started_at: int | None = 455) -> J:
    return f_notification(
        "turn/started", {"threadId": thread_id, "turn": turn_obj(turn_id, started_at=started_at)}
    )


def f_turn_completed(
    thread_id: str,
    turn_id: str,
    status: str = "completed",
    *,
    error_info: Any = None,
    completed_at: int | None = 456,
    duration_ms: int | None = 1234,
) -> J:
    error = None
    if error_info is not None:
        error = {"message": "turn failed", "codexErrorInfo": error_info, "additionalDetails": None}
    return f_notification(
        "turn/completed",
        {
            "threadId": thread_id,
            "turn": turn_obj(
                turn_id, status, error=error, completed_at=completed_at, duration_ms=duration_ms
            ),
        },
    )


def f_turn_diff(thread_id: str, turn_id: str, diff: str) -> J:
    return f_notification("turn/diff/updated", {"threadId": thread_id, "turnId": turn_id, "diff": diff})


def f_item_started(thread_id: str, turn_id: str, item: J, at: int = 1000) -> J:
    return f_notification(
        "item/started", {"item": item, "threadId": thread_id, "turnId": turn_id, "startedAtMs": at}
    )


def f_item_completed(thread_id: str, turn_id: str, item: J, at: int = 1042) -> J:
    return f_notification(
        "item/completed", {"item": item, "threadId": thread_id, "turnId": turn_id, "completedAtMs": at}
    )


PERM_READ_ONLY: J = {
    "type": "managed",
    "file_system": {
        "type": "restricted",
        "entries": [{"path": {"type": "special", "value": {"kind": "root"}}, "access": "read"}],
    },
    "network": "restricted",
}
PERM_WORKSPACE_WRITE: J = {
    "type": "managed",
    "file_system": {
        "type": "restricted",
        "entries": [
            {"path": {"type": "special", "value": {"kind": "root"}}, "access": "read"},
            {"path": {"type": "path", "path": "/tmp"}, "access": "write"},
        ],
    },
    "network": "restricted",
}
PERM_DISABLED: J = {"type": "disabled"}
PERM_EXTERNAL: J = {"type": "external", "network": "restricted"}
PERM_FULL_DISK_NET: J = {"type": "managed", "file_system": {"type": "unrestricted"}, "network": "enabled"}
PERM_FULL_DISK_NO_NET: J = {
    "type": "managed",
    "file_system": {"type": "unrestricted"},
    "network": "restricted",
}


def f_resolved_config(
    thread_id: str,
    turn_id: str,
    *,
    num_input_images: int = 1,
    ephemeral: bool = False,
    model: str = "gpt-5",
    permission_profile: J | None = None,
    reasoning_effort: str | None = None,
    reasoning_summary: str | None = None,
    service_tier: str | None = None,
    approval_policy: str = "on-request",
    approvals_reviewer: str = "auto_review",
    sandbox_network_access: bool = True,
    collaboration_mode: str = "plan",
    personality: str | None = None,
    is_first_turn: bool = True,
) -> J:
    return {
        "fact": "turn_resolved_config",
        "turn_id": turn_id,
        "thread_id": thread_id,
        "num_input_images": num_input_images,
        "submission_type": None,
        "ephemeral": ephemeral,
        "session_source": "exec",
        "model": model,
        "model_provider": "openai",
        "permission_profile": permission_profile if permission_profile is not None else PERM_READ_ONLY,
        "permission_profile_cwd": "/tmp",
        "reasoning_effort": reasoning_effort,
        "reasoning_summary": reasoning_summary,
        "service_tier": service_tier,
        "approval_policy": approval_policy,
        "approvals_reviewer": approvals_reviewer,
        "sandbox_network_access": sandbox_network_access,
        "collaboration_mode": collaboration_mode,
        "personality": personality,
        "is_first_turn": is_first_turn,
    }


TOKENS = (123, 45, 140, 13, 321)


def f_token_usage(thread_id: str, turn_id: str) -> J:
    i, c, o, r, t = TOKENS
    return {
        "fact": "turn_token_usage",
        "turn_id": turn_id,
        "thread_id": thread_id,
        "token_usage": {
            "input_tokens": i,
            "cached_input_tokens": c,
            "output_tokens": o,
            "reasoning_output_tokens": r,
            "total_tokens": t,
        },
    }


def f_compaction(
    thread_id: str,
    turn_id: str,
    trigger: str,
    reason: str,
    implementation: str,
    phase: str,
    strategy: str,
    status: str,
    error: str | None,
    before: int,
    after: int,
    started_at: int,
    completed_at: int,
    duration_ms: int | None,
) -> J:
    return {
        "fact": "compaction",
        "thread_id": thread_id,
        "turn_id": turn_id,
        "trigger": trigger,
        "reason": reason,
        "implementation": implementation,
        "phase": phase,
        "strategy": strategy,
        "status": status,
        "error": error,
        "active_context_tokens_before": before,
        "active_context_tokens_after": after,
        "started_at": started_at,
        "completed_at": completed_at,
        "duration_ms": duration_ms,
    }


COMPACTION_KEYS = list(f_compaction("", "", "", "", "", "", "", "", None, 0, 0, 0, 0, None).keys())[1:]


def guardian_params(
    thread_id: str,
    turn_id: str,
    review_id: str,
    target_item_id: str | None,
    **overrides: Any,
) -> J:
    p: J = {
        "thread_id": thread_id,
        "turn_id": turn_id,
        "review_id": review_id,
        "target_item_id": target_item_id,
        "approval_request_source": "delegated_subagent",
        "reviewed_action": {"type": "network_access", "protocol": "https", "port": 443},
        "reviewed_action_truncated": False,
        "decision": "denied",
        "terminal_status": "timed_out",
        "failure_reason": "timeout",
        "risk_level": None,
        "user_authorization": None,
        "outcome": None,
        "guardian_thread_id": None,
        "guardian_session_kind": None,
        "guardian_model": None,
        "guardian_reasoning_effort": None,
        "had_prior_review_context": None,
        "review_timeout_ms": 90000,
        "tool_call_count": None,
        "time_to_first_token_ms": None,
        "completion_latency_ms": 90000,
        "started_at": 100,
        "completed_at": 190,
        "input_tokens": None,
        "cached_input_tokens": None,
        "output_tokens": None,
        "reasoning_output_tokens": None,
        "total_tokens": None,
    }
    for k, v in overrides.items():
        assert k in p, k
        p[k] = v
    return p


def f_guardian_review(params: J) -> J:
    return {"fact": "guardian_review", **params}


def f_subagent(
    thread_id: str,
    parent_thread_id: str | None,
    subagent_source: Any,
    created_at: int,
    *,
    pcid: str = "codex-tui",
    name: str = "codex-tui",
    version: str = "1.0.0",
    model: str = "gpt-5",
    ephemeral: bool = False,
) -> J:
    return {
        "fact": "subagent_thread_started",
        "thread_id": thread_id,
        "parent_thread_id": parent_thread_id,
        "product_client_id": pcid,
        "client_name": name,
        "client_version": version,
        "model": model,
        "ephemeral": ephemeral,
        "subagent_source": subagent_source,
        "created_at": created_at,
    }


def f_server_request(conn: int, req: int | str, method: str, params: J) -> J:
    return {"fact": "server_request", "connection_id": conn, "request_id": req, "method": method, "params": params}


def cmd_approval_params(
    *,
    thread_id: str = "thread-1",
    turn_id: str = "turn-1",
    item_id: str = "item-1",
    started_at_ms: int = 1000,
    **extra: Any,
) -> J:
    p: J = {
        "threadId": thread_id,
        "turnId": turn_id,
        "itemId": item_id,
        "startedAtMs": started_at_ms,
        "command": "echo hi",
        "cwd": "/tmp",
    }
    p.update(extra)
    return p


def f_cmd_approval(conn: int, req: int | str, **kw: Any) -> J:
    return f_server_request(conn, req, "item/commandExecution/requestApproval", cmd_approval_params(**kw))


def f_file_approval(
    conn: int,
    req: int | str,
    *,
    thread_id: str = "thread-1",
    turn_id: str = "turn-1",
    item_id: str = "patch-1",
    started_at_ms: int = 1000,
    grant_root: str | None = None,
) -> J:
    p: J = {"threadId": thread_id, "turnId": turn_id, "itemId": item_id, "startedAtMs": started_at_ms, "reason": None}
    if grant_root is not None:
        p["grantRoot"] = grant_root
    return f_server_request(conn, req, "item/fileChange/requestApproval", p)


def f_permissions_approval(
    conn: int,
    req: int | str,
    permissions: J,
    *,
    thread_id: str = "thread-1",
    turn_id: str = "turn-1",
    item_id: str = "permissions-1",
    started_at_ms: int = 1000,
) -> J:
    return f_server_request(
        conn,
        req,
        "item/permissions/requestApproval",
        {
            "threadId": thread_id,
            "turnId": turn_id,
            "itemId": item_id,
            "startedAtMs": started_at_ms,
            "cwd": "/tmp",
            "reason": "need network",
            "permissions": permissions,
        },
    )


def f_server_response(req: int | str, method: str, decision: Any, at: int = 1042) -> J:
    return {
        "fact": "server_response",
        "completed_at_ms": at,
        "request_id": req,
        "method": method,
        "result": {"decision": decision},
    }


CMD_APPROVAL = "item/commandExecution/requestApproval"
FILE_APPROVAL = "item/fileChange/requestApproval"
PERM_APPROVAL = "item/permissions/requestApproval"


def f_effective_permissions(req: int | str, permissions: J, scope: str, at: int = 1042) -> J:
    return {
        "fact": "effective_permissions_approval_response",
        "completed_at_ms": at,
        "request_id": req,
        "response": {"permissions": permissions, "scope": scope},
    }


def f_aborted(req: int | str, at: int = 1042) -> J:
    return {"fact": "server_request_aborted", "completed_at_ms": at, "request_id": req}


def f_guardian_notification(
    review_id: str,
    target_item_id: str | None,
    status: str,
    action: J,
    *,
    thread_id: str = "thread-1",
    turn_id: str = "turn-1",
    started_at_ms: int = 1000,
    completed_at_ms: int = 1042,
) -> J:
    return f_notification(
        "item/autoApprovalReview/completed",
        {
            "threadId": thread_id,
            "turnId": turn_id,
            "startedAtMs": started_at_ms,
            "completedAtMs": completed_at_ms,
            "reviewId": review_id,
            "targetItemId": target_item_id,
            "review": {"status": status, "riskLevel": None, "userAuthorization": None, "rationale": None},
            "action": action,
        },
    )


G_COMMAND: J = {"type": "command", "source": "shell", "command": "echo hi", "cwd": "/tmp"}


def tracking(thread_id: str = "thread-1", turn_id: str = "turn-1", model: str = "gpt-5") -> J:
    return {"model_slug": model, "thread_id": thread_id, "turn_id": turn_id}


def f_skill(track: J, invocations: list[J]) -> J:
    return {"fact": "skill_invoked", "tracking": track, "invocations": invocations}


def skill_inv(name: str, scope: str, path: str, plugin_id: str | None = None, inv: str = "explicit") -> J:
    return {
        "skill_name": name,
        "skill_scope": scope,
        "skill_path": path,
        "plugin_id": plugin_id,
        "invocation_type": inv,
    }


def app_inv(connector_id: str | None, app_name: str | None, inv: str | None) -> J:
    return {"connector_id": connector_id, "app_name": app_name, "invocation_type": inv}


def plugin_meta(remote: str | None = None, with_summary: bool = True) -> J:
    return {
        "plugin_id": {"plugin_name": "sample", "marketplace_name": "test"},
        "remote_plugin_id": remote,
        "capability_summary": {
            "has_skills": True,
            "mcp_server_names": ["mcp-1", "mcp-2"],
            "app_connector_ids": ["calendar", "drive"],
        }
        if with_summary
        else None,
    }


def f_hook(track: J, event_name: str, source: str, status: str) -> J:
    return {
        "fact": "hook_run",
        "tracking": track,
        "hook": {"event_name": event_name, "hook_source": source, "status": status},
    }


# --------------------------------------------------------------------------- thread items


def cmd_item(
    item_id: str = "item-1",
    status: str = "inProgress",
    *,
    exit_code: int | None = None,
    duration_ms: int | None = None,
    source: str = "agent",
    actions: list[J] | None = None,
) -> J:
    return {
        "type": "commandExecution",
        "id": item_id,
        "command": "echo hi",
        "cwd": "/tmp",
        "processId": "pid-1",
        "source": source,
        "status": status,
        "commandActions": actions if actions is not None else [],
        "aggregatedOutput": None,
        "exitCode": exit_code,
        "durationMs": duration_ms,
    }


FOUR_ACTIONS: list[J] = [
    {"type": "read", "command": "cat README.md", "name": "README.md", "path": "/tmp/README.md"},
    {"type": "listFiles", "command": "ls", "path": None},
    {"type": "search", "command": "rg TODO", "query": "TODO", "path": None},
    {"type": "unknown", "command": "cargo test"},
]


def file_item(item_id: str, status: str, changes: list[J]) -> J:
    return {"type": "fileChange", "id": item_id, "changes": changes, "status": status}


def change(path: str, kind: str, move_path: str | None = None) -> J:
    k: J = {"type": kind}
    if kind == "update":
        k["move_path"] = move_path
    return {"path": path, "kind": k, "diff": ""}


def mcp_item(item_id: str, status: str, *, error: J | None = None, duration_ms: int | None = 2) -> J:
    return {
        "type": "mcpToolCall",
        "id": item_id,
        "server": "docs",
        "tool": "search",
        "status": status,
        "arguments": {"q": "codex"},
        "result": None if error is not None or status == "inProgress" else {"content": [], "structuredContent": None},
        "error": error,
        "durationMs": duration_ms,
    }


def dyn_item(item_id: str, status: str, content_items: list[J] | None, success: bool | None, duration_ms: int | None) -> J:
    return {
        "type": "dynamicToolCall",
        "id": item_id,
        "tool": "render",
        "arguments": {},
        "status": status,
        "contentItems": content_items,
        "success": success,
        "durationMs": duration_ms,
    }


def collab_item(
    item_id: str,
    tool: str,
    status: str,
    receivers: list[str],
    states: J,
    *,
    model: str | None = None,
    effort: str | None = None,
) -> J:
    return {
        "type": "collabAgentToolCall",
        "id": item_id,
        "tool": tool,
        "status": status,
        "senderThreadId": "thread-1",
        "receiverThreadIds": receivers,
        "prompt": "help",
        "model": model,
        "reasoningEffort": effort,
        "agentsStates": states,
    }


def web_item(item_id: str, query: str, action: J | None) -> J:
    return {"type": "webSearch", "id": item_id, "query": query, "action": action}


def image_item(item_id: str, status: str, revised_prompt: str | None, saved_path: str | None) -> J:
    item: J = {
        "type": "imageGeneration",
        "id": item_id,
        "status": status,
        "revisedPrompt": revised_prompt,
        "result": "aGVsbG8=",
    }
    if saved_path is not None:
        item["savedPath"] = saved_path
    return item


# --------------------------------------------------------------------------- events


def ev(event_type: str, params: J) -> J:
    return {"event_type": event_type, "event_params": params}


def e_thread_init(
    thread_id: str,
    cl: J,
    rt: J,
    *,
    model: str = "gpt-5",
    ephemeral: bool = False,
    thread_source: str | None = "user",
    mode: str = "new",
    subagent_source: str | None = None,
    parent: str | None = None,
    created_at: int = 1,
) -> J:
    return ev(
        "codex_thread_initialized",
        {
            "thread_id": thread_id,
            "app_server_client": cl,
            "runtime": rt,
            "model": model,
            "ephemeral": ephemeral,
            "thread_source": thread_source,
            "initialization_mode": mode,
            "subagent_source": subagent_source,
            "parent_thread_id": parent,
            "created_at": created_at,
        },
    )


def lineage(thread_source: str | None = "user", subagent_source: str | None = None, parent: str | None = None) -> J:
    return {"thread_source": thread_source, "subagent_source": subagent_source, "parent_thread_id": parent}


USER = lineage()


def e_turn(
    thread_id: str,
    turn_id: str,
    cl: J,
    rt: J,
    *,
    lin: J | None = None,
    mode: str = "new",
    ephemeral: bool = False,
    model: str = "gpt-5",
    sandbox_policy: str = "read_only",
    reasoning_effort: str | None = None,
    reasoning_summary: str | None = None,
    service_tier: str = "default",
    approval_policy: str = "on-request",
    approvals_reviewer: str = "auto_review",
    sandbox_network_access: bool = True,
    collaboration_mode: str = "plan",
    personality: str | None = None,
    num_input_images: int = 1,
    is_first_turn: bool = True,
    status: str | None = "completed",
    turn_error: Any = None,
    steer_count: int = 0,
    tokens: bool = True,
    duration_ms: int | None = 1234,
    started_at: int | None = 455,
    completed_at: int = 456,
) -> J:
    lin = lin if lin is not None else USER
    i, c, o, r, t = TOKENS if tokens else (None, None, None, None, None)
    return ev(
        "codex_turn_event",
        {
            "thread_id": thread_id,
            "turn_id": turn_id,
            "submission_type": None,
            "app_server_client": cl,
            "runtime": rt,
            "ephemeral": ephemeral,
            "thread_source": lin["thread_source"],
            "initialization_mode": mode,
            "subagent_source": lin["subagent_source"],
            "parent_thread_id": lin["parent_thread_id"],
            "model": model,
            "model_provider": "openai",
            "sandbox_policy": sandbox_policy,
            "reasoning_effort": reasoning_effort,
            "reasoning_summary": reasoning_summary,
            "service_tier": service_tier,
            "approval_policy": approval_policy,
            "approvals_reviewer": approvals_reviewer,
            "sandbox_network_access": sandbox_network_access,
            "collaboration_mode": collaboration_mode,
            "personality": personality,
            "num_input_images": num_input_images,
            "is_first_turn": is_first_turn,
            "status": status,
            "turn_error": turn_error,
            "steer_count": steer_count,
            "total_tool_call_count": None,
            "shell_command_count": None,
            "file_change_count": None,
            "mcp_tool_call_count": None,
            "dynamic_tool_call_count": None,
            "subagent_tool_call_count": None,
            "web_search_count": None,
            "image_generation_count": None,
            "input_tokens": i,
            "cached_input_tokens": c,
            "output_tokens": o,
            "reasoning_output_tokens": r,
            "total_tokens": t,
            "duration_ms": duration_ms,
            "started_at": started_at,
            "completed_at": completed_at,
        },
    )


def e_steer(
    thread_id: str,
    expected: str,
    accepted: str | None,
    cl: J,
    rt: J,
    *,
    lin: J | None = None,
    num_input_images: int = 1,
    result: str = "accepted",
    rejection_reason: str | None = None,
) -> J:
    lin = lin if lin is not None else USER
    return ev(
        "codex_turn_steer_event",
        {
            "thread_id": thread_id,
            "expected_turn_id": expected,
            "accepted_turn_id": accepted,
            "app_server_client": cl,
            "runtime": rt,
            "thread_source": lin["thread_source"],
            "subagent_source": lin["subagent_source"],
            "parent_thread_id": lin["parent_thread_id"],
            "num_input_images": num_input_images,
            "result": result,
            "rejection_reason": rejection_reason,
            "created_at": CLOCK,
        },
    )


def tool_base(
    thread_id: str,
    turn_id: str,
    item_id: str,
    cl: J,
    rt: J,
    tool_name: str,
    *,
    lin: J | None = None,
    started: int = 1000,
    completed: int = 1042,
    execution_duration_ms: int | None = None,
    reviews: tuple[int, int, int] = (0, 0, 0),
    outcome: str = "unknown",
    terminal_status: str = "completed",
    failure_kind: str | None = None,
    additional: bool = False,
    network: bool = False,
) -> J:
    lin = lin if lin is not None else USER
    duration = completed - started
    return {
        "thread_id": thread_id,
        "turn_id": turn_id,
        "item_id": item_id,
        "app_server_client": cl,
        "runtime": rt,
        "thread_source": lin["thread_source"],
        "subagent_source": lin["subagent_source"],
        "parent_thread_id": lin["parent_thread_id"],
        "tool_name": tool_name,
        "started_at_ms": started,
        "completed_at_ms": completed,
        "duration_ms": duration if duration >= 0 else None,
        "execution_duration_ms": execution_duration_ms,
        "review_count": reviews[0],
        "guardian_review_count": reviews[1],
        "user_review_count": reviews[2],
        "final_approval_outcome": outcome,
        "terminal_status": terminal_status,
        "failure_kind": failure_kind,
        "requested_additional_permissions": additional,
        "requested_network_access": network,
    }


def e_cmd(base: J, *, source: str = "agent", exit_code: int | None = 0, actions: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)) -> J:
    total, read, lst, search, unknown = actions
    return ev(
        "codex_command_execution_event",
        {
            **base,
            "command_execution_source": source,
            "exit_code": exit_code,
            "command_total_action_count": total,
            "command_read_action_count": read,
            "command_list_files_action_count": lst,
            "command_search_action_count": search,
            "command_unknown_action_count": unknown,
        },
    )


def e_file(base: J, counts: tuple[int, int, int, int, int]) -> J:
    total, add, update, delete, move = counts
    return ev(
        "codex_file_change_event",
        {
            **base,
            "file_change_count": total,
            "file_add_count": add,
            "file_update_count": update,
            "file_delete_count": delete,
            "file_move_count": move,
        },
    )


def e_mcp(base: J, error_present: bool) -> J:
    return ev(
        "codex_mcp_tool_call_event",
        {**base, "mcp_server_name": "docs", "mcp_tool_name": "search", "mcp_error_present": error_present},
    )


def e_dyn(base: J, success: bool | None, counts: tuple[int | None, int | None, int | None]) -> J:
    return ev(
        "codex_dynamic_tool_call_event",
        {
            **base,
            "dynamic_tool_name": "render",
            "success": success,
            "output_content_item_count": counts[0],
            "output_text_item_count": counts[1],
            "output_image_item_count": counts[2],
        },
    )


def e_collab(
    base: J,
    receivers: list[str],
    *,
    model: str | None,
    effort: str | None,
    states: tuple[int, int, int],
) -> J:
    return ev(
        "codex_collab_agent_tool_call_event",
        {
            **base,
            "sender_thread_id": "thread-1",
            "receiver_thread_count": len(receivers),
            "receiver_thread_ids": receivers,
            "requested_model": model,
            "requested_reasoning_effort": effort,
            "agent_state_count": states[0],
            "completed_agent_count": states[1],
            "failed_agent_count": states[2],
        },
    )


def e_web(base: J, action: str | None, query_present: bool, query_count: int | None) -> J:
    return ev(
        "codex_web_search_event",
        {**base, "web_search_action": action, "query_present": query_present, "query_count": query_count},
    )


def e_image(base: J, revised: bool, saved: bool) -> J:
    return ev(
        "codex_image_generation_event",
        {**base, "revised_prompt_present": revised, "saved_path_present": saved},
    )


def e_review(
    thread_id: str,
    turn_id: str,
    item_id: str | None,
    review_id: str,
    cl: J,
    rt: J,
    *,
    lin: J | None = None,
    subject_kind: str = "command_execution",
    subject_name: str = "command_execution",
    reviewer: str = "user",
    trigger: str = "initial",
    status: str = "approved",
    resolution: str = "none",
    started: int = 1000,
    completed: int = 1042,
) -> J:
    lin = lin if lin is not None else USER
    duration = completed - started
    return ev(
        "codex_review_event",
        {
            "thread_id": thread_id,
            "turn_id": turn_id,
            "item_id": item_id,
            "review_id": review_id,
            "app_server_client": cl,
            "runtime": rt,
            "thread_source": lin["thread_source"],
            "subagent_source": lin["subagent_source"],
            "parent_thread_id": lin["parent_thread_id"],
            "subject_kind": subject_kind,
            "subject_name": subject_name,
            "reviewer": reviewer,
            "trigger": trigger,
            "status": status,
            "resolution": resolution,
            "started_at_ms": started,
            "completed_at_ms": completed,
            "duration_ms": duration if duration >= 0 else None,
        },
    )


def e_compaction(fact: J, cl: J, rt: J, lin: J | None = None) -> J:
    lin = lin if lin is not None else USER
    params: J = {
        "thread_id": fact["thread_id"],
        "turn_id": fact["turn_id"],
        "app_server_client": cl,
        "runtime": rt,
        "thread_source": lin["thread_source"],
        "subagent_source": lin["subagent_source"],
        "parent_thread_id": lin["parent_thread_id"],
    }
    for k in COMPACTION_KEYS[2:]:
        params[k] = fact[k]
    return ev("codex_compaction_event", params)


def e_guardian(params: J, cl: J, rt: J) -> J:
    return ev("codex_guardian_review", {"app_server_client": cl, "runtime": rt, **params})


def e_accepted(
    thread_id: str,
    turn_id: str,
    model: str,
    repo_hash: str | None,
    added: int,
    deleted: int,
    fingerprints: list[J],
    completed_at: int = CLOCK,
) -> J:
    return ev(
        "codex_accepted_line_fingerprints",
        {
            "event_type": "codex.accepted_line_fingerprints",
            "turn_id": turn_id,
            "thread_id": thread_id,
            "product_surface": "codex",
            "model_slug": model,
            "completed_at": completed_at,
            "repo_hash": repo_hash,
            "accepted_added_lines": added,
            "accepted_deleted_lines": deleted,
            "line_fingerprints": fingerprints,
        },
    )


def e_skill(skill_id: str, name: str, pcid: str, scope: str, plugin_id: str | None, repo_url: str | None, track: J, inv: str) -> J:
    return {
        "event_type": "skill_invocation",
        "skill_id": skill_id,
        "skill_name": name,
        "event_params": {
            "product_client_id": pcid,
            "skill_scope": scope,
            "plugin_id": plugin_id,
            "repo_url": repo_url,
            "thread_id": track["thread_id"],
            "turn_id": track["turn_id"],
            "invoke_type": inv,
            "model_slug": track["model_slug"],
        },
    }


def e_app(event_type: str, app: J, track: J, pcid: str = "codex_cli_rs") -> J:
    return ev(
        event_type,
        {
            "connector_id": app["connector_id"],
            "thread_id": track["thread_id"],
            "turn_id": track["turn_id"],
            "app_name": app["app_name"],
            "product_client_id": pcid,
            "invoke_type": app["invocation_type"],
            "model_slug": track["model_slug"],
        },
    )


def e_hook(track: J, hook_name: str, source: str, status: str) -> J:
    return ev(
        "codex_hook_run",
        {
            "thread_id": track["thread_id"],
            "turn_id": track["turn_id"],
            "model_slug": track["model_slug"],
            "hook_name": hook_name,
            "hook_source": source,
            "status": status,
        },
    )


def plugin_params(plugin: J, pcid: str = "codex_cli_rs") -> J:
    summary = plugin["capability_summary"]
    pid = plugin["plugin_id"]
    return {
        "plugin_id": plugin["remote_plugin_id"] or f"{pid['plugin_name']}@{pid['marketplace_name']}",
        "plugin_name": pid["plugin_name"],
        "marketplace_name": pid["marketplace_name"],
        "has_skills": summary["has_skills"] if summary else None,
        "mcp_server_count": len(summary["mcp_server_names"]) if summary else None,
        "connector_ids": list(summary["app_connector_ids"]) if summary else None,
        "product_client_id": pcid,
    }


def e_plugin_used(plugin: J, track: J, pcid: str = "codex_cli_rs") -> J:
    return ev(
        "codex_plugin_used",
        {
            **plugin_params(plugin, pcid),
            "thread_id": track["thread_id"],
            "turn_id": track["turn_id"],
            "model_slug": track["model_slug"],
        },
    )


def e_plugin_state(state: str, plugin: J, pcid: str = "codex_cli_rs") -> J:
    return ev(f"codex_plugin_{state}", plugin_params(plugin, pcid))


# ---------------------------------------------------------------------- accepted lines (spec/reducer.md §5)


def line_hash(domain: str, value: str) -> str:
    return hashlib.sha1(b"file-line-v1\x00" + domain.encode() + b"\x00" + value.encode()).hexdigest()


def _norm_path(raw: str) -> str | None:
    p = raw.strip()
    if p == "/dev/null":
        return None
    if p.startswith("b/"):
        return p[2:]
    if p.startswith("a/"):
        return p[2:]
    return p


def _effective(line: str) -> str | None:
    # Fixture inputs are ASCII only, so str.split() matches Rust's whitespace here.
    norm = " ".join(line.split())
    if len(norm.encode()) <= 3:
        return None
    if not any(ch.isalnum() or ch == "_" for ch in norm):
        return None
    return norm


def parse_diff(diff: str) -> tuple[int, int, list[J]]:
    added = deleted = 0
    fps: list[J] = []
    path: str | None = None
    in_hunk = False
    lines = diff.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for raw in lines:
        line = raw[:-1] if raw.endswith("\r") else raw
        if line.startswith("diff --git "):
            path, in_hunk = None, False
        elif line.startswith("@@ "):
            in_hunk = True
        elif not in_hunk and line.startswith("+++ "):
            path = _norm_path(line[4:])
        elif not in_hunk and line.startswith("--- "):
            continue
        elif line.startswith("+"):
            added += 1
            eff = _effective(line[1:])
            if path is not None and eff is not None:
                fps.append({"path_hash": line_hash("path", path), "line_hash": line_hash("line", eff)})
        elif line.startswith("-"):
            deleted += 1
    return added, deleted, fps


def chunk_fingerprints(fps: list[J]) -> list[list[J]]:
    if not fps:
        return [[]]
    chunks: list[list[J]] = []
    cur: list[J] = []
    size = 1024
    for fp in fps:
        cost = 32 + len(fp["path_hash"]) + len(fp["line_hash"])
        sep = 1 if cur else 0
        if cur and size + sep + cost > 2_097_152:
            chunks.append(cur)
            cur, size, sep = [], 1024, 0
        cur.append(fp)
        size += sep + cost
    chunks.append(cur)
    return chunks


def e_accepted_all(
    thread_id: str, turn_id: str, model: str, repo_hash: str | None, diff: str, completed_at: int = CLOCK
) -> list[J]:
    added, deleted, fps = parse_diff(diff)
    if added == 0 and deleted == 0:
        return []
    out = []
    for i, chunk in enumerate(chunk_fingerprints(fps)):
        out.append(
            e_accepted(
                thread_id, turn_id, model, repo_hash, added if i == 0 else 0, deleted if i == 0 else 0, chunk, completed_at
            )
        )
    return out


def skill_id(prefix: str, path: str, name: str) -> str:
    return hashlib.sha1(f"{prefix}_{path}_{name}".encode()).hexdigest()


# --------------------------------------------------------------------------- registry


class Scenario:
    def __init__(
        self,
        name: str,
        readme: str,
        facts: list[J],
        events: list[J],
        config: J | None = None,
        drops: dict[str, int] | None = None,
    ) -> None:
        self.name = name
        self.readme = readme
        self.facts = facts
        self.events = events
        self.config = config
        self.drops = drops


SCENARIOS: list[Scenario] = []


def scenario(
    name: str,
    readme: str,
    facts: list[J],
    events: list[J],
    config: J | None = None,
    drops: dict[str, int] | None = None,
) -> None:
    assert all(s.name != name for s in SCENARIOS), name
    SCENARIOS.append(Scenario(name, readme, facts, events, config, drops))


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def write_all(root: Path) -> None:
    for s in SCENARIOS:
        d = root / s.name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        (d / "facts.ndjson").write_text("".join(dumps(f) + "\n" for f in s.facts), encoding="utf-8")
        (d / "events.ndjson").write_text("".join(dumps(e) + "\n" for e in s.events), encoding="utf-8")
        if s.config is not None:
            (d / "config.json").write_text(json.dumps(s.config, indent=2) + "\n", encoding="utf-8")
        if s.drops is not None:
            (d / "drops.json").write_text(json.dumps(s.drops, indent=2) + "\n", encoding="utf-8")
        (d / "README.md").write_text(f"# {s.name}\n\n{s.readme.strip()}\n", encoding="utf-8")
