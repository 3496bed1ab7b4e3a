"""`upgrade` carries an event to a newer version of its schema, or says why it cannot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from codex_analytics_contract import (
    EVENT_VERSIONS,
    UpgradeError,
    parse_event,
    serialize_event,
    upgrade,
    validate_event,
)
from tests.conftest import example_id, example_version, pass_examples

EVENT_PASS = pass_examples("events")


def example(event_type: str, version: str, case: str) -> Any:
    path = pass_examples("events", event_type, version)
    found = [p for p in path if p.name == f"{case}.pass.json"]
    assert found, f"no example {event_type}/{version}/{case}"
    return parse_event(found[0].read_bytes().rstrip(b"\n"), version=version)


@pytest.mark.parametrize("path", EVENT_PASS, ids=example_id)
def test_every_example_upgrades_to_a_valid_newest_event_or_says_why(path: Path) -> None:
    event = parse_event(path.read_bytes().rstrip(b"\n"), version=example_version(path))
    newest = EVENT_VERSIONS[event.event_type][0]
    try:
        upgraded = upgrade(event)
    except UpgradeError as exc:
        message = str(exc)
        assert f"{event.event_type} " in message and " -> " in message, message  # the step
        assert exc.path.startswith("$."), message
        return
    assert type(upgraded).schema_version == newest  # type: ignore[attr-defined]
    data = serialize_event(upgraded)
    assert validate_event(json.loads(data), version=newest) == upgraded


def test_a_root_threads_session_is_its_thread() -> None:
    event = example("codex_turn_steer_event", "1-0-0", "accepted")
    assert event.event_params.subagent_source is None  # type: ignore[union-attr]
    upgraded = upgrade(event, to="2-0-0")
    params = upgraded.event_params  # type: ignore[attr-defined]
    assert params.session_id == params.thread_id


def test_a_subagent_threads_session_cannot_be_derived() -> None:
    event = example("codex_turn_steer_event", "1-0-0", "accepted")
    data = json.loads(serialize_event(event))
    data["event_params"]["subagent_source"] = "review"
    subagent = validate_event(data, version="1-0-0")
    with pytest.raises(UpgradeError) as info:
        upgrade(subagent, to="2-0-0")
    assert info.value.path == "$.event_params.session_id"
    assert "codex_turn_steer_event 1-0-0 -> 2-0-0" in str(info.value)


def test_a_renamed_error_kind_is_mapped() -> None:
    event = example("codex_turn_event", "5-0-2", "failed_rollout_budget_exceeded")
    assert event.event_params.codex_error_kind == "rollout_budget_exceeded"  # type: ignore[union-attr]
    upgraded = upgrade(event, to="5-1-0")
    assert upgraded.event_params.codex_error_kind == "session_budget_exceeded"  # type: ignore[attr-defined]


def test_a_declared_constant_fills_a_new_key() -> None:
    event = example("codex_guardian_review", "2-0-0", "upstream_test_shape")
    upgraded = upgrade(event, to="3-0-0")
    assert upgraded.event_params.attempt_count == 1  # type: ignore[attr-defined]


def test_no_honest_migration_raises_naming_both_versions_and_the_field() -> None:
    event = example(
        "codex_turn_event",
        "3-0-0",
        sorted(
            p.name.removesuffix(".pass.json")
            for p in pass_examples("events", "codex_turn_event", "3-0-0")
        )[0],
    )
    with pytest.raises(UpgradeError) as info:
        upgrade(event)
    assert "codex_turn_event 3-0-0 -> 4-0-0" in str(info.value)
    assert info.value.path == "$.event_params.before_first_sampling_ms"


def test_same_version_older_target_and_unknown_version() -> None:
    event = example("codex_guardian_review", "2-0-0", "upstream_test_shape")
    assert upgrade(event, to="2-0-0") is event
    with pytest.raises(UpgradeError, match=r"not older than 2-0-0"):
        upgrade(event, to="1-0-0")
    with pytest.raises(UpgradeError, match="one of the versions"):
        upgrade(event, to="9-9-9")
