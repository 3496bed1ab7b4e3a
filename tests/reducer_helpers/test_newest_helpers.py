"""Ports of the reducer.rs inline tests at 343074d42 (spec/reducer.md §12.6) and the value rules
of the facts added after the pin: plugin-relative script paths, audio output items, the
plugin measurement identifiers."""

from __future__ import annotations

import pytest

from codex_analytics_contract.reducer.mappings import is_safe_plugin_relative_path
from codex_analytics_contract.reducer.plugins import (
    plugin_measurement_events,
    valid_measurement_identifier,
)
from tests.support.facts import (
    J,
    cmd_item,
    dyn_item,
    f_item_completed,
    f_item_started,
    f_plugin_measurements,
    f_turn_started,
)
from tests.support.reducing import feed, make_reducer
from tests.support.sessions import newest_session


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("/home/user/.codex/plugins/cache/openai-curated/sample/scripts/run.py", False),
        ("scripts/run.py", True),
        ("", False),
        ("scripts\\run.py", False),
        ("scripts//run.py", False),
        ("./scripts/run.py", False),
        ("scripts/../run.py", False),
        ("C:/scripts/run.py", False),
        ("c:run.py", False),
        ("1:run.py", True),
    ],
)
def test_command_execution_script_paths_reject_unsafe_values(path: str, safe: bool) -> None:
    """Port of `command_execution_script_paths_reject_unsafe_values` (reducer.rs)."""
    assert is_safe_plugin_relative_path(path) is safe


def _tool_event(item: J) -> J:
    """The params of the one tool event the newest release emits for `item` (started at 1 ms,
    completed at 2 ms in turn `t` of a started thread)."""
    facts = [*list(newest_session(0))[:2]]
    facts += [
        f_turn_started("thread-0", "t"),
        f_item_started("thread-0", "t", {**item, "status": "inProgress"}, at=1),
        f_item_completed("thread-0", "t", item, at=2),
    ]
    (event,) = feed(make_reducer(emit_as="newest"), *facts)[1:]
    params: J = event["event_params"]
    return params


def _command_event(item_extra: J) -> J:
    return _tool_event(
        {**cmd_item("item-1", "completed", exit_code=0, duration_ms=1), **item_extra}
    )


def test_dynamic_content_counts_include_audio() -> None:
    """Port of `dynamic_content_counts_include_audio` (reducer.rs), through the reducer."""
    content = [
        {"type": "inputText", "text": "ok"},
        {"type": "inputImage", "imageUrl": "data:image/png;base64,AAA"},
        {"type": "inputAudio", "audioUrl": "data:audio/wav;base64,YXVkaW8="},
    ]
    params = _tool_event(dyn_item("dyn-1", "completed", content, True, 5))
    counts = [
        params[f"output_{kind}_count"]
        for kind in ("content_item", "text_item", "image_item", "audio_item")
    ]
    assert counts == [3, 1, 1, 1]


def test_command_events_report_a_plugin_script_path_only_when_safe_and_with_a_plugin() -> None:
    plugin = {"pluginId": "sample@openai-curated"}
    assert _command_event({**plugin, "scriptPath": "scripts/run.py"})["script_path"] == (
        "scripts/run.py"
    )
    unsafe = _command_event({**plugin, "scriptPath": "/abs/scripts/run.py"})
    assert (unsafe["plugin_id"], unsafe["script_path"]) == ("sample@openai-curated", None)
    assert _command_event({"scriptPath": "scripts/run.py"})["script_path"] is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("security_scan", True),
        ("a", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("Scan", False),
        ("_scan", False),
        ("9scan", False),
        ("scan-count", False),
        ("", False),
        (5, False),
    ],
)
def test_measurement_identifiers(value: object, valid: bool) -> None:
    assert valid_measurement_identifier(value) is valid


def test_measurement_batches_are_dropped_whole_when_unusable() -> None:
    fact = f_plugin_measurements()
    assert len(plugin_measurement_events(fact)) == 2
    assert plugin_measurement_events({**fact, "rows": []}) == []
    assert plugin_measurement_events({**fact, "operation": "Bad-Op"}) == []
    too_many = [{"measurement_name": "m", "number_value": 1, "dimensions": {}}] * 101
    assert plugin_measurement_events({**fact, "rows": too_many}) == []
    (event,) = plugin_measurement_events({**fact, "rows": too_many[:1]})
    assert event["event_params"]["number_value"] == 1.0  # f64 on the wire
    assert isinstance(event["event_params"]["number_value"], float)


def test_measurement_dimensions_are_sorted_and_checked() -> None:
    row = {"measurement_name": "m", "number_value": 2.5, "dimensions": {"z": "a", "b": "c"}}
    bad = {"measurement_name": "n", "number_value": 1.0, "dimensions": {"b": "Not-Ok"}}
    events = plugin_measurement_events({**f_plugin_measurements(), "rows": [row, bad]})
    assert [list(e["event_params"]["dimensions"]) for e in events] == [["b", "z"]]
