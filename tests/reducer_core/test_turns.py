"""Turn events: prerequisites, arrival order, statuses, config strings, accepted lines."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import pytest

from codex_analytics_contract.reducer.mappings import sandbox_policy
from tests.support.facts import (
    DEFAULT_CLIENT,
    DEFAULT_CONN_RUNTIME,
    IMG,
    PERM_WORKSPACE_WRITE,
    TOKENS,
    J,
    f_error_response,
    f_initialize,
    f_resolved_config,
    f_steer_request,
    f_steer_response,
    f_thread_response,
    f_token_usage,
    f_turn_completed,
    f_turn_diff,
    f_turn_start_request,
    f_turn_start_response,
    f_turn_started,
    text_input,
)
from tests.support.reducing import feed, make_reducer, wire

# The resolved config of these tests: every string field set, so each shows up in the event.
CONFIG: dict[str, Any] = {
    "permission_profile": PERM_WORKSPACE_WRITE,
    "reasoning_effort": "medium",
    "reasoning_summary": "auto",
    "approvals_reviewer": "user",
    "sandbox_network_access": False,
    "collaboration_mode": "default",
    "personality": "pragmatic",
}
TOKEN_KEYS = (
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "reasoning_output_tokens",
    "total_tokens",
)


def resolved_config(**overrides: Any) -> J:
    return f_resolved_config(**{**CONFIG, **overrides})


def expected_turn(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "thread_id": "thread-1",
        "turn_id": "turn-1",
        "submission_type": None,
        "app_server_client": DEFAULT_CLIENT,
        "runtime": DEFAULT_CONN_RUNTIME,
        "ephemeral": False,
        "thread_source": "user",
        "initialization_mode": "new",
        "subagent_source": None,
        "parent_thread_id": None,
        "model": "gpt-5",
        "model_provider": "openai",
        "sandbox_policy": "workspace_write",
        "reasoning_effort": "medium",
        "reasoning_summary": "auto",
        "service_tier": "default",
        "approval_policy": "on-request",
        "approvals_reviewer": "user",
        "sandbox_network_access": False,
        "collaboration_mode": "default",
        "personality": "pragmatic",
        "num_input_images": 1,
        "is_first_turn": True,
        "status": "completed",
        "turn_error": None,
        "steer_count": 0,
        "total_tool_call_count": None,
        "shell_command_count": None,
        "file_change_count": None,
        "mcp_tool_call_count": None,
        "dynamic_tool_call_count": None,
        "subagent_tool_call_count": None,
        "web_search_count": None,
        "image_generation_count": None,
        **dict(zip(TOKEN_KEYS, TOKENS, strict=True)),
        "duration_ms": 1234,  # the defaults of f_turn_started and f_turn_completed
        "started_at": 455,
        "completed_at": 456,
    }
    params.update(overrides)
    return {"event_type": "codex_turn_event", "event_params": params}


def started_session() -> Any:
    r = make_reducer()
    inputs = [text_input("hi"), IMG, IMG]
    feed(r, f_initialize(), f_thread_response(), f_turn_start_request(inputs=inputs))
    feed(r, f_turn_start_response())
    return r


def test_turn_lifecycle_emits_one_turn_event_and_frees_state() -> None:
    r = started_session()
    events = feed(r, resolved_config(), f_token_usage(), f_turn_started(), f_turn_completed())
    assert events == [expected_turn()]
    assert list(events[0]["event_params"]) == list(expected_turn()["event_params"])
    assert r.state_size()["turns"] == 0
    assert r.state_size()["requests"] == 0


def test_turn_event_bytes() -> None:
    r = started_session()
    (event,) = feed(r, resolved_config(), f_token_usage(), f_turn_started(), f_turn_completed())
    assert wire(event).startswith(
        '{"event_type":"codex_turn_event","event_params":{"thread_id":"thread-1",'
        '"turn_id":"turn-1","submission_type":null,"app_server_client":{'
    )
    assert wire(event).endswith(
        '"total_tokens":321,"duration_ms":1234,"started_at":455,"completed_at":456}}'
    )


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["start", "config", "usage", "started", "completed"]))
)
def test_arrival_order_is_free(order: tuple[str, ...]) -> None:
    r = make_reducer()
    inputs = [text_input("hi"), IMG, IMG]
    feed(r, f_initialize(), f_thread_response(), f_turn_start_request(inputs=inputs))
    facts: dict[str, J] = {
        "start": f_turn_start_response(),
        "config": resolved_config(),
        "usage": f_token_usage(),
        "started": f_turn_started(),
        "completed": f_turn_completed(),
    }
    emitted = [(name, feed(r, facts[name])) for name in order]
    fired = [name for name, events in emitted if events]
    # Emission happens on the first fact that completes the set (started / usage are optional).
    required = {"start", "config", "completed"}
    seen: set[str] = set()
    for name in order:
        seen.add(name)
        if required <= seen:
            break
    assert fired == [name]
    (events,) = [events for _, events in emitted if events]
    expected = expected_turn()
    prefix = order[: order.index(name) + 1]
    if "usage" not in prefix:
        for key in ("input_tokens", "cached_input_tokens", "output_tokens"):
            expected["event_params"][key] = None
        expected["event_params"]["reasoning_output_tokens"] = None
        expected["event_params"]["total_tokens"] = None
    if "started" not in prefix:
        expected["event_params"]["started_at"] = None
    if order.index("config") < order.index("start"):
        expected["event_params"]["num_input_images"] = 2  # turn/start response wrote last
    assert events == [expected]


def test_turn_does_not_emit_without_prerequisites() -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response())
    # no turn/start at all
    assert feed(r, resolved_config(), f_token_usage(), f_turn_started(), f_turn_completed()) == []
    assert r.state_size()["turns"] == 1
    assert r.stats.drops_by_reason == {}


def test_turn_start_error_discards_pending_request() -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response(), f_turn_start_request())
    assert feed(r, f_error_response(req=3)) == []
    assert feed(r, f_turn_start_response()) == []
    assert feed(r, resolved_config(), f_turn_completed()) == []
    assert r.state_size()["requests"] == 0


def test_failed_turn_reports_error_info() -> None:
    r = started_session()
    info = {"httpConnectionFailed": {"httpStatusCode": 502}}
    (event,) = feed(r, resolved_config(), f_turn_completed(status="failed", error_info=info))
    params = event["event_params"]
    assert params["status"] == "failed"
    assert params["turn_error"] == {"httpConnectionFailed": {"httpStatusCode": 502}}
    assert params["started_at"] is None and params["input_tokens"] is None


def test_interrupted_turn_without_error_and_odd_timestamps() -> None:
    r = started_session()
    (event,) = feed(
        r,
        resolved_config(),
        f_turn_started(started_at=-1),
        f_turn_completed(status="interrupted", completed_at=None, duration_ms=-3),
    )
    params = event["event_params"]
    assert (params["status"], params["turn_error"]) == ("interrupted", None)
    assert (params["started_at"], params["completed_at"], params["duration_ms"]) == (None, 0, None)


def test_in_progress_completed_status_maps_to_null() -> None:
    r = started_session()
    (event,) = feed(r, resolved_config(), f_turn_completed(status="inProgress"))
    assert event["event_params"]["status"] is None


def test_duplicate_completion_creates_orphan() -> None:
    r = started_session()
    assert len(feed(r, resolved_config(), f_turn_completed())) == 1
    assert feed(r, f_turn_completed(), f_token_usage()) == []
    assert r.state_size()["turns"] == 1


def test_turn_uses_turn_start_connection_and_missing_metadata_drops(
    caplog: pytest.LogCaptureFixture,
) -> None:
    r = make_reducer()
    feed(r, f_initialize(7), f_initialize(8, name="second"), f_thread_response())
    feed(r, f_turn_start_request(8), f_turn_start_response(8))
    (event,) = feed(r, resolved_config(), f_turn_completed())
    assert event["event_params"]["app_server_client"]["client_name"] == "second"
    # a turn on an unknown thread: connection known, metadata missing -> warning drop
    feed(r, f_turn_start_request(req=9, thread_id="ghost"))
    feed(r, f_turn_start_response(req=9, turn_id="turn-9"))
    with caplog.at_level(logging.WARNING, logger="codex_analytics_contract.reducer"):
        config = resolved_config(thread_id="ghost", turn_id="turn-9")
        assert feed(r, config, f_turn_completed("ghost", "turn-9")) == []
    (record,) = caplog.records
    assert record.getMessage() == "dropping turn analytics event: missing analytics context"
    assert record.__dict__["missing_context"] == "thread_metadata"
    assert record.__dict__["turn_id"] == "turn-9"
    assert r.stats.drops_by_reason == {"thread_metadata": 1}


def test_accepted_steers_increment_steer_count() -> None:
    r = started_session()
    feed(r, f_steer_request(req=4), f_steer_response(req=4))
    feed(r, f_steer_request(req=5), f_steer_response(req=5))
    feed(r, f_steer_request(req=6), f_error_response(req=6, error_type=None))
    (event,) = feed(r, resolved_config(), f_turn_completed())
    assert event["event_params"]["steer_count"] == 2


@pytest.mark.parametrize(
    ("overrides", "field", "value"),
    [
        ({"reasoning_summary": "none"}, "reasoning_summary", None),
        ({"reasoning_summary": None}, "reasoning_summary", None),
        ({"reasoning_summary": "detailed"}, "reasoning_summary", "detailed"),
        ({"personality": "none"}, "personality", None),
        ({"personality": "friendly"}, "personality", "friendly"),
        ({"service_tier": "flex"}, "service_tier", "flex"),
        ({"reasoning_effort": None}, "reasoning_effort", None),
        ({"collaboration_mode": "plan"}, "collaboration_mode", "plan"),
        ({"collaboration_mode": "pair_programming"}, "collaboration_mode", "default"),
        ({"collaboration_mode": "execute"}, "collaboration_mode", "default"),
        ({"approval_policy": "never"}, "approval_policy", "never"),
        ({"approvals_reviewer": "auto_review"}, "approvals_reviewer", "auto_review"),
        ({"submission_type": "queued"}, "submission_type", "queued"),
        ({"num_input_images": 4}, "num_input_images", 4),
        ({"permission_profile": {"type": "disabled"}}, "sandbox_policy", "full_access"),
    ],
)
def test_config_string_forms(overrides: dict[str, Any], field: str, value: Any) -> None:
    r = started_session()
    (event,) = feed(r, resolved_config(**overrides), f_turn_completed())
    assert event["event_params"][field] == value


def special(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": "special", "value": {"kind": kind, **extra}}


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ({"type": "disabled"}, "full_access"),
        ({"type": "external", "network": "enabled"}, "external_sandbox"),
        (
            {"type": "managed", "file_system": {"type": "unrestricted"}, "network": "enabled"},
            "full_access",
        ),
        (
            {"type": "managed", "file_system": {"type": "unrestricted"}, "network": "restricted"},
            "external_sandbox",
        ),
        (
            {
                "type": "managed",
                "network": "restricted",
                "file_system": {
                    "type": "restricted",
                    "entries": [{"path": special("root"), "access": "write"}],
                },
            },
            "external_sandbox",
        ),
        (
            {
                "type": "managed",
                "network": "restricted",
                "file_system": {
                    "type": "restricted",
                    "entries": [{"path": special("root"), "access": "read"}],
                },
            },
            "read_only",
        ),
        (
            {
                "type": "managed",
                "network": "enabled",
                "file_system": {
                    "type": "restricted",
                    "entries": [
                        {"path": special("root"), "access": "read"},
                        {"path": {"type": "path", "path": "/data"}, "access": "write"},
                    ],
                },
            },
            "workspace_write",
        ),
        (
            {
                "type": "managed",
                "network": "restricted",
                "file_system": {
                    "type": "restricted",
                    "entries": [
                        {"path": special("root"), "access": "write"},
                        {"path": {"type": "path", "path": "/repo/.git"}, "access": "read"},
                    ],
                },
            },
            "workspace_write",
        ),
        (
            {
                "type": "managed",
                "network": "restricted",
                "file_system": {
                    "type": "restricted",
                    "entries": [
                        {"path": {"type": "glob_pattern", "pattern": "**/x"}, "access": "write"}
                    ],
                },
            },
            "read_only",
        ),
    ],
)
def test_sandbox_policy(profile: dict[str, Any], expected: str) -> None:
    assert sandbox_policy(profile, "/repo") == expected


DIFF = (
    "diff --git a/src/lib.rs b/src/lib.rs\n"
    "--- a/src/lib.rs\n"
    "+++ b/src/lib.rs\n"
    "@@ -1,2 +1,2 @@\n"
    "-fn old() {}\n"
    "+fn useful() {\n"
    "+}\n"
)


def test_accepted_lines_follow_turn_event_from_latest_diff() -> None:
    r = make_reducer(repo_hash="abc")
    feed(r, f_initialize(), f_thread_response(), f_turn_start_request(), f_turn_start_response())
    first = f_turn_diff(diff="diff --git a/x b/x\n@@ -1 +1 @@\n+first version\n")
    feed(r, first, f_turn_diff(diff=DIFF))
    events = feed(r, resolved_config(), f_turn_completed())
    assert [e["event_type"] for e in events] == [
        "codex_turn_event",
        "codex_accepted_line_fingerprints",
    ]
    params = events[1]["event_params"]
    assert params["event_type"] == "codex.accepted_line_fingerprints"
    assert (params["turn_id"], params["thread_id"], params["model_slug"]) == (
        "turn-1",
        "thread-1",
        "gpt-5",
    )
    assert (params["completed_at"], params["repo_hash"]) == (1_700_000_000, "abc")
    assert (params["accepted_added_lines"], params["accepted_deleted_lines"]) == (2, 1)
    assert len(params["line_fingerprints"]) == 1
    assert r.stats.events_emitted_by_type["codex_accepted_line_fingerprints"] == 1


def test_empty_diff_emits_no_accepted_lines() -> None:
    r = started_session()
    feed(r, f_turn_diff(diff="diff --git a/x b/x\n"))
    events = feed(r, resolved_config(), f_turn_completed())
    assert [e["event_type"] for e in events] == ["codex_turn_event"]
