"""Connections, thread initialization, subagent threads, compaction, guardian custom fact."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.support.facts import (
    DEFAULT_CLIENT,
    DEFAULT_CONN_RUNTIME,
    J,
    f_compaction,
    f_guardian_review,
    f_initialize,
    f_item_completed,
    f_item_started,
    f_subagent,
    f_thread_response,
    guardian_params,
)
from tests.support.reducing import DEFAULT_RUNTIME, feed, make_reducer, wire


def test_thread_start_emits_expected_bytes() -> None:
    r = make_reducer()
    assert feed(r, f_initialize()) == []
    events = feed(r, f_thread_response())
    assert [wire(e) for e in events] == [
        '{"event_type":"codex_thread_initialized","event_params":{"thread_id":"thread-1",'
        '"app_server_client":{"product_client_id":"codex_vscode","client_name":"codex-vscode",'
        '"client_version":"1.2.3","rpc_transport":"stdio","experimental_api_enabled":true},'
        '"runtime":{"codex_rs_version":"0.99.0","runtime_os":"macos","runtime_os_version":"15.3.1",'
        '"runtime_arch":"aarch64"},"model":"gpt-5","ephemeral":false,"thread_source":"user",'
        '"initialization_mode":"new","subagent_source":null,"parent_thread_id":null,'
        '"created_at":1}}'
    ]
    assert r.state_size()["threads"] == 1
    assert r.stats.events_emitted_by_type == {"codex_thread_initialized": 1}


@pytest.mark.parametrize(
    ("method", "mode"),
    [("thread/start", "new"), ("thread/resume", "resumed"), ("thread/fork", "forked")],
)
def test_initialization_modes(method: str, mode: str) -> None:
    r = make_reducer()
    (event,) = feed(r, f_initialize(), f_thread_response(method=method))
    assert event["event_params"]["initialization_mode"] == mode


def test_thread_response_before_initialize_is_not_recorded_nor_replayed() -> None:
    r = make_reducer()
    assert feed(r, f_thread_response()) == []
    assert r.state_size()["threads"] == 0
    assert feed(r, f_initialize()) == []
    # A tool item on that thread has no thread connection.
    assert feed(r, f_item_started(), f_item_completed()) == []
    assert r.stats.drops_by_reason == {"thread_connection": 1}


def test_reinitialize_replaces_connection_metadata_for_later_events() -> None:
    r = make_reducer()
    (first,) = feed(r, f_initialize(), f_thread_response())
    feed(r, f_initialize(name="other-client", exp=None))
    (second,) = feed(r, f_thread_response(method="thread/resume"))
    assert first["event_params"]["app_server_client"] == DEFAULT_CLIENT
    client = second["event_params"]["app_server_client"]
    assert client["client_name"] == "other-client"
    assert client["experimental_api_enabled"] is None


def test_negative_created_at_and_missing_thread_source() -> None:
    r = make_reducer()
    (event,) = feed(r, f_initialize(), f_thread_response(created_at=-5, thread_source=None))
    assert event["event_params"]["created_at"] == 0
    assert event["event_params"]["thread_source"] is None


def test_subagent_session_source_on_thread_response() -> None:
    r = make_reducer()
    source = {"subAgent": {"thread_spawn": {"parent_thread_id": "thread-0", "depth": 1}}}
    (event,) = feed(r, f_initialize(), f_thread_response(source=source, thread_source="subagent"))
    params = event["event_params"]
    assert (params["subagent_source"], params["parent_thread_id"]) == ("thread_spawn", "thread-0")
    (event,) = feed(r, f_thread_response(thread_id="t2", source={"subAgent": {"other": "guard"}}))
    assert (
        event["event_params"]["subagent_source"],
        event["event_params"]["parent_thread_id"],
    ) == (
        "guard",
        None,
    )
    (event,) = feed(r, f_thread_response(thread_id="t3", source={"custom": "x"}))
    assert event["event_params"]["subagent_source"] is None


def subagent_fact(thread_id: str = "sub-1", source: Any = "review", parent: str | None = None) -> J:
    return f_subagent(thread_id, parent, source, 1_716_000_100, pcid="codex_cli_rs", ephemeral=True)


def test_subagent_review_serializes_expected_shape_without_initialize() -> None:
    r = make_reducer()
    (event,) = feed(r, subagent_fact())
    assert event == {
        "event_type": "codex_thread_initialized",
        "event_params": {
            "thread_id": "sub-1",
            "app_server_client": {
                "product_client_id": "codex_cli_rs",
                "client_name": "codex-tui",
                "client_version": "1.0.0",
                "rpc_transport": "in_process",
                "experimental_api_enabled": None,
            },
            "runtime": DEFAULT_RUNTIME,
            "model": "gpt-5",
            "ephemeral": True,
            "thread_source": "subagent",
            "initialization_mode": "new",
            "subagent_source": "review",
            "parent_thread_id": None,
            "created_at": 1_716_000_100,
        },
    }


@pytest.mark.parametrize(
    ("source", "parent", "name", "expected_parent"),
    [
        ({"thread_spawn": {"parent_thread_id": "p-1", "depth": 1}}, None, "thread_spawn", "p-1"),
        ("memory_consolidation", None, "memory_consolidation", None),
        ("compact", None, "compact", None),
        ({"other": "custom-agent"}, None, "custom-agent", None),
        ({"other": "custom-agent"}, "p-9", "custom-agent", "p-9"),
        ({"thread_spawn": {"parent_thread_id": "p-1", "depth": 1}}, "p-2", "thread_spawn", "p-2"),
    ],
)
def test_subagent_source_names_and_parents(
    source: Any, parent: str | None, name: str, expected_parent: str | None
) -> None:
    (event,) = feed(make_reducer(), subagent_fact(source=source, parent=parent))
    assert event["event_params"]["subagent_source"] == name
    assert event["event_params"]["parent_thread_id"] == expected_parent


def test_subagent_inherits_parent_connection_and_tool_items_use_it() -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response(thread_id="parent"))
    feed(r, subagent_fact("sub-1", {"thread_spawn": {"parent_thread_id": "parent", "depth": 1}}))
    events = feed(r, f_item_started("sub-1"), f_item_completed("sub-1"))
    (event,) = events
    params = event["event_params"]
    assert params["app_server_client"] == DEFAULT_CLIENT
    assert params["runtime"] == DEFAULT_CONN_RUNTIME
    assert (params["thread_source"], params["subagent_source"], params["parent_thread_id"]) == (
        "subagent",
        "thread_spawn",
        "parent",
    )


def test_subagent_metadata_is_kept_and_thread_response_replaces_it() -> None:
    r = make_reducer()
    feed(r, f_initialize())
    feed(r, subagent_fact("sub-1", "review"))
    feed(r, subagent_fact("sub-1", "compact"))  # metadata only written if absent
    feed(r, f_item_started("sub-1"))
    assert feed(r, f_item_completed("sub-1")) == []
    assert r.stats.drops_by_reason == {"thread_connection": 1}
    feed(r, f_thread_response(thread_id="sub-1"))
    feed(r, f_item_started("sub-1"))
    (event,) = feed(r, f_item_completed("sub-1"))
    assert event["event_params"]["thread_source"] == "user"
    assert event["event_params"]["subagent_source"] is None


def compaction_fact(thread_id: str = "thread-1") -> J:
    return f_compaction(
        thread_id,
        "turn-1",
        "auto",
        "context_limit",
        "responses_compact",
        "mid_turn",
        "memento",
        "completed",
        None,
        120_000,
        30_000,
        1_716_000_020,
        1_716_000_025,
        5_000,
    )


def test_compaction_event_shape() -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response())
    (event,) = feed(r, compaction_fact())
    assert wire(event) == (
        '{"event_type":"codex_compaction_event","event_params":{"thread_id":"thread-1",'
        '"turn_id":"turn-1","app_server_client":{"product_client_id":"codex_vscode",'
        '"client_name":"codex-vscode","client_version":"1.2.3","rpc_transport":"stdio",'
        '"experimental_api_enabled":true},"runtime":{"codex_rs_version":"0.99.0",'
        '"runtime_os":"macos","runtime_os_version":"15.3.1","runtime_arch":"aarch64"},'
        '"thread_source":"user","subagent_source":null,"parent_thread_id":null,'
        '"trigger":"auto","reason":"context_limit","implementation":"responses_compact",'
        '"phase":"mid_turn","strategy":"memento","status":"completed","error":null,'
        '"active_context_tokens_before":120000,"active_context_tokens_after":30000,'
        '"started_at":1716000020,"completed_at":1716000025,"duration_ms":5000}}'
    )


def test_compaction_dropped_with_warning_when_thread_unknown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    r = make_reducer()
    with caplog.at_level(logging.WARNING, logger="codex_analytics_contract.reducer"):
        assert feed(r, compaction_fact("nope")) == []
    (record,) = caplog.records
    assert record.getMessage() == "dropping compaction analytics event: missing analytics context"
    assert record.__dict__["missing_context"] == "thread_connection"
    assert record.__dict__["thread_id"] == "nope"
    assert record.__dict__["turn_id"] == "turn-1"
    assert r.stats.drops_by_reason == {"thread_connection": 1}


def guardian_fact(thread_id: str = "thread-1") -> J:
    return f_guardian_review(
        guardian_params(
            thread_id,
            "turn-1",
            "review-1",
            None,
            approval_request_source="main_turn",
            reviewed_action={"type": "apply_patch"},
            decision="approved",
            terminal_status="approved",
            failure_reason=None,
            risk_level="low",
            outcome="allow",
            input_tokens=10,
            total_tokens=13,
        )
    )


def test_guardian_custom_fact_flattens_params_after_client_and_runtime() -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response())
    fact = guardian_fact()
    (event,) = feed(r, fact)
    assert event["event_type"] == "codex_guardian_review"
    params = event["event_params"]
    assert list(params)[:2] == ["app_server_client", "runtime"]
    expected = {k: v for k, v in fact.items() if k != "fact"}
    assert list(params)[2:] == list(expected)
    assert {k: params[k] for k in expected} == expected


def test_guardian_custom_fact_needs_only_thread_connection() -> None:
    r = make_reducer()
    assert feed(r, guardian_fact()) == []
    assert r.stats.drops_by_reason == {"thread_connection": 1}
