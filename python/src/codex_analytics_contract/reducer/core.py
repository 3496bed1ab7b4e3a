"""The :class:`Reducer`: dispatches one fact at a time to the handler modules.

Port of upstream ``AnalyticsReducer`` (openai/codex ``codex-rs/analytics/src/reducer.rs``) as
each release since the pin (right after PR #18748) ran it, up to upstream's newest state
(``emit_as``, spec/reducer.md §11); the semantics are written down in ``spec/reducer.md``. Facts are
JSON dicts in the shapes of ``spec/facts.md``; events are plain dicts whose insertion order is
the wire order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from codex_analytics_contract._generated.tables import FACT_KINDS
from codex_analytics_contract.api import parse_fact, validate_event
from codex_analytics_contract.errors import ContractError, Violation

from . import imports, plugins, reviews, stateless, threads, tool_items, tool_responses, turns
from .git_remote import repo_hash_for_cwd
from .releases import DEFAULT_RELEASE, Release, release
from .shaping import shapes
from .skills import RepoInfo, default_skill_repo_provider
from .state import ReducerLimits, ReducerState
from .stats import ReducerStats

if TYPE_CHECKING:
    from codex_analytics_contract._generated.registry import Event as EventModel

__all__ = ["DEFAULT_RUNTIME", "Reducer", "unreadable_fact"]

Event = dict[str, Any]
Handler = Callable[[Mapping[str, Any]], list[Event] | None]

DEFAULT_RUNTIME: dict[str, str] = {
    "codex_rs_version": "0.0.0",
    "runtime_os": "linux",
    "runtime_os_version": "",
    "runtime_arch": "x86_64",
}

_THREAD_METHODS = frozenset({"thread/start", "thread/resume", "thread/fork"})


def _default_runtime() -> dict[str, str]:
    import platform

    machine = platform.machine().lower()
    arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    system = platform.system().lower()
    return {
        "codex_rs_version": DEFAULT_RUNTIME["codex_rs_version"],
        "runtime_os": {"darwin": "macos"}.get(system, system),
        "runtime_os_version": platform.release(),
        "runtime_arch": arch,
    }


class Reducer:
    """Stateful fact -> event reducer (see ``spec/reducer.md``)."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        runtime: Mapping[str, str] | None = None,
        originator: str = "codex_cli_rs",
        repo_hash_provider: Callable[[str], str | None] | None = None,
        skill_repo_provider: Callable[[str], RepoInfo | None] | None = None,
        limits: ReducerLimits | None = None,
        emit_as: str = DEFAULT_RELEASE,
    ) -> None:
        self.release: Release = release(emit_as)
        rules = self.release.rules
        self.clock = clock
        self.runtime: dict[str, str] = dict(runtime) if runtime is not None else _default_runtime()
        self.originator = originator
        self._repo_hash_provider = repo_hash_provider or repo_hash_for_cwd
        self._skill_repo_provider = skill_repo_provider or default_skill_repo_provider
        self.limits = limits if limits is not None else ReducerLimits()
        self.stats = ReducerStats()
        self._state = ReducerState(self.limits, self.stats, rules)
        self._turn_env = turns.TurnEnv(clock, self._repo_hash_provider)
        self._shapes = shapes(self.release)
        st = self._state
        env = self._turn_env
        august = rules.august
        # Handlers are bound to their arguments here (partials call straight into the
        # handler modules, without a Python wrapper frame per fact).
        self._handlers: dict[str, Handler] = {
            "initialize": partial(threads.ingest_initialize, st),
            "client_request": partial(turns.ingest_client_request, st, clock=clock),
            "client_response": self._client_response,
            "error_response": partial(turns.ingest_error_response, st),
            "server_request": partial(reviews.ingest_server_request, st),
            "server_response": partial(reviews.ingest_server_response, st),
            "effective_permissions_approval_response": partial(
                reviews.ingest_effective_permissions, st
            ),
            "server_request_aborted": partial(reviews.ingest_server_request_aborted, st),
            "subagent_thread_started": self._subagent_thread_started,
            "compaction": partial(threads.ingest_compaction, st),
            "guardian_review": partial(threads.ingest_guardian_review, st),
            "turn_resolved_config": partial(turns.ingest_resolved_config, st, env=env),
            "turn_token_usage": partial(turns.ingest_token_usage, st, env=env),
            "skill_invoked": self._skill_invoked,
            "app_mentioned": partial(
                stateless.app_mentioned_events, originator=originator, august=august
            ),
            "app_used": partial(stateless.app_used_events, originator=originator, august=august),
            "hook_run": partial(stateless.hook_run_events, originator=originator, august=august),
            "plugin_used": partial(
                stateless.plugin_used_events, originator=originator, august=august
            ),
            "plugin_state_changed": partial(
                stateless.plugin_state_changed_events, originator=originator, august=august
            ),
        }
        # notification method -> handler of its params
        self._notification_handlers: dict[str, Handler] = {
            "item/started": partial(tool_items.ingest_item_started, st),
            "item/completed": partial(tool_items.ingest_item_completed, st),
            "turn/completed": partial(turns.ingest_turn_completed, st, env=env),
            "turn/started": partial(turns.ingest_turn_started, st),
            "turn/diff/updated": partial(turns.ingest_turn_diff, st),
            "item/autoApprovalReview/completed": partial(reviews.ingest_guardian_completed, st),
        }
        if rules.codex_errors:  # 8e4b92d29 (0.137.0)
            self._handlers["turn_codex_error"] = partial(turns.ingest_turn_codex_error, st)
        if rules.turn_profiles:  # 8d72fb6de (0.138.0)
            self._handlers["turn_profile"] = partial(turns.ingest_turn_profile, st, env=env)
        if august:  # the fact kinds and notifications read after 0.139.0 (spec/reducer.md §12)
            self._handlers.update(
                {
                    "goal": partial(threads.ingest_goal, st),
                    "plugin_install_failed": partial(
                        plugins.plugin_install_failed_events, originator=originator
                    ),
                    "plugin_install_requested": partial(
                        plugins.plugin_install_requested_events, originator=originator
                    ),
                    "plugin_measurements": plugins.plugin_measurement_events,
                    "artifact_operation": partial(
                        plugins.artifact_operation_events, runtime=self.runtime
                    ),
                    "external_agent_config_import_completed": partial(
                        imports.import_completed_events, originator=originator
                    ),
                    "external_agent_config_import_failure": partial(
                        imports.import_failure_events, originator=originator
                    ),
                    "explicit_client_interrupt_request": partial(
                        turns.ingest_interrupt_request, st
                    ),
                    "image_preparation": partial(turns.ingest_image_preparation, st),
                    "code_mode_tool_call": partial(tool_responses.ingest_code_mode_tool_call, st),
                    "control_tool_call": partial(tool_responses.ingest_control_tool_call, st),
                }
            )
            self._notification_handlers.update(
                {
                    "thread/archived": partial(self._archive, "archived"),
                    "thread/unarchived": partial(self._archive, "unarchived"),
                    "thread/closed": self._thread_closed,
                }
            )
        # A fact kind of the contract that this release does not read yet is ignored, as the
        # release would never have received it (spec/reducer.md §11.2); only a kind outside
        # the contract is an error.
        for kind in FACT_KINDS:
            self._handlers.setdefault(kind, _not_read)

    # -- public surface ---------------------------------------------------------------------

    def ingest_raw(self, fact: Mapping[str, Any]) -> list[Event]:
        """Reduce one fact given as a JSON dict, unchecked; return the events upstream would
        send, as wire-order dicts.

        The fact is not checked against its schema first (that is what `ingest` adds), so a
        fact that breaks it may yield events that break theirs. A fact the reducer cannot read
        (an unknown kind, a missing key, a value of the wrong type where the reducer looks into
        it) raises the ContractError its schema check gives, naming the path; a notification
        method the reducer does not track returns no events (upstream ignores them too).
        """
        stats = self.stats
        stats.facts_ingested += 1
        kind = fact.get("fact")
        events: list[Event] | None
        if kind == "notification":  # the most common kind: dispatched on its method here
            method = fact.get("method")
            params = fact.get("params")
            if not (type(params) is dict or isinstance(params, Mapping)) or not isinstance(
                method, str
            ):
                raise self._rejected(fact, None)
            handler = self._notification_handlers.get(method)
            if handler is None:
                return []
        else:
            handler = self._handlers.get(kind)  # type: ignore[arg-type]
            if handler is None:
                raise self._rejected(fact, None)
            params = fact
        try:
            events = handler(params)
        except Exception as exc:  # every failure becomes a reported fact, never a traceback
            raise self._rejected(fact, exc) from exc
        if not events:
            return []
        return self._emitted(events)

    def flush(self) -> list[Event]:
        """Release every event still held back (tool events waiting for the next model
        response, spec/reducer.md §12.5), as upstream does on shutdown. Call it at the end of
        input; the reducer stays usable."""
        events = tool_responses.flush_all(self._state)
        return self._emitted(events) if events else []

    def _emitted(self, events: list[Event]) -> list[Event]:
        """Shape each event as the release sends it and count it."""
        counts = self.stats.events_emitted_by_type  # counted here, on the hot path
        shape = self._shapes
        out: list[Event] = []
        for event in events:
            event_type = event["event_type"]
            shaped = shape[event_type](event)
            if shaped is None:
                continue
            counts[event_type] = counts.get(event_type, 0) + 1
            out.append(shaped)
        return out

    def ingest(self, fact: Mapping[str, Any] | BaseModel) -> list[EventModel]:
        """Reduce one fact given as a typed model or a JSON dict; return typed event models.

        The fact is validated against its schema first (a ContractError names what is wrong,
        and the reducer's state is left as it was) and every event is validated on the way out
        against the version of its schema that the release (``emit_as``) sends.
        """
        if isinstance(fact, BaseModel):
            data: Mapping[str, Any] = fact.model_dump(
                mode="json", by_alias=True, exclude_unset=True
            )
        else:
            data = fact
        parse_fact(data)
        versions = self.release.event_versions
        return [
            validate_event(event, version=versions[event["event_type"]])
            for event in self.ingest_raw(data)
        ]

    def _rejected(self, fact: Mapping[str, Any], exc: BaseException | None) -> ContractError:
        self.stats.facts_rejected += 1
        return unreadable_fact(fact, exc)

    def state_size(self) -> dict[str, int]:
        """Number of entries in each internal map."""
        return self._state.sizes()

    def state_bytes(self) -> dict[str, int]:
        """Memory held by the maps bounded in bytes (`ReducerLimits.max_diff_bytes`)."""
        return self._state.sizes_in_bytes()

    # -- app-server facts -------------------------------------------------------------------

    def _client_response(self, fact: Mapping[str, Any]) -> list[Event]:
        method = fact.get("method")
        result = fact.get("result")
        if not (type(result) is dict or isinstance(result, Mapping)):
            return []
        connection_id = fact["connection_id"]
        if method in _THREAD_METHODS:
            return threads.ingest_thread_response(
                self._state, connection_id, method, result, fact.get("thread_originator")
            )
        if method == "turn/start":
            return turns.ingest_turn_start_response(
                self._state, connection_id, fact["request_id"], result, self._turn_env
            )
        if method == "turn/steer":
            return turns.ingest_turn_steer_response(
                self._state, connection_id, fact["request_id"], result
            )
        if method == "turn/interrupt" and self.release.rules.august:  # 6219b7c40
            return turns.ingest_turn_interrupt_response(
                self._state, connection_id, fact["request_id"], self._turn_env
            )
        return []

    def _archive(self, action: str, params: Mapping[str, Any]) -> list[Event]:
        return threads.archive_event(
            self._state, params["threadId"], action, int(self.clock() * 1000)
        )

    def _thread_closed(self, params: Mapping[str, Any]) -> list[Event]:
        return tool_responses.flush_thread(self._state, params.get("threadId"))

    # -- custom facts -----------------------------------------------------------------------

    def _subagent_thread_started(self, fact: Mapping[str, Any]) -> list[Event]:
        return threads.ingest_subagent_thread_started(self._state, fact, self.runtime)

    def _skill_invoked(self, fact: Mapping[str, Any]) -> list[Event]:
        august = self.release.rules.august
        return stateless.skill_invoked_events(
            fact,
            originator=self.originator,
            repo_provider=self._skill_repo_provider,
            august=august,
            seen_resources=self._resource_skills if august else None,
        )

    def _resource_skills(self, turn_id: str) -> set[str]:
        turn = self._state.turn_entry(turn_id)
        if turn.resource_skills is None:
            turn.resource_skills = set()
        return turn.resource_skills


def _not_read(fact: Mapping[str, Any]) -> None:
    return None


def unreadable_fact(fact: Mapping[str, Any], exc: BaseException | None) -> ContractError:
    """The error for a fact the reducer could not read: what its schema check says is wrong
    (the path and the expected value), or, for a fact its schema accepts, the failure itself
    (a reducer bug)."""
    try:
        parse_fact(fact)
    except ContractError as schema_error:
        return schema_error
    actual = "no error" if exc is None else f"{type(exc).__name__}: {exc}"
    return ContractError(
        [
            Violation(
                "$",
                "a fact the reducer can read (this one passes its schema check: a reducer bug)",
                actual,
                "reducer_input",
            )
        ]
    )
