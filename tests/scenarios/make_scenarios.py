"""The reducer scenarios. From the repository root run
`PYTHONDONTWRITEBYTECODE=1 .venv/bin/python -m tests.scenarios.make_scenarios` to (re)write the
folders, or with `--check` to verify the committed folders are up to date.

Every README cites the sections of spec/reducer.md (and spec/wire-format.md for key order) the
scenario pins; upstream test names refer to openai/codex
codex-rs/analytics/src/analytics_client_tests.rs (pin: right after PR #18748). The folder format
is spec/scenarios.md.
"""

# ruff: noqa: F403, F405, E501, RUF005
from __future__ import annotations

import sys

from tests.scenarios import make_newest_scenarios
from tests.scenarios.build_scenarios import *
from tests.scenarios.build_scenarios import HERE, SCENARIOS, J, stale_folders, write_all
from tests.support.facts import *
from tests.support.reducing import DEFAULT_RUNTIME

UP = "Ports upstream test `{}` (analytics_client_tests.rs)."

# connection 7 of the review/tool-item upstream tests (sample_initialize_fact)
CL_WS = client("codex_cli_rs", "codex-tui", "1.0.0", "websocket", False)
# connection 7 of the turn/steer upstream tests (ingest_initialize: no capabilities)
CL_TUI = client("codex-tui", "codex-tui", "1.0.0", "stdio", None)


def review_pre() -> tuple[list[J], list[J]]:
    facts = [
        f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX),
        f_thread_response(7, 1, "thread/start", "thread-1"),
    ]
    return facts, [e_thread_init("thread-1", CL_WS, RT_LINUX)]


def cmd_lifecycle(thread_id: str, item_id: str, turn_id: str = "turn-1", completed: int = 1042) -> list[J]:
    return [
        f_turn_started(thread_id, turn_id),
        f_item_started(thread_id, turn_id, cmd_item(item_id)),
        f_item_completed(
            thread_id, turn_id, cmd_item(item_id, "completed", exit_code=0, duration_ms=42), completed
        ),
    ]


def cmd_event(thread_id: str, item_id: str, cl: J = CL_WS, rt: J = RT_LINUX, **kw: object) -> J:
    return e_cmd(tool_base(thread_id, "turn-1", item_id, cl, rt, "shell", execution_duration_ms=42, **kw))  # type: ignore[arg-type]


def turn_pre(*, config: bool = True, started: bool = True, tokens: bool = True, init: bool = True) -> tuple[list[J], list[J]]:
    facts: list[J] = []
    events: list[J] = []
    if init:
        facts += [
            f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
            f_thread_response(7, 1, "thread/start", "thread-2"),
        ]
        events.append(e_thread_init("thread-2", CL_TUI, RT_SAMPLE))
    facts += [f_turn_start_request(7, 3, "thread-2"), f_turn_start_response(7, 3, "turn-2")]
    if config:
        facts.append(f_resolved_config("thread-2", "turn-2"))
    if started:
        facts.append(f_turn_started("thread-2", "turn-2"))
    if tokens:
        facts.append(f_token_usage("thread-2", "turn-2"))
    return facts, events


def turn_ev(**kw: object) -> J:
    return e_turn("thread-2", "turn-2", CL_TUI, RT_SAMPLE, **kw)  # type: ignore[arg-type]


# =========================================================================== 1. upstream tests


def upstream_thread_and_ignored() -> None:
    scenario(
        "initialize_caches_client_and_thread_lifecycle_publishes_once_initialized",
        UP.format("initialize_caches_client_and_thread_lifecycle_publishes_once_initialized")
        + " spec/reducer.md §2.1, §2.3 and §6 (Initialize first): a thread/start response on a connection that"
        " has not sent initialize emits nothing and is not recorded; initialize emits nothing; a later"
        " thread/resume response emits one codex_thread_initialized with the cached client and runtime.",
        [
            f_thread_response(7, 1, "thread/start", "thread-no-client"),
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX),
            f_thread_response(7, 2, "thread/resume", "thread-1", ephemeral=True),
        ],
        [e_thread_init("thread-1", CL_WS, RT_LINUX, ephemeral=True, mode="resumed")],
    )
    cl = client("codex_cli_rs", "codex-tui", "1.0.0", "stdio", True)
    scenario(
        "thread_initialized_event_serializes_expected_shape",
        UP.format("thread_initialized_event_serializes_expected_shape")
        + " (a serialization test upstream; here reached through the reducer: initialize with"
        " experimentalApi true on stdio, then a thread/start response). spec/reducer.md §3.1; key order"
        " spec/wire-format.md §1.3. The upstream expectation at later commits carries session_id, which is not"
        " part of the pinned 1-0-0 shape.",
        [
            f_initialize(1, "codex_cli_rs", "codex-tui", "1.0.0", "stdio", True, RT_SAMPLE),
            f_thread_response(1, 1, "thread/start", "thread-0", ephemeral=True),
        ],
        [e_thread_init("thread-0", cl, RT_SAMPLE, ephemeral=True)],
    )
    scenario(
        "unrelated_client_requests_are_ignored_by_reducer",
        UP.format("unrelated_client_requests_are_ignored_by_reducer")
        + " spec/reducer.md §2.2/§2.3: a thread/archive request creates no pending entry, so a turn/start"
        " response with the same request id finds nothing and emits nothing.",
        [
            {
                "fact": "client_request",
                "connection_id": 7,
                "request_id": 3,
                "method": "thread/archive",
                "params": {"threadId": "thread-2"},
            },
            f_turn_start_response(7, 3, "turn-2"),
        ],
        [],
    )
    scenario(
        "unrelated_client_responses_are_ignored_by_reducer",
        UP.format("unrelated_client_responses_are_ignored_by_reducer")
        + " spec/reducer.md §2.3 (any other response: ignored).",
        [
            f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
            {"fact": "client_response", "connection_id": 7, "request_id": 9, "method": "thread/archive", "result": {}},
        ],
        [],
    )


def upstream_compaction_guardian() -> None:
    parent = "22222222-2222-2222-2222-222222222222"
    cl = client("codex_cli_rs", "codex-tui", "1.0.0", "websocket", False)
    comp = f_compaction(
        "thread-1", "turn-compact", "manual", "user_requested", "responses", "standalone_turn",
        "memento", "failed", "context limit exceeded", 131000, 131000, 100, 101, 1200,
    )
    lin = lineage("subagent", "thread_spawn", parent)
    scenario(
        "compaction_event_ingests_custom_fact",
        UP.format("compaction_event_ingests_custom_fact")
        + " spec/reducer.md §2.11 (Compaction) and §3.6: the thread was resumed with a thread-spawn subagent"
        " session source, so the compaction event carries subagent lineage and the connection's client.",
        [
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_SAMPLE),
            f_thread_response(
                7, 2, "thread/resume", "thread-1",
                source={"subAgent": spawn_source(parent)}, thread_source="subagent",
            ),
            comp,
        ],
        [
            e_thread_init(
                "thread-1", cl, RT_SAMPLE, thread_source="subagent", mode="resumed",
                subagent_source="thread_spawn", parent=parent,
            ),
            e_compaction(comp, cl, RT_SAMPLE, lin),
        ],
    )
    cl2 = client("codex_cli_rs", "codex-tui", "1.0.0", "stdio", True)
    comp2 = f_compaction(
        "thread-1", "turn-1", "auto", "context_limit", "responses_compact", "mid_turn", "memento",
        "completed", None, 120000, 18000, 100, 106, 6543,
    )
    scenario(
        "compaction_event_serializes_expected_shape",
        UP.format("compaction_event_serializes_expected_shape")
        + " (serialization test upstream; reached through the reducer here). spec/reducer.md §3.6, key order"
        " spec/wire-format.md §1.7 (no product_surface, no session_id at the pin).",
        [
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "stdio", True, RT_SAMPLE),
            f_thread_response(7, 1, "thread/start", "thread-1"),
            comp2,
        ],
        [e_thread_init("thread-1", cl2, RT_SAMPLE), e_compaction(comp2, cl2, RT_SAMPLE)],
    )
    g = guardian_params("thread-guardian", "turn-guardian", "review-guardian", None)
    scenario(
        "guardian_review_event_ingests_custom_fact_with_optional_target_item",
        UP.format("guardian_review_event_ingests_custom_fact_with_optional_target_item")
        + " spec/reducer.md §2.11 (GuardianReview) and §3.7: app_server_client and runtime of the thread's"
        " connection followed by every fact field; target_item_id null.",
        [
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_SAMPLE),
            f_thread_response(7, 1, "thread/start", "thread-guardian"),
            f_guardian_review(g),
        ],
        [e_thread_init("thread-guardian", cl, RT_SAMPLE), e_guardian(g, cl, RT_SAMPLE)],
    )


def upstream_tool_items_and_reviews() -> None:
    pre_f, pre_e = review_pre()
    scenario(
        "item_lifecycle_notifications_publish_command_execution_event",
        UP.format("item_lifecycle_notifications_publish_command_execution_event")
        + " spec/reducer.md §2.5 and §3.4: item/started records 1000 ms, item/completed at 1045 ms with four"
        " command actions (read, listFiles, search, unknown) emits one command event; no review"
        " summary, so final_approval_outcome is unknown.",
        pre_f
        + [
            f_turn_started("thread-1", "turn-1"),
            f_item_started("thread-1", "turn-1", cmd_item()),
            f_item_completed(
                "thread-1", "turn-1",
                cmd_item(status="completed", exit_code=0, duration_ms=42, actions=FOUR_ACTIONS), 1045,
            ),
        ],
        pre_e
        + [
            e_cmd(
                tool_base("thread-1", "turn-1", "item-1", CL_WS, RT_LINUX, "shell", completed=1045, execution_duration_ms=42),
                actions=(4, 1, 1, 1, 1),
            )
        ],
    )
    cl = client("codex_tui", "codex-tui", "1.2.3", "websocket", True)
    scenario(
        "command_execution_event_serializes_expected_shape",
        UP.format("command_execution_event_serializes_expected_shape")
        + " (serialization test upstream, with hand-set final_approval_outcome `not_needed`; through"
        " the reducer with no review the outcome is `unknown`, spec/reducer.md §3.4). Key order"
        " spec/wire-format.md §1.10.",
        [
            f_initialize(7, "codex_tui", "codex-tui", "1.2.3", "websocket", True, RT_MAC99),
            f_thread_response(7, 1, "thread/start", "thread-1"),
            f_item_started("thread-1", "turn-1", cmd_item(), 123000),
            f_item_completed(
                "thread-1", "turn-1",
                cmd_item(status="completed", exit_code=0, duration_ms=1900, actions=FOUR_ACTIONS), 125000,
            ),
        ],
        [
            e_thread_init("thread-1", cl, RT_MAC99),
            e_cmd(
                tool_base("thread-1", "turn-1", "item-1", cl, RT_MAC99, "shell", started=123000, completed=125000, execution_duration_ms=1900),
                actions=(4, 1, 1, 1, 1),
            ),
        ],
    )
    scenario(
        "command_execution_approval_response_publishes_user_review_event",
        UP.format("command_execution_approval_response_publishes_user_review_event")
        + " spec/reducer.md §2.6 and §2.8: the approval request (id 41) opens a pending review; the `accept`"
        " response closes it as approved/none with review_id `user:41`.",
        pre_f + [f_cmd_approval(7, 41), f_server_response(41, CMD_APPROVAL, "accept")],
        pre_e + [e_review("thread-1", "turn-1", "item-1", "user:41", CL_WS, RT_LINUX)],
    )
    net = {"network": {"enabled": True}, "fileSystem": None}
    scenario(
        "permissions_reviews_emit_events_without_denormalizing_onto_tool_items",
        UP.format("permissions_reviews_emit_events_without_denormalizing_onto_tool_items")
        + " spec/reducer.md §2.6 (EffectivePermissionsApprovalResponse: empty grant -> denied/none) and §2.8"
        " step 1: permissions reviews never touch item review summaries, so the later command item"
        " with the same item id reports zero reviews.",
        pre_f
        + [
            f_permissions_approval(7, 51, net),
            f_effective_permissions(51, {}, "turn"),
        ]
        + cmd_lifecycle("thread-1", "permissions-1"),
        pre_e
        + [
            e_review(
                "thread-1", "turn-1", "permissions-1", "user:51", CL_WS, RT_LINUX,
                subject_kind="permissions", subject_name="permissions", trigger="network_policy_denial",
                status="denied",
            ),
            cmd_event("thread-1", "permissions-1"),
        ],
    )
    scenario(
        "effective_session_permissions_response_publishes_session_user_review_event",
        UP.format("effective_session_permissions_response_publishes_session_user_review_event")
        + " spec/reducer.md §2.6: a non-empty effective grant with scope session -> approved/session_approval.",
        pre_f
        + [
            f_permissions_approval(7, 52, net),
            f_effective_permissions(52, {"network": {"enabled": True}}, "session"),
        ],
        pre_e
        + [
            e_review(
                "thread-1", "turn-1", "permissions-1", "user:52", CL_WS, RT_LINUX,
                subject_kind="permissions", subject_name="permissions", trigger="network_policy_denial",
                resolution="session_approval",
            )
        ],
    )
    scenario(
        "aborted_server_request_publishes_aborted_user_review_event_once",
        UP.format("aborted_server_request_publishes_aborted_user_review_event_once")
        + " spec/reducer.md §2.6 (ServerRequestAborted) and §6: the abort emits aborted/none; the later"
        " `accept` response for the same request id finds no pending review and emits nothing.",
        pre_f + [f_cmd_approval(7, 61), f_aborted(61), f_server_response(61, CMD_APPROVAL, "accept", 1043)],
        pre_e + [e_review("thread-1", "turn-1", "item-1", "user:61", CL_WS, RT_LINUX, status="aborted")],
    )
    scenario(
        "guardian_completed_notification_publishes_review_event_with_thread_metadata",
        UP.format("guardian_completed_notification_publishes_review_event_with_thread_metadata")
        + " spec/reducer.md §2.7: a denied guardian review of a shell command -> command_execution /"
        " `command_execution`, trigger initial, reviewer guardian, resolution none, 42 ms.",
        pre_f + [f_guardian_notification("guardian-review-1", "item-1", "denied", G_COMMAND)],
        pre_e
        + [
            e_review(
                "thread-1", "turn-1", "item-1", "guardian-review-1", CL_WS, RT_LINUX,
                reviewer="guardian", status="denied",
            )
        ],
    )
    scenario(
        "terminal_reviews_denormalize_counts_onto_tool_item_events",
        UP.format("terminal_reviews_denormalize_counts_onto_tool_item_events")
        + " spec/reducer.md §2.8 step 1 and §2.5 step 5: an acceptForSession user review on item-1 is counted"
        " on the command event (review_count 1, user 1, user_approved_for_session) and consumed.",
        pre_f + [f_cmd_approval(7, 71), f_server_response(71, CMD_APPROVAL, "acceptForSession")]
        + cmd_lifecycle("thread-1", "item-1"),
        pre_e
        + [
            e_review("thread-1", "turn-1", "item-1", "user:71", CL_WS, RT_LINUX, resolution="session_approval"),
            cmd_event("thread-1", "item-1", reviews=(1, 0, 1), outcome="user_approved_for_session"),
        ],
    )
    scenario(
        "item_review_summaries_do_not_cross_threads_with_reused_item_ids",
        UP.format("item_review_summaries_do_not_cross_threads_with_reused_item_ids")
        + " spec/reducer.md §1 (summary key includes the thread id) and §6: a review of thread-1/item-1 is not"
        " attached to thread-2/item-1.",
        pre_f
        + [
            f_thread_response(7, 2, "thread/start", "thread-2"),
            f_cmd_approval(7, 72),
            f_server_response(72, CMD_APPROVAL, "accept"),
        ]
        + cmd_lifecycle("thread-2", "item-1"),
        pre_e
        + [
            e_thread_init("thread-2", CL_WS, RT_LINUX),
            e_review("thread-1", "turn-1", "item-1", "user:72", CL_WS, RT_LINUX),
            cmd_event("thread-2", "item-1"),
        ],
    )
    parent = "019d4aa8-51ec-77e3-bafb-2c1b8e29e385"
    lin = lineage("subagent", "thread_spawn", parent)
    scenario(
        "review_event_serializes_expected_shape",
        UP.format("review_event_serializes_expected_shape")
        + " (serialization test upstream, item_id null and parent `parent-thread-1`; reached here"
        " through the reducer, so item_id is the approval's itemId and the parent a real thread id)."
        " A thread-spawn subagent thread inherits its parent's connection (spec/reducer.md §2.11); a command"
        " approval with a network approval context is a network_access review; the"
        " applyNetworkPolicyAmendment allow decision -> approved/network_policy_amendment; 123 -> 125 ms.",
        [
            f_initialize(7, "codex_tui", "codex-tui", "1.2.3", "websocket", True, RT_MAC99),
            f_thread_response(7, 1, "thread/start", parent),
            f_subagent("thread-1", None, spawn_source(parent), 120),
            f_cmd_approval(
                7, 9, started_at_ms=123,
                networkApprovalContext={"host": "example.com", "protocol": "https"},
            ),
            f_server_response(
                9, CMD_APPROVAL,
                {"applyNetworkPolicyAmendment": {"network_policy_amendment": {"host": "example.com", "action": "allow"}}},
                125,
            ),
        ],
        [
            e_thread_init(parent, client("codex_tui", "codex-tui", "1.2.3", "websocket", True), RT_MAC99),
            e_thread_init(
                "thread-1", client("codex-tui", "codex-tui", "1.0.0", "in_process", None), DEFAULT_RUNTIME,
                thread_source="subagent", subagent_source="thread_spawn", parent=parent, created_at=120,
            ),
            e_review(
                "thread-1", "turn-1", "item-1", "user:9",
                client("codex_tui", "codex-tui", "1.2.3", "websocket", True), RT_MAC99, lin=lin,
                subject_kind="network_access", subject_name="network_access",
                trigger="network_policy_denial", resolution="network_policy_amendment",
                started=123, completed=125,
            ),
        ],
    )


def upstream_subagents() -> None:
    sub_cl = client("codex-tui", "codex-tui", "1.0.0", "in_process", None)

    def sub_ev(thread_id: str, source: str, created: int, parent: str | None = None, ephemeral: bool = False) -> J:
        return e_thread_init(
            thread_id, sub_cl, DEFAULT_RUNTIME, thread_source="subagent", subagent_source=source,
            parent=parent, created_at=created, ephemeral=ephemeral,
        )

    common = (
        " spec/reducer.md §2.11 (SubAgentThreadStarted) and §3.1 (subagent variant): rpc_transport in_process,"
        " experimental_api_enabled null, runtime = the reducer's host runtime (default config), thread_source"
        " subagent, initialization_mode new; no initialize needed."
    )
    scenario(
        "subagent_thread_started_review_serializes_expected_shape",
        UP.format("subagent_thread_started_review_serializes_expected_shape") + common,
        [f_subagent("thread-review", None, "review", 123)],
        [sub_ev("thread-review", "review", 123)],
    )
    p1 = "11111111-1111-1111-1111-111111111111"
    scenario(
        "subagent_thread_started_thread_spawn_serializes_parent_thread_id",
        UP.format("subagent_thread_started_thread_spawn_serializes_parent_thread_id") + common
        + " Without an explicit parent the ThreadSpawn parent id is used.",
        [f_subagent("thread-spawn", None, spawn_source(p1), 124, ephemeral=True)],
        [sub_ev("thread-spawn", "thread_spawn", 124, p1, ephemeral=True)],
    )
    scenario(
        "subagent_thread_started_memory_consolidation_serializes_expected_shape",
        UP.format("subagent_thread_started_memory_consolidation_serializes_expected_shape") + common,
        [f_subagent("thread-memory", None, "memory_consolidation", 125)],
        [sub_ev("thread-memory", "memory_consolidation", 125)],
    )
    scenario(
        "subagent_thread_started_other_serializes_expected_shape",
        UP.format("subagent_thread_started_other_serializes_expected_shape") + common
        + " An Other(name) source reports the raw name.",
        [f_subagent("thread-guardian", None, {"other": "guardian"}, 126)],
        [sub_ev("thread-guardian", "guardian", 126)],
    )
    scenario(
        "subagent_thread_started_other_serializes_explicit_parent_thread_id",
        UP.format("subagent_thread_started_other_serializes_explicit_parent_thread_id") + common
        + " The fact's explicit parent_thread_id is reported.",
        [f_subagent("thread-guardian", "parent-thread-guardian", {"other": "guardian"}, 126)],
        [sub_ev("thread-guardian", "guardian", 126, "parent-thread-guardian")],
    )
    scenario(
        "subagent_thread_started_publishes_without_initialize",
        UP.format("subagent_thread_started_publishes_without_initialize") + common,
        [f_subagent("thread-review", None, "review", 127)],
        [sub_ev("thread-review", "review", 127)],
    )
    p4 = "44444444-4444-4444-4444-444444444444"
    pcl = client("parent-client", "parent-client", "1.0.0", "stdio", None)
    comp = f_compaction(
        "thread-review", "turn-compact", "manual", "user_requested", "responses", "standalone_turn",
        "memento", "completed", None, 131000, 64000, 100, 101, 1200,
    )
    scenario(
        "subagent_thread_started_inherits_parent_connection_for_new_thread",
        UP.format("subagent_thread_started_inherits_parent_connection_for_new_thread")
        + " spec/reducer.md §2.11 and §6 (threads across connections): the subagent thread has no binding, its"
        " ThreadSpawn parent is bound to connection 7, so the subagent inherits connection 7 and the"
        " compaction event carries parent-client.",
        [
            f_initialize(7, "parent-client", "parent-client", "1.0.0", "stdio", None, RT_SAMPLE),
            f_thread_response(7, 1, "thread/start", p4),
            f_subagent("thread-review", None, spawn_source(p4), 130, pcid="parent-client", name="parent-client"),
            comp,
        ],
        [
            e_thread_init(p4, pcl, RT_SAMPLE),
            e_thread_init(
                "thread-review", client("parent-client", "parent-client", "1.0.0", "in_process", None),
                DEFAULT_RUNTIME, thread_source="subagent", subagent_source="thread_spawn", parent=p4,
                created_at=130,
            ),
            e_compaction(comp, pcl, RT_SAMPLE, lineage("subagent", "thread_spawn", p4)),
        ],
    )
    pre_f, pre_e = review_pre()
    lin = lineage("subagent", "review", "thread-1")
    scenario(
        "subagent_tool_items_inherit_parent_connection_metadata",
        UP.format("subagent_tool_items_inherit_parent_connection_metadata")
        + " spec/reducer.md §2.11: a review subagent with explicit parent thread-1 inherits thread-1's"
        " connection; its command item event carries the connection's client and subagent lineage.",
        pre_f
        + [f_subagent("thread-subagent", "thread-1", "review", 128)]
        + [
            f_turn_started("thread-subagent", "turn-subagent"),
            f_item_started("thread-subagent", "turn-subagent", cmd_item()),
            f_item_completed("thread-subagent", "turn-subagent", cmd_item(status="completed", exit_code=0, duration_ms=42)),
        ],
        pre_e
        + [
            sub_ev("thread-subagent", "review", 128, "thread-1"),
            e_cmd(tool_base("thread-subagent", "turn-subagent", "item-1", CL_WS, RT_LINUX, "shell", lin=lin, execution_duration_ms=42)),
        ],
    )


REPO_HASH = line_hash("repo", "github.com/openai/codex")
CFG_REPO: J = {"repo_hash": REPO_HASH}


def upstream_accepted_lines() -> None:
    diff = (
        "diff --git a/src/lib.rs b/src/lib.rs\n"
        "index 1111111..2222222 100644\n"
        "--- a/src/lib.rs\n"
        "+++ b/src/lib.rs\n"
        "@@ -1,3 +1,5 @@\n"
        " fn main() {\n"
        "-    let old = 1;\n"
        "+    let new_value = 2;\n"
        "+    return user.id;\n"
        "+}\n"
        " }\n"
    )
    pre_f, pre_e = turn_pre(config=False)
    model = "gpt-5.1-codex"
    scenario(
        "accepted_line_fingerprints_event_serializes_expected_shape",
        UP.format("accepted_line_fingerprints_event_serializes_expected_shape")
        + " (serialization test upstream; here the event comes out of a real turn). spec/reducer.md §2.9"
        " steps 5-6 and §5.1-§5.4: after the turn event, one codex_accepted_line_fingerprints event with"
        " 3 added / 1 deleted lines, two fingerprints (`}` is too short), model_slug = the resolved"
        " model, completed_at = the reducer clock, repo_hash from config. Key order spec/wire-format.md §1.11.",
        pre_f
        + [f_resolved_config("thread-2", "turn-2", model=model), f_turn_diff("thread-2", "turn-2", diff), f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev(model=model)] + e_accepted_all("thread-2", "turn-2", model, REPO_HASH, diff),
        config=CFG_REPO,
    )
    big = (
        "diff --git a/src/lib.rs b/src/lib.rs\n"
        "index 1111111..2222222\n"
        "--- a/src/lib.rs\n"
        "+++ b/src/lib.rs\n"
        "@@ -0,0 +1,20000 @@\n"
    ) + "".join(f"+let value_{i} = {i};\n" for i in range(20000))
    pre_f, pre_e = turn_pre()
    acc = e_accepted_all("thread-2", "turn-2", "gpt-5", REPO_HASH, big)
    assert len(acc) == 2 and len(acc[0]["event_params"]["line_fingerprints"]) == 18549
    scenario(
        "reducer_chunks_large_accepted_line_fingerprint_events_without_repeating_counts",
        UP.format("reducer_chunks_large_accepted_line_fingerprint_events_without_repeating_counts")
        + " spec/reducer.md §5.6: 20,000 effective added lines -> two accepted-line events (18,549 + 1,451"
        " fingerprints); only the first carries accepted_added_lines 20000 / deleted 0, the second 0/0;"
        " every other field repeats. (Later upstream replaced this test with"
        " reducer_emits_large_accepted_line_aggregates_without_fingerprints: one event, empty list;"
        " spec/reducer.md §8.2, not the pin.)",
        pre_f + [f_turn_diff("thread-2", "turn-2", big), f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev()] + acc,
        config=CFG_REPO,
    )
    diffs = [
        "diff --git a/src/lib.rs b/src/lib.rs\nindex 1111111..2222222\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -0,0 +1 @@\n+"
        + line
        + "\n"
        for line in ("let old_value = 1;", "let latest_value = 2;")
    ]
    scenario(
        "reducer_emits_accepted_line_fingerprints_once_from_latest_turn_diff_on_completion",
        UP.format("reducer_emits_accepted_line_fingerprints_once_from_latest_turn_diff_on_completion")
        + " spec/reducer.md §2.5 (turn/diff/updated keeps only the latest diff) and §5.1: two diffs arrive,"
        " only the latest is fingerprinted, once, right after the turn event. (At later commits the"
        " fingerprint list is always empty, spec/reducer.md §8.2; at the pin it holds the line.)",
        pre_f + [f_turn_diff("thread-2", "turn-2", d) for d in diffs] + [f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev()] + e_accepted_all("thread-2", "turn-2", "gpt-5", REPO_HASH, diffs[1]),
        config=CFG_REPO,
    )


def upstream_turns() -> None:
    cl = client("codex_cli_rs", "codex-tui", "1.0.0", "stdio", True)
    scenario(
        "turn_event_serializes_expected_shape",
        UP.format("turn_event_serializes_expected_shape")
        + " (serialization test upstream; here through the reducer). spec/reducer.md §2.9 and §3.2: effort"
        " high, summary detailed, service tier flex, personality pragmatic, plan mode, read-only"
        " profile, 2 input images (image + localImage), no token usage -> token fields null, tool"
        " counts null at the pin. Key order spec/wire-format.md §1.8 (no session_id at the pin).",
        [
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "stdio", True, RT_SAMPLE),
            f_thread_response(7, 1, "thread/start", "thread-2"),
            f_turn_start_request(7, 3, "thread-2", [text_input("hello"), IMG, LOCAL_IMG]),
            f_turn_start_response(7, 3, "turn-2"),
            f_resolved_config(
                "thread-2", "turn-2", num_input_images=2, reasoning_effort="high",
                reasoning_summary="detailed", service_tier="flex", personality="pragmatic",
            ),
            f_turn_started("thread-2", "turn-2"),
            f_turn_completed("thread-2", "turn-2"),
        ],
        [
            e_thread_init("thread-2", cl, RT_SAMPLE),
            e_turn(
                "thread-2", "turn-2", cl, RT_SAMPLE, reasoning_effort="high", reasoning_summary="detailed",
                service_tier="flex", personality="pragmatic", num_input_images=2, tokens=False,
            ),
        ],
    )
    pre_f, pre_e = turn_pre()
    scenario(
        "turn_lifecycle_emits_turn_event",
        UP.format("turn_lifecycle_emits_turn_event")
        + " spec/reducer.md §2.9: turn/start request+response on connection 7, resolved config, turn/started"
        " (455 s), token usage, then turn/completed (456 s, 1234 ms) emits one turn event; the"
        " connection sent no capabilities so experimental_api_enabled is null. Tool counts are null at"
        " the pin (later upstream asserts 0, spec/reducer.md §8.1).",
        pre_f + [f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev()],
    )
    pre_f, pre_e = turn_pre(init=False, started=False, tokens=False)
    scenario(
        "turn_does_not_emit_without_required_prerequisites",
        UP.format("turn_does_not_emit_without_required_prerequisites")
        + " (first half: no initialize). spec/reducer.md §2.9 step 3: the turn has everything but connection"
        " 7 was never initialized -> dropped with missing_context `connection`.",
        pre_f + [f_turn_completed("thread-2", "turn-2")],
        pre_e,
        drops={"connection": 1},
    )
    pre_f, pre_e = turn_pre(config=False, started=False, tokens=False)
    scenario(
        "turn_does_not_emit_without_required_prerequisites_no_resolved_config",
        UP.format("turn_does_not_emit_without_required_prerequisites")
        + " (second half: no TurnResolvedConfig). spec/reducer.md §2.9 step 1: without a resolved config the"
        " turn never completes its set; nothing is emitted and nothing is logged.",
        pre_f + [f_turn_completed("thread-2", "turn-2")],
        pre_e,
    )
    pre_f, pre_e = turn_pre(tokens=False)
    scenario(
        "turn_lifecycle_emits_failed_turn_event",
        UP.format("turn_lifecycle_emits_failed_turn_event")
        + " spec/reducer.md §2.5 (turn/completed) and §3.2: status failed, turn_error = codexErrorInfo"
        " `badRequest` (camelCase app-server value).",
        pre_f + [f_turn_completed("thread-2", "turn-2", "failed", error_info="badRequest")],
        pre_e + [turn_ev(status="failed", turn_error="badRequest", tokens=False)],
    )
    scenario(
        "turn_lifecycle_emits_interrupted_turn_event_without_error",
        UP.format("turn_lifecycle_emits_interrupted_turn_event_without_error")
        + " spec/reducer.md §2.5: status interrupted, turn_error null.",
        pre_f + [f_turn_completed("thread-2", "turn-2", "interrupted")],
        pre_e + [turn_ev(status="interrupted", tokens=False)],
    )
    pre_f, pre_e = turn_pre(started=False, tokens=False)
    scenario(
        "turn_completed_without_started_notification_emits_null_started_at",
        UP.format("turn_completed_without_started_notification_emits_null_started_at")
        + " spec/reducer.md §4: started_at is null without turn/started; token fields null without"
        " TurnTokenUsage; duration_ms still 1234.",
        pre_f + [f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev(started_at=None, tokens=False)],
    )
    scenario(
        "turn_start_error_response_discards_pending_start_request",
        UP.format("turn_start_error_response_discards_pending_start_request")
        + " spec/reducer.md §2.4: an error response removes the pending turn/start; the late success"
        " response with the same id finds nothing, so the turn never gets a connection and no turn"
        " event is emitted even after config and turn/completed.",
        [
            f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
            f_turn_start_request(7, 3, "thread-2"),
            f_error_response(7, 3, None),
            f_turn_start_response(7, 3, "turn-2"),
            f_resolved_config("thread-2", "turn-2"),
            f_turn_completed("thread-2", "turn-2"),
        ],
        [],
    )


NON_STEERABLE_REVIEW_DATA = {
    "message": "cannot steer a review turn",
    "codexErrorInfo": {"activeTurnNotSteerable": {"turnKind": "review"}},
    "additionalDetails": None,
}
TOO_LARGE_DATA = {"input_error_code": "input_too_large", "actual_chars": 1048577, "max_chars": 1048576}


def rejected_steer_facts(error: J) -> tuple[list[J], list[J]]:
    pre_f, pre_e = turn_pre(config=False, started=False, tokens=False)
    web = client("codex-web", "codex-web", "1.0.0", "stdio", None)
    facts = pre_f + [
        f_initialize(8, "codex-web", "codex-web", "1.0.0", "stdio", None, RT_SAMPLE),
        f_thread_response(8, 6, "thread/resume", "thread-2"),
        f_steer_request(7, 4, "thread-2", "turn-2"),
        error,
    ]
    return facts, pre_e + [e_thread_init("thread-2", web, RT_SAMPLE, mode="resumed")]


def upstream_steers() -> None:
    pre_f, pre_e = turn_pre(config=False, started=False, tokens=False)
    scenario(
        "accepted_turn_steer_emits_expected_event",
        UP.format("accepted_turn_steer_emits_expected_event")
        + " spec/reducer.md §2.3 (turn/steer) and §3.3: accepted steer with accepted_turn_id turn-2, one"
        " localImage input, created_at = reducer clock at the request (config clock 1700000000).",
        pre_f + [f_steer_request(7, 4, "thread-2", "turn-2"), f_steer_response(7, 4, "turn-2")],
        pre_e + [e_steer("thread-2", "turn-2", "turn-2", CL_TUI, RT_SAMPLE)],
    )
    err = f_error_response(7, 4, {"turn_steer": "no_active_turn"})
    f, e = rejected_steer_facts(err)
    scenario(
        "rejected_turn_steer_uses_request_connection_metadata",
        UP.format("rejected_turn_steer_uses_request_connection_metadata")
        + " spec/reducer.md §2.4 and §2.10: thread-2 is re-bound to connection 8 (codex-web) by a"
        " thread/resume, but the steer event uses the steer request's connection 7 (codex-tui);"
        " rejection_reason no_active_turn.",
        f,
        e + [e_steer("thread-2", "turn-2", None, CL_TUI, RT_SAMPLE, result="rejected", rejection_reason="no_active_turn")],
    )
    err = f_error_response(
        7, 4, {"turn_steer": "non_steerable_review"}, message="cannot steer a review turn", data=NON_STEERABLE_REVIEW_DATA
    )
    f, e = rejected_steer_facts(err)
    scenario(
        "rejected_turn_steer_maps_active_turn_not_steerable_error_type",
        UP.format("rejected_turn_steer_maps_active_turn_not_steerable_error_type")
        + " spec/reducer.md §2.4: error_type turn_steer/non_steerable_review -> non_steerable_review (the raw"
        " JSON-RPC error body is not read).",
        f,
        e + [e_steer("thread-2", "turn-2", None, CL_TUI, RT_SAMPLE, result="rejected", rejection_reason="non_steerable_review")],
    )
    err = f_error_response(
        7, 4, {"input": "too_large"}, code=-32602,
        message="Input exceeds the maximum length of 1048576 characters.", data=TOO_LARGE_DATA,
    )
    f, e = rejected_steer_facts(err)
    scenario(
        "rejected_turn_steer_maps_input_too_large_error_type",
        UP.format("rejected_turn_steer_maps_input_too_large_error_type")
        + " spec/reducer.md §2.4: error_type input/too_large -> input_too_large.",
        f,
        e + [e_steer("thread-2", "turn-2", None, CL_TUI, RT_SAMPLE, result="rejected", rejection_reason="input_too_large")],
    )
    scenario(
        "turn_steer_does_not_emit_without_pending_request",
        UP.format("turn_steer_does_not_emit_without_pending_request")
        + " spec/reducer.md §2.4: an error response with no pending request emits nothing.",
        [f_error_response(7, 4, {"turn_steer": "no_active_turn"})],
        [],
    )
    pre_f, pre_e = turn_pre(tokens=False)
    scenario(
        "accepted_steers_increment_turn_steer_count",
        UP.format("accepted_steers_increment_turn_steer_count")
        + " spec/reducer.md §2.3: two accepted steers and one rejected steer on turn-2 -> three steer events"
        " and a turn event with steer_count 2 (rejected steers do not count).",
        pre_f
        + [
            f_steer_request(7, 4, "thread-2", "turn-2"),
            f_steer_response(7, 4, "turn-2"),
            f_steer_request(7, 5, "thread-2", "turn-2"),
            f_error_response(7, 5, {"turn_steer": "no_active_turn"}),
            f_steer_request(7, 6, "thread-2", "turn-2"),
            f_steer_response(7, 6, "turn-2"),
            f_turn_completed("thread-2", "turn-2"),
        ],
        pre_e
        + [
            e_steer("thread-2", "turn-2", "turn-2", CL_TUI, RT_SAMPLE),
            e_steer("thread-2", "turn-2", None, CL_TUI, RT_SAMPLE, result="rejected", rejection_reason="no_active_turn"),
            e_steer("thread-2", "turn-2", "turn-2", CL_TUI, RT_SAMPLE),
            turn_ev(steer_count=2, tokens=False),
        ],
    )


def upstream_stateless() -> None:
    t3 = tracking("thread-3", "turn-3")
    t1 = tracking()
    hooks_note = (
        " spec/reducer.md §2.11 and §3.8 (codex_hook_run): PascalCase hook_name, snake_case hook_source,"
        " status passed through. Fact enums in core serde form (snake_case)."
    )
    scenario(
        "hook_run_event_serializes_expected_shape",
        UP.format("hook_run_event_serializes_expected_shape") + hooks_note,
        [f_hook(t3, "pre_tool_use", "user", "completed")],
        [e_hook(t3, "PreToolUse", "user", "completed")],
    )
    scenario(
        "hook_run_metadata_maps_sources_and_statuses",
        UP.format("hook_run_metadata_maps_sources_and_statuses") + hooks_note,
        [
            f_hook(t1, "session_start", "system", "completed"),
            f_hook(t1, "stop", "project", "blocked"),
            f_hook(t1, "stop", "cloud_requirements", "blocked"),
            f_hook(t1, "user_prompt_submit", "unknown", "failed"),
        ],
        [
            e_hook(t1, "SessionStart", "system", "completed"),
            e_hook(t1, "Stop", "project", "blocked"),
            e_hook(t1, "Stop", "cloud_requirements", "blocked"),
            e_hook(t1, "UserPromptSubmit", "unknown", "failed"),
        ],
    )
    scenario(
        "hook_run_metadata_maps_stopped_status",
        UP.format("hook_run_metadata_maps_stopped_status") + hooks_note,
        [f_hook(t1, "stop", "user", "stopped")],
        [e_hook(t1, "Stop", "user", "stopped")],
    )
    scenario(
        "reducer_ingests_hook_run_fact",
        UP.format("reducer_ingests_hook_run_fact") + hooks_note,
        [f_hook(t1, "post_tool_use", "unknown", "failed")],
        [e_hook(t1, "PostToolUse", "unknown", "failed")],
    )
    cal = app_inv("calendar", "Calendar", "explicit")
    scenario(
        "app_mentioned_event_serializes_expected_shape",
        UP.format("app_mentioned_event_serializes_expected_shape")
        + " spec/reducer.md §3.8: product_client_id is the process originator (config default codex_cli_rs).",
        [{"fact": "app_mentioned", "tracking": t1, "mentions": [cal]}],
        [e_app("codex_app_mentioned", cal, t1)],
    )
    drive = app_inv("drive", "Google Drive", "implicit")
    t2 = tracking("thread-2", "turn-2")
    scenario(
        "app_used_event_serializes_expected_shape",
        UP.format("app_used_event_serializes_expected_shape") + " spec/reducer.md §3.8.",
        [{"fact": "app_used", "tracking": t2, "app": drive}],
        [e_app("codex_app_used", drive, t2)],
    )
    pm = plugin_meta()
    scenario(
        "plugin_used_event_serializes_expected_shape",
        UP.format("plugin_used_event_serializes_expected_shape")
        + " spec/reducer.md §3.8: plugin_id `name@marketplace`, has_skills, mcp_server_count 2, connector_ids,"
        " originator, then thread/turn/model.",
        [{"fact": "plugin_used", "tracking": t3, "plugin": pm}],
        [e_plugin_used(pm, t3)],
    )
    scenario(
        "plugin_management_event_serializes_expected_shape",
        UP.format("plugin_management_event_serializes_expected_shape") + " spec/reducer.md §3.8 (installed).",
        [{"fact": "plugin_state_changed", "plugin": pm, "state": "installed"}],
        [e_plugin_state("installed", pm)],
    )
    remote = plugin_meta(remote="plugins~Plugin_remote")
    scenario(
        "plugin_management_event_can_use_remote_plugin_id_override",
        UP.format("plugin_management_event_can_use_remote_plugin_id_override")
        + " spec/reducer.md §3.8: a remote plugin id replaces `name@marketplace` in plugin_id.",
        [{"fact": "plugin_state_changed", "plugin": remote, "state": "installed"}],
        [e_plugin_state("installed", remote)],
    )
    drive2 = app_inv("drive", "Drive", "implicit")
    scenario(
        "reducer_ingests_app_and_plugin_facts",
        UP.format("reducer_ingests_app_and_plugin_facts") + " spec/reducer.md §2.11 (stateless facts).",
        [
            {"fact": "app_mentioned", "tracking": t1, "mentions": [cal]},
            {"fact": "app_used", "tracking": t1, "app": drive2},
            {"fact": "plugin_used", "tracking": t1, "plugin": pm},
        ],
        [e_app("codex_app_mentioned", cal, t1), e_app("codex_app_used", drive2, t1), e_plugin_used(pm, t1)],
    )
    scenario(
        "reducer_ingests_plugin_state_changed_fact",
        UP.format("reducer_ingests_plugin_state_changed_fact") + " spec/reducer.md §3.8, spec/wire-format.md §4.3 (disabled).",
        [{"fact": "plugin_state_changed", "plugin": pm, "state": "disabled"}],
        [e_plugin_state("disabled", pm)],
    )
    user_path = "/Users/abc/.codex/skills/doc/SKILL.md"
    skills_note = (
        " spec/reducer.md §3.8 (skill_invocation): skill_id = sha1 of `{prefix}_{path}_{skill_name}`; the"
        " skill repo look-up is injected (config skill_repos; absent = no repo)."
    )
    scenario(
        "reducer_ingests_skill_invoked_fact",
        UP.format("reducer_ingests_skill_invoked_fact") + skills_note
        + " No repo: prefix `personal`, absolute path (the path does not exist, so canonicalization"
        " keeps it).",
        [f_skill(t1, [skill_inv("doc", "user", user_path)])],
        [e_skill(skill_id("personal", user_path, "doc"), "doc", "codex_cli_rs", "user", None, None, t1, "explicit")],
    )
    plugin_path = "/Users/abc/.codex/plugins/cache/test/sample/skills/doc/SKILL.md"
    scenario(
        "reducer_includes_plugin_id_for_plugin_skill_invocations",
        UP.format("reducer_includes_plugin_id_for_plugin_skill_invocations") + skills_note,
        [f_skill(t1, [skill_inv("sample:doc", "user", plugin_path, "sample@test")])],
        [e_skill(skill_id("personal", plugin_path, "sample:doc"), "sample:doc", "codex_cli_rs", "user", "sample@test", None, t1, "explicit")],
    )
    repo_url = "https://example.com/repo.git"
    repo_path = "/repo/root/.codex/skills/doc/SKILL.md"
    scenario(
        "normalize_path_for_skill_id_repo_scoped_uses_relative_path",
        UP.format("normalize_path_for_skill_id_repo_scoped_uses_relative_path") + skills_note
        + " Repo skill: prefix `repo_<url>`, path relative to the repo root.",
        [f_skill(t1, [skill_inv("doc", "repo", repo_path)])],
        [e_skill(skill_id(f"repo_{repo_url}", ".codex/skills/doc/SKILL.md", "doc"), "doc", "codex_cli_rs", "repo", None, repo_url, t1, "explicit")],
        config={"skill_repos": {repo_path: {"repo_url": repo_url, "root": "/repo/root"}}},
    )
    scenario(
        "normalize_path_for_skill_id_user_scoped_uses_absolute_path",
        UP.format("normalize_path_for_skill_id_user_scoped_uses_absolute_path") + skills_note,
        [f_skill(t1, [skill_inv("doc", "user", user_path, inv="implicit")])],
        [e_skill(skill_id("personal", user_path, "doc"), "doc", "codex_cli_rs", "user", None, None, t1, "implicit")],
    )
    admin_path = "/etc/codex/skills/doc/SKILL.md"
    scenario(
        "normalize_path_for_skill_id_admin_scoped_uses_absolute_path",
        UP.format("normalize_path_for_skill_id_admin_scoped_uses_absolute_path") + skills_note,
        [f_skill(t1, [skill_inv("doc", "admin", admin_path)])],
        [e_skill(skill_id("personal", admin_path, "doc"), "doc", "codex_cli_rs", "admin", None, None, t1, "explicit")],
    )
    other = "/other/path/.codex/skills/doc/SKILL.md"
    scenario(
        "normalize_path_for_skill_id_repo_root_not_in_skill_path_uses_absolute_path",
        UP.format("normalize_path_for_skill_id_repo_root_not_in_skill_path_uses_absolute_path") + skills_note
        + " A repo URL was found but the root is not a prefix of the skill path: prefix `repo_<url>`,"
        " absolute path.",
        [f_skill(t1, [skill_inv("doc", "repo", other)])],
        [e_skill(skill_id(f"repo_{repo_url}", other, "doc"), "doc", "codex_cli_rs", "repo", None, repo_url, t1, "explicit")],
        config={"skill_repos": {other: {"repo_url": repo_url, "root": "/repo/root"}}},
    )


# =========================================================================== 2. behaviours of spec/reducer.md §2 and §6


def threads_behaviour() -> None:
    comp = f_compaction(
        "thread-1", "turn-1", "auto", "context_limit", "responses", "pre_turn", "memento", "completed",
        None, 20000, 5000, 100, 105, 5000,
    )
    scenario(
        "thread_response_before_initialize_is_not_replayed",
        "spec/reducer.md §2.3 step 1 and §6 (Initialize first): the thread/start response arrives before"
        " initialize, so the thread is never recorded; the later initialize does not replay it and a"
        " compaction for the thread is dropped with missing_context `thread_connection`.",
        [
            f_thread_response(7, 1, "thread/start", "thread-1"),
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX),
            comp,
        ],
        [],
        drops={"thread_connection": 1},
    )
    v2 = client("codex_cli_rs", "codex-tui", "2.0.0", "stdio", True)
    scenario(
        "reinitialize_connection_replaces_client_metadata",
        "spec/reducer.md §2.1: a second Initialize for connection 7 replaces the cached client and runtime;"
        " the already emitted thread event keeps the old values, the later compaction event of the"
        " thread bound to connection 7 uses the new ones.",
        [
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX),
            f_thread_response(7, 1, "thread/start", "thread-1"),
            f_initialize(7, "codex_cli_rs", "codex-tui", "2.0.0", "stdio", True, RT_SAMPLE),
            comp,
        ],
        [e_thread_init("thread-1", CL_WS, RT_LINUX), e_compaction(comp, v2, RT_SAMPLE)],
    )
    parent = "019d4aa8-51ec-77e3-bafb-2c1b8e29e385"
    facts = [
        f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX),
        f_thread_response(7, 1, "thread/fork", "thread-fork", source="vscode", created_at=1774827949),
        f_thread_response(7, 2, "thread/start", "thread-app", source="appServer", thread_source=None),
        f_thread_response(7, 3, "thread/start", "thread-review", source={"subAgent": "review"}, thread_source="subagent"),
        f_thread_response(7, 4, "thread/resume", "thread-spawn", source={"subAgent": spawn_source(parent, 2)}, thread_source="subagent"),
        f_thread_response(7, 5, "thread/start", "thread-other", source={"subAgent": {"other": "guardian"}}, thread_source="subagent"),
        f_thread_response(7, 6, "thread/start", "thread-custom", source={"custom": "atlas"}, thread_source="user"),
        f_thread_response(7, 7, "thread/start", "thread-compact", source={"subAgent": "compact"}, thread_source="subagent"),
        f_thread_response(7, 8, "thread/start", "thread-negative", created_at=-5),
    ]
    events = [
        e_thread_init("thread-fork", CL_WS, RT_LINUX, mode="forked", created_at=1774827949),
        e_thread_init("thread-app", CL_WS, RT_LINUX, thread_source=None),
        e_thread_init("thread-review", CL_WS, RT_LINUX, thread_source="subagent", subagent_source="review"),
        e_thread_init("thread-spawn", CL_WS, RT_LINUX, thread_source="subagent", mode="resumed", subagent_source="thread_spawn", parent=parent),
        e_thread_init("thread-other", CL_WS, RT_LINUX, thread_source="subagent", subagent_source="guardian"),
        e_thread_init("thread-custom", CL_WS, RT_LINUX),
        e_thread_init("thread-compact", CL_WS, RT_LINUX, thread_source="subagent", subagent_source="compact"),
        e_thread_init("thread-negative", CL_WS, RT_LINUX, created_at=0),
    ]
    scenario(
        "thread_initialized_lineage_and_modes",
        "spec/reducer.md §1 (derived thread metadata), §2.3 and §3.1: thread/fork -> forked; thread_source is"
        " taken from threadSource (null stays null); subagent_source only for SubAgent session sources"
        " (review, thread_spawn with its parent id, Other name, compact); other session sources (vscode,"
        " appServer, custom) give null; a negative createdAt is reported as 0.",
        facts,
        events,
    )
    comp_s = f_compaction(
        "thread-s", "turn-1", "manual", "user_requested", "responses", "standalone_turn", "memento",
        "completed", None, 9000, 3000, 200, 202, 2000,
    )
    scenario(
        "thread_response_replaces_subagent_thread_entry",
        "spec/reducer.md §2.3 step 3 and §6: a subagent thread with an unknown parent has metadata but no"
        " connection; a later thread/resume response for the same thread id on connection 7 replaces"
        " both, so its compaction event carries connection 7 and the response's (user) lineage.",
        [
            f_subagent("thread-s", "thread-missing", "review", 150),
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX),
            f_thread_response(7, 1, "thread/resume", "thread-s"),
            comp_s,
        ],
        [
            e_thread_init(
                "thread-s", client("codex-tui", "codex-tui", "1.0.0", "in_process", None), DEFAULT_RUNTIME,
                thread_source="subagent", subagent_source="review", parent="thread-missing", created_at=150,
            ),
            e_thread_init("thread-s", CL_WS, RT_LINUX, mode="resumed"),
            e_compaction(comp_s, CL_WS, RT_LINUX),
        ],
    )
    pre_f, pre_e = review_pre()
    scenario(
        "subagent_fact_keeps_existing_thread_metadata",
        "spec/reducer.md §2.11 (SubAgentThreadStarted writes metadata only if absent, connection only if"
        " unset): a subagent fact for an already bound thread still emits its thread event, but the"
        " thread keeps its user lineage and connection, as the compaction event shows.",
        pre_f + [f_subagent("thread-1", None, "review", 160), comp],
        pre_e
        + [
            e_thread_init(
                "thread-1", client("codex-tui", "codex-tui", "1.0.0", "in_process", None), DEFAULT_RUNTIME,
                thread_source="subagent", subagent_source="review", created_at=160,
            ),
            e_compaction(comp, CL_WS, RT_LINUX),
        ],
    )
    orphan_comp = f_compaction(
        "thread-orphan", "turn-o", "auto", "context_limit", "responses", "mid_turn", "memento", "completed",
        None, 20000, 6000, 300, 304, 4000,
    )
    g = guardian_params("thread-orphan", "turn-o", "review-o", None)
    scenario(
        "subagent_with_unknown_parent_drops_thread_scoped_events",
        "spec/reducer.md §6 (threads across connections / subagents): the parent thread is unknown, so the"
        " subagent thread has metadata but no connection. Its thread event is emitted; its compaction,"
        " guardian review and tool item events are dropped with missing_context `thread_connection`.",
        [
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX),
            f_subagent("thread-orphan", "thread-missing", "review", 170),
            orphan_comp,
            f_guardian_review(g),
            f_item_started("thread-orphan", "turn-o", cmd_item()),
            f_item_completed("thread-orphan", "turn-o", cmd_item(status="completed", exit_code=0, duration_ms=42)),
        ],
        [
            e_thread_init(
                "thread-orphan", client("codex-tui", "codex-tui", "1.0.0", "in_process", None), DEFAULT_RUNTIME,
                thread_source="subagent", subagent_source="review", parent="thread-missing", created_at=170,
            )
        ],
        drops={"thread_connection": 3},
    )
    scenario(
        "compaction_for_unknown_thread_is_dropped",
        "spec/reducer.md §2.11 (Compaction needs thread context): a compaction for a thread no response or"
        " subagent fact registered is dropped with missing_context `thread_connection`.",
        [f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX), comp],
        [],
        drops={"thread_connection": 1},
    )
    cl8 = client("codex-web", "codex-web", "3.0.0", "stdio", None)
    comp1 = f_compaction(
        "thread-1", "turn-9", "auto", "context_limit", "responses", "mid_turn", "memento", "completed",
        None, 30000, 8000, 400, 402, 2000,
    )
    scenario(
        "multiple_connections_last_thread_response_wins",
        "spec/reducer.md §6 (multiple connections): thread-1 is started on connection 7 and resumed on"
        " connection 8. Tool items and compaction use the thread's current binding (connection 8);"
        " the turn event uses the connection that sent turn/start (7) with the thread's current"
        " metadata (initialization_mode resumed).",
        [
            f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
            f_initialize(8, "codex-web", "codex-web", "3.0.0", "stdio", None, RT_LINUX),
            f_thread_response(7, 1, "thread/start", "thread-1"),
            f_thread_response(8, 1, "thread/resume", "thread-1"),
            f_turn_start_request(7, 2, "thread-1"),
            f_turn_start_response(7, 2, "turn-9"),
            f_resolved_config("thread-1", "turn-9"),
            f_item_started("thread-1", "turn-9", cmd_item()),
            f_item_completed("thread-1", "turn-9", cmd_item(status="completed", exit_code=0, duration_ms=42)),
            comp1,
            f_turn_completed("thread-1", "turn-9"),
        ],
        [
            e_thread_init("thread-1", CL_TUI, RT_SAMPLE),
            e_thread_init("thread-1", cl8, RT_LINUX, mode="resumed"),
            e_cmd(tool_base("thread-1", "turn-9", "item-1", cl8, RT_LINUX, "shell", execution_duration_ms=42)),
            e_compaction(comp1, cl8, RT_LINUX),
            e_turn("thread-1", "turn-9", CL_TUI, RT_SAMPLE, mode="resumed", tokens=False, started_at=None),
        ],
    )


def turns_behaviour() -> None:
    pre_f, pre_e = review_pre()
    scenario(
        "turn_event_requires_turn_start_on_this_reducer",
        "spec/reducer.md §6 (turn event needs turn/start): config, turn/started, token usage and"
        " turn/completed for a turn whose turn/start request/response was never observed (e.g. a"
        " review or compact turn) never emit a turn event and log nothing.",
        pre_f
        + [
            f_resolved_config("thread-1", "turn-1"),
            f_turn_started("thread-1", "turn-1"),
            f_token_usage("thread-1", "turn-1"),
            f_turn_completed("thread-1", "turn-1"),
        ],
        pre_e,
    )
    pre_f, pre_e = turn_pre(tokens=False)
    scenario(
        "late_token_usage_after_emission_is_lost",
        "spec/reducer.md §2.9 (token usage is not required) and §6: the turn event is emitted on"
        " turn/completed with null token fields; token usage arriving afterwards starts a fresh entry"
        " that can never complete, and a late diff as well. Nothing more is emitted.",
        pre_f
        + [
            f_turn_completed("thread-2", "turn-2"),
            f_token_usage("thread-2", "turn-2"),
            f_turn_diff("thread-2", "turn-2", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+late_line = 1\n"),
        ],
        pre_e + [turn_ev(tokens=False)],
    )
    pre_f, pre_e = turn_pre()
    scenario(
        "duplicate_turn_completed_emits_once",
        "spec/reducer.md §6 (duplicate turn/completed): the first completion emits and removes the turn;"
        " the second creates an orphan entry that never emits.",
        pre_f + [f_turn_completed("thread-2", "turn-2"), f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev()],
    )
    scenario(
        "turn_facts_arrive_in_any_order",
        "spec/reducer.md §2.9 and §6 (arrival order is free): turn/completed, turn/started, token usage and"
        " the resolved config all arrive before the turn/start response; the turn event is emitted by"
        " the response, the fact that completes the set.",
        [
            f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
            f_thread_response(7, 1, "thread/start", "thread-2"),
            f_turn_start_request(7, 3, "thread-2"),
            f_turn_completed("thread-2", "turn-2"),
            f_turn_started("thread-2", "turn-2"),
            f_token_usage("thread-2", "turn-2"),
            f_resolved_config("thread-2", "turn-2"),
            f_turn_start_response(7, 3, "turn-2"),
        ],
        [e_thread_init("thread-2", CL_TUI, RT_SAMPLE), turn_ev()],
    )
    pre_f, pre_e = turn_pre(started=False, tokens=False)
    scenario(
        "turn_completed_edge_values",
        "spec/reducer.md §2.5 and §4: a negative turn.startedAt gives started_at null; a completion still"
        " reporting inProgress gives status null; a missing completedAt gives completed_at 0; a"
        " negative durationMs gives duration_ms null.",
        pre_f
        + [
            f_turn_started("thread-2", "turn-2", started_at=-3),
            f_turn_completed("thread-2", "turn-2", "inProgress", completed_at=None, duration_ms=-1),
        ],
        pre_e + [turn_ev(status=None, started_at=None, completed_at=0, duration_ms=None, tokens=False)],
    )
    facts = [
        f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
        f_thread_response(7, 1, "thread/start", "thread-2", ephemeral=True),
        f_turn_start_request(7, 3, "thread-2", [IMG, LOCAL_IMG, IMG, text_input("look")]),
        f_turn_start_response(7, 3, "turn-2"),
        f_resolved_config(
            "thread-2", "turn-2", num_input_images=1, ephemeral=True, permission_profile=PERM_WORKSPACE_WRITE,
            reasoning_effort="minimal", reasoning_summary="none", approval_policy="never",
            approvals_reviewer="user", sandbox_network_access=False, collaboration_mode="default",
            personality="none", is_first_turn=False,
        ),
        f_turn_completed("thread-2", "turn-2"),
    ]
    scenario(
        "turn_config_strings_and_image_count",
        "spec/reducer.md §3.2: the resolved config arrives after the turn/start response and overwrites its"
        " image count (3 images in the request, 1 in the config); reasoning_summary and personality"
        " `none` report null; default collaboration mode reports `default`; absent service tier"
        " reports `default`; workspace-write profile -> workspace_write; approval policy `never`,"
        " reviewer `user`; ephemeral and is_first_turn from the config.",
        facts,
        [
            e_thread_init("thread-2", CL_TUI, RT_SAMPLE, ephemeral=True),
            turn_ev(
                ephemeral=True, sandbox_policy="workspace_write", reasoning_effort="minimal",
                approval_policy="never", approvals_reviewer="user", sandbox_network_access=False,
                collaboration_mode="default", is_first_turn=False, tokens=False, started_at=None,
            ),
        ],
    )
    facts = [
        f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
        f_thread_response(7, 1, "thread/start", "thread-2"),
    ]
    events = [e_thread_init("thread-2", CL_TUI, RT_SAMPLE)]
    for i, (profile, expected) in enumerate(
        [
            (PERM_DISABLED, "full_access"),
            (PERM_EXTERNAL, "external_sandbox"),
            (PERM_FULL_DISK_NET, "full_access"),
            (PERM_FULL_DISK_NO_NET, "external_sandbox"),
            (PERM_READ_ONLY, "read_only"),
            (PERM_WORKSPACE_WRITE, "workspace_write"),
        ]
    ):
        turn_id = f"turn-{i}"
        facts += [
            f_turn_start_request(7, 10 + i, "thread-2"),
            f_turn_start_response(7, 10 + i, turn_id),
            f_resolved_config("thread-2", turn_id, permission_profile=profile),
            f_turn_completed("thread-2", turn_id),
        ]
        events.append(e_turn("thread-2", turn_id, CL_TUI, RT_SAMPLE, sandbox_policy=expected, tokens=False, started_at=None))
    scenario(
        "turn_sandbox_policy_mapping",
        "spec/reducer.md §3.2 (sandbox_policy): disabled -> full_access; external -> external_sandbox;"
        " managed with full-disk write -> full_access when network is enabled, external_sandbox when"
        " restricted (reducer.rs inline test managed_full_disk_with_restricted_network_reports_external_sandbox);"
        " managed without writable roots -> read_only; managed with a writable root -> workspace_write.",
        facts,
        events,
    )
    scenario(
        "turn_without_thread_metadata_is_dropped",
        "spec/reducer.md §2.9 step 4: the turn/start connection is known but the thread was never"
        " registered, so the turn is dropped with missing_context `thread_metadata`.",
        [
            f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
            f_turn_start_request(7, 3, "thread-unknown"),
            f_turn_start_response(7, 3, "turn-2"),
            f_resolved_config("thread-unknown", "turn-2"),
            f_turn_completed("thread-unknown", "turn-2"),
        ],
        [],
        drops={"thread_metadata": 1},
    )
    scenario(
        "pending_request_type_mismatch_deletes_entry",
        "spec/reducer.md §6 (type mismatch on request key): a turn/start response whose key holds a pending"
        " steer deletes it and emits nothing (the later steer response finds nothing); likewise a"
        " steer response on a pending turn/start deletes it, so the turn never gets a connection.",
        [
            f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
            f_thread_response(7, 1, "thread/start", "thread-2"),
            f_steer_request(7, 4, "thread-2", "turn-1"),
            f_turn_start_response(7, 4, "turn-x"),
            f_steer_response(7, 4, "turn-1"),
            f_turn_start_request(7, 5, "thread-2"),
            f_steer_response(7, 5, "turn-2"),
            f_turn_start_response(7, 5, "turn-2"),
            f_resolved_config("thread-2", "turn-2"),
            f_turn_completed("thread-2", "turn-2"),
        ],
        [e_thread_init("thread-2", CL_TUI, RT_SAMPLE)],
    )


def steers_behaviour() -> None:
    base = [
        f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
        f_thread_response(7, 1, "thread/start", "thread-2"),
    ]
    base_e = [e_thread_init("thread-2", CL_TUI, RT_SAMPLE)]
    scenario(
        "steer_on_unknown_connection_is_dropped_silently",
        "spec/reducer.md §2.10: the steer request came on connection 9, which never sent initialize; the"
        " accepted steer is dropped without a warning.",
        base + [f_steer_request(9, 4, "thread-2", "turn-2"), f_steer_response(9, 4, "turn-2")],
        base_e,
    )
    scenario(
        "steer_without_thread_metadata_is_dropped",
        "spec/reducer.md §2.10: the steer's thread was never registered -> dropped with missing_context"
        " `thread_metadata`.",
        base + [f_steer_request(7, 4, "thread-unknown", "turn-2"), f_steer_response(7, 4, "turn-2")],
        base_e,
        drops={"thread_metadata": 1},
    )
    reasons = [
        ({"turn_steer": "expected_turn_mismatch"}, "expected_turn_mismatch"),
        ({"turn_steer": "non_steerable_compact"}, "non_steerable_compact"),
        ({"input": "empty"}, "empty_input"),
        (None, None),
    ]
    facts = list(base)
    events = list(base_e)
    for i, (etype, reason) in enumerate(reasons):
        facts += [f_steer_request(7, 20 + i, "thread-2", "turn-2", [text_input("again")]), f_error_response(7, 20 + i, etype)]
        events.append(e_steer("thread-2", "turn-2", None, CL_TUI, RT_SAMPLE, num_input_images=0, result="rejected", rejection_reason=reason))
    scenario(
        "steer_rejection_reason_mapping",
        "spec/reducer.md §2.4: error_type turn_steer/expected_turn_mismatch, turn_steer/non_steerable_compact,"
        " input/empty and no error_type map to expected_turn_mismatch, non_steerable_compact,"
        " empty_input and null. Text-only input: num_input_images 0.",
        facts,
        events,
    )
    scenario(
        "accepted_steer_for_unknown_turn_does_not_create_turn",
        "spec/reducer.md §2.3 (turn/steer): the steer_count of a turn is incremented only if the turn entry"
        " already exists; a steer accepted before turn-9 is known does not create it, so turn-9's"
        " later turn event reports steer_count 0.",
        base
        + [
            f_steer_request(7, 4, "thread-2", "turn-9"),
            f_steer_response(7, 4, "turn-9"),
            f_turn_start_request(7, 5, "thread-2"),
            f_turn_start_response(7, 5, "turn-9"),
            f_resolved_config("thread-2", "turn-9"),
            f_turn_completed("thread-2", "turn-9"),
        ],
        base_e
        + [
            e_steer("thread-2", "turn-9", "turn-9", CL_TUI, RT_SAMPLE),
            e_turn("thread-2", "turn-9", CL_TUI, RT_SAMPLE, tokens=False, started_at=None),
        ],
    )


def items(thread_id: str, turn_id: str, pairs: list[tuple[J, J]], start: int = 1000, end: int = 1042) -> list[J]:
    out: list[J] = []
    for started, completed in pairs:
        out += [f_item_started(thread_id, turn_id, started, start), f_item_completed(thread_id, turn_id, completed, end)]
    return out


def tb(item_id: str, tool_name: str, **kw: object) -> J:
    return tool_base("thread-1", "turn-1", item_id, CL_WS, RT_LINUX, tool_name, **kw)  # type: ignore[arg-type]


def tool_items_behaviour() -> None:
    pre_f, pre_e = review_pre()
    pairs = [
        (cmd_item("c-user", source="userShell"), cmd_item("c-user", "completed", exit_code=0, duration_ms=10, source="userShell")),
        (cmd_item("c-ue-start", source="unifiedExecStartup"), cmd_item("c-ue-start", "failed", exit_code=1, duration_ms=5, source="unifiedExecStartup")),
        (cmd_item("c-ue-int", source="unifiedExecInteraction"), cmd_item("c-ue-int", "declined", source="unifiedExecInteraction")),
        (cmd_item("c-agent"), cmd_item("c-agent")),
    ]
    scenario(
        "tool_item_command_execution_sources_and_statuses",
        "spec/reducer.md §3.4 (commandExecution): userShell -> tool_name user_shell; unifiedExecStartup and"
        " unifiedExecInteraction -> unified_exec (command_execution_source keeps the camelCase value);"
        " failed -> failed + tool_error; declined -> rejected + approval_denied; a completion that still"
        " reports inProgress emits nothing. execution_duration_ms is the item's durationMs.",
        pre_f + items("thread-1", "turn-1", pairs),
        pre_e
        + [
            e_cmd(tb("c-user", "user_shell", execution_duration_ms=10), source="userShell"),
            e_cmd(tb("c-ue-start", "unified_exec", execution_duration_ms=5, terminal_status="failed", failure_kind="tool_error"), source="unifiedExecStartup", exit_code=1),
            e_cmd(tb("c-ue-int", "unified_exec", terminal_status="rejected", failure_kind="approval_denied"), source="unifiedExecInteraction", exit_code=None),
        ],
    )
    changes = [
        change("src/new.rs", "add"),
        change("src/lib.rs", "update"),
        change("src/old.rs", "delete"),
        change("src/a.rs", "update", "src/b.rs"),
        change("src/c.rs", "update"),
    ]
    pairs = [
        (file_item("f-1", "inProgress", changes), file_item("f-1", "completed", changes)),
        (file_item("f-2", "inProgress", []), file_item("f-2", "failed", [])),
        (file_item("f-3", "inProgress", [change("x.rs", "add")]), file_item("f-3", "declined", [change("x.rs", "add")])),
        (file_item("f-4", "inProgress", []), file_item("f-4", "inProgress", [])),
    ]
    scenario(
        "tool_item_file_change_counts",
        "spec/reducer.md §3.4 (fileChange): file_change_count = number of changes; add / update / delete;"
        " an update with a move path counts as a move, not an update; tool_name apply_patch;"
        " execution_duration_ms null; failed -> tool_error, declined -> rejected/approval_denied;"
        " inProgress completion -> nothing.",
        pre_f + items("thread-1", "turn-1", pairs),
        pre_e
        + [
            e_file(tb("f-1", "apply_patch"), (5, 1, 2, 1, 1)),
            e_file(tb("f-2", "apply_patch", terminal_status="failed", failure_kind="tool_error"), (0, 0, 0, 0, 0)),
            e_file(tb("f-3", "apply_patch", terminal_status="rejected", failure_kind="approval_denied"), (1, 1, 0, 0, 0)),
        ],
    )
    pairs = [
        (mcp_item("m-1", "inProgress", duration_ms=None), mcp_item("m-1", "completed", duration_ms=2)),
        (mcp_item("m-2", "inProgress", duration_ms=None), mcp_item("m-2", "failed", error={"message": "boom"}, duration_ms=7)),
        (mcp_item("m-3", "inProgress", duration_ms=None), mcp_item("m-3", "inProgress", duration_ms=None)),
    ]
    scenario(
        "tool_item_mcp_error_present",
        "spec/reducer.md §3.4 (mcpToolCall): tool_name = the MCP tool name; mcp_error_present = the item's"
        " error is present; failed -> tool_error; inProgress completion -> nothing; execution duration"
        " from durationMs.",
        pre_f + items("thread-1", "turn-1", pairs),
        pre_e
        + [
            e_mcp(tb("m-1", "search", execution_duration_ms=2), False),
            e_mcp(tb("m-2", "search", execution_duration_ms=7, terminal_status="failed", failure_kind="tool_error"), True),
        ],
    )
    content = [
        {"type": "inputText", "text": "rendered"},
        {"type": "inputImage", "imageUrl": "data:image/png;base64,AAAA"},
        {"type": "inputText", "text": "done"},
    ]
    pairs = [
        (dyn_item("d-1", "inProgress", None, None, None), dyn_item("d-1", "completed", None, True, 3)),
        (dyn_item("d-2", "inProgress", None, None, None), dyn_item("d-2", "completed", content, True, 4)),
        (dyn_item("d-3", "inProgress", None, None, None), dyn_item("d-3", "failed", [], False, 1)),
        (dyn_item("d-4", "inProgress", None, None, None), dyn_item("d-4", "completed", None, None, -5)),
        (dyn_item("d-5", "inProgress", None, None, None), dyn_item("d-5", "inProgress", None, None, None)),
    ]
    scenario(
        "tool_item_dynamic_content_item_counts",
        "spec/reducer.md §3.4 (dynamicToolCall): the three output counts are null when contentItems is"
        " null, otherwise total / inputText / inputImage counts (an empty list gives 0/0/0); success"
        " passes through (nullable); a negative durationMs gives execution_duration_ms null;"
        " inProgress completion -> nothing.",
        pre_f + items("thread-1", "turn-1", pairs),
        pre_e
        + [
            e_dyn(tb("d-1", "render", execution_duration_ms=3), True, (None, None, None)),
            e_dyn(tb("d-2", "render", execution_duration_ms=4), True, (3, 2, 1)),
            e_dyn(tb("d-3", "render", execution_duration_ms=1, terminal_status="failed", failure_kind="tool_error"), False, (0, 0, 0)),
            e_dyn(tb("d-4", "render"), None, (None, None, None)),
        ],
    )

    def st(status: str) -> J:
        return {"status": status, "message": None}

    c_items = [
        collab_item("a-1", "spawnAgent", "completed", ["thread-c1"], {"thread-c1": st("running")}, model="gpt-5", effort="high"),
        collab_item(
            "a-2", "wait", "completed", ["thread-c1", "thread-c2", "thread-c3", "thread-c4"],
            {"thread-c1": {"status": "completed", "message": "done"}, "thread-c2": {"status": "errored", "message": "boom"}, "thread-c3": st("shutdown"), "thread-c4": st("notFound")},
        ),
        collab_item("a-3", "sendInput", "failed", ["thread-c1"], {}),
        collab_item("a-4", "resumeAgent", "completed", [], {}),
        collab_item("a-5", "closeAgent", "completed", ["thread-c1", "thread-c2"], {"thread-c1": st("interrupted"), "thread-c2": st("pendingInit")}),
        collab_item("a-6", "spawnAgent", "inProgress", [], {}),
    ]
    pairs = [(dict(c, status="inProgress"), c) for c in c_items]
    scenario(
        "tool_item_collab_agent_states",
        "spec/reducer.md §3.4 (collabAgentToolCall): tool names spawn_agent / wait_agent / send_input /"
        " resume_agent / close_agent; receiver ids always a list; requested model and reasoning"
        " effort pass through; agent_state_count = number of agent states, completed = `completed`,"
        " failed = errored + shutdown + notFound (running / interrupted / pendingInit count in neither);"
        " execution_duration_ms null; inProgress completion -> nothing.",
        pre_f + items("thread-1", "turn-1", pairs),
        pre_e
        + [
            e_collab(tb("a-1", "spawn_agent"), ["thread-c1"], model="gpt-5", effort="high", states=(1, 0, 0)),
            e_collab(tb("a-2", "wait_agent"), ["thread-c1", "thread-c2", "thread-c3", "thread-c4"], model=None, effort=None, states=(4, 1, 3)),
            e_collab(tb("a-3", "send_input", terminal_status="failed", failure_kind="tool_error"), ["thread-c1"], model=None, effort=None, states=(0, 0, 0)),
            e_collab(tb("a-4", "resume_agent"), [], model=None, effort=None, states=(0, 0, 0)),
            e_collab(tb("a-5", "close_agent"), ["thread-c1", "thread-c2"], model=None, effort=None, states=(2, 0, 0)),
        ],
    )
    w_items = [
        web_item("w-1", "a", {"type": "search", "query": "a", "queries": ["a", "b"]}),
        web_item("w-2", "codex", {"type": "search", "query": "codex", "queries": None}),
        web_item("w-3", "", {"type": "search", "query": None, "queries": None}),
        web_item("w-4", "https://example.com", {"type": "openPage", "url": "https://example.com"}),
        web_item("w-5", "codex", {"type": "findInPage", "url": "https://example.com", "pattern": "codex"}),
        web_item("w-6", "codex", {"type": "other"}),
        web_item("w-7", "codex", None),
        web_item("w-8", "   ", None),
    ]
    pairs = [(web_item(w["id"], "", None), w) for w in w_items]
    scenario(
        "tool_item_web_search_actions_and_query_count",
        "spec/reducer.md §3.4 (webSearch, always completed, tool_name web_search): action search / open_page /"
        " find_in_page / other, null without an action; query_present = the item's query is non-blank;"
        " query_count: search -> len(queries) if present, else 1 if its query is present, else null;"
        " open_page / find_in_page / other -> null; no action -> 1 if the query is non-blank else null.",
        pre_f + items("thread-1", "turn-1", pairs, 1000, 1300),
        pre_e
        + [
            e_web(tb("w-1", "web_search", completed=1300), "search", True, 2),
            e_web(tb("w-2", "web_search", completed=1300), "search", True, 1),
            e_web(tb("w-3", "web_search", completed=1300), "search", False, None),
            e_web(tb("w-4", "web_search", completed=1300), "open_page", True, None),
            e_web(tb("w-5", "web_search", completed=1300), "find_in_page", True, None),
            e_web(tb("w-6", "web_search", completed=1300), "other", True, None),
            e_web(tb("w-7", "web_search", completed=1300), None, True, 1),
            e_web(tb("w-8", "web_search", completed=1300), None, False, None),
        ],
    )
    i_items = [
        image_item("i-1", "completed", "a cat on a mat", "/tmp/codex/cat.png"),
        image_item("i-2", "failed", None, None),
        image_item("i-3", "error", "a dog", None),
        image_item("i-4", "generating", None, None),
    ]
    pairs = [(image_item(i["id"], "in_progress", None, None), i) for i in i_items]
    scenario(
        "tool_item_image_generation_status_mapping",
        "spec/reducer.md §3.4 (imageGeneration, tool_name image_generation): status string `failed` or"
        " `error` -> failed + tool_error, any other string -> completed; revised_prompt_present /"
        " saved_path_present = field present; execution_duration_ms null; started == completed gives"
        " duration 0.",
        pre_f + items("thread-1", "turn-1", pairs, 5000, 5000),
        pre_e
        + [
            e_image(tb("i-1", "image_generation", started=5000, completed=5000), True, True),
            e_image(tb("i-2", "image_generation", started=5000, completed=5000, terminal_status="failed", failure_kind="tool_error"), False, False),
            e_image(tb("i-3", "image_generation", started=5000, completed=5000, terminal_status="failed", failure_kind="tool_error"), True, False),
            e_image(tb("i-4", "image_generation", started=5000, completed=5000), False, False),
        ],
    )
    scenario(
        "tool_item_in_progress_completion_consumes_summary",
        "spec/reducer.md §2.5 steps 5-6: a completion that still reports inProgress builds no event but"
        " still removes the started entry and the review summary; the next start/completion of the"
        " same key reports zero reviews.",
        pre_f
        + [f_cmd_approval(7, 90), f_server_response(90, CMD_APPROVAL, "accept")]
        + items("thread-1", "turn-1", [(cmd_item(), cmd_item())])
        + cmd_lifecycle("thread-1", "item-1"),
        pre_e + [e_review("thread-1", "turn-1", "item-1", "user:90", CL_WS, RT_LINUX), cmd_event("thread-1", "item-1")],
    )
    scenario(
        "non_tool_items_and_unrelated_messages_are_ignored",
        "spec/reducer.md §2.5 (untracked item types, item/autoApprovalReview/started, other notifications)"
        " and §2.6 (other server requests/responses): nothing is emitted and nothing is logged.",
        pre_f
        + [
            f_item_started("thread-1", "turn-1", {"type": "agentMessage", "id": "msg-1", "text": ""}),
            f_item_completed("thread-1", "turn-1", {"type": "agentMessage", "id": "msg-1", "text": "hi"}),
            f_item_completed("thread-1", "turn-1", {"type": "reasoning", "id": "r-1", "summary": [], "content": []}),
            f_notification(
                "item/autoApprovalReview/started",
                {"threadId": "thread-1", "turnId": "turn-1", "reviewId": "g-1", "targetItemId": "item-1", "startedAtMs": 1000,
                 "review": {"status": "inProgress", "riskLevel": None, "userAuthorization": None, "rationale": None}, "action": G_COMMAND},
            ),
            f_notification("thread/status/changed", {"threadId": "thread-1", "status": {"type": "active", "activeFlags": []}}),
            f_server_request(7, 400, "item/tool/requestUserInput", {"threadId": "thread-1", "turnId": "turn-1", "itemId": "ask-1", "questions": []}),
            {"fact": "server_response", "completed_at_ms": 1042, "request_id": 400, "method": "item/tool/requestUserInput", "result": {"answers": {}}},
            f_aborted(401),
        ],
        pre_e,
    )
    scenario(
        "duplicate_item_completed_is_dropped",
        "spec/reducer.md §6 (duplicate item/completed): the second completion finds no started entry and is"
        " dropped with a `missing item started notification` warning (drops reason"
        " `missing_item_started`).",
        pre_f + cmd_lifecycle("thread-1", "item-1")
        + [f_item_completed("thread-1", "turn-1", cmd_item(status="completed", exit_code=0, duration_ms=42), 1050)],
        pre_e + [cmd_event("thread-1", "item-1")],
        drops={"missing_item_started": 1},
    )
    scenario(
        "item_completed_without_started_keeps_review_summary",
        "spec/reducer.md §2.5 step 2 and §6: a completion without a start is dropped (`missing_item_started`)"
        " and the review summary for its key is kept, so the next started/completed pair reports the"
        " review.",
        pre_f
        + [
            f_cmd_approval(7, 91),
            f_server_response(91, CMD_APPROVAL, "decline"),
            f_item_completed("thread-1", "turn-1", cmd_item(status="completed", exit_code=0, duration_ms=42)),
        ]
        + cmd_lifecycle("thread-1", "item-1", completed=1100),
        pre_e
        + [
            e_review("thread-1", "turn-1", "item-1", "user:91", CL_WS, RT_LINUX, status="denied"),
            cmd_event("thread-1", "item-1", completed=1100, reviews=(1, 0, 1), outcome="user_denied"),
        ],
        drops={"missing_item_started": 1},
    )
    scenario(
        "item_negative_timestamps_are_ignored",
        "spec/reducer.md §2.5 and §4: an item/started with negative startedAtMs is ignored (the completion"
        " is then dropped as missing its start); an item/completed with negative completedAtMs removes"
        " the started entry and returns silently (a retry with a valid time is then dropped too).",
        pre_f
        + [
            f_item_started("thread-1", "turn-1", cmd_item(), -5),
            f_item_completed("thread-1", "turn-1", cmd_item(status="completed", exit_code=0, duration_ms=42)),
            f_item_started("thread-1", "turn-1", cmd_item()),
            f_item_completed("thread-1", "turn-1", cmd_item(status="completed", exit_code=0, duration_ms=42), -1),
            f_item_completed("thread-1", "turn-1", cmd_item(status="completed", exit_code=0, duration_ms=42)),
        ],
        pre_e,
        drops={"missing_item_started": 2},
    )
    scenario(
        "duplicate_item_started_later_wins_and_negative_duration_is_null",
        "spec/reducer.md §6 (duplicate item/started: the later start time wins) and §4 (duration_ms ="
        " completed - started, null when negative, never clamped).",
        pre_f
        + [
            f_item_started("thread-1", "turn-1", cmd_item(), 1000),
            f_item_started("thread-1", "turn-1", cmd_item(), 1010),
            f_item_completed("thread-1", "turn-1", cmd_item(status="completed", exit_code=0, duration_ms=42), 1042),
            f_item_started("thread-1", "turn-1", cmd_item("item-2"), 2000),
            f_item_completed("thread-1", "turn-1", cmd_item("item-2", "completed", exit_code=0, duration_ms=-3), 1500),
        ],
        pre_e
        + [
            cmd_event("thread-1", "item-1", started=1010),
            e_cmd(tb("item-2", "shell", started=2000, completed=1500)),
        ],
    )


def reviews_behaviour() -> None:
    pre_f, pre_e = review_pre()
    scenario(
        "review_after_item_completion_leaves_orphan_summary",
        "spec/reducer.md §6 (reviews vs item completion order): the review terminates after item-1 completed,"
        " so the command event reports no review; the summary stays behind and is attached to a later"
        " completion with the same thread/turn/item key.",
        pre_f
        + cmd_lifecycle("thread-1", "item-1")
        + [f_cmd_approval(7, 92, started_at_ms=1050), f_server_response(92, CMD_APPROVAL, "accept", 1060)]
        + items("thread-1", "turn-1", [(cmd_item(), cmd_item(status="completed", exit_code=0, duration_ms=42))], 1100, 1142),
        pre_e
        + [
            cmd_event("thread-1", "item-1"),
            e_review("thread-1", "turn-1", "item-1", "user:92", CL_WS, RT_LINUX, started=1050, completed=1060),
            cmd_event("thread-1", "item-1", started=1100, completed=1142, reviews=(1, 0, 1), outcome="user_approved"),
        ],
    )
    scenario(
        "review_for_unregistered_thread_still_updates_summary",
        "spec/reducer.md §2.8 step 1 (summary updated before the context check) and §6: the review's thread"
        " is not registered yet, so the review event is dropped (`thread_connection`) but its summary"
        " is kept and counted once the thread is started and the item completes.",
        [
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_LINUX),
            f_cmd_approval(7, 93, thread_id="thread-late"),
            f_server_response(93, CMD_APPROVAL, "accept"),
            f_thread_response(7, 1, "thread/start", "thread-late"),
        ]
        + cmd_lifecycle("thread-late", "item-1"),
        [
            e_thread_init("thread-late", CL_WS, RT_LINUX),
            cmd_event("thread-late", "item-1", reviews=(1, 0, 1), outcome="user_approved"),
        ],
        drops={"thread_connection": 1},
    )
    cl8 = client("codex-web", "codex-web", "3.0.0", "stdio", None)
    scenario(
        "pending_reviews_are_keyed_by_request_id_only",
        "spec/reducer.md §1 (pending_reviews keyed by the JSON-RPC id only) and §6: two connections issue"
        " server request id 81; the second overwrites the first, the response resolves the stored one"
        " (thread-2 on connection 8) and a second response finds nothing.",
        pre_f
        + [
            f_initialize(8, "codex-web", "codex-web", "3.0.0", "stdio", None, RT_LINUX),
            f_thread_response(8, 1, "thread/start", "thread-2"),
            f_cmd_approval(7, 81),
            f_cmd_approval(8, 81, thread_id="thread-2", turn_id="turn-2", item_id="item-2", started_at_ms=1010),
            f_server_response(81, CMD_APPROVAL, "accept"),
            f_server_response(81, CMD_APPROVAL, "accept", 1050),
        ],
        pre_e
        + [
            e_thread_init("thread-2", cl8, RT_LINUX),
            e_review("thread-2", "turn-2", "item-2", "user:81", cl8, RT_LINUX, started=1010),
        ],
    )
    scenario(
        "user_review_string_request_id",
        "spec/reducer.md §2.6: review_id is `user:` + the request id; a string id is used verbatim.",
        pre_f + [f_cmd_approval(7, "approval-abc"), f_server_response("approval-abc", CMD_APPROVAL, "accept")],
        pre_e + [e_review("thread-1", "turn-1", "item-1", "user:approval-abc", CL_WS, RT_LINUX)],
    )
    scenario(
        "user_review_negative_started_at_is_ignored",
        "spec/reducer.md §2.6: an approval request with negative startedAtMs stores nothing, so its response"
        " emits nothing.",
        pre_f + [f_cmd_approval(7, 94, started_at_ms=-1), f_server_response(94, CMD_APPROVAL, "accept")],
        pre_e,
    )
    net_ctx = {"host": "example.com", "protocol": "https"}
    amend_allow = [{"host": "example.com", "action": "allow"}]
    reqs = [
        f_cmd_approval(7, 101, item_id="c-101", approvalId="appr-1", additionalPermissions={"network": {"enabled": True}, "fileSystem": None}),
        f_cmd_approval(7, 102, item_id="c-102", proposedNetworkPolicyAmendments=amend_allow),
        f_cmd_approval(7, 103, item_id="c-103", additionalPermissions={"network": None, "fileSystem": {"read": [], "write": ["/tmp/out"]}}),
        f_cmd_approval(7, 104, item_id="c-104", networkApprovalContext=net_ctx),
        f_cmd_approval(7, 105, item_id="c-105", proposedNetworkPolicyAmendments=[]),
        f_cmd_approval(7, 106, item_id="c-106", additionalPermissions={"network": {"enabled": True}, "fileSystem": None}),
    ]
    resps = [
        f_server_response(101, CMD_APPROVAL, "accept"),
        f_server_response(102, CMD_APPROVAL, "decline"),
        f_server_response(103, CMD_APPROVAL, "cancel"),
        f_server_response(104, CMD_APPROVAL, {"acceptWithExecpolicyAmendment": {"execpolicy_amendment": ["curl", "example.com"]}}),
        f_server_response(105, CMD_APPROVAL, {"applyNetworkPolicyAmendment": {"network_policy_amendment": {"host": "example.com", "action": "deny"}}}),
        f_server_response(106, CMD_APPROVAL, "acceptForSession"),
    ]
    ids = ["c-101", "c-102", "c-103", "c-104", "c-105", "c-106"]
    r = e_review
    scenario(
        "user_review_command_triggers_decisions_and_item_flags",
        "spec/reducer.md §2.6 (command approvals) and §2.8: approvalId -> execve_intercept (even with a"
        " network grant request); non-empty proposed network amendments -> network_policy_denial;"
        " additionalPermissions without network -> sandbox_denial; networkApprovalContext -> a"
        " network_access review (not folded onto the item); an empty amendment list -> initial;"
        " additionalPermissions with network enabled -> network_policy_denial. Decisions: accept,"
        " decline, cancel, acceptWithExecpolicyAmendment, applyNetworkPolicyAmendment deny,"
        " acceptForSession. The command events carry the OR-ed request flags and the outcome.",
        pre_f
        + reqs
        + resps
        + [f_turn_started("thread-1", "turn-1")]
        + items("thread-1", "turn-1", [(cmd_item(i), cmd_item(i, "completed", exit_code=0, duration_ms=42)) for i in ids], 1100, 1200),
        pre_e
        + [
            r("thread-1", "turn-1", "c-101", "user:101", CL_WS, RT_LINUX, trigger="execve_intercept"),
            r("thread-1", "turn-1", "c-102", "user:102", CL_WS, RT_LINUX, trigger="network_policy_denial", status="denied"),
            r("thread-1", "turn-1", "c-103", "user:103", CL_WS, RT_LINUX, trigger="sandbox_denial", status="aborted"),
            r("thread-1", "turn-1", "c-104", "user:104", CL_WS, RT_LINUX, subject_kind="network_access", subject_name="network_access", trigger="network_policy_denial", resolution="exec_policy_amendment"),
            r("thread-1", "turn-1", "c-105", "user:105", CL_WS, RT_LINUX, status="denied", resolution="network_policy_amendment"),
            r("thread-1", "turn-1", "c-106", "user:106", CL_WS, RT_LINUX, trigger="network_policy_denial", resolution="session_approval"),
        ]
        + [
            e_cmd(tb("c-101", "shell", started=1100, completed=1200, execution_duration_ms=42, reviews=(1, 0, 1), outcome="user_approved", additional=True, network=True)),
            e_cmd(tb("c-102", "shell", started=1100, completed=1200, execution_duration_ms=42, reviews=(1, 0, 1), outcome="user_denied", network=True)),
            e_cmd(tb("c-103", "shell", started=1100, completed=1200, execution_duration_ms=42, reviews=(1, 0, 1), outcome="user_aborted", additional=True)),
            e_cmd(tb("c-104", "shell", started=1100, completed=1200, execution_duration_ms=42)),
            e_cmd(tb("c-105", "shell", started=1100, completed=1200, execution_duration_ms=42, reviews=(1, 0, 1), outcome="user_denied")),
            e_cmd(tb("c-106", "shell", started=1100, completed=1200, execution_duration_ms=42, reviews=(1, 0, 1), outcome="user_approved_for_session", additional=True, network=True)),
        ],
    )
    fpairs = [(file_item(i, "inProgress", [change("a.rs", "update")]), file_item(i, "completed", [change("a.rs", "update")])) for i in ("p-201", "p-202", "p-203")]
    scenario(
        "user_review_file_change_decisions",
        "spec/reducer.md §2.6 (file-change approvals): subject file_change / `apply_patch`; grantRoot present"
        " -> sandbox_denial and requested_additional_permissions; otherwise initial; accept ->"
        " approved/none, acceptForSession -> approved/session_approval, decline -> denied/none,"
        " cancel -> aborted/none. The file-change events carry the summaries.",
        pre_f
        + [
            f_file_approval(7, 201, item_id="p-201", grant_root="/tmp/project"),
            f_file_approval(7, 202, item_id="p-202"),
            f_file_approval(7, 203, item_id="p-203"),
            f_file_approval(7, 204, item_id="p-204"),
            f_server_response(201, FILE_APPROVAL, "accept"),
            f_server_response(202, FILE_APPROVAL, "acceptForSession"),
            f_server_response(203, FILE_APPROVAL, "decline"),
            f_server_response(204, FILE_APPROVAL, "cancel"),
        ]
        + items("thread-1", "turn-1", fpairs, 1100, 1200),
        pre_e
        + [
            r("thread-1", "turn-1", "p-201", "user:201", CL_WS, RT_LINUX, subject_kind="file_change", subject_name="apply_patch", trigger="sandbox_denial"),
            r("thread-1", "turn-1", "p-202", "user:202", CL_WS, RT_LINUX, subject_kind="file_change", subject_name="apply_patch", resolution="session_approval"),
            r("thread-1", "turn-1", "p-203", "user:203", CL_WS, RT_LINUX, subject_kind="file_change", subject_name="apply_patch", status="denied"),
            r("thread-1", "turn-1", "p-204", "user:204", CL_WS, RT_LINUX, subject_kind="file_change", subject_name="apply_patch", status="aborted"),
            e_file(tb("p-201", "apply_patch", started=1100, completed=1200, reviews=(1, 0, 1), outcome="user_approved", additional=True), (1, 0, 1, 0, 0)),
            e_file(tb("p-202", "apply_patch", started=1100, completed=1200, reviews=(1, 0, 1), outcome="user_approved_for_session"), (1, 0, 1, 0, 0)),
            e_file(tb("p-203", "apply_patch", started=1100, completed=1200, reviews=(1, 0, 1), outcome="user_denied"), (1, 0, 1, 0, 0)),
        ],
    )
    fs_only = {"network": None, "fileSystem": {"read": ["/data"], "write": []}}
    scenario(
        "permissions_review_closed_only_by_effective_grant_or_abort",
        "spec/reducer.md §2.6 (permissions approvals): fileSystem only -> sandbox_denial with additional"
        " permissions; no network and no fileSystem -> initial. The raw permissions server response is"
        " ignored (the review stays pending); the effective grant closes it (file-system grant, scope"
        " turn -> approved/none); an abort closes the other one (aborted/none).",
        pre_f
        + [
            f_permissions_approval(7, 301, fs_only, item_id="perm-301"),
            f_permissions_approval(7, 302, {"network": None, "fileSystem": None}, item_id="perm-302"),
            {
                "fact": "server_response", "completed_at_ms": 1030, "request_id": 301, "method": PERM_APPROVAL,
                "result": {"permissions": {"fileSystem": {"read": ["/data"], "write": []}}, "scope": "turn"},
            },
            f_effective_permissions(301, {"file_system": {"read": ["/data"], "write": []}}, "turn"),
            f_aborted(302, 1050),
        ],
        pre_e
        + [
            r("thread-1", "turn-1", "perm-301", "user:301", CL_WS, RT_LINUX, subject_kind="permissions", subject_name="permissions", trigger="sandbox_denial"),
            r("thread-1", "turn-1", "perm-302", "user:302", CL_WS, RT_LINUX, subject_kind="permissions", subject_name="permissions", status="aborted", completed=1050),
        ],
    )


def guardian_behaviour() -> None:
    pre_f, pre_e = review_pre()
    actions: list[tuple[str, J, str, str, str]] = [
        ("g-execve", {"type": "execve", "source": "shell", "program": "/bin/ls", "argv": ["ls", "-la"], "cwd": "/tmp"}, "command_execution", "command_execution", "execve_intercept"),
        ("g-patch", {"type": "applyPatch", "cwd": "/tmp", "files": ["/tmp/a.rs"]}, "file_change", "apply_patch", "sandbox_denial"),
        ("g-net", {"type": "networkAccess", "target": "https://example.com", "host": "example.com", "protocol": "https", "port": 443}, "network_access", "network_access", "network_policy_denial"),
        ("g-perm-net", {"type": "requestPermissions", "reason": "fetch", "permissions": {"network": {"enabled": True}, "fileSystem": None}}, "permissions", "permissions", "network_policy_denial"),
        ("g-perm-fs", {"type": "requestPermissions", "reason": "read", "permissions": {"network": None, "fileSystem": {"read": ["/data"], "write": []}}}, "permissions", "permissions", "sandbox_denial"),
        ("g-perm-none", {"type": "requestPermissions", "reason": None, "permissions": {"network": None, "fileSystem": None}}, "permissions", "permissions", "initial"),
        ("g-mcp", {"type": "mcpToolCall", "server": "docs", "toolName": "search", "connectorId": None, "connectorName": None, "toolTitle": None}, "mcp_tool_call", "search", "initial"),
    ]
    scenario(
        "guardian_review_action_subjects_and_triggers",
        "spec/reducer.md §2.7 (table): execve -> command_execution/execve_intercept; applyPatch ->"
        " file_change/`apply_patch`/sandbox_denial; networkAccess -> network_access/network_policy_denial;"
        " requestPermissions -> permissions with trigger by network enabled / fileSystem present /"
        " neither; mcpToolCall -> mcp_tool_call named by the tool, initial. No target items here.",
        pre_f + [f_guardian_notification(rid, None, "approved", act) for rid, act, *_ in actions],
        pre_e
        + [
            e_review("thread-1", "turn-1", None, rid, CL_WS, RT_LINUX, reviewer="guardian", subject_kind=kind, subject_name=name, trigger=trig)
            for rid, _, kind, name, trig in actions
        ],
    )
    patch_action = {"type": "applyPatch", "cwd": "/tmp", "files": ["/tmp/a.rs"]}
    mcp_action = actions[6][1]
    scenario(
        "guardian_review_statuses_fold_onto_tool_items",
        "spec/reducer.md §2.7 and §2.8: guardian statuses approved / timedOut (-> timed_out) / aborted map to"
        " review statuses with resolution none; an inProgress completion is ignored. Folded onto the"
        " items: guardian approved then user accept -> 2 reviews (1 guardian, 1 user), last outcome"
        " user_approved; timed out -> guardian_aborted; applyPatch review sets"
        " requested_additional_permissions on the file item; an mcpToolCall review on the MCP item ->"
        " guardian_denied.",
        pre_f
        + [
            f_guardian_notification("g-1", "item-1", "approved", G_COMMAND),
            f_cmd_approval(7, 110, started_at_ms=1043),
            f_server_response(110, CMD_APPROVAL, "accept", 1050),
            f_guardian_notification("g-2", "item-2", "timedOut", G_COMMAND),
            f_guardian_notification("g-3", "item-3", "inProgress", G_COMMAND),
            f_guardian_notification("g-4", "item-3", "aborted", G_COMMAND),
            f_guardian_notification("g-5", "patch-1", "approved", patch_action),
            f_guardian_notification("g-6", "mcp-1", "denied", mcp_action),
        ]
        + items(
            "thread-1", "turn-1",
            [(cmd_item(i), cmd_item(i, "completed", exit_code=0, duration_ms=42)) for i in ("item-1", "item-2", "item-3")]
            + [
                (file_item("patch-1", "inProgress", [change("a.rs", "add")]), file_item("patch-1", "completed", [change("a.rs", "add")])),
                (mcp_item("mcp-1", "inProgress", duration_ms=None), mcp_item("mcp-1", "failed", error={"message": "denied"}, duration_ms=1)),
            ],
            1100, 1200,
        ),
        pre_e
        + [
            e_review("thread-1", "turn-1", "item-1", "g-1", CL_WS, RT_LINUX, reviewer="guardian"),
            e_review("thread-1", "turn-1", "item-1", "user:110", CL_WS, RT_LINUX, started=1043, completed=1050),
            e_review("thread-1", "turn-1", "item-2", "g-2", CL_WS, RT_LINUX, reviewer="guardian", status="timed_out"),
            e_review("thread-1", "turn-1", "item-3", "g-4", CL_WS, RT_LINUX, reviewer="guardian", status="aborted"),
            e_review("thread-1", "turn-1", "patch-1", "g-5", CL_WS, RT_LINUX, reviewer="guardian", subject_kind="file_change", subject_name="apply_patch", trigger="sandbox_denial"),
            e_review("thread-1", "turn-1", "mcp-1", "g-6", CL_WS, RT_LINUX, reviewer="guardian", subject_kind="mcp_tool_call", subject_name="search", status="denied"),
            e_cmd(tb("item-1", "shell", started=1100, completed=1200, execution_duration_ms=42, reviews=(2, 1, 1), outcome="user_approved")),
            e_cmd(tb("item-2", "shell", started=1100, completed=1200, execution_duration_ms=42, reviews=(1, 1, 0), outcome="guardian_aborted")),
            e_cmd(tb("item-3", "shell", started=1100, completed=1200, execution_duration_ms=42, reviews=(1, 1, 0), outcome="guardian_aborted")),
            e_file(tb("patch-1", "apply_patch", started=1100, completed=1200, reviews=(1, 1, 0), outcome="guardian_approved", additional=True), (1, 1, 0, 0, 0)),
            e_mcp(tb("mcp-1", "search", started=1100, completed=1200, execution_duration_ms=1, reviews=(1, 1, 0), outcome="guardian_denied", terminal_status="failed", failure_kind="tool_error"), True),
        ],
    )
    scenario(
        "guardian_review_without_target_item_has_no_summary",
        "spec/reducer.md §2.8 step 1 and §6: a guardian review without targetItemId emits its review event"
        " but updates no item summary; a network-access guardian review with a target item never"
        " folds either (subject kind not command/file/MCP).",
        pre_f
        + [
            f_guardian_notification("g-1", None, "approved", G_COMMAND),
            f_guardian_notification("g-2", "item-1", "approved", actions[2][1]),
        ]
        + cmd_lifecycle("thread-1", "item-1", completed=1100),
        pre_e
        + [
            e_review("thread-1", "turn-1", None, "g-1", CL_WS, RT_LINUX, reviewer="guardian"),
            e_review("thread-1", "turn-1", "item-1", "g-2", CL_WS, RT_LINUX, reviewer="guardian", subject_kind="network_access", subject_name="network_access", trigger="network_policy_denial"),
            cmd_event("thread-1", "item-1", completed=1100),
        ],
    )
    scenario(
        "guardian_review_negative_timestamps_are_ignored",
        "spec/reducer.md §2.7: a guardian completion with a negative startedAtMs or completedAtMs is"
        " ignored silently; a completion earlier than its start gives duration_ms null.",
        pre_f
        + [
            f_guardian_notification("g-1", "item-1", "approved", G_COMMAND, started_at_ms=-1),
            f_guardian_notification("g-2", "item-1", "approved", G_COMMAND, completed_at_ms=-1),
            f_guardian_notification("g-3", None, "denied", G_COMMAND, started_at_ms=2000, completed_at_ms=1990),
        ],
        pre_e + [e_review("thread-1", "turn-1", None, "g-3", CL_WS, RT_LINUX, reviewer="guardian", status="denied", started=2000, completed=1990)],
    )
    g = guardian_params(
        "thread-1", "turn-1", "review-7", "item-1",
        approval_request_source="main_turn",
        reviewed_action={"type": "shell", "sandbox_permissions": "require_escalated", "additional_permissions": None},
        decision="approved", terminal_status="approved", failure_reason=None, risk_level="low",
        user_authorization="high", outcome="allow", guardian_thread_id="thread-guardian-1",
        guardian_session_kind="trunk_reused", guardian_model="gpt-5", guardian_reasoning_effort="low",
        had_prior_review_context=True, time_to_first_token_ms=800, completion_latency_ms=2400,
        started_at=1700000000, completed_at=1700000002, input_tokens=1200, cached_input_tokens=1000,
        output_tokens=80, reasoning_output_tokens=40, total_tokens=1280,
    )
    g_unknown = guardian_params("thread-unknown", "turn-1", "review-8", None)
    scenario(
        "guardian_custom_fact_with_session_and_missing_thread",
        "spec/reducer.md §2.11 (GuardianReview) and §3.7: every fact field is passed through after the"
        " connection's client and runtime (here a session-backed approval with token usage and a"
        " target item, which is not folded onto items); a guardian fact for an unregistered thread is"
        " dropped with missing_context `thread_connection`.",
        pre_f + [f_guardian_review(g), f_guardian_review(g_unknown)] + cmd_lifecycle("thread-1", "item-1"),
        pre_e + [e_guardian(g, CL_WS, RT_LINUX), cmd_event("thread-1", "item-1")],
        drops={"thread_connection": 1},
    )


def accepted_lines_behaviour() -> None:
    deletion = (
        "diff --git a/src/old.rs b/src/old.rs\n"
        "deleted file mode 100644\n"
        "index 3333333..0000000\n"
        "--- a/src/old.rs\n"
        "+++ /dev/null\n"
        "@@ -1,2 +0,0 @@\n"
        "-fn gone() {}\n"
        "-// bye\n"
    )
    pre_f, pre_e = turn_pre()
    scenario(
        "accepted_lines_deletion_only_diff_emits_without_fingerprints",
        "spec/reducer.md §5.1: a deletion-only diff still emits one accepted-line event (0 added, 2 deleted,"
        " empty fingerprint list). No repo hash provider result in the default config -> repo_hash null.",
        pre_f + [f_turn_diff("thread-2", "turn-2", deletion), f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev()] + e_accepted_all("thread-2", "turn-2", "gpt-5", None, deletion),
    )
    mode_only = (
        "diff --git a/bin/run.sh b/bin/run.sh\n"
        "old mode 100644\n"
        "new mode 100755\n"
    )
    pre_f, pre_e = turn_pre()
    scenario(
        "accepted_lines_diff_without_changes_emits_nothing",
        "spec/reducer.md §5.1: a diff with no added or deleted lines (a mode change) produces no"
        " accepted-line event; the turn event is still emitted.",
        pre_f + [f_turn_diff("thread-2", "turn-2", mode_only), f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev()],
        config=CFG_REPO,
    )
    rules = (
        "diff --git a/docs/new.md b/docs/new.md\n"
        "new file mode 100644\n"
        "index 0000000..3333333\n"
        "--- /dev/null\n"
        "+++ b/docs/new.md\n"
        "@@ -0,0 +1,4 @@\n"
        "+# Title here\n"
        "+--- not a header\n"
        "++++ also content\n"
        "+    spaced    out    words   \n"
        "diff --git a/src/old.rs b/src/old.rs\n"
        "deleted file mode 100644\n"
        "--- a/src/old.rs\n"
        "+++ /dev/null\n"
        "@@ -1,2 +0,0 @@\n"
        "-fn gone() {}\n"
        "-// bye\n"
        "diff --git a/src/lib.rs b/src/lib.rs\n"
        "index 1111111..2222222 100644\n"
        "--- a/src/lib.rs\n"
        "+++ b/src/lib.rs\n"
        "@@ -1,2 +1,8 @@\n"
        " context line stays\n"
        "+}\n"
        "+);;\n"
        "+a_b\n"
        "+  ====  \n"
        "+____\n"
        "+x = 1\n"
        "+windows_line = 2\r\n"
        "-removed_line = 0\n"
        "\\ No newline at end of file\n"
    )
    added, deleted, fps = parse_diff(rules)
    assert (added, deleted, len(fps)) == (11, 3, 7), (added, deleted, len(fps))
    pre_f, pre_e = turn_pre()
    scenario(
        "accepted_lines_parsing_rules",
        "spec/reducer.md §5.2-§5.4 (PR #21601 parser tests: parses_counts_and_effective_added_fingerprints,"
        " skips_added_file_metadata_headers, parses_hunk_lines_that_look_like_file_headers): `+++ b/`"
        " sets the path (`b/` stripped, `/dev/null` -> no path); inside a hunk `+--- x` and `++++ x` are"
        " added lines; whitespace runs collapse; lines of 3 bytes or less (`}`, `);;`, `a_b`) and lines"
        " without alphanumerics or `_` (`====`) are counted but not fingerprinted; `____` is kept; a"
        " trailing CR is stripped; context and `\\ No newline` lines are ignored. 11 added, 3 deleted,"
        " 7 fingerprints.",
        pre_f + [f_turn_diff("thread-2", "turn-2", rules), f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev()] + e_accepted_all("thread-2", "turn-2", "gpt-5", REPO_HASH, rules),
        config=CFG_REPO,
    )


def extra_behaviour() -> None:
    headerless = (
        "--- a/a.txt\n"
        "+++ b/a.txt\n"
        "@@ -1 +1 @@\n"
        "-old line here\n"
        "+new line here\n"
        "--- a/b.txt\n"
        "+++ b/b.txt\n"
        "@@ -1 +1 @@\n"
        "+second file line\n"
    )
    added, deleted, fps = parse_diff(headerless)
    assert (added, deleted, len(fps)) == (3, 2, 3), (added, deleted, len(fps))
    pre_f, pre_e = turn_pre()
    scenario(
        "accepted_lines_diff_without_git_headers",
        "spec/reducer.md §5.2 (consequences): without `diff --git` lines the in-hunk flag is never reset,"
        " so the second file's `--- a/b.txt` counts as a deleted line and `+++ b/b.txt` as an added"
        " line (content `++ b/b.txt`), both under the first path. 3 added, 2 deleted, 3 fingerprints."
        " spec/reducer.md §4: completed_at is the reducer clock in whole seconds (config clock 1712345678.9).",
        pre_f + [f_turn_diff("thread-2", "turn-2", headerless), f_turn_completed("thread-2", "turn-2")],
        pre_e + [turn_ev()] + e_accepted_all("thread-2", "turn-2", "gpt-5", REPO_HASH, headerless, 1712345678),
        config={"clock": 1712345678.9, "repo_hash": REPO_HASH},
    )
    cl = CL_TUI
    scenario(
        "turn_ids_are_global_across_threads",
        "spec/reducer.md §1 (turns keyed by turn id only) and §6 (turn ids are global): thread-a sends"
        " turn/start and gets turn-shared; a resolved config for thread-b with the same turn id lands"
        " in the same entry and overwrites its thread id and image count, so the one turn event"
        " reports thread-b (resumed) with the config's image count, on thread-a's turn/start"
        " connection.",
        [
            f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None, RT_SAMPLE),
            f_thread_response(7, 1, "thread/start", "thread-a"),
            f_thread_response(7, 2, "thread/resume", "thread-b"),
            f_turn_start_request(7, 3, "thread-a", [IMG, LOCAL_IMG]),
            f_turn_start_response(7, 3, "turn-shared"),
            f_resolved_config("thread-b", "turn-shared", num_input_images=0),
            f_turn_completed("thread-a", "turn-shared"),
        ],
        [
            e_thread_init("thread-a", cl, RT_SAMPLE),
            e_thread_init("thread-b", cl, RT_SAMPLE, mode="resumed"),
            e_turn("thread-b", "turn-shared", cl, RT_SAMPLE, mode="resumed", num_input_images=0, tokens=False, started_at=None),
        ],
    )


def more_edges() -> None:
    pre_f, pre_e = review_pre()
    scenario(
        "effective_permissions_response_resolves_any_pending_kind",
        "spec/reducer.md §2.6 (EffectivePermissionsApprovalResponse removes the pending review of any kind):"
        " a pending command approval closed by an effective grant keeps its command subject; an empty"
        " grant -> denied/none, folded onto the command item as user_denied.",
        pre_f + [f_cmd_approval(7, 120), f_effective_permissions(120, {}, "turn")] + cmd_lifecycle("thread-1", "item-1", completed=1100),
        pre_e
        + [
            e_review("thread-1", "turn-1", "item-1", "user:120", CL_WS, RT_LINUX, status="denied"),
            cmd_event("thread-1", "item-1", completed=1100, reviews=(1, 0, 1), outcome="user_denied"),
        ],
    )
    scenario(
        "user_review_completed_before_started_has_null_duration",
        "spec/reducer.md §4: review duration_ms = completed_at_ms - started_at_ms, null when negative (the"
        " response timestamp is the app-server's, the start the request's).",
        pre_f + [f_cmd_approval(7, 121, started_at_ms=5000), f_server_response(121, CMD_APPROVAL, "accept", 4990)],
        pre_e + [e_review("thread-1", "turn-1", "item-1", "user:121", CL_WS, RT_LINUX, started=5000, completed=4990)],
    )
    comp = f_compaction(
        "thread-1", "turn-1", "manual", "user_requested", "responses", "standalone_turn", "memento",
        "interrupted", None, 50000, 50000, 500, 501, None,
    )
    scenario(
        "thread_response_on_unknown_connection_keeps_binding",
        "spec/reducer.md §2.3 step 1: a thread/resume response on connection 9, which never sent"
        " initialize, emits nothing and does not touch the thread; thread-1 stays bound to"
        " connection 7 (compaction event), and a null duration_ms passes through.",
        pre_f + [f_thread_response(9, 1, "thread/resume", "thread-1"), comp],
        pre_e + [e_compaction(comp, CL_WS, RT_LINUX)],
    )


def stateless_behaviour() -> None:
    t1 = tracking()
    hooks = [
        ("permission_request", "PermissionRequest", "mdm", "running", "failed"),
        ("pre_compact", "PreCompact", "session_flags", "completed", "completed"),
        ("post_compact", "PostCompact", "plugin", "blocked", "blocked"),
        ("session_start", "SessionStart", "legacy_managed_config_file", "stopped", "stopped"),
        ("stop", "Stop", "legacy_managed_config_mdm", "failed", "failed"),
    ]
    scenario(
        "hook_run_running_status_and_remaining_names_and_sources",
        "spec/reducer.md §3.8 and spec/wire-format.md §4.4: a `running` hook status is reported as `failed`; the"
        " remaining hook names (PermissionRequest, PreCompact, PostCompact) and sources (mdm,"
        " session_flags, plugin, legacy_managed_config_file, legacy_managed_config_mdm).",
        [f_hook(t1, n, s, st) for n, _, s, st, _ in hooks],
        [e_hook(t1, hn, s, out) for _, hn, s, _, out in hooks],
    )
    bare = plugin_meta(with_summary=False)
    t2 = tracking("thread-2", "turn-2", "gpt-5.1-codex")
    scenario(
        "plugin_states_and_missing_capability_summary",
        "spec/reducer.md §3.8 and spec/wire-format.md §4.3: uninstalled / enabled events; without a capability"
        " summary has_skills, mcp_server_count and connector_ids are null (plugin state and plugin"
        " used).",
        [
            {"fact": "plugin_state_changed", "plugin": plugin_meta(), "state": "uninstalled"},
            {"fact": "plugin_state_changed", "plugin": bare, "state": "enabled"},
            {"fact": "plugin_used", "tracking": t2, "plugin": bare},
        ],
        [e_plugin_state("uninstalled", plugin_meta()), e_plugin_state("enabled", bare), e_plugin_used(bare, t2)],
    )
    m1 = app_inv("calendar", "Calendar", "explicit")
    m2 = app_inv(None, "Notes", None)
    m3 = app_inv(None, None, "implicit")
    scenario(
        "app_mentions_and_missing_fields",
        "spec/reducer.md §2.11 and §3.8: one codex_app_mentioned per mention, in order; absent connector"
        " id, app name or invocation type are null; an app_used fact without connector id still"
        " emits (the de-duplication is a client pre-filter, not the reducer's).",
        [
            {"fact": "app_mentioned", "tracking": t1, "mentions": [m1, m2]},
            {"fact": "app_used", "tracking": t1, "app": m3},
            {"fact": "app_used", "tracking": t1, "app": m3},
        ],
        [e_app("codex_app_mentioned", m1, t1), e_app("codex_app_mentioned", m2, t1), e_app("codex_app_used", m3, t1), e_app("codex_app_used", m3, t1)],
    )
    sys_path = "/opt/codex/skills/.system/plan/SKILL.md"
    user_path = "/Users/abc/.codex/skills/doc/SKILL.md"
    pm = plugin_meta()
    drive = app_inv("drive", "Drive", "implicit")
    scenario(
        "stateless_events_use_configured_originator",
        "spec/reducer.md §3.8: product_client_id of skill, app and plugin events is the injected process"
        " originator (config originator `codex_vscode`); one skill_invocation per invocation, in order"
        " (system scope, implicit invocation).",
        [
            f_skill(t1, [skill_inv("plan", "system", sys_path, inv="implicit"), skill_inv("doc", "user", user_path)]),
            {"fact": "app_used", "tracking": t1, "app": drive},
            {"fact": "plugin_used", "tracking": t1, "plugin": pm},
            {"fact": "plugin_state_changed", "plugin": pm, "state": "installed"},
        ],
        [
            e_skill(skill_id("personal", sys_path, "plan"), "plan", "codex_vscode", "system", None, None, t1, "implicit"),
            e_skill(skill_id("personal", user_path, "doc"), "doc", "codex_vscode", "user", None, None, t1, "explicit"),
            e_app("codex_app_used", drive, t1, "codex_vscode"),
            e_plugin_used(pm, t1, "codex_vscode"),
            e_plugin_state("installed", pm, "codex_vscode"),
        ],
        config={"originator": "codex_vscode"},
    )


# =========================================================================== 3. golden log lines


def golden() -> None:
    lines = [
        ("golden_thread_initialized_cli_new", "thread/start", "019d3bf7-9f5f-7f82-9877-6d48d1052531", "codex_cli_rs", "codex-tui", "cli", "new", 1774827577, "2026-03-29 16:39:37"),
        ("golden_thread_initialized_cli_resumed", "thread/resume", "019d3b84-5731-79d0-9b3b-9c6efe5f5066", "codex_cli_rs", "codex-tui", "cli", "resumed", 1774820022, "2026-03-29 16:45:46"),
        ("golden_thread_initialized_cli_forked", "thread/fork", "019d3bfd-4cd6-7c12-a13e-48cef02e8c4d", "codex_cli_rs", "codex-tui", "cli", "forked", 1774827949, "2026-03-29 16:45:49"),
        ("golden_thread_initialized_exec_new", "thread/start", "019d3c1d-0412-7ed2-ad24-c9c0881a36b0", "codex_exec", "codex_exec", "exec", "new", 1774830027, "2026-03-29 17:20:29"),
    ]
    for name, method, tid, pcid, cname, source, mode, created, logged in lines:
        cl = client(pcid, cname, "0.0.0", "in_process", True)
        backend = "CODEX_SERVICE_EXEC" if pcid == "codex_exec" else "CODEX_CLI"
        scenario(
            name,
            f"Golden: reproduces the codex_thread_initialized backend log line of {logged} in"
            " tests/golden/log_lines.txt (PR #15690 description). The backend canonicalizes"
            " product_client_id (spec/two-views.md §2.2; logged"
            f" `{backend}`); on the wire it is `{pcid}`. The log's product_surface=codex is added by"
            " the backend and is not part of the event. Keys in wire order (spec/wire-format.md §1.3), not"
            " the log's order. spec/reducer.md §2.1, §2.3, §3.1.",
            [
                f_initialize(1, pcid, cname, "0.0.0", "in_process", True, RT_GOLDEN),
                f_thread_response(1, 1, method, tid, model="gpt-5.3-codex", created_at=created, source=source),
            ],
            [e_thread_init(tid, cl, RT_GOLDEN, model="gpt-5.3-codex", mode=mode, created_at=created)],
        )
    sub_cl = client("codex_cli_rs", "codex-tui", "0.0.0", "in_process", None)
    cfg = {"runtime": RT_GOLDEN}
    parent = "019d4aa8-51ec-77e3-bafb-2c1b8e29e385"
    scenario(
        "golden_subagent_thread_spawn",
        "Golden: reproduces the first subagent codex_thread_initialized log line (2026-04-01 13:08:12,"
        " PR #15915 description): a thread-spawn subagent, parent from the ThreadSpawn source, client"
        " metadata supplied by core (backend-logged product_client_id CODEX_CLI = `codex_cli_rs`),"
        " in_process, experimental_api_enabled null, host runtime from config (macos 26.4.0 aarch64"
        " 0.0.0). Wire key order spec/wire-format.md §1.3. spec/reducer.md §2.11, §3.1.",
        [f_subagent("019d4aa9-233b-70f2-a958-c3dbae1e30fa", None, spawn_source(parent), 1775074091, pcid="codex_cli_rs", version="0.0.0", model="gpt-5.3-codex")],
        [e_thread_init("019d4aa9-233b-70f2-a958-c3dbae1e30fa", sub_cl, RT_GOLDEN, model="gpt-5.3-codex", thread_source="subagent", subagent_source="thread_spawn", parent=parent, created_at=1775074091)],
        config=cfg,
    )
    scenario(
        "golden_subagent_review",
        "Golden: reproduces the second subagent codex_thread_initialized log line (2026-04-01 13:08:41,"
        " PR #15915 description): a review subagent, parent null. Same conventions as"
        " golden_subagent_thread_spawn. spec/reducer.md §2.11, §3.1.",
        [f_subagent("019d4aa9-94e3-75f1-8864-ff8ad0e55e1e", None, "review", 1775074120, pcid="codex_cli_rs", version="0.0.0", model="gpt-5.3-codex")],
        [e_thread_init("019d4aa9-94e3-75f1-8864-ff8ad0e55e1e", sub_cl, RT_GOLDEN, model="gpt-5.3-codex", thread_source="subagent", subagent_source="review", created_at=1775074120)],
        config=cfg,
    )
    comps = [
        ("golden_compaction_manual_standalone_local", "019d74d0-5cfb-70c0-bef9-165c3bf9b2df", "019d74d0-d7f6-7c81-acc6-aae2030243d6", "manual", "user_requested", "responses", "standalone_turn", 20170, 4830, 1775781337, 1775781350, 13524, "1. Manual standalone compact, local (17:35:50)"),
        ("golden_compaction_auto_pre_turn", "019d74d2-45ef-71d1-9c93-23cc0c13d988", "019d74d2-7b42-7372-9f0e-c0da3f352328", "auto", "context_limit", "responses", "pre_turn", 20063, 4822, 1775781444, 1775781449, 5497, "2. Auto pre-turn compact, local (17:37:30)"),
        ("golden_compaction_auto_mid_turn", "019d74d3-212f-7a20-8c0a-4816a978675e", "019d74d3-3ee1-7462-89f6-2ffbeefcd5e3", "auto", "context_limit", "responses", "mid_turn", 20325, 14641, 1775781500, 1775781508, 7507, "3. Auto mid-turn compact, local (17:38:28)"),
        ("golden_compaction_remote_manual_standalone", "019d74d4-7a11-78a1-89f7-0535a1149416", "019d74d4-e087-7183-9c20-b1e40b7578c0", "manual", "user_requested", "responses_compact", "standalone_turn", 23461, 6171, 1775781601, 1775781620, 18971, "4. Remote /responses/compact, manual standalone (17:40:20)"),
    ]
    cl = client("codex_cli_rs", "codex-tui", "0.0.0", "in_process", True)
    for name, tid, turn, trig, reason, impl, phase, before, after, start, end, dur, label in comps:
        fact = f_compaction(tid, turn, trig, reason, impl, phase, "memento", "completed", None, before, after, start, end, dur)
        created = start - 30
        scenario(
            name,
            f"Golden: reproduces compaction log line `{label}` (PR #17155 description, 2026-04-09;"
            " the line is in tests/golden/log_lines.txt). initialize (backend-logged product_client_id CODEX_CLI = `codex_cli_rs`,"
            " codex-tui 0.0.0, in_process, experimentalApi true, macos 26.4.0 aarch64) + thread/start"
            " (its codex_thread_initialized event comes first; createdAt is not in the log and is"
            " chosen 30 s before the compaction) + the compaction fact. The log's product_surface is"
            " backend-added. Keys in wire order (spec/wire-format.md §1.7), not the log's. spec/reducer.md §2.11, §3.6.",
            [
                f_initialize(1, "codex_cli_rs", "codex-tui", "0.0.0", "in_process", True, RT_GOLDEN),
                f_thread_response(1, 1, "thread/start", tid, model="gpt-5.3-codex", created_at=created, source="cli"),
                fact,
            ],
            [
                e_thread_init(tid, cl, RT_GOLDEN, model="gpt-5.3-codex", created_at=created),
                e_compaction(fact, cl, RT_GOLDEN),
            ],
        )


def register_all() -> None:
    SCENARIOS.clear()
    upstream_thread_and_ignored()
    upstream_compaction_guardian()
    upstream_tool_items_and_reviews()
    upstream_subagents()
    upstream_accepted_lines()
    upstream_turns()
    upstream_steers()
    upstream_stateless()
    threads_behaviour()
    turns_behaviour()
    steers_behaviour()
    tool_items_behaviour()
    reviews_behaviour()
    guardian_behaviour()
    accepted_lines_behaviour()
    stateless_behaviour()
    extra_behaviour()
    more_edges()
    golden()
    make_newest_scenarios.register()


def main() -> int:
    register_all()
    if "--check" in sys.argv[1:]:
        stale = stale_folders(HERE)
        print(f"{len(SCENARIOS)} scenarios, {len(stale)} stale: {stale}")
        return 1 if stale else 0
    write_all(HERE)
    print(f"wrote {len(SCENARIOS)} scenarios")
    return 0


if __name__ == "__main__":
    sys.exit(main())
