"""Stateless custom-fact events: skills, apps, hooks, plugins (upstream
analytics_client_tests *_serializes_expected_shape, hook metadata and reducer_ingests_* tests)."""

from __future__ import annotations

from typing import Any

import pytest

from codex_analytics_contract.reducer.releases import release
from codex_analytics_contract.reducer.shaping import shapes
from codex_analytics_contract.reducer.skills import RepoInfo
from codex_analytics_contract.reducer.stateless import (
    app_mentioned_events,
    app_used_events,
    hook_name,
    hook_run_events,
    hook_source,
    hook_status,
    plugin_state_changed_events,
    plugin_used_events,
    skill_invoked_events,
)
from tests.support.facts import (
    J,
    f_app_mentioned,
    f_app_used,
    f_hook,
    f_plugin_state,
    f_plugin_used,
    f_skill,
    plugin_meta,
    skill_inv,
    tracking,
)
from tests.support.hashes import sha1_hex
from tests.support.reducing import PINNED, wire

ORIGINATOR = "codex_cli_rs"
_SHAPES = shapes(release(PINNED))


def pinned(events: list[J]) -> list[J]:
    """The events as the pinned release sends them (the handlers build every release's keys;
    spec/reducer.md §11.3)."""
    return [e for e in (_SHAPES[event["event_type"]](event) for event in events) if e is not None]


def no_repo(_: str) -> RepoInfo | None:
    return None


# --- apps ------------------------------------------------------------------------------


def test_app_mentioned_event_serializes_expected_shape() -> None:
    mention = {"connector_id": "calendar", "app_name": "Calendar", "invocation_type": "explicit"}
    fact = f_app_mentioned(tracking("thread-1", "turn-1"), [mention])
    assert [wire(e) for e in pinned(app_mentioned_events(fact, originator=ORIGINATOR))] == [
        '{"event_type":"codex_app_mentioned","event_params":{"connector_id":"calendar",'
        '"thread_id":"thread-1","turn_id":"turn-1","app_name":"Calendar",'
        '"product_client_id":"codex_cli_rs","invoke_type":"explicit","model_slug":"gpt-5"}}'
    ]


def test_app_used_event_serializes_expected_shape() -> None:
    app = {"connector_id": "drive", "app_name": "Google Drive", "invocation_type": "implicit"}
    fact = f_app_used(tracking("thread-2", "turn-2"), app)
    assert [wire(e) for e in pinned(app_used_events(fact, originator="codex-tui"))] == [
        '{"event_type":"codex_app_used","event_params":{"connector_id":"drive",'
        '"thread_id":"thread-2","turn_id":"turn-2","app_name":"Google Drive",'
        '"product_client_id":"codex-tui","invoke_type":"implicit","model_slug":"gpt-5"}}'
    ]


def test_app_events_with_missing_optional_fields_and_several_mentions() -> None:
    fact = f_app_mentioned(tracking("t", "u"), [{}, {"app_name": "Drive"}])
    events = pinned(app_mentioned_events(fact, originator=ORIGINATOR))
    assert [e["event_params"]["app_name"] for e in events] == [None, "Drive"]
    assert events[0]["event_params"] == {
        "connector_id": None,
        "thread_id": "t",
        "turn_id": "u",
        "app_name": None,
        "product_client_id": ORIGINATOR,
        "invoke_type": None,
        "model_slug": "gpt-5",
    }
    empty = f_app_mentioned(tracking("t", "u"), [])
    assert pinned(app_mentioned_events(empty, originator="x")) == []


# --- hooks -----------------------------------------------------------------------------


def hook_fact(event_name: str, source: str, status: str) -> J:
    return f_hook(tracking("thread-1", "turn-1"), event_name, source, status)


def test_hook_run_event_serializes_expected_shape() -> None:
    fact = f_hook(tracking("thread-3", "turn-3"), "pre_tool_use", "user", "completed")
    assert [wire(e) for e in pinned(hook_run_events(fact))] == [
        '{"event_type":"codex_hook_run","event_params":{"thread_id":"thread-3",'
        '"turn_id":"turn-3","model_slug":"gpt-5","hook_name":"PreToolUse",'
        '"hook_source":"user","status":"completed"}}'
    ]


def test_hook_run_metadata_maps_sources_and_statuses() -> None:
    def params(name: str, source: str, status: str) -> dict[str, Any]:
        (event,) = pinned(hook_run_events(hook_fact(name, source, status)))
        params: dict[str, Any] = event["event_params"]
        return params

    system = params("session_start", "system", "completed")
    project = params("stop", "project", "blocked")
    cloud = params("stop", "cloud_requirements", "blocked")
    unknown = params("user_prompt_submit", "unknown", "failed")
    assert (system["hook_source"], system["status"]) == ("system", "completed")
    assert (project["hook_source"], project["status"]) == ("project", "blocked")
    assert (cloud["hook_source"], cloud["status"]) == ("cloud_requirements", "blocked")
    assert (unknown["hook_source"], unknown["status"]) == ("unknown", "failed")
    assert system["hook_name"] == "SessionStart"
    assert unknown["hook_name"] == "UserPromptSubmit"


def test_hook_run_metadata_maps_stopped_status() -> None:
    (event,) = pinned(hook_run_events(hook_fact("stop", "user", "stopped")))
    assert (event["event_params"]["hook_source"], event["event_params"]["status"]) == (
        "user",
        "stopped",
    )


def test_reducer_ingests_hook_run_fact() -> None:
    events = pinned(hook_run_events(hook_fact("post_tool_use", "unknown", "failed")))
    assert len(events) == 1
    assert events[0]["event_type"] == "codex_hook_run"
    assert events[0]["event_params"]["hook_name"] == "PostToolUse"


def test_running_hook_status_is_reported_as_failed() -> None:
    (event,) = pinned(hook_run_events(hook_fact("stop", "user", "running")))
    assert event["event_params"]["status"] == "failed"
    assert hook_status("Running") == "failed"


@pytest.mark.parametrize(
    ("snake", "pascal"),
    [
        ("pre_tool_use", "PreToolUse"),
        ("permission_request", "PermissionRequest"),
        ("post_tool_use", "PostToolUse"),
        ("pre_compact", "PreCompact"),
        ("post_compact", "PostCompact"),
        ("session_start", "SessionStart"),
        ("user_prompt_submit", "UserPromptSubmit"),
        ("stop", "Stop"),
    ],
)
def test_hook_names_accept_any_serde_casing(snake: str, pascal: str) -> None:
    camel = pascal[0].lower() + pascal[1:]
    assert hook_name(snake) == hook_name(pascal) == hook_name(camel) == pascal


@pytest.mark.parametrize(
    ("pascal", "snake"),
    [
        ("System", "system"),
        ("User", "user"),
        ("Project", "project"),
        ("Mdm", "mdm"),
        ("SessionFlags", "session_flags"),
        ("Plugin", "plugin"),
        ("CloudRequirements", "cloud_requirements"),
        ("LegacyManagedConfigFile", "legacy_managed_config_file"),
        ("LegacyManagedConfigMdm", "legacy_managed_config_mdm"),
        ("Unknown", "unknown"),
    ],
)
def test_hook_sources_are_snake_case(pascal: str, snake: str) -> None:
    assert hook_source(snake) == hook_source(pascal) == snake


def test_hook_names_outside_the_pinned_table_are_converted_mechanically() -> None:
    assert hook_name("subagent_start") == "SubagentStart"


# --- plugins ---------------------------------------------------------------------------


PLUGIN_PARAMS = (
    '"plugin_id":"sample@test","plugin_name":"sample","marketplace_name":"test",'
    '"has_skills":true,"mcp_server_count":2,"connector_ids":["calendar","drive"],'
    '"product_client_id":"codex_cli_rs"'
)


def test_plugin_used_event_serializes_expected_shape() -> None:
    fact = f_plugin_used(tracking("thread-3", "turn-3"), plugin_meta())
    assert [wire(e) for e in pinned(plugin_used_events(fact, originator=ORIGINATOR))] == [
        '{"event_type":"codex_plugin_used","event_params":{'
        + PLUGIN_PARAMS
        + ',"thread_id":"thread-3","turn_id":"turn-3","model_slug":"gpt-5"}}'
    ]


def test_plugin_management_event_serializes_expected_shape() -> None:
    fact = f_plugin_state(plugin_meta(), "installed")
    assert [wire(e) for e in pinned(plugin_state_changed_events(fact, originator=ORIGINATOR))] == [
        '{"event_type":"codex_plugin_installed","event_params":{' + PLUGIN_PARAMS + "}}"
    ]


def test_plugin_management_event_can_use_remote_plugin_id_override() -> None:
    fact = f_plugin_state(plugin_meta(remote="plugins~Plugin_remote"), "installed")
    (event,) = pinned(plugin_state_changed_events(fact, originator=ORIGINATOR))
    assert event["event_params"]["plugin_id"] == "plugins~Plugin_remote"
    assert event["event_params"]["plugin_name"] == "sample"
    assert event["event_params"]["marketplace_name"] == "test"


@pytest.mark.parametrize("state", ["installed", "uninstalled", "enabled", "disabled"])
def test_reducer_ingests_plugin_state_changed_fact(state: str) -> None:
    fact = f_plugin_state(plugin_meta(), state)
    assert [wire(e) for e in pinned(plugin_state_changed_events(fact, originator=ORIGINATOR))] == [
        f'{{"event_type":"codex_plugin_{state}","event_params":{{' + PLUGIN_PARAMS + "}}"
    ]


def test_plugin_without_capability_summary_reports_nulls() -> None:
    fact = f_plugin_used(tracking("t", "u"), plugin_meta(with_summary=False))
    (event,) = pinned(plugin_used_events(fact, originator=ORIGINATOR))
    params = event["event_params"]
    assert (params["has_skills"], params["mcp_server_count"], params["connector_ids"]) == (
        None,
        None,
        None,
    )
    assert list(params) == [
        "plugin_id",
        "plugin_name",
        "marketplace_name",
        "has_skills",
        "mcp_server_count",
        "connector_ids",
        "product_client_id",
        "thread_id",
        "turn_id",
        "model_slug",
    ]


def test_reducer_ingests_app_and_plugin_facts() -> None:
    t = tracking("thread-1", "turn-1")
    mention = {"connector_id": "calendar", "app_name": "Calendar", "invocation_type": "explicit"}
    app = {"connector_id": "drive", "app_name": "Drive", "invocation_type": "implicit"}
    events = (
        pinned(app_mentioned_events(f_app_mentioned(t, [mention]), originator=ORIGINATOR))
        + pinned(app_used_events(f_app_used(t, app), originator=ORIGINATOR))
        + pinned(plugin_used_events(f_plugin_used(t, plugin_meta()), originator=ORIGINATOR))
    )
    assert [e["event_type"] for e in events] == [
        "codex_app_mentioned",
        "codex_app_used",
        "codex_plugin_used",
    ]


# --- skills ----------------------------------------------------------------------------


def skill_fact(name: str, path: str, plugin_id: str | None = None) -> J:
    return f_skill(tracking("thread-1", "turn-1"), [skill_inv(name, "user", path, plugin_id)])


def test_reducer_ingests_skill_invoked_fact() -> None:
    path = "/Users/abc/.codex/skills/doc/SKILL.md"
    expected_id = sha1_hex(f"personal_{path}_doc")
    fact = skill_fact("doc", path)
    events = pinned(skill_invoked_events(fact, originator=ORIGINATOR, repo_provider=no_repo))
    assert [wire(e) for e in events] == [
        '{"event_type":"skill_invocation","skill_id":"' + expected_id + '","skill_name":"doc",'
        '"event_params":{"product_client_id":"codex_cli_rs","skill_scope":"user",'
        '"plugin_id":null,"repo_url":null,"thread_id":"thread-1","turn_id":"turn-1",'
        '"invoke_type":"explicit","model_slug":"gpt-5"}}'
    ]


def test_reducer_includes_plugin_id_for_plugin_skill_invocations() -> None:
    path = "/Users/abc/.codex/plugins/cache/test/sample/skills/doc/SKILL.md"
    fact = skill_fact("sample:doc", path, "sample@test")
    (event,) = pinned(skill_invoked_events(fact, originator=ORIGINATOR, repo_provider=no_repo))
    assert event["event_params"]["plugin_id"] == "sample@test"


def test_repo_skill_uses_repo_url_and_relative_path() -> None:
    path = "/repo/root/.codex/skills/doc/SKILL.md"
    fact = skill_fact("doc", path)
    fact["invocations"][0]["skill_scope"] = "repo"
    fact["invocations"][0]["invocation_type"] = "implicit"

    def provider(p: str) -> RepoInfo | None:
        assert p == path
        return RepoInfo(repo_url="https://example.com/repo.git", root="/repo/root")

    (event,) = pinned(skill_invoked_events(fact, originator=ORIGINATOR, repo_provider=provider))
    assert event["skill_id"] == sha1_hex(
        "repo_https://example.com/repo.git_.codex/skills/doc/SKILL.md_doc"
    )
    assert event["event_params"]["repo_url"] == "https://example.com/repo.git"
    assert event["event_params"]["skill_scope"] == "repo"
    assert event["event_params"]["invoke_type"] == "implicit"


def test_repo_url_without_root_is_ignored_and_root_without_url_is_personal() -> None:
    path = "/repo/root/.codex/skills/doc/SKILL.md"
    for info in (RepoInfo(repo_url="https://x/y.git", root=None), RepoInfo(None, "/repo/root")):

        def provider(_path: str, fixed: RepoInfo = info) -> RepoInfo | None:
            return fixed

        (event,) = pinned(
            skill_invoked_events(
                skill_fact("doc", path), originator=ORIGINATOR, repo_provider=provider
            )
        )
        assert event["event_params"]["repo_url"] is None
        assert event["skill_id"] == sha1_hex(f"personal_{path}_doc")


def test_one_skill_event_per_invocation_in_order() -> None:
    fact = skill_fact("a", "/s/a/SKILL.md")
    second = dict(fact["invocations"][0], skill_name="b", skill_path="/s/b/SKILL.md")
    fact["invocations"].append(second)
    events = pinned(skill_invoked_events(fact, originator=ORIGINATOR, repo_provider=no_repo))
    assert [e["skill_name"] for e in events] == ["a", "b"]
    assert list(events[0]) == ["event_type", "skill_id", "skill_name", "event_params"]
