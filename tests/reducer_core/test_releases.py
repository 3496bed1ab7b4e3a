"""The release knob (spec/reducer.md §11): the names it knows, the error for any other, the event
versions each release sends, and that every release's events are valid at those versions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codex_analytics_contract import validate_event
from codex_analytics_contract._generated.registry import EVENT_VERSIONS
from codex_analytics_contract.reducer import RELEASE_NAMES, Reducer, UnknownReleaseError
from codex_analytics_contract.reducer.releases import release
from tests.support.facts import (
    cmd_item,
    f_initialize,
    f_item_completed,
    f_item_started,
    f_notification,
    f_resolved_config,
    f_thread_response,
    f_token_usage,
    f_turn_completed,
    f_turn_start_request,
    f_turn_start_response,
    f_turn_started,
)
from tests.support.reducing import PINNED, feed, make_reducer

PROFILE = {
    "before_first_sampling_ms": 1,
    "sampling_ms": 2,
    "compaction_ms": 3,
    "between_sampling_overhead_ms": 4,
    "tool_blocking_ms": 5,
    "after_last_sampling_ms": 6,
    "sampling_request_count": 1,
    "sampling_retry_count": 0,
}


def test_known_release_names() -> None:
    assert RELEASE_NAMES == (
        "0.131.0-alpha.8",
        "0.131.0",
        "0.132.0",
        "0.133.0",
        "0.134.0",
        "0.135.0",
        "0.136.0",
        "0.137.0",
        "0.138.0",
        "0.139.0",
        "343074d42",
        "newest",
    )
    assert RELEASE_NAMES[0] == PINNED
    assert Reducer().release.name == "newest"
    assert release("rust-v0.135.0") is release("0.135.0")


def test_an_unknown_release_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(UnknownReleaseError) as caught:
        Reducer(emit_as="0.140.0")
    message = str(caught.value)
    assert "'0.140.0'" in message and "0.131.0-alpha.8" in message and "newest" in message
    assert isinstance(caught.value, ValueError)


def test_the_reduce_config_rejects_an_unknown_release(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"emit_as": "9.9.9"}))
    proc = subprocess.run(
        [sys.executable, "-m", "codex_analytics_contract", "reduce", "--config", str(config), "-"],
        input=b"",
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 2
    assert b"9.9.9" in proc.stderr and b"0.139.0" in proc.stderr
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("name", "event_type", "version"),
    [
        ("0.131.0-alpha.8", "codex_turn_event", "1-0-0"),
        ("0.131.0-alpha.8", "codex_accepted_line_fingerprints", "1-0-0"),
        ("0.131.0", "codex_accepted_line_fingerprints", "1-0-1"),
        ("0.134.0", "codex_compaction_event", "1-0-1"),
        ("0.135.0", "codex_turn_event", "2-0-0"),
        ("0.137.0", "codex_turn_event", "3-0-0"),
        ("0.138.0", "codex_turn_event", "4-0-0"),
        ("0.138.0", "codex_plugin_used", "2-0-0"),
        ("0.139.0", "codex_turn_event", "5-0-0"),
        ("343074d42", "codex_turn_event", "9-0-2"),
    ],
)
def test_event_versions_follow_x_upstream(name: str, event_type: str, version: str) -> None:
    assert release(name).event_versions[event_type] == version


def test_pinned_and_newest_versions() -> None:
    assert set(release(PINNED).event_versions.values()) == {"1-0-0"}
    assert "codex_goal_event" not in release("0.139.0").event_versions
    assert release("newest").event_versions == {t: v[0] for t, v in EVENT_VERSIONS.items()}


def _session() -> list[dict[str, Any]]:
    """A session whose fact values every release can read (no value added after the pin)."""
    thread = f_thread_response(7, 1, "thread/start", "thread-1")
    thread["result"]["thread"]["sessionId"] = "session-1"
    done = cmd_item("item-1", "completed", exit_code=0)
    return [
        f_initialize(),
        thread,
        f_turn_start_request(7, 3, "thread-1"),
        f_turn_start_response(7, 3, "turn-1"),
        f_turn_started("thread-1", "turn-1"),
        f_resolved_config("thread-1", "turn-1"),
        f_token_usage("thread-1", "turn-1"),
        f_item_started("thread-1", "turn-1", cmd_item("item-1")),
        f_item_completed("thread-1", "turn-1", done),
        {"fact": "turn_profile", "turn_id": "turn-1", "profile": PROFILE},
        f_turn_completed("thread-1", "turn-1"),
        f_notification("thread/archived", {"threadId": "thread-1"}),
    ]


@pytest.mark.parametrize("name", RELEASE_NAMES)
def test_every_release_emits_its_own_event_versions(name: str) -> None:
    reducer = make_reducer(emit_as=name)
    events = feed(reducer, *_session()) + reducer.flush()
    versions = reducer.release.event_versions
    types = [event["event_type"] for event in events]
    assert types[:3] == [
        "codex_thread_initialized",
        "codex_command_execution_event",
        "codex_turn_event",
    ]
    assert ("codex_thread_archive_event" in types) == (name in ("343074d42", "newest"))
    for event in events:
        validate_event(event, version=versions[event["event_type"]])
    turn = events[2]["event_params"]
    assert ("session_id" in turn) == (name not in RELEASE_NAMES[:5])
    assert turn["total_tool_call_count"] == (None if name == PINNED else 1)
