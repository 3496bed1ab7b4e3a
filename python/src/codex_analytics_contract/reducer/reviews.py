"""User and guardian reviews: approval requests open a pending review keyed by the JSON-RPC
request id; a response, an effective-permissions grant or an abort closes it exactly once;
guardian reviews arrive complete in one notification. Every terminal review of a command,
file-change or MCP subject with an item id is folded into that item's review summary.
spec/reducer.md §2.6-§2.8, §3.5.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import mappings as m
from .state import PendingReview, ReducerState, RequestId, ReviewSummary

__all__ = [
    "ingest_effective_permissions",
    "ingest_guardian_completed",
    "ingest_server_request",
    "ingest_server_request_aborted",
    "ingest_server_response",
]

_SUMMARISED_SUBJECTS = frozenset({"command_execution", "file_change", "mcp_tool_call"})


def _trigger(network: bool, additional: bool) -> str:
    if network:
        return "network_policy_denial"
    if additional:
        return "sandbox_denial"
    return "initial"


def ingest_server_request(st: ReducerState, fact: Mapping[str, Any]) -> None:
    method = fact.get("method")
    params = fact.get("params")
    if not isinstance(params, Mapping):
        return
    request_id: RequestId = fact["request_id"]
    if method == "item/commandExecution/requestApproval":
        network_review = params.get("networkApprovalContext") is not None
        amendments = params.get("proposedNetworkPolicyAmendments")
        additional_permissions = params.get("additionalPermissions")
        network = (
            network_review
            or (isinstance(amendments, list) and len(amendments) > 0)
            or m.network_enabled(additional_permissions)
        )
        additional = additional_permissions is not None
        if params.get("approvalId") is not None:
            trigger = "execve_intercept"
        else:
            trigger = _trigger(network, additional)
        subject = "network_access" if network_review else "command_execution"
        subject_name = subject
    elif method == "item/fileChange/requestApproval":
        network = False
        additional = params.get("grantRoot") is not None
        trigger = "sandbox_denial" if additional else "initial"
        subject, subject_name = "file_change", "apply_patch"
    elif method == "item/permissions/requestApproval":
        permissions = params.get("permissions")
        network = m.network_enabled(permissions)
        additional = network or (
            isinstance(permissions, Mapping) and permissions.get("fileSystem") is not None
        )
        trigger = _trigger(network, additional)
        subject = subject_name = "permissions"
    else:
        return
    started_at_ms = m.nonneg(params.get("startedAtMs"))
    if started_at_ms is None:
        return
    st.pending_reviews.put(
        request_id,
        PendingReview(
            thread_id=params["threadId"],
            turn_id=params["turnId"],
            item_id=params.get("itemId"),
            review_id=m.user_review_id(request_id),
            subject_kind=subject,
            subject_name=subject_name,
            trigger=trigger,
            started_at_ms=started_at_ms,
            requested_additional_permissions=additional,
            requested_network_access=network,
        ),
    )


def ingest_server_response(st: ReducerState, fact: Mapping[str, Any]) -> list[dict[str, Any]]:
    method = fact.get("method")
    result = fact.get("result")
    decision = result.get("decision") if isinstance(result, Mapping) else None
    if method == "item/commandExecution/requestApproval":
        outcome = m.command_decision(decision)
    elif method == "item/fileChange/requestApproval":
        outcome = m.file_change_decision(decision)
    else:
        return []
    if outcome is None:
        return []
    pending = st.pending_reviews.pop(fact["request_id"])
    if pending is None:
        return []
    return emit_review(st, pending, "user", outcome[0], outcome[1], fact["completed_at_ms"])


def ingest_effective_permissions(st: ReducerState, fact: Mapping[str, Any]) -> list[dict[str, Any]]:
    pending = st.pending_reviews.pop(fact["request_id"])
    if pending is None:
        return []
    status, resolution = m.effective_permissions_result(fact.get("response"))
    return emit_review(st, pending, "user", status, resolution, fact["completed_at_ms"])


def ingest_server_request_aborted(
    st: ReducerState, fact: Mapping[str, Any]
) -> list[dict[str, Any]]:
    pending = st.pending_reviews.pop(fact["request_id"])
    if pending is None:
        return []
    return emit_review(st, pending, "user", "aborted", "none", fact["completed_at_ms"])


def ingest_guardian_completed(st: ReducerState, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    review = params.get("review")
    status = m.guardian_review_status(review.get("status") if isinstance(review, Mapping) else None)
    if status is None:
        return []
    subject = m.guardian_subject(params.get("action"))
    if subject is None:
        return []
    started_at_ms = m.nonneg(params.get("startedAtMs"))
    if started_at_ms is None:
        return []
    completed_at_ms = m.nonneg(params.get("completedAtMs"))
    if completed_at_ms is None:
        return []
    kind, name, trigger, additional, network = subject
    pending = PendingReview(
        thread_id=params["threadId"],
        turn_id=params["turnId"],
        item_id=params.get("targetItemId"),
        review_id=params["reviewId"],
        subject_kind=kind,
        subject_name=name,
        trigger=trigger,
        started_at_ms=started_at_ms,
        requested_additional_permissions=additional,
        requested_network_access=network,
    )
    return emit_review(st, pending, "guardian", status, "none", completed_at_ms)


def emit_review(
    st: ReducerState,
    review: PendingReview,
    reviewer: str,
    status: str,
    resolution: str,
    completed_at_ms: int,
) -> list[dict[str, Any]]:
    if review.item_id is not None and review.subject_kind in _SUMMARISED_SUBJECTS:
        _record_summary(st, review, review.item_id, reviewer, status, resolution)
    found = st.thread_context(
        "review", review.thread_id, review.turn_id, review.review_id, review.item_id
    )
    if found is None:
        return []
    connection, metadata = found
    duration = completed_at_ms - review.started_at_ms
    return [
        {
            "event_type": "codex_review_event",
            "event_params": {
                "thread_id": review.thread_id,
                "turn_id": review.turn_id,
                "item_id": review.item_id,
                "review_id": review.review_id,
                "app_server_client": dict(connection.app_server_client),
                "runtime": dict(connection.runtime),
                "thread_source": metadata.thread_source,
                "subagent_source": metadata.subagent_source,
                "parent_thread_id": metadata.parent_thread_id,
                "subject_kind": review.subject_kind,
                "subject_name": review.subject_name,
                "reviewer": reviewer,
                "trigger": review.trigger,
                "status": status,
                "resolution": resolution,
                "started_at_ms": review.started_at_ms,
                "completed_at_ms": completed_at_ms,
                "duration_ms": duration if duration >= 0 else None,
            },
        }
    ]


def _record_summary(
    st: ReducerState,
    review: PendingReview,
    item_id: str,
    reviewer: str,
    status: str,
    resolution: str,
) -> None:
    key = (review.thread_id, review.turn_id, item_id)
    summary = st.review_summaries.touch(key)
    if summary is None:
        summary = ReviewSummary()
        st.review_summaries.put(key, summary)
    summary.review_count += 1
    if reviewer == "guardian":
        summary.guardian_review_count += 1
    else:
        summary.user_review_count += 1
    summary.final_approval_outcome = m.final_approval_outcome(reviewer, status, resolution)
    summary.requested_additional_permissions |= review.requested_additional_permissions
    summary.requested_network_access |= review.requested_network_access
