"""Bounded maps, eviction counts, stats, dispatch of the stateless custom facts."""

from __future__ import annotations

from typing import Any

import pytest

from codex_analytics_contract import ContractError, UnknownEventTypeError
from codex_analytics_contract.reducer import Reducer, ReducerLimits, ReducerStats, RepoInfo
from codex_analytics_contract.reducer.state import BoundedMap
from tests.support.facts import (
    J,
    cmd_item,
    f_app_mentioned,
    f_app_used,
    f_hook,
    f_initialize,
    f_item_completed,
    f_item_started,
    f_plugin_state,
    f_plugin_used,
    f_resolved_config,
    f_skill,
    f_thread_response,
    f_turn_diff,
    f_turn_started,
    plugin_meta,
    skill_inv,
    tracking,
)
from tests.support.reducing import feed, make_reducer


def test_public_exports() -> None:
    assert RepoInfo(repo_url=None, root=None).repo_url is None
    assert isinstance(make_reducer().stats, ReducerStats)


def test_bounded_map_evicts_least_recently_touched() -> None:
    evictions: dict[str, int] = {}
    m: BoundedMap[str, int] = BoundedMap("m", 2, evictions)
    m.put("a", 1)
    m.put("b", 2)
    assert m.touch("a") == 1
    m.put("c", 3)  # evicts b (a was touched)
    assert list(m.data) == ["a", "c"]
    m.put("a", 4)  # overwrite: no eviction
    assert evictions == {"m": 1}
    assert m.pop("a") == 4 and m.pop("zz") is None and len(m) == 1


def test_limits_validate() -> None:
    with pytest.raises(ValueError, match="max_turns"):
        ReducerLimits(max_turns=0)


def test_state_size_and_evictions_by_map() -> None:
    r = make_reducer(ReducerLimits(max_turns=2, max_started_items=1, max_connections=1))
    feed(r, f_initialize(1), f_initialize(2))
    feed(r, f_turn_started(turn_id="a"), f_turn_started(turn_id="b"), f_turn_started(turn_id="c"))
    feed(r, f_item_started(item=cmd_item("i1")), f_item_started(item=cmd_item("i2")))
    assert r.state_size() == {
        "connections": 1,
        "threads": 0,
        "requests": 0,
        "turns": 2,
        "turn_diffs": 0,
        "started_items": 1,
        "pending_reviews": 0,
        "review_summaries": 0,
    }
    assert r.stats.evictions_by_map == {
        "connections": 1,
        "threads": 0,
        "requests": 0,
        "turns": 1,
        "turn_diffs": 0,
        "started_items": 1,
        "pending_reviews": 0,
        "review_summaries": 0,
    }


def test_active_thread_survives_eviction_because_reads_touch_it() -> None:
    r = make_reducer(ReducerLimits(max_threads=2))
    feed(r, f_initialize(), f_thread_response(thread_id="t1"), f_thread_response(thread_id="t2"))
    feed(r, f_item_started("t1"))
    assert len(feed(r, f_item_completed("t1"))) == 1  # touches t1
    feed(r, f_thread_response(thread_id="t3"))  # evicts t2
    for thread_id, expected in (("t1", 1), ("t2", 0), ("t3", 1)):
        feed(r, f_item_started(thread_id))
        assert len(feed(r, f_item_completed(thread_id))) == expected


def test_facts_counted_untracked_methods_ignored_unknown_kinds_rejected() -> None:
    r = make_reducer()
    assert feed(r, {"fact": "notification", "method": "x", "params": {}}) == []
    assert (
        feed(r, {"fact": "client_request", "connection_id": 1, "request_id": 1, "method": "x"})
        == []
    )
    with pytest.raises(UnknownEventTypeError) as caught:
        r.ingest_raw({"fact": "something_new"})
    assert caught.value.path == "$.fact"
    assert r.stats.facts_ingested == 3 and r.stats.facts_rejected == 1
    assert r.stats.events_emitted == 0 and r.stats.drops == 0


@pytest.mark.parametrize(
    ("fact", "path"),
    [
        ({"fact": "initialize"}, "$.connection_id"),
        ({"fact": "notification", "method": "turn/started", "params": []}, "$.params"),
        ({"fact": "notification", "params": {}}, "$.method"),
        (
            {"fact": "notification", "method": "turn/started", "params": {"threadId": "t"}},
            "$.params.turn",
        ),
        (f_resolved_config(permission_profile="managed"), "$.permission_profile"),  # type: ignore[arg-type]
        (
            f_resolved_config(permission_profile={"type": "managed", "file_system": "restricted"}),
            "$.permission_profile",
        ),
        (f_turn_diff(diff=5), "$.params.diff"),  # type: ignore[arg-type]
        (
            {"fact": "notification", "method": "turn/completed", "params": {"turn": {}}},
            "$.params.threadId",
        ),
    ],
)
def test_a_fact_the_reducer_cannot_read_raises_its_schema_error(
    fact: dict[str, Any], path: str
) -> None:
    r = make_reducer()
    with pytest.raises(ContractError) as caught:
        r.ingest_raw(fact)
    assert caught.value.path.startswith(path), caught.value
    assert "reducer bug" not in str(caught.value)
    assert r.stats.facts_rejected == 1


BARE_PLUGIN = plugin_meta(with_summary=False)
MENTIONS = [{"connector_id": "c1", "app_name": "A"}, {"connector_id": "c2"}]
STATELESS: list[tuple[J, list[str]]] = [
    (
        f_skill(tracking(), [skill_inv("s", "user", "/nonexistent/skill/SKILL.md")]),
        ["skill_invocation"],
    ),
    (
        f_app_mentioned(tracking(), MENTIONS),
        ["codex_app_mentioned", "codex_app_mentioned"],
    ),
    (f_app_used(tracking(), {"connector_id": "c1"}), ["codex_app_used"]),
    (f_hook(tracking(), "pre_tool_use", "user", "completed"), ["codex_hook_run"]),
    (f_plugin_used(tracking(), BARE_PLUGIN), ["codex_plugin_used"]),
    (f_plugin_state(BARE_PLUGIN, "disabled"), ["codex_plugin_disabled"]),
]


@pytest.mark.parametrize(("fact", "types"), STATELESS)
def test_stateless_facts_dispatch_to_helpers(fact: dict[str, Any], types: list[str]) -> None:
    r = Reducer(
        clock=lambda: 0.0,
        runtime={},
        originator="codex_exec",
        repo_hash_provider=lambda _c: None,
        skill_repo_provider=lambda _p: None,
    )
    events = r.ingest_raw(fact)
    assert [e["event_type"] for e in events] == types
    assert r.state_size() == dict.fromkeys(r.state_size(), 0)
    for event in events:
        params = event["event_params"]
        if "product_client_id" in params:
            assert params["product_client_id"] == "codex_exec"
