"""The :class:`Reducer`: dispatches one fact at a time to the handler modules.

Port of upstream ``AnalyticsReducer`` (openai/codex ``codex-rs/analytics/src/reducer.rs``) at the
state right after PR #18748; the semantics are written down in ``spec/reducer.md``. Facts are
JSON dicts in the shapes of ``spec/facts.md``; events are plain dicts whose insertion order is
the wire order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from pydantic import BaseModel

from codex_analytics_contract._generated.registry import Event as EventModel
from codex_analytics_contract.api import parse_fact, validate_event
from codex_analytics_contract.errors import ContractError, Violation

from . import reviews, stateless, threads, tool_items, turns
from .git_remote import repo_hash_for_cwd
from .skills import RepoInfo, default_skill_repo_provider
from .state import ReducerLimits, ReducerState
from .stats import ReducerStats

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
    ) -> None:
        self.clock = clock
        self.runtime: dict[str, str] = dict(runtime) if runtime is not None else _default_runtime()
        self.originator = originator
        self._repo_hash_provider = repo_hash_provider or repo_hash_for_cwd
        self._skill_repo_provider = skill_repo_provider or default_skill_repo_provider
        self.limits = limits if limits is not None else ReducerLimits()
        self.stats = ReducerStats()
        self._state = ReducerState(self.limits, self.stats)
        self._turn_env = turns.TurnEnv(clock, self._repo_hash_provider)
        st = self._state
        env = self._turn_env
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
            "app_mentioned": self._app_mentioned,
            "app_used": self._app_used,
            "hook_run": stateless.hook_run_events,
            "plugin_used": self._plugin_used,
            "plugin_state_changed": self._plugin_state_changed,
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
        counts = stats.events_emitted_by_type  # counted here, on the hot path
        for event in events:
            event_type = event["event_type"]
            counts[event_type] = counts.get(event_type, 0) + 1
        return events

    def ingest(self, fact: Mapping[str, Any] | BaseModel) -> list[EventModel]:
        """Reduce one fact given as a typed model or a JSON dict; return typed event models.

        The fact is validated against its schema first (a ContractError names what is wrong,
        and the reducer's state is left as it was) and every event is validated against its
        own schema on the way out.
        """
        if isinstance(fact, BaseModel):
            data: Mapping[str, Any] = fact.model_dump(
                mode="json", by_alias=True, exclude_unset=True
            )
        else:
            data = fact
        parse_fact(data)
        return [validate_event(event) for event in self.ingest_raw(data)]

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
            return threads.ingest_thread_response(self._state, connection_id, method, result)
        if method == "turn/start":
            return turns.ingest_turn_start_response(
                self._state, connection_id, fact["request_id"], result, self._turn_env
            )
        if method == "turn/steer":
            return turns.ingest_turn_steer_response(
                self._state, connection_id, fact["request_id"], result
            )
        return []

    # -- custom facts -----------------------------------------------------------------------

    def _subagent_thread_started(self, fact: Mapping[str, Any]) -> list[Event]:
        return threads.ingest_subagent_thread_started(self._state, fact, self.runtime)

    def _skill_invoked(self, fact: Mapping[str, Any]) -> list[Event]:
        return stateless.skill_invoked_events(
            fact, originator=self.originator, repo_provider=self._skill_repo_provider
        )

    def _app_mentioned(self, fact: Mapping[str, Any]) -> list[Event]:
        return stateless.app_mentioned_events(fact, originator=self.originator)

    def _app_used(self, fact: Mapping[str, Any]) -> list[Event]:
        return stateless.app_used_events(fact, originator=self.originator)

    def _plugin_used(self, fact: Mapping[str, Any]) -> list[Event]:
        return stateless.plugin_used_events(fact, originator=self.originator)

    def _plugin_state_changed(self, fact: Mapping[str, Any]) -> list[Event]:
        return stateless.plugin_state_changed_events(fact, originator=self.originator)


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
