"""Client pre-filter: method selection and app/plugin de-dup (spec/reducer.md §2.0;
upstream app_used_dedupe_is_keyed_by_turn_and_connector,
plugin_used_dedupe_is_keyed_by_turn_and_plugin)."""

from __future__ import annotations

from typing import Any

from codex_analytics_contract.reducer.prefilter import DEDUPE_MAX_KEYS, ClientPrefilter
from tests.support.facts import J, f_app_used, f_plugin_used, plugin_meta, tracking


def app_used(turn: str, connector_id: str | None) -> J:
    app: dict[str, Any] = {"app_name": "Calendar", "invocation_type": "implicit"}
    if connector_id is not None:
        app["connector_id"] = connector_id
    return f_app_used(tracking(turn_id=turn), app)


def plugin_used(turn: str, name: str = "sample", remote: str | None = None) -> J:
    plugin = plugin_meta(remote, with_summary=False)
    plugin["plugin_id"]["plugin_name"] = name
    return f_plugin_used(tracking(turn_id=turn), plugin)


def test_app_used_dedupe_is_keyed_by_turn_and_connector() -> None:
    f = ClientPrefilter()
    assert f.accept(app_used("turn-1", "calendar")) is True
    assert f.accept(app_used("turn-1", "calendar")) is False
    assert f.accept(app_used("turn-2", "calendar")) is True
    assert f.accept(app_used("turn-1", "drive")) is True


def test_app_used_without_connector_is_never_deduplicated() -> None:
    f = ClientPrefilter()
    assert all(f.accept(app_used("turn-1", None)) for _ in range(3))
    assert f.dedupe_sizes() == {"app_used": 0, "plugin_used": 0}


def test_plugin_used_dedupe_is_keyed_by_turn_and_plugin() -> None:
    f = ClientPrefilter()
    assert f.accept(plugin_used("turn-1")) is True
    assert f.accept(plugin_used("turn-1")) is False
    assert f.accept(plugin_used("turn-2")) is True
    assert f.accept(plugin_used("turn-1", name="other")) is True
    # The key is the local plugin key, not the remote id.
    assert f.accept(plugin_used("turn-1", remote="plugins~remote")) is False


def test_dedupe_set_is_cleared_when_it_reaches_the_limit() -> None:
    assert DEDUPE_MAX_KEYS == 4096
    f = ClientPrefilter()
    for i in range(DEDUPE_MAX_KEYS):
        assert f.accept(app_used(f"turn-{i}", "c")) is True
    assert f.dedupe_sizes()["app_used"] == DEDUPE_MAX_KEYS
    # Set is full: the next call clears it first, so even a known key is accepted again.
    assert f.accept(app_used("turn-0", "c")) is True
    assert f.dedupe_sizes()["app_used"] == 1
    assert f.accept(app_used("turn-0", "c")) is False
    assert f.accept(app_used("turn-1", "c")) is True


def test_small_limit_reset_for_plugins() -> None:
    f = ClientPrefilter(max_keys=2)
    assert f.accept(plugin_used("a")) and f.accept(plugin_used("b"))
    assert f.accept(plugin_used("a")) is True  # cleared at 2 keys, then inserted
    assert f.accept(plugin_used("b")) is True  # {a} + b
    assert f.accept(plugin_used("b")) is True  # full again: cleared before the look-up
    assert f.accept(plugin_used("b")) is False  # {b}


def test_method_filters() -> None:
    f = ClientPrefilter()
    for method, ok in [
        ("turn/start", True),
        ("turn/steer", True),
        ("thread/start", False),
        ("model/list", False),
    ]:
        assert f.accept({"fact": "client_request", "method": method, "params": {}}) is ok
    for method, ok in [
        ("thread/start", True),
        ("thread/resume", True),
        ("thread/fork", True),
        ("turn/start", True),
        ("turn/steer", True),
        ("thread/list", False),
    ]:
        assert f.accept({"fact": "client_response", "method": method, "result": {}}) is ok
    for method, ok in [
        ("turn/started", True),
        ("turn/completed", True),
        ("turn/diff/updated", True),
        ("item/started", True),
        ("item/completed", True),
        ("item/autoApprovalReview/started", True),
        ("item/autoApprovalReview/completed", True),
        ("item/agentMessage/delta", False),
        ("thread/started", False),
    ]:
        assert f.accept({"fact": "notification", "method": method, "params": {}}) is ok
    for fact in [
        "initialize",
        "error_response",
        "server_request",
        "server_response",
        "server_request_aborted",
        "effective_permissions_approval_response",
        "compaction",
        "hook_run",
        "skill_invoked",
        "turn_resolved_config",
    ]:
        assert f.accept({"fact": fact}) is True
