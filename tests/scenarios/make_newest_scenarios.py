"""The reducer scenarios of upstream's newest state (spec/reducer.md §11, §12), run with
``{"emit_as": "newest"}`` (one scenario per older release as well).

Ports of upstream tests at 343074d42 (analytics_client_tests.rs) are marked as such; the others
state one rule each. Expected events are written out here: the pinned event builders of
build_scenarios.py give the values the two states share, `newest` adds the values of the keys
upstream added since, and takes the key order from the newest event schema (the wire order of
spec/wire-format.md). Nothing here runs reducer logic.
"""

# ruff: noqa: E501, RUF005
from __future__ import annotations

from typing import Any

from codex_analytics_contract._generated.registry import EVENT_PARAM_KEYS
from tests.scenarios.build_scenarios import (
    USER,
    J,
    e_accepted,
    e_cmd,
    e_skill,
    e_thread_init,
    e_turn,
    ev,
    lineage,
    scenario,
    skill_id,
    tool_base,
)
from tests.support.facts import (
    DEFAULT_CONN_RUNTIME,
    RT_SAMPLE,
    client,
    cmd_item,
    f_compaction,
    f_initialize,
    f_item_completed,
    f_item_started,
    f_notification,
    f_resolved_config,
    f_subagent,
    f_thread_response,
    f_token_usage,
    f_turn_completed,
    f_turn_diff,
    f_turn_start_request,
    f_turn_start_response,
    f_turn_started,
    plugin_meta,
    spawn_source,
)
from tests.support.hashes import sha1_hex

UP = "Ports upstream test `{}` (analytics_client_tests.rs at 343074d42)."
NEWEST: J = {"emit_as": "newest"}
CL = client("codex-tui", "codex-tui", "1.0.0", "stdio", None)
RT = DEFAULT_CONN_RUNTIME
PROFILE: J = {
    "before_first_sampling_ms": 100,
    "sampling_ms": 700,
    "compaction_ms": 40,
    "between_sampling_overhead_ms": 50,
    "tool_blocking_ms": 250,
    "after_last_sampling_ms": 94,
    "sampling_request_count": 2,
    "sampling_retry_count": 1,
}
NO_COUNTS: J = {
    "total_tool_call_count": 0,
    "shell_command_count": 0,
    "file_change_count": 0,
    "mcp_tool_call_count": 0,
    "dynamic_tool_call_count": 0,
    "subagent_tool_call_count": 0,
    "web_search_count": 0,
    "image_generation_count": 0,
}
TRACK: J = {
    "model_slug": "gpt-5",
    "thread_id": "thread-1",
    "turn_id": "turn-1",
    "product_client_id": "codex_work_desktop",
}


def newest(event: J, **values: Any) -> J:
    """`event` with `values` set, in the newest wire order; every key must have a value."""
    params = {**event["event_params"], **values}
    keys = EVENT_PARAM_KEYS[event["event_type"]]
    missing = [k for k in keys if k not in params]
    assert not missing, (event["event_type"], missing)
    return {**event, "event_params": {k: params[k] for k in keys}}


def thread_start(
    conn: int, req: int, thread_id: str, *, originator: str | None = None, parent: str | None = None
) -> J:
    fact = f_thread_response(conn, req, "thread/start", thread_id)
    thread = fact["result"]["thread"]
    thread["sessionId"] = f"session-{thread_id}"
    thread["parentThreadId"] = parent
    if originator is not None:
        fact["thread_originator"] = originator
    return fact


def thread_init(thread_id: str, cl: J = CL) -> J:
    return newest(
        e_thread_init(thread_id, cl, RT),
        session_id=f"session-{thread_id}",
        forked_from_thread_id=None,
    )


def profile(turn_id: str) -> J:
    return {"fact": "turn_profile", "turn_id": turn_id, "profile": dict(PROFILE)}


def turn_facts(*, profile_fact: bool = True) -> list[J]:
    """Upstream `ingest_turn_prerequisites` (thread-2 / turn-2 on connection 7, config, started,
    profile), without token usage."""
    facts = [
        f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None),
        thread_start(7, 1, "thread-2"),
        f_turn_start_request(7, 3, "thread-2"),
        f_turn_start_response(7, 3, "turn-2"),
        f_resolved_config("thread-2", "turn-2"),
        f_turn_started("thread-2", "turn-2"),
    ]
    return facts + [profile("turn-2")] if profile_fact else facts


def turn_newest(*, counts: J | None = None, tokens: bool = False, **values: Any) -> J:
    kw = {k: values.pop(k) for k in ("status", "turn_error") if k in values}
    base = e_turn("thread-2", "turn-2", CL, RT, tokens=tokens, **kw)
    defaults: J = {
        "session_id": "session-thread-2",
        "root_turn_id": None,
        "workspace_kind": None,
        "image_preparations": [],
        "explicit_client_interrupt_requested_at_ms": None,
        "codex_error_kind": None,
        "codex_error_http_status_code": None,
        "cache_write_input_tokens": 0 if tokens else None,
    }
    return newest(base, **{**defaults, **NO_COUNTS, **(counts or {}), **PROFILE, **values})


def tool_newest(base: J, thread_id: str, **values: Any) -> J:
    return {
        **base,
        "session_id": f"session-{thread_id}",
        "root_turn_id": None,
        "cell_id": None,
        "parent_call_id": None,
        "originating_response_id": None,
        "subsequent_response_id": None,
        **values,
    }


def cmd_newest(
    thread_id: str,
    turn_id: str,
    item_id: str,
    *,
    cl: J = CL,
    started: int = 1000,
    completed: int = 1042,
    **values: Any,
) -> J:
    base = tool_base(
        thread_id, turn_id, item_id, cl, RT, "shell", started=started, completed=completed
    )
    event = e_cmd(tool_newest(base, thread_id, **values))
    return newest(event, plugin_id=None, script_path=None)


def interrupt(req: int, at: int) -> J:
    return {
        "fact": "explicit_client_interrupt_request",
        "connection_id": 7,
        "request_id": req,
        "turn_id": "turn-2",
        "requested_at_ms": at,
    }


def interrupt_response(req: int) -> J:
    return {
        "fact": "client_response",
        "connection_id": 7,
        "request_id": req,
        "method": "turn/interrupt",
        "result": {},
    }


def code_mode(variant: str, **call: Any) -> J:
    return {"fact": "code_mode_tool_call", "call": {variant: {"thread_id": "thread-1", **call}}}


def sampling(turn_id: str, response_id: str, call_ids: list[str]) -> J:
    return code_mode(
        "sampling_response_completed",
        turn_id=turn_id,
        response_id=response_id,
        tool_call_ids=call_ids,
    )


def completed_call(turn_id: str, call_id: str, tool_name: str, status: str = "completed") -> J:
    return code_mode(
        "completed",
        turn_id=turn_id,
        turn_metadata={"root_turn_id": None},
        call_id=call_id,
        cell_id="cell-1",
        tool_name=tool_name,
        started_at_ms=1000,
        completed_at_ms=1010,
        status=status,
    )


def dyn_newest(
    turn_id: str,
    call_id: str,
    tool_name: str,
    *,
    origin: str,
    subsequent: str | None,
    parent: str | None,
) -> J:
    base = tool_base(
        "thread-1",
        turn_id,
        call_id,
        CL_WS,
        RT,
        tool_name,
        started=1000,
        completed=1010,
        execution_duration_ms=10,
    )
    params = tool_newest(
        base,
        "thread-1",
        cell_id="cell-1",
        parent_call_id=parent,
        originating_response_id=origin,
        subsequent_response_id=subsequent,
    )
    params.update(
        {
            "dynamic_tool_name": tool_name,
            "success": True,
            "output_content_item_count": None,
            "output_text_item_count": None,
            "output_image_item_count": None,
            "output_audio_item_count": None,
        }
    )
    return newest(ev("codex_dynamic_tool_call_event", params))


CL_WS = client("codex_cli_rs", "codex-tui", "1.0.0", "websocket", False)


def review_facts() -> list[J]:
    """Upstream `ingest_review_prerequisites`: connection 7, thread-1 started."""
    return [
        f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False),
        thread_start(7, 1, "thread-1"),
    ]


def upstream_ports() -> None:
    scenario(
        "newest_accepted_turn_interrupt_records_requested_at_on_turn_event",
        UP.format("accepted_turn_interrupt_records_requested_at_on_turn_event")
        + " spec/reducer.md §12.1: an explicit interrupt request (6219b7c40) answered by a turn/interrupt response sets the turn's explicit_client_interrupt_requested_at_ms.",
        turn_facts()
        + [
            interrupt(4, 1716000000123),
            interrupt_response(4),
            f_turn_completed("thread-2", "turn-2", "interrupted"),
        ],
        [
            thread_init("thread-2"),
            turn_newest(
                status="interrupted", explicit_client_interrupt_requested_at_ms=1716000000123
            ),
        ],
        NEWEST,
    )
    scenario(
        "newest_accepted_turn_interrupt_retries_preserve_earliest_requested_at",
        UP.format("accepted_turn_interrupt_retries_preserve_earliest_requested_at")
        + " spec/reducer.md §12.1: two accepted interrupts, answered in reverse order: the earliest request time wins.",
        turn_facts()
        + [
            interrupt(4, 1716000000123),
            interrupt(5, 1716000000456),
            interrupt_response(5),
            interrupt_response(4),
            f_turn_completed("thread-2", "turn-2", "interrupted"),
        ],
        [
            thread_init("thread-2"),
            turn_newest(
                status="interrupted", explicit_client_interrupt_requested_at_ms=1716000000123
            ),
        ],
        NEWEST,
    )
    scenario(
        "newest_rejected_turn_interrupt_does_not_tag_interrupted_turn_event",
        UP.format("rejected_turn_interrupt_does_not_tag_interrupted_turn_event")
        + " (and the reducer unit test rejected_turn_interrupt_removes_pending_analytics_request). spec/reducer.md §12.1: an error response drops the pending interrupt; the turn event has no request time.",
        turn_facts()
        + [
            interrupt(4, 1716000000123),
            {
                "fact": "error_response",
                "connection_id": 7,
                "request_id": 4,
                "error": {"code": -32600, "message": "no active turn to interrupt", "data": None},
                "error_type": None,
            },
            interrupt_response(4),
            f_turn_completed("thread-2", "turn-2", "interrupted"),
        ],
        [thread_init("thread-2"), turn_newest(status="interrupted")],
        NEWEST,
    )
    prep = {
        "message_role": "user",
        "item_id": None,
        "effective_detail": "high",
        "source_width": 4096,
        "source_height": 2048,
        "prepared_width": 2048,
        "prepared_height": 1024,
    }
    scenario(
        "newest_image_preparation_fact_is_included_in_turn_event",
        UP.format("image_preparation_fact_is_included_in_turn_event")
        + " spec/reducer.md §12.1: image_preparation facts (1bef16897) are listed on the turn event in arrival order.",
        turn_facts()
        + [
            {"fact": "image_preparation", "turn_id": "turn-2", "metadata": prep},
            f_turn_completed("thread-2", "turn-2"),
        ],
        [thread_init("thread-2"), turn_newest(image_preparations=[prep])],
        NEWEST,
    )
    scenario(
        "newest_completed_background_tool_item_emits_after_turn_event",
        UP.format("completed_background_tool_item_emits_after_turn_event")
        + " spec/reducer.md §12.1 (96e8afbfb): a command still running when the turn completes; the turn event goes out, the turn state stays until the item completes, and its command event follows.",
        turn_facts()
        + [
            f_item_started("thread-2", "turn-2", cmd_item("item-1"), at=998),
            f_turn_completed("thread-2", "turn-2"),
            f_item_completed(
                "thread-2",
                "turn-2",
                cmd_item("item-1", "completed", exit_code=0, duration_ms=1),
                at=1000,
            ),
        ],
        [
            thread_init("thread-2"),
            turn_newest(),
            cmd_newest(
                "thread-2", "turn-2", "item-1", started=998, completed=1000, execution_duration_ms=1
            ),
        ],
        NEWEST,
    )
    scenario(
        "newest_code_mode_exec_wait_and_child_events_share_cell_and_response_ids",
        UP.format("code_mode_exec_wait_and_child_events_share_cell_and_response_ids")
        + " spec/reducer.md §12.5 (155f1ca9e): exec-1 opens cell-1 in response resp-a, child-1 runs in the cell; both events wait until resp-b completes; wait-1 (turn-2) waits for resp-d. The child's parent is exec-1.",
        review_facts()
        + [
            sampling("turn-1", "resp-a", ["exec-1"]),
            code_mode("cell_started", turn_id="turn-1", call_id="exec-1", cell_id="cell-1"),
            code_mode("child_started", turn_id="turn-1", call_id="child-1", cell_id="cell-1"),
            completed_call("turn-1", "exec-1", "exec"),
            f_turn_started("thread-1", "turn-1"),
            f_item_started("thread-1", "turn-1", cmd_item("child-1")),
            f_item_completed("thread-1", "turn-1", cmd_item("child-1", "completed", exit_code=0)),
            sampling("turn-1", "resp-b", []),
            sampling("turn-2", "resp-c", ["wait-1"]),
            completed_call("turn-2", "wait-1", "wait"),
            sampling("turn-2", "resp-d", []),
        ],
        [
            thread_init("thread-1", CL_WS),
            dyn_newest(
                "turn-1", "exec-1", "exec", origin="resp-a", subsequent="resp-b", parent=None
            ),
            cmd_newest(
                "thread-1",
                "turn-1",
                "child-1",
                cl=CL_WS,
                cell_id="cell-1",
                parent_call_id="exec-1",
                originating_response_id="resp-a",
                subsequent_response_id="resp-b",
            ),
            dyn_newest(
                "turn-2", "wait-1", "wait", origin="resp-c", subsequent="resp-d", parent="exec-1"
            ),
        ],
        NEWEST,
    )
    scenario(
        "newest_thread_originator_overrides_shared_connection_across_thread_events",
        UP.format("thread_originator_overrides_shared_connection_across_thread_events")
        + " (its first half) spec/reducer.md §12.2 (841f30598): two threads on one connection; the thread started with a thread_originator reports it as product_client_id, the other keeps the connection's.",
        [
            f_initialize(7, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False),
            thread_start(7, 1, "thread-work", originator="codex_work_desktop"),
            thread_start(7, 2, "thread-default"),
        ],
        [
            thread_init(
                "thread-work",
                client("codex_work_desktop", "codex-tui", "1.0.0", "websocket", False),
            ),
            thread_init("thread-default", CL_WS),
        ],
        NEWEST,
    )
    rows = [
        {
            "measurement_name": "finding_count",
            "number_value": 3.0,
            "dimensions": {"severity": "high"},
        },
        {
            "measurement_name": "too_many_dimensions",
            "number_value": 1.0,
            "dimensions": {f"dimension_{i}": "allowed" for i in range(9)},
        },
        {"measurement_name": "files_scanned", "number_value": 17.0, "dimensions": {}},
    ]
    batch = {
        "fact": "plugin_measurements",
        "thread_id": "thread-1",
        "turn_id": "turn-1",
        "item_id": "item-1",
        "plugin_id": "sample@openai-curated",
        "execution_id": "execution-1",
        "operation": "security_scan",
    }

    def measurement(name: str, value: float, dimensions: J | None) -> J:
        return ev(
            "codex_plugin_measurement_event",
            {k: v for k, v in batch.items() if k != "fact"}
            | {"measurement_name": name, "number_value": value, "dimensions": dimensions},
        )

    scenario(
        "newest_plugin_measurement_batch_emits_directly_and_filters_invalid_rows",
        UP.format("plugin_measurement_batch_emits_directly_and_filters_invalid_rows")
        + " spec/reducer.md §12.3 (d6eefb26a): one event per valid row; the row with nine dimensions is dropped; an empty map is sent as null. (Upstream's NaN row cannot be written in JSON facts.)",
        [batch | {"rows": rows}],
        [
            measurement("finding_count", 3.0, {"severity": "high"}),
            measurement("files_scanned", 17.0, None),
        ],
        NEWEST,
    )
    plugin = plugin_meta(remote="plugins~Plugin_sample")
    scenario(
        "newest_plugin_management_event_keeps_plugin_id_local_when_remote_id_exists",
        UP.format("plugin_management_event_keeps_plugin_id_local_when_remote_id_exists")
        + " spec/reducer.md §12.3 (ff50b47dc): plugin_id is the local key, the remote id has its own key.",
        [{"fact": "plugin_state_changed", "plugin": plugin, "state": "installed"}],
        [
            ev(
                "codex_plugin_installed",
                {
                    "plugin_id": "sample@test",
                    "remote_plugin_id": "plugins~Plugin_sample",
                    "plugin_name": "sample",
                    "marketplace_name": "test",
                    "has_skills": True,
                    "mcp_server_count": 2,
                    "connector_ids": ["calendar", "drive"],
                    "product_client_id": "codex_cli_rs",
                },
            )
        ],
        NEWEST,
    )
    no_local = {
        "plugin_id": None,
        "remote_plugin_id": "plugins~Plugin_remote",
        "capability_summary": None,
    }
    scenario(
        "newest_reducer_ingests_plugin_install_failed_fact",
        UP.format("reducer_ingests_plugin_install_failed_fact")
        + " and reducer_ingests_plugin_install_failed_fact_without_detail. spec/reducer.md §12.3 (3959ab0ff, 8dc77faf5, 3fae30dd8): plugin metadata with the process originator, the source, the error type and sub-type; without a local id plugin_id, name and marketplace are null.",
        [
            {
                "fact": "plugin_install_failed",
                "plugin": plugin_meta(),
                "source": "external_agent_migration",
                "error_type": "invalid_plugin",
                "sub_error_type": "missing_manifest",
            },
            {
                "fact": "plugin_install_failed",
                "plugin": no_local,
                "source": "manual",
                "error_type": "network",
            },
        ],
        [
            ev(
                "codex_plugin_install_failed",
                {
                    "plugin_id": "sample@test",
                    "remote_plugin_id": None,
                    "plugin_name": "sample",
                    "marketplace_name": "test",
                    "has_skills": True,
                    "mcp_server_count": 2,
                    "connector_ids": ["calendar", "drive"],
                    "product_client_id": "codex_cli_rs",
                    "source": "external_agent_migration",
                    "error_type": "invalid_plugin",
                    "sub_error_type": "missing_manifest",
                },
            ),
            ev(
                "codex_plugin_install_failed",
                {
                    "plugin_id": None,
                    "remote_plugin_id": "plugins~Plugin_remote",
                    "plugin_name": None,
                    "marketplace_name": None,
                    "has_skills": None,
                    "mcp_server_count": None,
                    "connector_ids": None,
                    "product_client_id": "codex_cli_rs",
                    "source": "manual",
                    "error_type": "network",
                    "sub_error_type": None,
                },
            ),
        ],
        NEWEST,
    )
    request = {
        "suggestion_id": "request_plugin_install_call-1",
        "plugins": [
            {
                "plugin_id": "calendar@openai-curated-remote",
                "remote_plugin_id": "plugin_calendar",
                "plugin_name": "Calendar",
                "connector_ids": ["connector_calendar"],
            },
            {"plugin_id": "notes@local", "plugin_name": "Notes", "connector_ids": []},
        ],
        "source": "endpoint_recommendation",
    }
    scenario(
        "newest_reducer_ingests_plugin_install_requested_fact",
        UP.format("reducer_ingests_plugin_install_requested_fact")
        + " spec/reducer.md §12.3 (24423f571): the request's plugins (remote_plugin_id null when absent), the tracking's thread, turn and model, the process originator.",
        [{"fact": "plugin_install_requested", "tracking": TRACK, "request": request}],
        [
            ev(
                "codex_plugin_install_requested",
                {
                    "suggestion_id": "request_plugin_install_call-1",
                    "plugins": [
                        request["plugins"][0],
                        {
                            "plugin_id": "notes@local",
                            "remote_plugin_id": None,
                            "plugin_name": "Notes",
                            "connector_ids": [],
                        },
                    ],
                    "source": "endpoint_recommendation",
                    "thread_id": "thread-1",
                    "turn_id": "turn-1",
                    "model_slug": "gpt-5",
                    "product_client_id": "codex_cli_rs",
                },
            )
        ],
        NEWEST,
    )
    scenario(
        "newest_reducer_ingests_external_agent_config_import_facts",
        UP.format("reducer_ingests_external_agent_config_import_completed_fact")
        + " and reducer_ingests_external_agent_config_import_failure_fact. spec/reducer.md §12.3 (3959ab0ff, a30aee8d9): item_type is sent as `type`, the process originator as product_client_id.",
        [
            {
                "fact": "external_agent_config_import_completed",
                "import_id": "import-7",
                "source": "app_server",
                "provider_id": "test-provider-42",
                "item_type": "SESSIONS",
                "success_count": 2,
                "failed_count": 1,
            },
            {
                "fact": "external_agent_config_import_failure",
                "import_id": "import-8",
                "source": "app_server",
                "provider_id": "test-provider-42",
                "item_type": "SESSIONS",
                "failure_stage": "session_missing",
                "error_type": "session_missing",
                "sub_error_type": None,
            },
        ],
        [
            ev(
                "codex_onboarding_external_agent_import_complete",
                {
                    "import_id": "import-7",
                    "source": "app_server",
                    "provider_id": "test-provider-42",
                    "type": "SESSIONS",
                    "success_count": 2,
                    "failed_count": 1,
                    "product_client_id": "codex_cli_rs",
                },
            ),
            ev(
                "codex_onboarding_external_agent_import_failure",
                {
                    "import_id": "import-8",
                    "source": "app_server",
                    "provider_id": "test-provider-42",
                    "type": "SESSIONS",
                    "failure_stage": "session_missing",
                    "error_type": "session_missing",
                    "sub_error_type": None,
                    "product_client_id": "codex_cli_rs",
                },
            ),
        ],
        NEWEST,
    )
    operation = {
        "item_id": "call-1",
        "lifecycle": "started",
        "occurred_at_ms": 1786000000000,
        "plugin_id": "presentations@openai-primary-runtime",
        "script_path": "skills/presentations/container_tools/mark_artifact_operation_started.mjs",
        "skill": "presentations",
        "artifact_type": "presentation",
        "operation_kind": "create",
        "expected_output_count": 2,
        "output_format": "pptx",
        "execution_backend": "unified_exec",
    }
    scenario(
        "newest_reducer_ingests_artifact_operation_fact",
        UP.format("reducer_ingests_artifact_operation_fact")
        + " spec/reducer.md §12.3 (44d992c14): tracking, the operation and the process runtime.",
        [{"fact": "artifact_operation", "tracking": TRACK, "operation": operation}],
        [
            ev(
                "codex_artifact_operation",
                {
                    "thread_id": "thread-1",
                    "turn_id": "turn-1",
                    "item_id": "call-1",
                    "lifecycle": "started",
                    "occurred_at_ms": 1786000000000,
                    "product_client_id": "codex_work_desktop",
                    "runtime": {
                        "codex_rs_version": "0.0.0",
                        "runtime_os": "linux",
                        "runtime_os_version": "6.1",
                        "runtime_arch": "x86_64",
                    },
                    "model_slug": "gpt-5",
                }
                | {
                    k: v
                    for k, v in operation.items()
                    if k not in ("item_id", "lifecycle", "occurred_at_ms")
                },
            )
        ],
        NEWEST,
    )


def own_rules() -> None:
    scenario(
        "newest_turn_event_waits_for_turn_profile",
        "spec/reducer.md §12.1 (8d72fb6de): a turn with everything but its turn_profile fact emits nothing at turn/completed; the profile fact then emits it, with the profile's eight fields and the turn's tool counts.",
        turn_facts(profile_fact=False)
        + [
            f_token_usage("thread-2", "turn-2"),
            f_turn_completed("thread-2", "turn-2"),
            profile("turn-2"),
        ],
        [thread_init("thread-2"), turn_newest(tokens=True)],
        NEWEST,
    )
    scenario(
        "newest_turn_without_profile_emits_nothing",
        "spec/reducer.md §12.1: no turn_profile fact, no turn event (nothing is dropped with a warning: the turn only waits).",
        turn_facts(profile_fact=False) + [f_turn_completed("thread-2", "turn-2")],
        [thread_init("thread-2")],
        NEWEST,
    )
    scenario(
        "newest_turn_codex_error_fills_the_error_keys",
        "spec/reducer.md §12.1 (8e4b92d29): a turn_codex_error fact sets codex_error_kind and codex_error_http_status_code of the failed turn's event; no event of its own.",
        turn_facts()
        + [
            {
                "fact": "turn_codex_error",
                "turn_id": "turn-2",
                "thread_id": "thread-2",
                "error": {"kind": "usage_limit_reached", "http_status_code": 429},
            },
            f_turn_completed("thread-2", "turn-2", "failed", error_info="usageLimitExceeded"),
        ],
        [
            thread_init("thread-2"),
            turn_newest(
                status="failed",
                turn_error="usageLimitExceeded",
                codex_error_kind="usage_limit_reached",
                codex_error_http_status_code=429,
            ),
        ],
        NEWEST,
    )
    scenario(
        "newest_tool_calls_are_counted_on_the_turn_event",
        "spec/reducer.md §8.1 and §12.1: each completed tool item counts in its category and in the total (the pinned release keeps null).",
        turn_facts()
        + [
            f_item_started("thread-2", "turn-2", cmd_item("item-1")),
            f_item_completed("thread-2", "turn-2", cmd_item("item-1", "completed", exit_code=0)),
            f_turn_completed("thread-2", "turn-2"),
        ],
        [
            thread_init("thread-2"),
            cmd_newest("thread-2", "turn-2", "item-1"),
            turn_newest(counts={"total_tool_call_count": 1, "shell_command_count": 1}),
        ],
        NEWEST,
    )
    goal = {
        "fact": "goal",
        "thread_id": "thread-1",
        "turn_id": None,
        "goal_id": "goal-1",
        "event_kind": "created",
        "goal_status": "active",
        "has_token_budget": True,
        "cumulative_tokens_accounted": None,
        "cumulative_time_accounted_seconds": None,
    }
    scenario(
        "newest_goal_event_with_thread_context_and_drop_without",
        "spec/reducer.md §12.3 (608b8b1cc): a goal fact of a known thread emits codex_goal_event with the thread's session and context; a goal of an unknown thread is dropped (missing_context thread_connection).",
        review_facts() + [goal, {**goal, "thread_id": "thread-unknown"}],
        [
            thread_init("thread-1", CL_WS),
            ev(
                "codex_goal_event",
                {
                    "thread_id": "thread-1",
                    "session_id": "session-thread-1",
                    "turn_id": None,
                    "app_server_client": CL_WS,
                    "runtime": RT,
                    **USER,
                    "goal_id": "goal-1",
                    "event_kind": "created",
                    "goal_status": "active",
                    "has_token_budget": True,
                    "cumulative_tokens_accounted": None,
                    "cumulative_time_accounted_seconds": None,
                },
            ),
        ],
        NEWEST,
        drops={"thread_connection": 1},
    )
    scenario(
        "newest_thread_archive_events_with_and_without_context",
        "spec/reducer.md §12.4 (70b465323, cc801d704): thread/archived of a known thread carries its client, runtime, source and parent; thread/unarchived of an unknown thread leaves those keys out (never dropped). occurred_at_ms is the clock in ms.",
        review_facts()
        + [
            f_notification("thread/archived", {"threadId": "thread-1"}),
            f_notification("thread/unarchived", {"threadId": "thread-gone"}),
        ],
        [
            thread_init("thread-1", CL_WS),
            ev(
                "codex_thread_archive_event",
                {
                    "thread_id": "thread-1",
                    "action": "archived",
                    "occurred_at_ms": 1_700_000_000_000,
                    "app_server_client": CL_WS,
                    "runtime": RT,
                    "thread_source": "user",
                },
            ),
            ev(
                "codex_thread_archive_event",
                {
                    "thread_id": "thread-gone",
                    "action": "unarchived",
                    "occurred_at_ms": 1_700_000_000_000,
                },
            ),
        ],
        NEWEST,
    )
    control = {
        "fact": "control_tool_call",
        "thread_id": "thread-1",
        "turn_id": "turn-1",
        "turn_metadata": {"root_turn_id": None},
        "call_id": "call-goal-1",
        "cell_id": None,
        "tool_name": "update_goal",
        "started_at_ms": 1000,
        "completed_at_ms": 1012,
        "status": "rejected",
    }

    def control_event() -> J:
        base = tool_base(
            "thread-1",
            "turn-1",
            "call-goal-1",
            CL_WS,
            RT,
            "update_goal",
            started=1000,
            completed=1012,
            execution_duration_ms=12,
            terminal_status="rejected",
            failure_kind="policy_forbidden",
        )
        return newest(
            ev("codex_control_tool_call_event", tool_newest(base, "thread-1", success=False))
        )

    scenario(
        "newest_control_tool_call_waits_for_turn_completion",
        "spec/reducer.md §12.5 (992f5c681): a control tool call is held back (no later response id arrives); turn/completed releases it before the turn's own processing. rejected -> policy_forbidden, success false.",
        review_facts() + [control, f_turn_completed("thread-1", "turn-1")],
        [thread_init("thread-1", CL_WS), control_event()],
        NEWEST,
    )
    scenario(
        "newest_thread_closed_releases_held_back_events",
        "spec/reducer.md §12.5 (155f1ca9e): thread/closed releases every held-back tool event of the thread.",
        review_facts() + [control, f_notification("thread/closed", {"threadId": "thread-1"})],
        [thread_init("thread-1", CL_WS), control_event()],
        NEWEST,
    )
    scenario(
        "newest_flush_at_end_of_input_releases_held_back_events",
        "spec/reducer.md §12.5: with no later response, turn completion or thread close, the held-back event comes out of Reducer.flush() at the end of input (the scenario runner flushes, as `reduce` does).",
        review_facts() + [control],
        [thread_init("thread-1", CL_WS), control_event()],
        NEWEST,
    )
    scenario(
        "newest_new_fact_kinds_are_ignored_by_older_releases",
        "spec/reducer.md §11.2: 0.139.0 did not read goal, control tool or archive facts: nothing is emitted for them and nothing is dropped.",
        review_facts()
        + [
            {
                "fact": "goal",
                "thread_id": "thread-1",
                "turn_id": None,
                "goal_id": "goal-1",
                "event_kind": "created",
                "goal_status": "active",
                "has_token_budget": True,
                "cumulative_tokens_accounted": None,
                "cumulative_time_accounted_seconds": None,
            },
            control,
            f_notification("thread/archived", {"threadId": "thread-1"}),
        ],
        [thread_init("thread-1", CL_WS)],
        {"emit_as": "0.139.0"},
    )


def more_ports() -> None:
    parent = "44444444-4444-4444-4444-444444444444"
    subagent = {
        **f_subagent(
            "thread-review",
            parent,
            spawn_source(parent),
            130,
            pcid="parent-client",
            name="parent-client",
        ),
        "session_id": "session-root",
        "forked_from_thread_id": None,
    }
    compaction = f_compaction(
        "thread-review",
        "turn-compact",
        "manual",
        "user_requested",
        "responses",
        "standalone_turn",
        "memento",
        "completed",
        None,
        131_000,
        64_000,
        100,
        101,
        1200,
    )
    del compaction["error"]
    compaction |= {
        "codex_error_kind": None,
        "codex_error_http_status_code": None,
        "retained_image_count": None,
        "compaction_summary_tokens": None,
        "cached_input_tokens": None,
        "cache_write_input_tokens": None,
    }
    parent_client = client("parent-client", "parent-client", "1.0.0", "stdio", None)
    explicit_client = client("parent-client", "codex-tui", "1.0.0", "websocket", False)
    spawned = lineage("subagent", "thread_spawn", parent)

    def child_turn(turn_id: str) -> list[J]:
        return [
            f_resolved_config("thread-review", turn_id),
            profile(turn_id),
            f_turn_completed("thread-review", turn_id),
        ]

    def child_turn_event(turn_id: str, cl: J) -> J:
        base = e_turn(
            "thread-review", turn_id, cl, RT_SAMPLE, lin=spawned, tokens=False, started_at=None
        )
        defaults = {
            "session_id": "session-root",
            "root_turn_id": None,
            "workspace_kind": None,
            "image_preparations": [],
            "explicit_client_interrupt_requested_at_ms": None,
            "codex_error_kind": None,
            "codex_error_http_status_code": None,
            "cache_write_input_tokens": None,
        }
        return newest(base, **{**defaults, **NO_COUNTS, **PROFILE})

    scenario(
        "newest_subagent_events_keep_thread_originator_with_explicit_turn_connection",
        UP.format("subagent_events_keep_thread_originator_with_explicit_turn_connection")
        + " spec/reducer.md §12.1, §12.2 (3fe19fcd8, 1acb722e8): the subagent's session and originator (`parent-client`) and its parent's connection carry its compaction and its turn without a turn/start; a turn started on another connection (8) reports that connection's client with the thread's originator. A token usage after the turn event emits nothing more.",
        [
            f_initialize(7, "parent-client", "parent-client", "1.0.0", "stdio", None, RT_SAMPLE),
            thread_start(7, 1, parent),
            subagent,
            compaction,
            *child_turn("turn-inherited"),
            f_token_usage("thread-review", "turn-inherited"),
            f_initialize(8, "codex_cli_rs", "codex-tui", "1.0.0", "websocket", False, RT_SAMPLE),
            f_turn_start_request(8, 3, "thread-review"),
            f_turn_start_response(8, 3, "turn-explicit"),
            *child_turn("turn-explicit"),
        ],
        [
            newest(
                e_thread_init(parent, parent_client, RT_SAMPLE),
                session_id=f"session-{parent}",
                forked_from_thread_id=None,
            ),
            newest(
                e_thread_init(
                    "thread-review",
                    client("parent-client", "parent-client", "1.0.0", "in_process", None),
                    {
                        "codex_rs_version": "0.0.0",
                        "runtime_os": "linux",
                        "runtime_os_version": "6.1",
                        "runtime_arch": "x86_64",
                    },
                    thread_source="subagent",
                    subagent_source="thread_spawn",
                    parent=parent,
                    created_at=130,
                ),
                session_id="session-root",
                forked_from_thread_id=None,
            ),
            compaction_newest(compaction, parent_client, RT_SAMPLE, spawned, "session-root"),
            child_turn_event("turn-inherited", parent_client),
            child_turn_event("turn-explicit", explicit_client),
        ],
        NEWEST,
    )
    lineage_fact = {
        **f_subagent(
            "thread-spawn",
            "11111111-1111-1111-1111-111111111111",
            spawn_source("11111111-1111-1111-1111-111111111111"),
            124,
            ephemeral=True,
        ),
        "session_id": "session-root",
        "forked_from_thread_id": "22222222-2222-4222-8222-222222222222",
    }
    scenario(
        "newest_subagent_thread_started_thread_spawn_serializes_thread_lineage",
        UP.format("subagent_thread_started_thread_spawn_serializes_thread_lineage")
        + " (a serialization test upstream; here through the reducer) spec/reducer.md §11.2 (session_ids, turn_profiles): the fact's session id, parent and forked-from thread.",
        [lineage_fact],
        [
            newest(
                e_thread_init(
                    "thread-spawn",
                    client("codex-tui", "codex-tui", "1.0.0", "in_process", None),
                    {
                        "codex_rs_version": "0.0.0",
                        "runtime_os": "linux",
                        "runtime_os_version": "6.1",
                        "runtime_arch": "x86_64",
                    },
                    ephemeral=True,
                    thread_source="subagent",
                    subagent_source="thread_spawn",
                    parent="11111111-1111-1111-1111-111111111111",
                    created_at=124,
                ),
                session_id="session-root",
                forked_from_thread_id="22222222-2222-4222-8222-222222222222",
            )
        ],
        NEWEST,
    )
    lines = 2_000
    diff = (
        "diff --git a/src/lib.rs b/src/lib.rs\nindex 1111111..2222222\n--- a/src/lib.rs\n+++ b/src/lib.rs\n"
        + f"@@ -0,0 +1,{lines} @@\n"
        + "".join(f"+let value_{i} = {i};\n" for i in range(lines))
    )
    scenario(
        "newest_reducer_emits_large_accepted_line_aggregates_without_fingerprints",
        UP.format("reducer_emits_large_accepted_line_aggregates_without_fingerprints")
        + f" spec/reducer.md §8.2, §11.2 (#22180): one accepted-line event with the real counts and no fingerprints ({lines:,} added lines here; upstream uses 20,000, which would have been chunked before #22180).",
        turn_facts()
        + [
            f_token_usage("thread-2", "turn-2"),
            f_turn_diff("thread-2", "turn-2", diff),
            f_turn_completed("thread-2", "turn-2"),
        ],
        [
            thread_init("thread-2"),
            turn_newest(tokens=True),
            e_accepted("thread-2", "turn-2", "gpt-5", None, lines, 0, []),
        ],
        NEWEST,
    )
    v2 = f_compaction(
        "thread-1",
        "turn-1",
        "auto",
        "context_limit",
        "responses_compaction_v2",
        "mid_turn",
        "memento",
        "completed",
        None,
        10,
        5,
        100,
        101,
        1000,
    )
    del v2["error"]
    v2 |= {
        "codex_error_kind": None,
        "codex_error_http_status_code": None,
        "retained_image_count": 2,
        "compaction_summary_tokens": 300,
        "cached_input_tokens": 40,
        "cache_write_input_tokens": 7,
    }
    scenario(
        "newest_compaction_implementation_serializes_remote_v2",
        UP.format("compaction_implementation_serializes_remote_v2")
        + " (a serialization test of the enum upstream; here through the reducer) spec/reducer.md §12.6: the implementation `responses_compaction_v2` and the later compaction keys pass through.",
        review_facts() + [v2],
        [
            thread_init("thread-1", CL_WS),
            compaction_newest(v2, CL_WS, RT, USER, "session-thread-1"),
        ],
        NEWEST,
    )
    track = {
        "model_slug": "gpt-5",
        "thread_id": "thread-1",
        "turn_id": "turn-1",
        "product_client_id": "codex_work_desktop",
    }
    plugin_path = "/Users/abc/.codex/plugins/cache/test/sample/skills/doc/SKILL.md"
    resource = "skill-resource://sample/slides"
    scenario(
        "newest_reducer_includes_plugin_ids_for_plugin_skill_invocations",
        UP.format("reducer_includes_plugin_ids_for_plugin_skill_invocations")
        + " spec/reducer.md §12.2, §12.3 (0d2a0aa76, c8f673fdd, 1acb722e8): plugin and remote plugin ids, the tracking's product_client_id; a resource skill gets the SHA-1 of its resource id, no repo URL and no scope, and its second implicit invocation in the turn is skipped.",
        [
            {
                "fact": "skill_invoked",
                "tracking": track,
                "invocations": [
                    {
                        "skill_name": "sample:doc",
                        "location": {"host": {"path": plugin_path, "scope": "user"}},
                        "plugin_id": "sample@test",
                        "remote_plugin_id": "plugins~Plugin_sample",
                        "invocation_type": "explicit",
                    },
                    {
                        "skill_name": "slides",
                        "location": {"resource": {"id": resource, "skill_id": None, "scope": None}},
                        "plugin_id": None,
                        "remote_plugin_id": None,
                        "invocation_type": "implicit",
                    },
                    {
                        "skill_name": "slides",
                        "location": {"resource": {"id": resource, "skill_id": None, "scope": None}},
                        "plugin_id": None,
                        "remote_plugin_id": None,
                        "invocation_type": "implicit",
                    },
                ],
            }
        ],
        [
            newest(
                e_skill(
                    skill_id("personal", plugin_path, "sample:doc"),
                    "sample:doc",
                    "codex_work_desktop",
                    "user",
                    "sample@test",
                    None,
                    track,
                    "explicit",
                ),
                remote_plugin_id="plugins~Plugin_sample",
            ),
            newest(
                e_skill(
                    sha1_hex(resource),
                    "slides",
                    "codex_work_desktop",
                    "user",
                    None,
                    None,
                    track,
                    "implicit",
                ),
                skill_scope=None,
                remote_plugin_id=None,
            ),
        ],
        NEWEST,
    )


def other_releases() -> None:
    diff = (
        "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1,2 @@\n-old\n+new\n+more\n"
    )
    pre = [
        f_initialize(7, "codex-tui", "codex-tui", "1.0.0", "stdio", None),
        f_thread_response(7, 1, "thread/start", "thread-2"),
        f_turn_start_request(7, 3, "thread-2"),
        f_turn_start_response(7, 3, "turn-2"),
        f_resolved_config("thread-2", "turn-2"),
        f_turn_started("thread-2", "turn-2"),
        f_token_usage("thread-2", "turn-2"),
    ]
    counts = NO_COUNTS
    scenario(
        "release_0_131_0_counts_tool_calls_and_sends_no_fingerprints",
        "spec/reducer.md §11.2 (0.131.0: counts_tool_calls, no uploads_fingerprints): the turn event of the 1-0-0 shape carries tool counts (0 here) and the accepted-line event (1-0-1) has the counts and an empty fingerprint list.",
        [*pre, f_turn_diff("thread-2", "turn-2", diff), f_turn_completed("thread-2", "turn-2")],
        [
            e_thread_init("thread-2", CL, RT),
            {
                **e_turn("thread-2", "turn-2", CL, RT),
                "event_params": {**e_turn("thread-2", "turn-2", CL, RT)["event_params"], **counts},
            },
            e_accepted("thread-2", "turn-2", "gpt-5", None, 2, 1, []),
        ],
        {"emit_as": "0.131.0"},
    )
    started = thread_start(7, 1, "thread-2")
    scenario(
        "release_0_135_0_adds_session_ids_without_profiles",
        "spec/reducer.md §11.2 (0.135.0: session_ids): thread and turn events carry the thread's session id; the turn does not wait for a profile (none is sent).",
        [pre[0], started, *pre[2:], f_turn_completed("thread-2", "turn-2")],
        [
            newest_of(e_thread_init("thread-2", CL, RT), "2-0-0", session_id="session-thread-2"),
            newest_of(
                {
                    **e_turn("thread-2", "turn-2", CL, RT),
                    "event_params": {
                        **e_turn("thread-2", "turn-2", CL, RT)["event_params"],
                        **counts,
                    },
                },
                "2-0-0",
                session_id="session-thread-2",
            ),
        ],
        {"emit_as": "0.135.0"},
    )
    scenario(
        "release_0_139_0_reports_auto_review_and_no_subreason",
        "spec/reducer.md §11.2 (0.139.0: auto_review; ee6c91d5c): approvals reviewer `guardian_subagent` is reported `auto_review`; the codex error kind is sent without a subreason; the turn waits for its profile.",
        [
            pre[0],
            started,
            *pre[2:4],
            {
                **f_resolved_config("thread-2", "turn-2", approvals_reviewer="guardian_subagent"),
                "workspace_kind": "git_repo",
            },
            *pre[5:],
            {
                "fact": "turn_codex_error",
                "turn_id": "turn-2",
                "thread_id": "thread-2",
                "error": {"kind": "invalid_request", "subreason": "bad", "http_status_code": 400},
            },
            f_turn_completed("thread-2", "turn-2", "failed", error_info="badRequest"),
            profile("turn-2"),
        ],
        [
            newest_of(
                e_thread_init("thread-2", CL, RT),
                "3-0-0",
                session_id="session-thread-2",
                forked_from_thread_id=None,
            ),
            newest_of(
                {
                    **e_turn(
                        "thread-2", "turn-2", CL, RT, status="failed", turn_error="badRequest"
                    ),
                    "event_params": {
                        **e_turn(
                            "thread-2", "turn-2", CL, RT, status="failed", turn_error="badRequest"
                        )["event_params"],
                        **counts,
                    },
                },
                "5-0-0",
                session_id="session-thread-2",
                workspace_kind="git_repo",
                codex_error_kind="invalid_request",
                codex_error_http_status_code=400,
                **{k: v for k, v in PROFILE.items() if k != "compaction_ms"},
            ),
        ],
        {"emit_as": "0.139.0"},
    )


def compaction_newest(fact: J, cl: J, rt: J, lin: J, session_id: str) -> J:
    """The compaction event of `fact`: the thread's context, then the fact's own keys."""
    context = {
        "thread_id": fact["thread_id"],
        "session_id": session_id,
        "turn_id": fact["turn_id"],
        "app_server_client": cl,
        "runtime": rt,
        **lin,
    }
    own = {k: v for k, v in fact.items() if k not in ("fact", "thread_id", "turn_id")}
    return newest(ev("codex_compaction_event", {**context, **own}))


def newest_of(event: J, version: str, **values: Any) -> J:
    """`event` with `values` set, in the wire order of `version` of its type."""
    from codex_analytics_contract.versions import model

    params_model = (
        model("events", event["event_type"], version).model_fields["event_params"].annotation
    )
    keys = [f.alias or n for n, f in params_model.model_fields.items()]  # type: ignore[union-attr]
    params = {**event["event_params"], **values}
    missing = [k for k in keys if k not in params]
    assert not missing, (event["event_type"], version, missing)
    return {**event, "event_params": {k: params[k] for k in keys}}


def register() -> None:
    upstream_ports()
    more_ports()
    own_rules()
    other_releases()
