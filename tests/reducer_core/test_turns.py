"""Turn events: prerequisites, arrival order, statuses, config strings, accepted lines."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import pytest

from codex_analytics_contract.reducer.mappings import sandbox_policy

from .factkit import (
    CLIENT,
    CONN_RUNTIME,
    Fact,
    diff_updated,
    dumps,
    error_response,
    feed,
    initialize,
    make_reducer,
    resolved_config,
    steer_request,
    steer_response,
    thread_response,
    token_usage,
    turn_completed,
    turn_start_request,
    turn_start_response,
    turn_started,
)


def expected_turn(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "thread_id": "thread-1",
        "turn_id": "turn-1",
        "submission_type": None,
        "app_server_client": CLIENT,
        "runtime": CONN_RUNTIME,
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
        "input_tokens": 100,
        "cached_input_tokens": 20,
        "output_tokens": 30,
        "reasoning_output_tokens": 5,
        "total_tokens": 130,
        "duration_ms": 32_000,
        "started_at": 1_716_000_010,
        "completed_at": 1_716_000_042,
    }
    params.update(overrides)
    return {"event_type": "codex_turn_event", "event_params": params}


def started_session() -> Any:
    r = make_reducer()
    feed(r, initialize(), thread_response(), turn_start_request(images=2), turn_start_response())
    return r


def test_turn_lifecycle_emits_one_turn_event_and_frees_state() -> None:
    r = started_session()
    events = feed(r, resolved_config(), token_usage(), turn_started(), turn_completed())
    assert events == [expected_turn()]
    assert list(events[0]["event_params"]) == list(expected_turn()["event_params"])
    assert r.state_size()["turns"] == 0
    assert r.state_size()["requests"] == 0


def test_turn_event_bytes() -> None:
    r = started_session()
    (event,) = feed(r, resolved_config(), token_usage(), turn_started(), turn_completed())
    assert dumps(event).startswith(
        '{"event_type":"codex_turn_event","event_params":{"thread_id":"thread-1",'
        '"turn_id":"turn-1","submission_type":null,"app_server_client":{'
    )
    assert dumps(event).endswith(
        '"total_tokens":130,"duration_ms":32000,"started_at":1716000010,"completed_at":1716000042}}'
    )


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["start", "config", "usage", "started", "completed"]))
)
def test_arrival_order_is_free(order: tuple[str, ...]) -> None:
    r = make_reducer()
    feed(r, initialize(), thread_response(), turn_start_request(images=2))
    facts: dict[str, Fact] = {
        "start": turn_start_response(),
        "config": resolved_config(),
        "usage": token_usage(),
        "started": turn_started(),
        "completed": turn_completed(),
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
    feed(r, initialize(), thread_response())
    # no turn/start at all
    assert feed(r, resolved_config(), token_usage(), turn_started(), turn_completed()) == []
    assert r.state_size()["turns"] == 1
    assert r.stats.drops_by_reason == {}


def test_turn_start_error_discards_pending_request() -> None:
    r = make_reducer()
    feed(r, initialize(), thread_response(), turn_start_request())
    assert feed(r, error_response(request_id=3)) == []
    assert feed(r, turn_start_response()) == []
    assert feed(r, resolved_config(), turn_completed()) == []
    assert r.state_size()["requests"] == 0


def test_failed_turn_reports_error_info() -> None:
    r = started_session()
    error = {"message": "boom", "codexErrorInfo": {"httpConnectionFailed": {"httpStatusCode": 502}}}
    (event,) = feed(r, resolved_config(), turn_completed(status="failed", error=error))
    params = event["event_params"]
    assert params["status"] == "failed"
    assert params["turn_error"] == {"httpConnectionFailed": {"httpStatusCode": 502}}
    assert params["started_at"] is None and params["input_tokens"] is None


def test_interrupted_turn_without_error_and_odd_timestamps() -> None:
    r = started_session()
    (event,) = feed(
        r,
        resolved_config(),
        turn_started(started_at=-1),
        turn_completed(status="interrupted", completed_at=None, duration_ms=-3),
    )
    params = event["event_params"]
    assert (params["status"], params["turn_error"]) == ("interrupted", None)
    assert (params["started_at"], params["completed_at"], params["duration_ms"]) == (None, 0, None)


def test_in_progress_completed_status_maps_to_null() -> None:
    r = started_session()
    (event,) = feed(r, resolved_config(), turn_completed(status="inProgress"))
    assert event["event_params"]["status"] is None


def test_duplicate_completion_creates_orphan() -> None:
    r = started_session()
    assert len(feed(r, resolved_config(), turn_completed())) == 1
    assert feed(r, turn_completed(), token_usage()) == []
    assert r.state_size()["turns"] == 1


def test_turn_uses_turn_start_connection_and_missing_metadata_drops(
    caplog: pytest.LogCaptureFixture,
) -> None:
    r = make_reducer()
    feed(r, initialize(7), initialize(8, name="second"), thread_response())
    feed(r, turn_start_request(conn=8), turn_start_response(conn=8))
    (event,) = feed(r, resolved_config(), turn_completed())
    assert event["event_params"]["app_server_client"]["client_name"] == "second"
    # a turn on an unknown thread: connection known, metadata missing -> warning drop
    feed(r, turn_start_request("ghost", request_id=9), turn_start_response("turn-9", request_id=9))
    with caplog.at_level(logging.WARNING, logger="codex_analytics_contract.reducer"):
        assert feed(r, resolved_config("turn-9", "ghost"), turn_completed("turn-9", "ghost")) == []
    (record,) = caplog.records
    assert record.getMessage() == "dropping turn analytics event: missing analytics context"
    assert record.__dict__["missing_context"] == "thread_metadata"
    assert record.__dict__["turn_id"] == "turn-9"
    assert r.stats.drops_by_reason == {"thread_metadata": 1}


def test_accepted_steers_increment_steer_count() -> None:
    r = started_session()
    feed(r, steer_request(request_id=4), steer_response(request_id=4))
    feed(r, steer_request(request_id=5), steer_response(request_id=5))
    feed(r, steer_request(request_id=6), error_response(request_id=6, error_type=None))
    (event,) = feed(r, resolved_config(), turn_completed())
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
    (event,) = feed(r, resolved_config(**overrides), turn_completed())
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
    feed(r, initialize(), thread_response(), turn_start_request(), turn_start_response())
    feed(r, diff_updated("diff --git a/x b/x\n@@ -1 +1 @@\n+first version\n"), diff_updated(DIFF))
    events = feed(r, resolved_config(), turn_completed())
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
    feed(r, diff_updated("diff --git a/x b/x\n"))
    events = feed(r, resolved_config(), turn_completed())
    assert [e["event_type"] for e in events] == ["codex_turn_event"]
