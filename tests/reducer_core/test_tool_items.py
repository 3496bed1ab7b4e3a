"""Tool-item events for the seven tracked item kinds and their derived fields."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.support.facts import (
    FOUR_ACTIONS,
    change,
    cmd_item,
    collab_item,
    dyn_item,
    f_initialize,
    f_item_completed,
    f_item_started,
    f_thread_response,
    file_item,
    image_item,
    mcp_item,
    web_item,
)
from tests.support.reducing import feed, make_reducer, wire

DONE = cmd_item(status="completed", exit_code=0, duration_ms=200, actions=FOUR_ACTIONS)


def session() -> Any:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response())
    return r


def run_item(item: dict[str, Any], started: int = 1_000, completed: int = 1_250) -> list[Any]:
    r = session()
    assert feed(r, f_item_started(item=item, at=started)) == []
    return feed(r, f_item_completed(item=item, at=completed))


def test_command_execution_event_bytes() -> None:
    (event,) = run_item(DONE)
    assert wire(event) == (
        '{"event_type":"codex_command_execution_event","event_params":{"thread_id":"thread-1",'
        '"turn_id":"turn-1","item_id":"item-1","app_server_client":{"product_client_id":'
        '"codex_vscode","client_name":"codex-vscode","client_version":"1.2.3","rpc_transport":'
        '"stdio","experimental_api_enabled":true},"runtime":{"codex_rs_version":"0.99.0",'
        '"runtime_os":"macos","runtime_os_version":"15.3.1","runtime_arch":"aarch64"},'
        '"thread_source":"user","subagent_source":null,"parent_thread_id":null,"tool_name":"shell",'
        '"started_at_ms":1000,"completed_at_ms":1250,"duration_ms":250,"execution_duration_ms":200,'
        '"review_count":0,"guardian_review_count":0,"user_review_count":0,'
        '"final_approval_outcome":"unknown","terminal_status":"completed","failure_kind":null,'
        '"requested_additional_permissions":false,"requested_network_access":false,'
        '"command_execution_source":"agent","exit_code":0,"command_total_action_count":4,'
        '"command_read_action_count":1,"command_list_files_action_count":1,'
        '"command_search_action_count":1,"command_unknown_action_count":1}}'
    )


@pytest.mark.parametrize(
    ("source", "tool_name"),
    [
        ("agent", "shell"),
        ("userShell", "user_shell"),
        ("unifiedExecStartup", "unified_exec"),
        ("unifiedExecInteraction", "unified_exec"),
    ],
)
def test_command_tool_names(source: str, tool_name: str) -> None:
    (event,) = run_item(cmd_item(status="completed", source=source))
    assert event["event_params"]["tool_name"] == tool_name
    assert event["event_params"]["command_execution_source"] == source


@pytest.mark.parametrize(
    ("status", "terminal", "failure"),
    [("failed", "failed", "tool_error"), ("declined", "rejected", "approval_denied")],
)
def test_command_terminal_statuses(status: str, terminal: str, failure: str) -> None:
    (event,) = run_item(cmd_item(status=status))
    assert (event["event_params"]["terminal_status"], event["event_params"]["failure_kind"]) == (
        terminal,
        failure,
    )


def test_in_progress_completion_emits_nothing_and_consumes_start() -> None:
    r = session()
    feed(r, f_item_started())
    assert feed(r, f_item_completed(item=cmd_item(status="inProgress"))) == []
    assert r.state_size()["started_items"] == 0
    assert r.stats.drops_by_reason == {}


def test_negative_durations_and_timestamps() -> None:
    (event,) = run_item({**DONE, "durationMs": -1}, started=2_000, completed=1_500)
    assert event["event_params"]["duration_ms"] is None
    assert event["event_params"]["execution_duration_ms"] is None
    r = session()
    assert feed(r, f_item_started(at=-1)) == []
    assert r.state_size()["started_items"] == 0
    feed(r, f_item_started())
    assert feed(r, f_item_completed(at=-5)) == []
    assert r.state_size()["started_items"] == 0


def test_duplicate_start_last_wins_and_duplicate_completion_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    r = session()
    feed(r, f_item_started(at=10), f_item_started(at=20))
    (event,) = feed(r, f_item_completed(at=30))
    assert event["event_params"]["started_at_ms"] == 20
    with caplog.at_level(logging.WARNING, logger="codex_analytics_contract.reducer"):
        assert feed(r, f_item_completed(at=40)) == []
    (record,) = caplog.records
    assert record.getMessage() == (
        "dropping tool item analytics event: missing item started notification"
    )
    assert record.__dict__["item_id"] == "item-1"
    assert r.stats.drops_by_reason == {"missing_item_started": 1}


def test_untracked_items_are_ignored() -> None:
    r = session()
    item = {"type": "agentMessage", "id": "m1", "text": "hi"}
    assert feed(r, f_item_started(item=item), f_item_completed(item=item)) == []
    assert r.stats.drops_by_reason == {}
    assert r.state_size()["started_items"] == 0


def test_file_change_counts() -> None:
    changes = [change("a", "add"), change("b", "delete"), change("c", "update")]
    changes += [change("d", "update", move_path="e"), change("f", "update")]
    (event,) = run_item(file_item("fc-1", "completed", changes))
    params = event["event_params"]
    assert event["event_type"] == "codex_file_change_event"
    assert params["tool_name"] == "apply_patch"
    assert params["execution_duration_ms"] is None
    assert list(params)[-5:] == [
        "file_change_count",
        "file_add_count",
        "file_update_count",
        "file_delete_count",
        "file_move_count",
    ]
    assert [params[k] for k in list(params)[-5:]] == [5, 1, 2, 1, 1]


def test_mcp_tool_call() -> None:
    item = mcp_item("mcp-1", "failed", error={"message": "x"}, duration_ms=77)
    (event,) = run_item(item)
    params = event["event_params"]
    assert event["event_type"] == "codex_mcp_tool_call_event"
    assert (params["tool_name"], params["execution_duration_ms"]) == ("search", 77)
    assert (params["terminal_status"], params["failure_kind"]) == ("failed", "tool_error")
    assert list(params.items())[-3:] == [
        ("mcp_server_name", "docs"),
        ("mcp_tool_name", "search"),
        ("mcp_error_present", True),
    ]
    assert run_item({**item, "status": "inProgress"}) == []


def test_dynamic_tool_call_counts() -> None:
    content = [
        {"type": "inputText", "text": "a"},
        {"type": "inputImage", "imageUrl": "u"},
        {"type": "inputText", "text": "b"},
    ]
    item = dyn_item("dyn-1", "completed", content, True, 5)
    (event,) = run_item(item)
    assert list(event["event_params"].items())[-5:] == [
        ("dynamic_tool_name", "render"),
        ("success", True),
        ("output_content_item_count", 3),
        ("output_text_item_count", 2),
        ("output_image_item_count", 1),
    ]
    (event,) = run_item({**item, "contentItems": None, "success": None})
    assert list(event["event_params"].values())[-4:] == [None, None, None, None]


def test_collab_agent_tool_call() -> None:
    states = {
        "a": {"status": "completed", "message": None},
        "b": {"status": "errored", "message": "x"},
        "c": {"status": "notFound", "message": None},
    }
    item = collab_item(
        "col-1", "wait", "completed", ["a", "b", "c"], states, model="gpt-5-mini", effort="low"
    )
    (event,) = run_item(item)
    params = event["event_params"]
    assert (params["tool_name"], params["execution_duration_ms"]) == ("wait_agent", None)
    assert list(params.items())[-8:] == [
        ("sender_thread_id", "thread-1"),
        ("receiver_thread_count", 3),
        ("receiver_thread_ids", ["a", "b", "c"]),
        ("requested_model", "gpt-5-mini"),
        ("requested_reasoning_effort", "low"),
        ("agent_state_count", 3),
        ("completed_agent_count", 1),
        ("failed_agent_count", 2),
    ]
    for tool, name in [
        ("spawnAgent", "spawn_agent"),
        ("sendInput", "send_input"),
        ("resumeAgent", "resume_agent"),
        ("closeAgent", "close_agent"),
    ]:
        (event,) = run_item({**item, "tool": tool})
        assert event["event_params"]["tool_name"] == name


@pytest.mark.parametrize(
    ("query", "action", "kind", "present", "count"),
    [
        ("rust", {"type": "search", "query": "rust", "queries": ["a", "b"]}, "search", True, 2),
        ("rust", {"type": "search", "query": "rust", "queries": None}, "search", True, 1),
        ("", {"type": "search", "query": None, "queries": None}, "search", False, None),
        ("x", {"type": "openPage", "url": "https://x"}, "open_page", True, None),
        ("x", {"type": "findInPage", "url": None, "pattern": "p"}, "find_in_page", True, None),
        ("x", {"type": "other"}, "other", True, None),
        ("  q  ", None, None, True, 1),
        ("   ", None, None, False, None),
    ],
)
def test_web_search(
    query: str, action: Any, kind: str | None, present: bool, count: int | None
) -> None:
    (event,) = run_item(web_item("ws-1", query, action))
    params = event["event_params"]
    assert (params["tool_name"], params["terminal_status"]) == ("web_search", "completed")
    assert list(params.items())[-3:] == [
        ("web_search_action", kind),
        ("query_present", present),
        ("query_count", count),
    ]


@pytest.mark.parametrize(
    ("status", "terminal"), [("failed", "failed"), ("error", "failed"), ("generating", "completed")]
)
def test_image_generation(status: str, terminal: str) -> None:
    (event,) = run_item(image_item("img-1", status, "a cat", None))
    params = event["event_params"]
    assert params["terminal_status"] == terminal
    assert list(params.items())[-2:] == [
        ("revised_prompt_present", True),
        ("saved_path_present", False),
    ]
