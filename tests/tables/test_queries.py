"""The catalog's queries (docs-src/queries.yaml, spec/tables.md §6) give, on the events of
realistic reducer sessions loaded with `load`, the figures Python computes from the same events."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from statistics import mean
from typing import Any

import duckdb
import pytest
import yaml

from benchmarks.events_bench import session_corpus
from codex_analytics_contract import UpgradeError, parse_event, serialize_event, upgrade
from codex_analytics_contract.load import Loader
from generator.paths import DOCS_SRC
from generator.tables import QUERIES, load_queries
from tests.conftest import pass_examples

Params = list[dict[str, Any]]
Row = tuple[Any, ...]


def _grouped(
    events: Params, keys: Callable[[dict[str, Any]], Row], *values: Callable[[Params], Any]
) -> list[Row]:
    groups: dict[Row, Params] = {}
    for event in events:
        groups.setdefault(keys(event), []).append(event)
    return [key + tuple(v(group) for v in values) for key, group in groups.items()]


def _count(group: Params) -> int:
    return len(group)


def _sum(key: str) -> Callable[[Params], Any]:
    def total(group: Params) -> Any:
        found = [e[key] for e in group if e.get(key) is not None]
        return sum(found) if found else None

    return total


def _avg(value: Callable[[dict[str, Any]], Any]) -> Callable[[Params], Any]:
    def average(group: Params) -> Any:
        found = [v for v in map(value, group) if v is not None]
        return mean(found) if found else None

    return average


def _distinct(key: str) -> Callable[[Params], int]:
    return lambda group: len({e[key] for e in group if e.get(key) is not None})


def _max(key: str) -> Callable[[Params], Any]:
    def largest(group: Params) -> Any:
        found = [e[key] for e in group if e.get(key) is not None]
        return max(found) if found else None

    return largest


def _where(test: Callable[[dict[str, Any]], bool]) -> Callable[[Params], int]:
    return lambda group: sum(1 for e in group if test(e))


def _keys(*names: str) -> Callable[[dict[str, Any]], Row]:
    return lambda e: tuple(e.get(n) for n in names)


ORACLES: dict[str, Callable[[Params], Iterable[Row]]] = {
    "threads_by_origin": lambda ev: _grouped(
        ev,
        lambda e: (
            e["initialization_mode"],
            e["app_server_client"]["client_name"],
            e["model"],
            e.get("thread_source"),
        ),
        _count,
    ),
    "turns_by_status": lambda ev: _grouped(
        ev,
        _keys("status"),
        _count,
        _avg(lambda e: e["duration_ms"]),
        _where(lambda e: e["turn_error"] is not None),
        _sum("input_tokens"),
        _sum("output_tokens"),
    ),
    "steers_by_result": lambda ev: _grouped(ev, _keys("result", "rejection_reason"), _count),
    "commands_by_outcome": lambda ev: _grouped(
        ev,
        _keys("terminal_status", "failure_kind"),
        _count,
        _avg(lambda e: e["duration_ms"]),
        _where(lambda e: e["exit_code"] is not None and e["exit_code"] != 0),
    ),
    "edits_by_outcome": lambda ev: _grouped(
        ev, _keys("terminal_status", "final_approval_outcome"), _count
    ),
    "mcp_tools": lambda ev: _grouped(
        ev,
        _keys("mcp_server_name", "mcp_tool_name"),
        _count,
        _where(lambda e: e["terminal_status"] != "completed"),
    ),
    "dynamic_tools": lambda ev: _grouped(
        ev,
        _keys("dynamic_tool_name"),
        _count,
        _where(lambda e: e["success"] is True),
        _avg(lambda e: e["duration_ms"]),
    ),
    "agent_handoffs": lambda ev: _grouped(
        ev,
        _keys("tool_name"),
        _count,
        _sum("receiver_thread_count"),
        _sum("completed_agent_count"),
        _sum("failed_agent_count"),
    ),
    "web_searches": lambda ev: _grouped(
        ev, _keys("web_search_action", "terminal_status"), _count, _sum("query_count")
    ),
    "image_generations": lambda ev: _grouped(
        ev, _keys("terminal_status", "failure_kind"), _count, _avg(lambda e: e["duration_ms"])
    ),
    "reviews_by_status": lambda ev: _grouped(
        ev, _keys("status", "reviewer"), _count, _avg(lambda e: e["duration_ms"])
    ),
    "compactions": lambda ev: _grouped(
        ev,
        _keys("trigger", "reason"),
        _count,
        _avg(
            lambda e: (
                None
                if e["active_context_tokens_before"] is None
                or e["active_context_tokens_after"] is None
                else e["active_context_tokens_before"] - e["active_context_tokens_after"]
            )
        ),
    ),
    "archive_actions": lambda ev: _grouped(
        ev,
        lambda e: (
            e["action"],
            (e.get("app_server_client") or {}).get("client_name"),
            e.get("thread_source"),
        ),
        _count,
        _distinct("thread_id"),
    ),
    "goals_by_outcome": lambda ev: _grouped(
        ev,
        _keys("event_kind", "goal_status", "has_token_budget"),
        _count,
        _distinct("goal_id"),
        _max("cumulative_tokens_accounted"),
        _max("cumulative_time_accounted_seconds"),
    ),
    "control_tools": lambda ev: _grouped(
        ev, _keys("tool_name", "terminal_status", "failure_kind"), _count
    ),
    "guardian_decisions": lambda ev: _grouped(
        ev,
        _keys("decision", "risk_level"),
        _count,
        _sum("input_tokens"),
        _sum("output_tokens"),
        _avg(lambda e: e["completion_latency_ms"]),
    ),
    "app_mentions": lambda ev: _grouped(
        ev, _keys("connector_id", "app_name", "invoke_type"), _count
    ),
    "apps_used": lambda ev: _grouped(ev, _keys("connector_id"), _count, _distinct("thread_id")),
    "plugins_used": lambda ev: _grouped(
        ev, _keys("plugin_id", "plugin_name", "model_slug"), _count
    ),
    "plugins_installed": lambda ev: _grouped(ev, _keys("plugin_id", "marketplace_name"), _count),
    "plugins_uninstalled": lambda ev: _grouped(ev, _keys("plugin_id", "marketplace_name"), _count),
    "plugins_enabled": lambda ev: _grouped(ev, _keys("plugin_id", "plugin_name"), _count),
    "plugins_disabled": lambda ev: _grouped(ev, _keys("plugin_id", "plugin_name"), _count),
    "skills_by_origin": lambda ev: _grouped(
        ev, _keys("skill_scope", "plugin_id", "invoke_type"), _count, _distinct("skill_name")
    ),
    "hooks_by_status": lambda ev: _grouped(ev, _keys("hook_name", "hook_source", "status"), _count),
    "plugin_suggestions": lambda ev: _grouped(
        [{"source": e["source"], "plugin_id": p["plugin_id"]} for e in ev for p in e["plugins"]],
        _keys("source", "plugin_id"),
        _count,
    ),
    "install_failures": lambda ev: _grouped(
        ev, _keys("source", "error_type", "sub_error_type"), _count
    ),
    "imports_by_type": lambda ev: _grouped(
        ev, _keys("provider_id", "type"), _count, _sum("success_count"), _sum("failed_count")
    ),
    "import_failures": lambda ev: _grouped(
        ev, _keys("failure_stage", "error_type", "sub_error_type"), _count
    ),
    "artifacts_by_format": lambda ev: _grouped(
        ev,
        _keys("artifact_type", "operation_kind", "output_format"),
        _count,
        _sum("expected_output_count"),
    ),
    "measurements": lambda ev: _grouped(
        ev,
        _keys("operation", "measurement_name"),
        _count,
        _avg(lambda e: e["number_value"]),
        lambda g: min(e["number_value"] for e in g),
        lambda g: max(e["number_value"] for e in g),
        _where(lambda e: e.get("dimensions") is not None),
    ),
    "accepted_lines": lambda ev: [
        (
            len({e["turn_id"] for e in ev}),
            sum(e["accepted_added_lines"] for e in ev),
            sum(e["accepted_deleted_lines"] for e in ev),
            sum(len(e["line_fingerprints"]) for e in ev),
        )
    ],
}


def _all_queries() -> list[tuple[str, Any]]:
    from codex_analytics_contract import EVENT_TYPES

    return [
        (event, query)
        for event, items in load_queries(QUERIES, set(EVENT_TYPES)).items()
        for query in items
    ]


def _same(value: Any) -> Any:
    """Floats compared to 12 significant digits (DuckDB and Python sum in different orders)."""
    return float(f"{value:.12g}") if isinstance(value, float) else value


@pytest.fixture(scope="module")
def loaded() -> tuple[duckdb.DuckDBPyConnection, dict[str, Params]]:
    # the sessions are uniform (every turn completes): the valid examples of every version add
    # the failures, declines and the event types the sessions lack
    examples = [
        json.dumps(json.loads(p.read_text(encoding="utf-8"))).encode()
        for p in pass_examples("events")
    ]
    lines = session_corpus(3_000) + examples
    con = duckdb.connect(":memory:")
    counts = Loader(con).load_bytes("sessions.ndjson", b"\n".join(lines) + b"\n")
    # the figures Python computes: from each event as `upgrade` makes it (the newest version);
    # an event without an honest upgrade is in neither
    by_type: dict[str, Params] = {}
    refused = 0
    for line in lines:
        try:
            event = upgrade(parse_event(line))
        except UpgradeError:
            refused += 1
            continue
        wire = json.loads(serialize_event(event))
        # a row: the envelope's other keys (skill_invocation's skill_id, skill_name) and params
        row = {k: v for k, v in wire.items() if k not in ("event_type", "event_params")}
        by_type.setdefault(wire["event_type"], []).append(row | wire["event_params"])
    assert (counts.loaded, counts.rejected) == (len(lines) - refused, refused)
    return con, by_type


def test_every_query_has_a_python_check() -> None:
    assert sorted(q.id for _, q in _all_queries()) == sorted(ORACLES)


@pytest.mark.parametrize(("event", "query"), _all_queries(), ids=lambda v: getattr(v, "id", v))
def test_query_gives_the_python_figures(
    loaded: tuple[duckdb.DuckDBPyConnection, dict[str, Params]], event: str, query: Any
) -> None:
    con, by_type = loaded
    events = by_type[event]
    assert events, f"the session corpus has no {event}"
    rows = con.execute(query.sql).fetchall()
    expected = ORACLES[query.id](events)
    assert Counter(tuple(map(_same, r)) for r in rows) == Counter(
        tuple(map(_same, r)) for r in expected
    )


def test_every_catalog_question_has_a_query() -> None:
    """Each event the catalog says answers a question (docs-src/catalog.yaml `answers`) has
    its SQL on its page."""
    catalog = yaml.safe_load((DOCS_SRC / "catalog.yaml").read_text(encoding="utf-8"))
    asked = {
        item["event"]
        for group in catalog["groups"]
        for item in group["events"]
        if item.get("answers")
    }
    from codex_analytics_contract import EVENT_TYPES

    assert asked == set(EVENT_TYPES)
    assert asked == set(load_queries(QUERIES, set(EVENT_TYPES)))
