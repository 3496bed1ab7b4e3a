"""Pure value mappings used by the stateful reducer (spec/reducer.md §1-§3,
spec/wire-format.md §4).

Every function takes JSON values in the fact's wire form and returns the string (or tuple)
that goes on the analytics wire. Nothing here touches reducer state.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .state import RequestId, ThreadMetadata

__all__ = [
    "collaboration_mode",
    "command_decision",
    "effective_permissions_result",
    "file_change_decision",
    "final_approval_outcome",
    "guardian_review_status",
    "guardian_subject",
    "network_enabled",
    "nonneg",
    "num_input_images",
    "optional_display",
    "personality",
    "reasoning_summary",
    "rejection_reason",
    "sandbox_policy",
    "service_tier",
    "subagent_parent_thread_id",
    "subagent_source_name",
    "thread_metadata_from_source",
    "turn_status",
    "user_review_id",
]

# -- small helpers ------------------------------------------------------------------------


def nonneg(value: Any) -> int | None:
    """Rust ``u64::try_from(i64).ok()``: non-negative integers pass, anything else is None."""
    if value.__class__ is int:  # the common case, without the isinstance calls
        return value if value >= 0 else None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def network_enabled(permissions: Any) -> bool:
    if not (type(permissions) is dict or isinstance(permissions, Mapping)):
        return False
    network = permissions.get("network")
    return (type(network) is dict or isinstance(network, Mapping)) and network.get(
        "enabled"
    ) is True


def num_input_images(inputs: Any) -> int:
    if not isinstance(inputs, list):
        return 0
    count = 0
    for item in inputs:
        if (type(item) is dict or isinstance(item, Mapping)) and item.get("type") in (
            "image",
            "localImage",
        ):
            count += 1
    return count


def user_review_id(request_id: RequestId) -> str:
    return f"user:{request_id}"


# -- threads ------------------------------------------------------------------------------


def subagent_source_name(source: Any) -> str | None:
    """Name of a core SubAgentSource in its serde form (``"review"``, ``{"other": "x"}`` ...)."""
    if isinstance(source, str):
        return source
    if (type(source) is dict or isinstance(source, Mapping)) and len(source) == 1:
        ((key, value),) = source.items()
        if key == "other":
            return value if isinstance(value, str) else None
        return str(key)
    return None


def subagent_parent_thread_id(source: Any) -> str | None:
    if type(source) is dict or isinstance(source, Mapping):
        spawn = source.get("thread_spawn")
        if type(spawn) is dict or isinstance(spawn, Mapping):
            parent = spawn.get("parent_thread_id")
            if parent is not None:
                return str(parent)
    return None


_SUBAGENT_KEYS = ("subAgent", "sub_agent", "subagent")


def _subagent_of_session_source(source: Any) -> tuple[bool, Any]:
    """App-server v2 SessionSource: ``{"subAgent": <core SubAgentSource>}`` for subagents."""
    if type(source) is dict or isinstance(source, Mapping):
        for key in _SUBAGENT_KEYS:
            if key in source:
                return True, source[key]
    return False, None


def thread_metadata_from_source(
    session_source: Any, thread_source: Any, initialization_mode: str
) -> ThreadMetadata:
    is_subagent, subagent = _subagent_of_session_source(session_source)
    return ThreadMetadata(
        thread_source=thread_source if isinstance(thread_source, str) else None,
        initialization_mode=initialization_mode,
        subagent_source=subagent_source_name(subagent) if is_subagent else None,
        parent_thread_id=subagent_parent_thread_id(subagent) if is_subagent else None,
    )


# -- turns --------------------------------------------------------------------------------

_TURN_STATUS = {"completed": "completed", "failed": "failed", "interrupted": "interrupted"}


def turn_status(status: Any) -> str | None:
    return _TURN_STATUS.get(status) if isinstance(status, str) else None


_REJECTION = {
    "turn_steer": {
        "no_active_turn": "no_active_turn",
        "expected_turn_mismatch": "expected_turn_mismatch",
        "non_steerable_review": "non_steerable_review",
        "non_steerable_compact": "non_steerable_compact",
    },
    "input": {"empty": "empty_input", "too_large": "input_too_large"},
}


def rejection_reason(error_type: Any) -> str | None:
    if not (type(error_type) is dict or isinstance(error_type, Mapping)) or len(error_type) != 1:
        return None
    ((family, value),) = error_type.items()
    table = _REJECTION.get(family)
    if table is None or not isinstance(value, str):
        return None
    return table.get(value)


def optional_display(value: Any) -> str | None:
    """Display form of an optional config enum (serde string form; None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if (type(value) is dict or isinstance(value, Mapping)) and len(value) == 1:
        return str(next(iter(value)))
    return str(value)


def reasoning_summary(value: Any) -> str | None:
    return None if value is None or value == "none" else optional_display(value)


def personality(value: Any) -> str | None:
    return None if value is None or value == "none" else optional_display(value)


def service_tier(value: Any) -> str:
    text = optional_display(value)
    return "default" if text is None else text


def collaboration_mode(mode: Any) -> str:
    return "plan" if mode == "plan" else "default"


def _special_kind(value: Any) -> tuple[str | None, Any]:
    if isinstance(value, str):
        return value, None
    if type(value) is dict or isinstance(value, Mapping):
        kind = value.get("kind", value.get("type"))
        return (kind if isinstance(kind, str) else None), value.get("subpath")
    return None, None


def _resolve(path: str, cwd: str) -> str:
    return path if os.path.isabs(path) else os.path.join(cwd, path)


def _resolve_entry_path(path: Any, cwd: str) -> str | None:
    """A FileSystemPath resolved against the turn cwd; None for globs/unknown/minimal."""
    if not (type(path) is dict or isinstance(path, Mapping)):
        return None
    kind = path.get("type")
    if kind == "path":
        raw = path.get("path")
        return _resolve(raw, cwd) if isinstance(raw, str) else None
    if kind == "special":
        special, subpath = _special_kind(path.get("value"))
        if special == "root":
            return "/"
        if special in ("project_roots", "current_working_directory"):
            return cwd if not isinstance(subpath, str) else _resolve(subpath, cwd)
        if special == "slash_tmp":
            return "/tmp"
        if special == "tmpdir":
            tmpdir = os.environ.get("TMPDIR", "")
            return tmpdir if tmpdir and os.path.isabs(tmpdir) else None
    return None


def _is_root(path: Any) -> bool:
    """``_special_kind(path["value"])[0] == "root"`` for a special path, without the tuple."""
    if not (type(path) is dict or isinstance(path, Mapping)) or path.get("type") != "special":
        return False
    value = path.get("value")
    if isinstance(value, str):
        return value == "root"
    if type(value) is dict or isinstance(value, Mapping):
        kind = value.get("kind", value.get("type"))
        return isinstance(kind, str) and kind == "root"
    return False


def sandbox_policy(profile: Any, cwd: Any) -> str:
    """``sandbox_policy`` of the turn event from the core PermissionProfile serde form."""
    kind = (
        profile.get("type") if (type(profile) is dict or isinstance(profile, Mapping)) else profile
    )
    if kind == "disabled":
        return "full_access"
    if kind == "external":
        return "external_sandbox"
    if not (type(profile) is dict or isinstance(profile, Mapping)):
        raise TypeError(f"permission_profile: expected an object, got {profile!r}")
    net_on = profile.get("network") == "enabled"
    file_system = profile.get("file_system")
    fs_kind = (
        file_system.get("type")
        if (type(file_system) is dict or isinstance(file_system, Mapping))
        else file_system
    )
    if fs_kind != "restricted":
        return "full_access" if net_on else "external_sandbox"
    if not (type(file_system) is dict or isinstance(file_system, Mapping)):
        raise TypeError(f"permission_profile.file_system: expected an object, got {file_system!r}")
    entries = file_system.get("entries") or []
    root_write = False
    narrowing = False
    for entry in entries:
        access = entry.get("access")
        path = entry.get("path")
        if access == "write":
            root_write = root_write or _is_root(path)
        elif not (access == "read" and _is_root(path)):
            narrowing = True
    if root_write and not narrowing:
        return "full_access" if net_on else "external_sandbox"
    cwd_text = cwd if isinstance(cwd, str) else "/"
    for entry in entries:
        if entry.get("access") == "write" and _resolve_entry_path(entry.get("path"), cwd_text):
            return "workspace_write"
    return "read_only"


# -- reviews ------------------------------------------------------------------------------


def command_decision(decision: Any) -> tuple[str, str] | None:
    """(status, resolution) of a command-execution approval decision; None if malformed."""
    if isinstance(decision, str):
        return {
            "accept": ("approved", "none"),
            "acceptForSession": ("approved", "session_approval"),
            "decline": ("denied", "none"),
            "cancel": ("aborted", "none"),
        }.get(decision)
    if (type(decision) is dict or isinstance(decision, Mapping)) and len(decision) == 1:
        ((name, body),) = decision.items()
        if name == "acceptWithExecpolicyAmendment":
            return "approved", "exec_policy_amendment"
        if name == "applyNetworkPolicyAmendment" and (
            type(body) is dict or isinstance(body, Mapping)
        ):
            amendment = body.get("network_policy_amendment", body.get("networkPolicyAmendment"))
            action = (
                amendment.get("action")
                if (type(amendment) is dict or isinstance(amendment, Mapping))
                else None
            )
            if action == "allow":
                return "approved", "network_policy_amendment"
            if action == "deny":
                return "denied", "network_policy_amendment"
    return None


def file_change_decision(decision: Any) -> tuple[str, str] | None:
    if not isinstance(decision, str):
        return None
    return {
        "accept": ("approved", "none"),
        "acceptForSession": ("approved", "session_approval"),
        "decline": ("denied", "none"),
        "cancel": ("aborted", "none"),
    }.get(decision)


def effective_permissions_result(response: Any) -> tuple[str, str]:
    permissions = (
        response.get("permissions")
        if (type(response) is dict or isinstance(response, Mapping))
        else None
    )
    empty = not (type(permissions) is dict or isinstance(permissions, Mapping)) or (
        permissions.get("network") is None and permissions.get("file_system") is None
    )
    if empty:
        return "denied", "none"
    scope = (
        response.get("scope") if (type(response) is dict or isinstance(response, Mapping)) else None
    )
    if scope == "session":
        return "approved", "session_approval"
    return "approved", "none"


_GUARDIAN_STATUS = {
    "approved": "approved",
    "denied": "denied",
    "timedOut": "timed_out",
    "aborted": "aborted",
}


def guardian_review_status(status: Any) -> str | None:
    return _GUARDIAN_STATUS.get(status) if isinstance(status, str) else None


def guardian_subject(action: Any) -> tuple[str, str, str, bool, bool] | None:
    """(subject_kind, subject_name, trigger, additional_permissions, network_access)."""
    if not (type(action) is dict or isinstance(action, Mapping)):
        return None
    kind = action.get("type")
    if kind == "command":
        return "command_execution", "command_execution", "initial", False, False
    if kind == "execve":
        return "command_execution", "command_execution", "execve_intercept", False, False
    if kind == "applyPatch":
        return "file_change", "apply_patch", "sandbox_denial", True, False
    if kind == "networkAccess":
        return "network_access", "network_access", "network_policy_denial", True, True
    if kind == "requestPermissions":
        permissions = action.get("permissions")
        network = network_enabled(permissions)
        file_system = (
            type(permissions) is dict or isinstance(permissions, Mapping)
        ) and permissions.get("fileSystem") is not None
        if network:
            trigger = "network_policy_denial"
        elif file_system:
            trigger = "sandbox_denial"
        else:
            trigger = "initial"
        return "permissions", "permissions", trigger, network or file_system, network
    if kind == "mcpToolCall":
        tool_name = action.get("toolName")
        return "mcp_tool_call", str(tool_name), "initial", False, False
    return None


def final_approval_outcome(reviewer: str, status: str, resolution: str) -> str:
    if reviewer == "guardian":
        if status == "approved":
            return "guardian_approved"
        if status == "denied":
            return "guardian_denied"
        return "guardian_aborted"
    if status == "approved":
        return "user_approved_for_session" if resolution == "session_approval" else "user_approved"
    if status == "denied":
        return "user_denied"
    return "user_aborted"
