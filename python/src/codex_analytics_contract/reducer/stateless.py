"""Events of the stateless custom facts (spec/reducer.md §2.11 and §3.8).

Each function takes one fact dict in the shape of ``spec/facts.md`` and returns the events it
produces as wire-order dicts (every key present, ``None`` for null). None of them reads or
writes reducer state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .skills import RepoInfo, skill_id

__all__ = [
    "HOOK_EVENT_NAMES",
    "HOOK_SOURCES",
    "PLUGIN_STATE_EVENT_TYPES",
    "app_mentioned_events",
    "app_used_events",
    "hook_name",
    "hook_run_events",
    "hook_source",
    "hook_status",
    "plugin_key",
    "plugin_metadata",
    "plugin_state_changed_events",
    "plugin_used_events",
    "skill_invoked_events",
]

Event = dict[str, Any]
RepoProvider = Callable[[str], RepoInfo | None]

# Core HookEventName variants at the pin and their analytics names (PascalCase).
HOOK_EVENT_NAMES: tuple[str, ...] = (
    "PreToolUse",
    "PermissionRequest",
    "PostToolUse",
    "PreCompact",
    "PostCompact",
    "SessionStart",
    "UserPromptSubmit",
    "Stop",
)
# Core HookSource variants at the pin and their analytics names (snake_case).
HOOK_SOURCES: tuple[str, ...] = (
    "system",
    "user",
    "project",
    "mdm",
    "session_flags",
    "plugin",
    "cloud_requirements",
    "legacy_managed_config_file",
    "legacy_managed_config_mdm",
    "unknown",
)
PLUGIN_STATE_EVENT_TYPES: dict[str, str] = {
    "installed": "codex_plugin_installed",
    "uninstalled": "codex_plugin_uninstalled",
    "enabled": "codex_plugin_enabled",
    "disabled": "codex_plugin_disabled",
}

_HOOK_NAME_BY_KEY = {name.lower(): name for name in HOOK_EVENT_NAMES}
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _snake(value: str) -> str:
    """snake_case of a serde enum string given as snake_case, camelCase or PascalCase."""
    return _CAMEL_BOUNDARY.sub("_", value).replace("-", "_").lower()


def hook_name(event_name: str) -> str:
    """PascalCase analytics hook name for a core HookEventName in any serde casing.

    Names outside the pinned table are converted mechanically (``subagent_start`` ->
    ``SubagentStart``), which matches what later upstream versions emit.
    """
    known = _HOOK_NAME_BY_KEY.get(_snake(event_name).replace("_", ""))
    if known is not None:
        return known
    return "".join(part[:1].upper() + part[1:] for part in _snake(event_name).split("_"))


def hook_source(source: str) -> str:
    """snake_case analytics hook source for a core HookSource in any serde casing."""
    return _snake(source)


def hook_status(status: str) -> str:
    """HookRunStatus as reported: snake_case, with ``running`` reported as ``failed``."""
    value = _snake(status)
    return "failed" if value == "running" else value


def _tracking(fact: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    tracking = fact["tracking"]
    return tracking["thread_id"], tracking["turn_id"], tracking["model_slug"]


def _invoke_type(value: Any) -> Any:
    return _snake(value) if isinstance(value, str) else value


def skill_invoked_events(
    fact: Mapping[str, Any], *, originator: str, repo_provider: RepoProvider
) -> list[Event]:
    """One ``skill_invocation`` per invocation, in fact order.

    The repo URL only counts when the provider also knows the repo root (upstream only looks
    up the URL inside a found root).
    """
    thread_id, turn_id, model_slug = _tracking(fact)
    events: list[Event] = []
    for invocation in fact.get("invocations") or []:
        name: str = invocation["skill_name"]
        path: str = invocation["skill_path"]
        scope = _snake(str(invocation["skill_scope"]))
        info = repo_provider(path)
        root = info.root if info is not None else None
        repo_url = info.repo_url if info is not None and root is not None else None
        events.append(
            {
                "event_type": "skill_invocation",
                "skill_id": skill_id(
                    repo_url=repo_url, repo_root=root, skill_path=path, skill_name=name
                ),
                "skill_name": name,
                "event_params": {
                    "product_client_id": originator,
                    "skill_scope": scope,
                    "plugin_id": invocation.get("plugin_id"),
                    "repo_url": repo_url,
                    "thread_id": thread_id,
                    "turn_id": turn_id,
                    "invoke_type": _invoke_type(invocation["invocation_type"]),
                    "model_slug": model_slug,
                },
            }
        )
    return events


def _app_params(
    tracking: tuple[Any, Any, Any], app: Mapping[str, Any], originator: str
) -> dict[str, Any]:
    thread_id, turn_id, model_slug = tracking
    return {
        "connector_id": app.get("connector_id"),
        "thread_id": thread_id,
        "turn_id": turn_id,
        "app_name": app.get("app_name"),
        "product_client_id": originator,
        "invoke_type": _invoke_type(app.get("invocation_type")),
        "model_slug": model_slug,
    }


def app_mentioned_events(fact: Mapping[str, Any], *, originator: str) -> list[Event]:
    """One ``codex_app_mentioned`` per mention, in fact order."""
    tracking = _tracking(fact)
    return [
        {"event_type": "codex_app_mentioned", "event_params": _app_params(tracking, m, originator)}
        for m in fact.get("mentions") or []
    ]


def app_used_events(fact: Mapping[str, Any], *, originator: str) -> list[Event]:
    """Exactly one ``codex_app_used``."""
    params = _app_params(_tracking(fact), fact["app"], originator)
    return [{"event_type": "codex_app_used", "event_params": params}]


def hook_run_events(fact: Mapping[str, Any]) -> list[Event]:
    """Exactly one ``codex_hook_run``."""
    thread_id, turn_id, model_slug = _tracking(fact)
    hook = fact["hook"]
    return [
        {
            "event_type": "codex_hook_run",
            "event_params": {
                "thread_id": thread_id,
                "turn_id": turn_id,
                "model_slug": model_slug,
                "hook_name": hook_name(hook["event_name"]),
                "hook_source": hook_source(hook["hook_source"]),
                "status": hook_status(hook["status"]),
            },
        }
    ]


def plugin_key(plugin: Mapping[str, Any]) -> str | None:
    """Upstream ``PluginId::as_key``: ``<plugin_name>@<marketplace_name>``; None for a plugin
    known only by its remote id (a fact of `fact_plugin_telemetry` 1-0-1 or later, #29495)."""
    plugin_id = plugin.get("plugin_id")
    if plugin_id is None:
        return None
    return f"{plugin_id['plugin_name']}@{plugin_id['marketplace_name']}"


def plugin_metadata(plugin: Mapping[str, Any], *, originator: str) -> dict[str, Any]:
    """CodexPluginMetadata params: remote plugin id wins over the local key; name and
    marketplace null for a plugin without a local id."""
    remote = plugin.get("remote_plugin_id")
    summary = plugin.get("capability_summary")
    plugin_id = plugin.get("plugin_id") or {}
    return {
        "plugin_id": remote if remote is not None else plugin_key(plugin),
        "plugin_name": plugin_id.get("plugin_name"),
        "marketplace_name": plugin_id.get("marketplace_name"),
        "has_skills": summary.get("has_skills") if summary is not None else None,
        "mcp_server_count": (
            len(summary.get("mcp_server_names") or []) if summary is not None else None
        ),
        "connector_ids": (
            [str(c) for c in summary.get("app_connector_ids") or []]
            if summary is not None
            else None
        ),
        "product_client_id": originator,
    }


def plugin_used_events(fact: Mapping[str, Any], *, originator: str) -> list[Event]:
    """Exactly one ``codex_plugin_used`` (plugin metadata, then thread/turn/model)."""
    thread_id, turn_id, model_slug = _tracking(fact)
    params = plugin_metadata(fact["plugin"], originator=originator)
    params["thread_id"] = thread_id
    params["turn_id"] = turn_id
    params["model_slug"] = model_slug
    return [{"event_type": "codex_plugin_used", "event_params": params}]


def plugin_state_changed_events(fact: Mapping[str, Any], *, originator: str) -> list[Event]:
    """Exactly one of ``codex_plugin_installed`` / ``_uninstalled`` / ``_enabled`` /
    ``_disabled``."""
    event_type = PLUGIN_STATE_EVENT_TYPES[_snake(str(fact["state"]))]
    return [
        {
            "event_type": event_type,
            "event_params": plugin_metadata(fact["plugin"], originator=originator),
        }
    ]
