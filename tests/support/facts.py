"""The one fact builder: every reducer input fact (shapes of spec/facts.md) and the pieces
facts carry, for the reducer tests, the scenario builder (tests/scenarios), the golden cases and
the benchmarks.

`f_<kind>(...)` builds one fact; its positional parameters are the values a test usually varies,
and the facts of a session (initialize, thread, turn, steer, item, approval) default them all, so
`f_thread_response()` is a complete thread/start response for thread-1 on connection 7. Thread
items (`cmd_item`, `file_item`, ...) and the values facts hold (runtimes, permission profiles,
guardian actions) are here too, since expected events repeat them.
"""

from __future__ import annotations

from typing import Any

J = dict[str, Any]


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
    """The `app_server_client` object events carry for a connection (what initialize declared)."""
    return {
        "product_client_id": pcid,
        "client_name": name,
        "client_version": version,
        "rpc_transport": transport,
        "experimental_api_enabled": exp,
    }


# The client and runtime `f_initialize()` declares by default, as events carry them.
DEFAULT_CLIENT = client("codex_vscode", "codex-vscode", "1.2.3", "stdio", True)
DEFAULT_CONN_RUNTIME = RT_MAC99


# --------------------------------------------------------------------------- facts


def f_initialize(
    conn: int = 7,
    pcid: str = "codex_vscode",
    name: str = "codex-vscode",
    version: str = "1.2.3",
    transport: str = "stdio",
    exp: bool | None = True,
    rt: J = DEFAULT_CONN_RUNTIME,
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
    conn: int = 7,
    req: int | str = 1,
    method: str = "thread/start",
    thread_id: str = "thread-1",
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


def f_turn_start_request(
    conn: int = 7, req: int | str = 3, thread_id: str = "thread-1", inputs: list[J] | None = None
) -> J:
    return {
        "fact": "client_request",
        "connection_id": conn,
        "request_id": req,
        "method": "turn/start",
        "params": {
            "threadId": thread_id,
            "input": inputs if inputs is not None else [text_input("hello"), IMG],
        },
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


def f_turn_start_response(conn: int = 7, req: int | str = 3, turn_id: str = "turn-1") -> J:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": req,
        "method": "turn/start",
        "result": {"turn": turn_obj(turn_id)},
    }


def f_steer_request(
    conn: int = 7,
    req: int | str = 4,
    thread_id: str = "thread-1",
    expected: str = "turn-1",
    inputs: list[J] | None = None,
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


def f_steer_response(conn: int = 7, req: int | str = 4, turn_id: str = "turn-1") -> J:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": req,
        "method": "turn/steer",
        "result": {"turnId": turn_id},
    }


def f_error_response(
    conn: int = 7,
    req: int | str = 4,
    error_type: J | None = None,
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


def f_turn_started(
    thread_id: str = "thread-1", turn_id: str = "turn-1", started_at: int | None = 455
) -> J:
    return f_notification(
        "turn/started", {"threadId": thread_id, "turn": turn_obj(turn_id, started_at=started_at)}
    )


def f_turn_completed(
    thread_id: str = "thread-1",
    turn_id: str = "turn-1",
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


def f_turn_diff(thread_id: str = "thread-1", turn_id: str = "turn-1", diff: str = "") -> J:
    return f_notification(
        "turn/diff/updated", {"threadId": thread_id, "turnId": turn_id, "diff": diff}
    )


def f_item_started(
    thread_id: str = "thread-1", turn_id: str = "turn-1", item: J | None = None, at: int = 1000
) -> J:
    """item/started; the item defaults to a command in progress (`cmd_item()`)."""
    item = cmd_item() if item is None else item
    return f_notification(
        "item/started", {"item": item, "threadId": thread_id, "turnId": turn_id, "startedAtMs": at}
    )


def f_item_completed(
    thread_id: str = "thread-1", turn_id: str = "turn-1", item: J | None = None, at: int = 1042
) -> J:
    """item/completed; the item defaults to the same command, completed (`DONE_CMD`)."""
    item = DONE_CMD if item is None else item
    return f_notification(
        "item/completed",
        {"item": item, "threadId": thread_id, "turnId": turn_id, "completedAtMs": at},
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
PERM_FULL_DISK_NET: J = {
    "type": "managed",
    "file_system": {"type": "unrestricted"},
    "network": "enabled",
}
PERM_FULL_DISK_NO_NET: J = {
    "type": "managed",
    "file_system": {"type": "unrestricted"},
    "network": "restricted",
}


def f_resolved_config(
    thread_id: str = "thread-1",
    turn_id: str = "turn-1",
    *,
    num_input_images: int = 1,
    submission_type: str | None = None,
    ephemeral: bool = False,
    session_source: str = "exec",
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
        "submission_type": submission_type,
        "ephemeral": ephemeral,
        "session_source": session_source,
        "model": model,
        "model_provider": "openai",
        "permission_profile": permission_profile
        if permission_profile is not None
        else PERM_READ_ONLY,
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


def f_token_usage(thread_id: str = "thread-1", turn_id: str = "turn-1") -> J:
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


COMPACTION_KEYS = list(f_compaction("", "", "", "", "", "", "", "", None, 0, 0, 0, 0, None).keys())[
    1:
]


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


CMD_APPROVAL = "item/commandExecution/requestApproval"
FILE_APPROVAL = "item/fileChange/requestApproval"
PERM_APPROVAL = "item/permissions/requestApproval"


def f_server_request(conn: int, req: int | str, method: str, params: J) -> J:
    return {
        "fact": "server_request",
        "connection_id": conn,
        "request_id": req,
        "method": method,
        "params": params,
    }


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


def f_cmd_approval(conn: int = 7, req: int | str = 41, **kw: Any) -> J:
    return f_server_request(conn, req, CMD_APPROVAL, cmd_approval_params(**kw))


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
    p: J = {
        "threadId": thread_id,
        "turnId": turn_id,
        "itemId": item_id,
        "startedAtMs": started_at_ms,
        "reason": None,
    }
    if grant_root is not None:
        p["grantRoot"] = grant_root
    return f_server_request(conn, req, FILE_APPROVAL, p)


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
        PERM_APPROVAL,
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


def f_server_response(
    req: int | str = 41, method: str = CMD_APPROVAL, decision: Any = "accept", at: int = 1042
) -> J:
    return {
        "fact": "server_response",
        "completed_at_ms": at,
        "request_id": req,
        "method": method,
        "result": {"decision": decision},
    }


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
            "review": {
                "status": status,
                "riskLevel": None,
                "userAuthorization": None,
                "rationale": None,
            },
            "action": action,
        },
    )


G_COMMAND: J = {"type": "command", "source": "shell", "command": "echo hi", "cwd": "/tmp"}


def tracking(thread_id: str = "thread-1", turn_id: str = "turn-1", model: str = "gpt-5") -> J:
    return {"model_slug": model, "thread_id": thread_id, "turn_id": turn_id}


def f_skill(track: J, invocations: list[J]) -> J:
    return {"fact": "skill_invoked", "tracking": track, "invocations": invocations}


def skill_inv(
    name: str, scope: str, path: str, plugin_id: str | None = None, inv: str = "explicit"
) -> J:
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


def f_app_mentioned(track: J, mentions: list[J]) -> J:
    return {"fact": "app_mentioned", "tracking": track, "mentions": mentions}


def f_app_used(track: J, app: J) -> J:
    return {"fact": "app_used", "tracking": track, "app": app}


def f_plugin_used(track: J, plugin: J) -> J:
    return {"fact": "plugin_used", "tracking": track, "plugin": plugin}


def f_plugin_state(plugin: J, state: str) -> J:
    return {"fact": "plugin_state_changed", "plugin": plugin, "state": state}


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


def mcp_item(
    item_id: str, status: str, *, error: J | None = None, duration_ms: int | None = 2
) -> J:
    return {
        "type": "mcpToolCall",
        "id": item_id,
        "server": "docs",
        "tool": "search",
        "status": status,
        "arguments": {"q": "codex"},
        "result": None
        if error is not None or status == "inProgress"
        else {"content": [], "structuredContent": None},
        "error": error,
        "durationMs": duration_ms,
    }


def dyn_item(
    item_id: str,
    status: str,
    content_items: list[J] | None,
    success: bool | None,
    duration_ms: int | None,
) -> J:
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


# The command `f_item_completed()` completes by default.
DONE_CMD = cmd_item("item-1", "completed", exit_code=0, duration_ms=42)


# --------------------------------------------------------------------------- after the pin
# The facts and fields upstream added after the pin (spec/facts.md, spec/reducer.md §12).

PROFILE: J = {
    "before_first_sampling_ms": 100,
    "sampling_ms": 700,
    "compaction_ms": 40,
    "between_sampling_overhead_ms": 50,
    "tool_blocking_ms": 250,
    "after_last_sampling_ms": 94,
    "sampling_request_count": 2,
    "sampling_retry_count": 1,
}


def f_thread_started(
    conn: int = 7,
    req: int | str = 1,
    thread_id: str = "thread-1",
    *,
    originator: str | None = None,
    parent: str | None = None,
) -> J:
    """A thread/start response of the newest protocol: the thread carries `sessionId`
    (`session-<thread id>`) and `parentThreadId`; `thread_originator` when given."""
    fact = f_thread_response(conn, req, "thread/start", thread_id)
    thread = fact["result"]["thread"]
    thread["sessionId"] = f"session-{thread_id}"
    thread["parentThreadId"] = parent
    if originator is not None:
        fact["thread_originator"] = originator
    return fact


def f_turn_profile(turn_id: str = "turn-1", profile: J | None = None) -> J:
    return {"fact": "turn_profile", "turn_id": turn_id, "profile": dict(profile or PROFILE)}


def f_turn_codex_error(
    thread_id: str = "thread-1",
    turn_id: str = "turn-1",
    kind: str = "stream",
    status: int | None = None,
) -> J:
    return {
        "fact": "turn_codex_error",
        "turn_id": turn_id,
        "thread_id": thread_id,
        "error": {"kind": kind, "http_status_code": status},
    }


def f_image_preparation(turn_id: str = "turn-1", item_id: str | None = None) -> J:
    return {
        "fact": "image_preparation",
        "turn_id": turn_id,
        "metadata": {
            "message_role": "user",
            "item_id": item_id,
            "effective_detail": "high",
            "source_width": 4096,
            "source_height": 2048,
            "prepared_width": 2048,
            "prepared_height": 1024,
        },
    }


def f_interrupt_request(
    conn: int = 7, req: int | str = 4, turn_id: str = "turn-1", at: int = 1716000000123
) -> J:
    return {
        "fact": "explicit_client_interrupt_request",
        "connection_id": conn,
        "request_id": req,
        "turn_id": turn_id,
        "requested_at_ms": at,
    }


def f_interrupt_response(conn: int = 7, req: int | str = 4) -> J:
    return {
        "fact": "client_response",
        "connection_id": conn,
        "request_id": req,
        "method": "turn/interrupt",
        "result": {},
    }


def f_goal(thread_id: str = "thread-1", turn_id: str | None = None, kind: str = "created") -> J:
    return {
        "fact": "goal",
        "thread_id": thread_id,
        "turn_id": turn_id,
        "goal_id": "goal-1",
        "event_kind": kind,
        "goal_status": "active",
        "has_token_budget": True,
        "cumulative_tokens_accounted": None,
        "cumulative_time_accounted_seconds": None,
    }


def f_control_tool_call(
    thread_id: str = "thread-1",
    turn_id: str = "turn-1",
    call_id: str = "call-goal-1",
    status: str = "completed",
    cell_id: str | None = None,
) -> J:
    return {
        "fact": "control_tool_call",
        "thread_id": thread_id,
        "turn_id": turn_id,
        "turn_metadata": {"root_turn_id": None},
        "call_id": call_id,
        "cell_id": cell_id,
        "tool_name": "update_goal",
        "started_at_ms": 1000,
        "completed_at_ms": 1012,
        "status": status,
    }


def f_code_mode(variant: str, thread_id: str = "thread-1", **call: Any) -> J:
    """A code_mode_tool_call fact: `call` holds the one variant (externally tagged)."""
    return {"fact": "code_mode_tool_call", "call": {variant: {"thread_id": thread_id, **call}}}


def f_sampling_response(thread_id: str, turn_id: str, response_id: str, call_ids: list[str]) -> J:
    return f_code_mode(
        "sampling_response_completed",
        thread_id,
        turn_id=turn_id,
        response_id=response_id,
        tool_call_ids=call_ids,
    )


def f_code_mode_completed(
    thread_id: str, turn_id: str, call_id: str, tool_name: str = "exec", cell_id: str = "cell-1"
) -> J:
    return f_code_mode(
        "completed",
        thread_id,
        turn_id=turn_id,
        turn_metadata={"root_turn_id": None},
        call_id=call_id,
        cell_id=cell_id,
        tool_name=tool_name,
        started_at_ms=1000,
        completed_at_ms=1010,
        status="completed",
    )


def f_plugin_measurements(thread_id: str = "thread-1", turn_id: str = "turn-1") -> J:
    return {
        "fact": "plugin_measurements",
        "thread_id": thread_id,
        "turn_id": turn_id,
        "item_id": "item-1",
        "plugin_id": "sample@openai-curated",
        "execution_id": "execution-1",
        "operation": "security_scan",
        "rows": [
            {
                "measurement_name": "finding_count",
                "number_value": 3.0,
                "dimensions": {"severity": "high"},
            },
            {"measurement_name": "files_scanned", "number_value": 17.0, "dimensions": {}},
        ],
    }
