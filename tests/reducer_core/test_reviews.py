"""User reviews (approval requests, responses, effective permissions, aborts), guardian reviews
from notifications, and review summaries folded onto tool-item events."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.facts import (
    FILE_APPROVAL,
    G_COMMAND,
    PERM_APPROVAL,
    J,
    f_aborted,
    f_cmd_approval,
    f_effective_permissions,
    f_file_approval,
    f_guardian_notification,
    f_initialize,
    f_item_completed,
    f_item_started,
    f_notification,
    f_permissions_approval,
    f_server_request,
    f_server_response,
    f_thread_response,
)
from tests.support.reducing import feed, make_reducer, wire


def session() -> Any:
    r = make_reducer()
    feed(r, f_initialize(), f_thread_response())
    return r


def test_command_approval_response_emits_user_review_bytes() -> None:
    r = session()
    assert feed(r, f_cmd_approval()) == []
    (event,) = feed(r, f_server_response(decision="accept"))
    assert wire(event) == (
        '{"event_type":"codex_review_event","event_params":{"thread_id":"thread-1",'
        '"turn_id":"turn-1","item_id":"item-1","review_id":"user:41","app_server_client":'
        '{"product_client_id":"codex_vscode","client_name":"codex-vscode","client_version":"1.2.3",'
        '"rpc_transport":"stdio","experimental_api_enabled":true},"runtime":{"codex_rs_version":'
        '"0.99.0","runtime_os":"macos","runtime_os_version":"15.3.1","runtime_arch":"aarch64"},'
        '"thread_source":"user","subagent_source":null,"parent_thread_id":null,'
        '"subject_kind":"command_execution","subject_name":"command_execution","reviewer":"user",'
        '"trigger":"initial","status":"approved","resolution":"none","started_at_ms":1000,'
        '"completed_at_ms":1042,"duration_ms":42}}'
    )
    assert r.state_size()["pending_reviews"] == 0
    assert feed(r, f_server_response(decision="accept")) == []


@pytest.mark.parametrize(
    ("decision", "status", "resolution"),
    [
        ("accept", "approved", "none"),
        ("acceptForSession", "approved", "session_approval"),
        (
            {"acceptWithExecpolicyAmendment": {"execpolicy_amendment": ["ls"]}},
            "approved",
            "exec_policy_amendment",
        ),
        (
            {
                "applyNetworkPolicyAmendment": {
                    "network_policy_amendment": {"host": "h", "action": "allow"}
                }
            },
            "approved",
            "network_policy_amendment",
        ),
        (
            {
                "applyNetworkPolicyAmendment": {
                    "network_policy_amendment": {"host": "h", "action": "deny"}
                }
            },
            "denied",
            "network_policy_amendment",
        ),
        ("decline", "denied", "none"),
        ("cancel", "aborted", "none"),
    ],
)
def test_command_decisions(decision: Any, status: str, resolution: str) -> None:
    r = session()
    feed(r, f_cmd_approval())
    (event,) = feed(r, f_server_response(decision=decision))
    assert (event["event_params"]["status"], event["event_params"]["resolution"]) == (
        status,
        resolution,
    )


@pytest.mark.parametrize(
    ("extra", "kind", "trigger", "additional", "network"),
    [
        ({}, "command_execution", "initial", False, False),
        ({"approvalId": "a-1"}, "command_execution", "execve_intercept", False, False),
        (
            {"networkApprovalContext": {"host": "example.com", "protocol": "https"}},
            "network_access",
            "network_policy_denial",
            False,
            True,
        ),
        (
            {"proposedNetworkPolicyAmendments": [{"host": "h", "action": "allow"}]},
            "command_execution",
            "network_policy_denial",
            False,
            True,
        ),
        ({"proposedNetworkPolicyAmendments": []}, "command_execution", "initial", False, False),
        (
            {"additionalPermissions": {"network": {"enabled": True}, "fileSystem": None}},
            "command_execution",
            "network_policy_denial",
            True,
            True,
        ),
        (
            {"additionalPermissions": {"network": None, "fileSystem": {"write": ["/x"]}}},
            "command_execution",
            "sandbox_denial",
            True,
            False,
        ),
        (
            {"approvalId": "a-2", "additionalPermissions": {"network": {"enabled": True}}},
            "command_execution",
            "execve_intercept",
            True,
            True,
        ),
    ],
)
def test_command_request_subject_and_trigger(
    extra: dict[str, Any], kind: str, trigger: str, additional: bool, network: bool
) -> None:
    r = session()
    feed(r, f_cmd_approval(**extra), f_item_started())
    (review,) = feed(r, f_server_response(decision="decline"))
    params = review["event_params"]
    assert (params["subject_kind"], params["subject_name"], params["trigger"]) == (
        kind,
        kind,
        trigger,
    )
    (item,) = feed(r, f_item_completed())
    item_params = item["event_params"]
    if kind == "command_execution":
        assert (item_params["review_count"], item_params["user_review_count"]) == (1, 1)
        assert item_params["final_approval_outcome"] == "user_denied"
        assert item_params["requested_additional_permissions"] is additional
        assert item_params["requested_network_access"] is network
    else:  # network-access reviews never touch the item summary
        assert (item_params["review_count"], item_params["final_approval_outcome"]) == (
            0,
            "unknown",
        )


@pytest.mark.parametrize(
    ("decision", "status", "resolution"),
    [
        ("accept", "approved", "none"),
        ("acceptForSession", "approved", "session_approval"),
        ("decline", "denied", "none"),
        ("cancel", "aborted", "none"),
    ],
)
def test_file_change_review(decision: str, status: str, resolution: str) -> None:
    r = session()
    feed(r, f_file_approval(7, "req-fc", item_id="fc-1", started_at_ms=500, grant_root="/repo"))
    (event,) = feed(r, f_server_response("req-fc", FILE_APPROVAL, decision, at=400))
    params = event["event_params"]
    assert params["review_id"] == "user:req-fc"
    assert (params["subject_kind"], params["subject_name"], params["trigger"]) == (
        "file_change",
        "apply_patch",
        "sandbox_denial",
    )
    assert (params["status"], params["resolution"]) == (status, resolution)
    assert (params["started_at_ms"], params["completed_at_ms"], params["duration_ms"]) == (
        500,
        400,
        None,
    )


def permissions_request(permissions: Any = None) -> J:
    if permissions is None:
        permissions = {"network": {"enabled": True}, "fileSystem": None}
    return f_permissions_approval(7, 51, permissions, item_id="item-1")


@pytest.mark.parametrize(
    ("grant", "scope", "status", "resolution"),
    [
        ({"network": {"enabled": True}}, "turn", "approved", "none"),
        ({"file_system": {"write": ["/x"]}}, "session", "approved", "session_approval"),
        ({}, "session", "denied", "none"),
    ],
)
def test_permissions_review_is_scored_from_effective_grant(
    grant: dict[str, Any], scope: str, status: str, resolution: str
) -> None:
    r = session()
    feed(r, permissions_request(), f_item_started())
    # the raw permissions response is ignored: the review stays pending
    assert feed(r, f_server_response(51, PERM_APPROVAL, "accept")) == []
    assert r.state_size()["pending_reviews"] == 1
    (event,) = feed(r, f_effective_permissions(51, grant, scope))
    params = event["event_params"]
    assert (params["subject_kind"], params["subject_name"], params["trigger"]) == (
        "permissions",
        "permissions",
        "network_policy_denial",
    )
    assert (params["status"], params["resolution"]) == (status, resolution)
    (item,) = feed(r, f_item_completed())
    assert item["event_params"]["review_count"] == 0  # permissions are never denormalized


@pytest.mark.parametrize(
    ("permissions", "trigger"),
    [
        ({"network": {"enabled": False}, "fileSystem": {"read": ["/x"]}}, "sandbox_denial"),
        ({"network": None, "fileSystem": None}, "initial"),
    ],
)
def test_permissions_triggers(permissions: Any, trigger: str) -> None:
    r = session()
    feed(r, permissions_request(permissions))
    (event,) = feed(r, f_effective_permissions(51, {"network": {"enabled": True}}, "turn"))
    assert event["event_params"]["trigger"] == trigger


def test_abort_emits_aborted_review_exactly_once() -> None:
    r = session()
    feed(r, f_cmd_approval(7, 61))
    (event,) = feed(r, f_aborted(61))
    params = event["event_params"]
    assert (params["review_id"], params["status"], params["resolution"]) == (
        "user:61",
        "aborted",
        "none",
    )
    assert feed(r, f_server_response(61, decision="accept")) == []
    assert feed(r, f_aborted(61, at=1_043)) == []


def test_negative_request_start_is_ignored_and_unknown_requests_too() -> None:
    r = session()
    feed(r, f_cmd_approval(started_at_ms=-1))
    assert r.state_size()["pending_reviews"] == 0
    feed(r, f_server_request(7, 1, "x", {}))
    assert r.state_size()["pending_reviews"] == 0


def test_malformed_decision_keeps_pending_review() -> None:
    r = session()
    feed(r, f_cmd_approval())
    assert feed(r, f_server_response(decision="maybe")) == []
    assert r.state_size()["pending_reviews"] == 1


def guardian_completed(
    status: str = "approved",
    action: Any = None,
    *,
    target: str | None = "item-1",
    started: int = 2_000,
    completed: int = 2_500,
) -> J:
    return f_guardian_notification(
        "g-review-1",
        target,
        status,
        action or G_COMMAND,
        started_at_ms=started,
        completed_at_ms=completed,
    )


@pytest.mark.parametrize(
    ("action", "kind", "name", "trigger", "additional", "network"),
    [
        ({"type": "command"}, "command_execution", "command_execution", "initial", False, False),
        (
            {"type": "execve"},
            "command_execution",
            "command_execution",
            "execve_intercept",
            False,
            False,
        ),
        ({"type": "applyPatch"}, "file_change", "apply_patch", "sandbox_denial", True, False),
        (
            {"type": "networkAccess"},
            "network_access",
            "network_access",
            "network_policy_denial",
            True,
            True,
        ),
        (
            {"type": "requestPermissions", "permissions": {"network": {"enabled": True}}},
            "permissions",
            "permissions",
            "network_policy_denial",
            True,
            True,
        ),
        (
            {"type": "requestPermissions", "permissions": {"fileSystem": {"read": []}}},
            "permissions",
            "permissions",
            "sandbox_denial",
            True,
            False,
        ),
        (
            {"type": "requestPermissions", "permissions": {}},
            "permissions",
            "permissions",
            "initial",
            False,
            False,
        ),
        (
            {"type": "mcpToolCall", "server": "gh", "toolName": "create_issue"},
            "mcp_tool_call",
            "create_issue",
            "initial",
            False,
            False,
        ),
    ],
)
def test_guardian_review_subjects(
    action: dict[str, Any], kind: str, name: str, trigger: str, additional: bool, network: bool
) -> None:
    r = session()
    feed(r, f_item_started())
    (event,) = feed(r, guardian_completed(action=action))
    params = event["event_params"]
    assert (params["reviewer"], params["review_id"], params["item_id"]) == (
        "guardian",
        "g-review-1",
        "item-1",
    )
    assert (params["subject_kind"], params["subject_name"], params["trigger"]) == (
        kind,
        name,
        trigger,
    )
    assert (params["duration_ms"], params["resolution"]) == (500, "none")
    (item,) = feed(r, f_item_completed())
    summarised = kind in ("command_execution", "file_change", "mcp_tool_call")
    assert item["event_params"]["guardian_review_count"] == (1 if summarised else 0)
    if summarised:
        assert item["event_params"]["requested_additional_permissions"] is additional
        assert item["event_params"]["requested_network_access"] is network


@pytest.mark.parametrize(
    ("status", "wire", "outcome"),
    [
        ("approved", "approved", "guardian_approved"),
        ("denied", "denied", "guardian_denied"),
        ("timedOut", "timed_out", "guardian_aborted"),
        ("aborted", "aborted", "guardian_aborted"),
    ],
)
def test_guardian_statuses(status: str, wire: str, outcome: str) -> None:
    r = session()
    feed(r, f_item_started())
    (event,) = feed(r, guardian_completed(status))
    assert event["event_params"]["status"] == wire
    (item,) = feed(r, f_item_completed())
    assert item["event_params"]["final_approval_outcome"] == outcome


def test_guardian_ignored_cases() -> None:
    r = session()
    assert feed(r, guardian_completed("inProgress")) == []
    assert feed(r, guardian_completed(started=-1)) == []
    assert feed(r, guardian_completed(completed=-1)) == []
    started = f_notification("item/autoApprovalReview/started", {"threadId": "thread-1"})
    assert feed(r, started) == []
    assert r.state_size()["review_summaries"] == 0
    # no target item: review event only, no summary
    assert len(feed(r, guardian_completed(target=None))) == 1
    assert r.state_size()["review_summaries"] == 0


def test_terminal_reviews_denormalize_onto_tool_item() -> None:
    r = session()
    feed(r, f_item_started())
    feed(r, guardian_completed("denied"))
    feed(r, f_cmd_approval(7, 41, additionalPermissions={"network": {"enabled": True}}))
    feed(r, f_server_response(41, decision="acceptForSession"))
    (item,) = feed(r, f_item_completed())
    params = item["event_params"]
    assert (
        params["review_count"],
        params["guardian_review_count"],
        params["user_review_count"],
        params["final_approval_outcome"],
        params["requested_additional_permissions"],
        params["requested_network_access"],
    ) == (2, 1, 1, "user_approved_for_session", True, True)
    assert r.state_size()["review_summaries"] == 0


def test_summaries_do_not_cross_threads_with_reused_item_ids() -> None:
    r = session()
    feed(r, f_thread_response(7, 2, thread_id="thread-2"))
    feed(r, f_cmd_approval(7, 41, thread_id="thread-1"), f_server_response(41, decision="decline"))
    feed(r, f_item_started("thread-2"))
    (item,) = feed(r, f_item_completed("thread-2"))
    assert item["event_params"]["review_count"] == 0
    feed(r, f_item_started("thread-1"))
    (item,) = feed(r, f_item_completed("thread-1"))
    assert item["event_params"]["final_approval_outcome"] == "user_denied"


def test_summary_updated_even_when_review_event_dropped() -> None:
    r = make_reducer()
    feed(r, f_cmd_approval(7, 41, thread_id="ghost"))
    assert feed(r, f_server_response(41, decision="decline")) == []
    assert r.stats.drops_by_reason == {"thread_connection": 1}
    assert r.state_size()["review_summaries"] == 1


def test_late_review_leaves_orphan_summary_for_next_completion_with_same_key() -> None:
    r = session()
    feed(r, f_item_started())
    (item,) = feed(r, f_item_completed())
    assert item["event_params"]["review_count"] == 0
    feed(r, guardian_completed("approved"))
    assert r.state_size()["review_summaries"] == 1
    feed(r, f_item_started())
    (item,) = feed(r, f_item_completed())
    assert item["event_params"]["review_count"] == 1


def test_completion_without_start_keeps_summary() -> None:
    r = session()
    feed(r, guardian_completed("approved"))
    assert feed(r, f_item_completed()) == []
    assert r.state_size()["review_summaries"] == 1


def test_pending_reviews_keyed_by_request_id_only() -> None:
    r = session()
    feed(r, f_cmd_approval(7, 41, item_id="first"))
    feed(r, f_cmd_approval(8, 41, item_id="second"))
    (event,) = feed(r, f_server_response(41, decision="accept"))
    assert event["event_params"]["item_id"] == "second"
