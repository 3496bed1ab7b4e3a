"""Turn-steer events: accepted, every rejection reason, and the silent / warned non-emissions."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.support.facts import (
    DEFAULT_CLIENT,
    DEFAULT_CONN_RUNTIME,
    LOCAL_IMG,
    f_error_response,
    f_initialize,
    f_steer_request,
    f_steer_response,
    f_thread_response,
    f_turn_start_request,
    f_turn_start_response,
    text_input,
)
from tests.support.reducing import feed, make_reducer, wire


def test_accepted_steer_event_bytes() -> None:
    r = make_reducer()
    inputs = [text_input("more"), LOCAL_IMG, LOCAL_IMG]
    feed(r, f_initialize(), f_thread_response(), f_steer_request(inputs=inputs))
    (event,) = feed(r, f_steer_response())
    assert wire(event) == (
        '{"event_type":"codex_turn_steer_event","event_params":{"thread_id":"thread-1",'
        '"expected_turn_id":"turn-1","accepted_turn_id":"turn-1","app_server_client":'
        '{"product_client_id":"codex_vscode","client_name":"codex-vscode","client_version":"1.2.3",'
        '"rpc_transport":"stdio","experimental_api_enabled":true},"runtime":{"codex_rs_version":'
        '"0.99.0","runtime_os":"macos","runtime_os_version":"15.3.1","runtime_arch":"aarch64"},'
        '"thread_source":"user","subagent_source":null,"parent_thread_id":null,'
        '"num_input_images":2,"result":"accepted","rejection_reason":null,"created_at":1700000000}}'
    )
    # the turn is not created by an accepted steer
    assert r.state_size()["turns"] == 0


@pytest.mark.parametrize(
    ("error_type", "reason"),
    [
        ({"turn_steer": "no_active_turn"}, "no_active_turn"),
        ({"turn_steer": "expected_turn_mismatch"}, "expected_turn_mismatch"),
        ({"turn_steer": "non_steerable_review"}, "non_steerable_review"),
        ({"turn_steer": "non_steerable_compact"}, "non_steerable_compact"),
        ({"input": "empty"}, "empty_input"),
        ({"input": "too_large"}, "input_too_large"),
        (None, None),
    ],
)
def test_rejected_steer_reasons(error_type: Any, reason: str | None) -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response(), f_steer_request())
    (event,) = feed(r, f_error_response(error_type=error_type))
    params = event["event_params"]
    assert (params["result"], params["accepted_turn_id"], params["rejection_reason"]) == (
        "rejected",
        None,
        reason,
    )


def test_rejected_steer_uses_request_connection() -> None:
    r = make_reducer()
    feed(r, f_initialize(7), f_thread_response(7), f_initialize(8, name="other"))
    feed(r, f_steer_request(8))
    (event,) = feed(r, f_error_response(8, error_type={"turn_steer": "no_active_turn"}))
    assert event["event_params"]["app_server_client"]["client_name"] == "other"
    assert event["event_params"]["runtime"] == DEFAULT_CONN_RUNTIME
    assert event["event_params"]["app_server_client"] != DEFAULT_CLIENT


def test_no_pending_request_emits_nothing() -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response())
    assert feed(r, f_error_response(error_type={"turn_steer": "no_active_turn"})) == []
    assert feed(r, f_steer_response()) == []
    # a response on another connection does not match the pending key
    feed(r, f_steer_request(7))
    assert feed(r, f_steer_response(8)) == []
    assert r.state_size()["requests"] == 1


def test_unknown_connection_is_silent() -> None:
    r = make_reducer()
    feed(r, f_initialize(7), f_thread_response(), f_steer_request(9))
    assert feed(r, f_steer_response(9)) == []
    assert r.stats.drops_by_reason == {}


def test_missing_thread_metadata_warns(caplog: pytest.LogCaptureFixture) -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_steer_request(thread_id="ghost"))
    with caplog.at_level(logging.WARNING, logger="codex_analytics_contract.reducer"):
        assert feed(r, f_steer_response()) == []
    (record,) = caplog.records
    assert record.getMessage() == "dropping turn steer analytics event: missing analytics context"
    assert (record.__dict__["thread_id"], record.__dict__["turn_id"]) == ("ghost", None)
    assert r.stats.drops_by_reason == {"thread_metadata": 1}


def test_request_kind_mismatch_deletes_pending_and_emits_nothing() -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response())
    feed(r, f_steer_request(req=3))
    assert feed(r, f_turn_start_response(req=3)) == []
    assert r.state_size() == {**r.state_size(), "requests": 0, "turns": 0}
    feed(r, f_turn_start_request(req=4))
    assert feed(r, f_steer_response(req=4)) == []
    assert r.state_size()["requests"] == 0


def test_string_request_ids_are_distinct_from_integers() -> None:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response(), f_steer_request(req="4"))
    assert feed(r, f_steer_response(req=4)) == []
    assert len(feed(r, f_steer_response(req="4"))) == 1
