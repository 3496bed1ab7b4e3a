"""Events of the plugin facts added after the pin (spec/reducer.md §12.3): install failures
(3959ab0ff) and requests (24423f571), measurements (d6eefb26a) and artifact operations from
trusted plugin scripts (44d992c14). None of them reads or writes reducer state.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Final

from .stateless import plugin_metadata

__all__ = [
    "MAX_PLUGIN_MEASUREMENTS_PER_BATCH",
    "artifact_operation_events",
    "plugin_install_failed_events",
    "plugin_install_requested_events",
    "plugin_measurement_events",
    "valid_measurement_identifier",
]

Event = dict[str, Any]

MAX_PLUGIN_MEASUREMENTS_PER_BATCH: Final = 100
MAX_PLUGIN_MEASUREMENT_DIMENSIONS: Final = 8
MAX_PLUGIN_MEASUREMENT_IDENTIFIER_BYTES: Final = 64
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*\Z")


def plugin_install_failed_events(fact: Mapping[str, Any], *, originator: str) -> list[Event]:
    """One ``codex_plugin_install_failed``: the plugin metadata (process originator), the
    install source, the error type and sub-type."""
    params = plugin_metadata(fact["plugin"], originator=originator, august=True)
    params["source"] = fact.get("source")
    params["error_type"] = fact.get("error_type")
    params["sub_error_type"] = fact.get("sub_error_type")
    return [{"event_type": "codex_plugin_install_failed", "event_params": params}]


def plugin_install_requested_events(fact: Mapping[str, Any], *, originator: str) -> list[Event]:
    """One ``codex_plugin_install_requested``; product_client_id is the process originator."""
    tracking = fact["tracking"]
    request = fact["request"]
    plugins = [
        {
            "plugin_id": plugin.get("plugin_id"),
            "remote_plugin_id": plugin.get("remote_plugin_id"),
            "plugin_name": plugin.get("plugin_name"),
            "connector_ids": list(plugin.get("connector_ids") or []),
        }
        for plugin in request.get("plugins") or []
    ]
    return [
        {
            "event_type": "codex_plugin_install_requested",
            "event_params": {
                "suggestion_id": request.get("suggestion_id"),
                "plugins": plugins,
                "source": request.get("source"),
                "thread_id": tracking.get("thread_id"),
                "turn_id": tracking.get("turn_id"),
                "model_slug": tracking.get("model_slug"),
                "product_client_id": originator,
            },
        }
    ]


def valid_measurement_identifier(value: Any) -> bool:
    """``[a-z][a-z0-9_]*``, at most 64 bytes (upstream valid_plugin_measurement_identifier)."""
    return (
        isinstance(value, str)
        and len(value.encode("utf-8")) <= MAX_PLUGIN_MEASUREMENT_IDENTIFIER_BYTES
        and _IDENTIFIER.match(value) is not None
    )


def _valid_row(row: Any) -> bool:
    if not isinstance(row, Mapping):
        return False
    value = row.get("number_value")
    dimensions = row.get("dimensions") or {}
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and valid_measurement_identifier(row.get("measurement_name"))
        and isinstance(dimensions, Mapping)
        and len(dimensions) <= MAX_PLUGIN_MEASUREMENT_DIMENSIONS
        and all(
            valid_measurement_identifier(k) and valid_measurement_identifier(v)
            for k, v in dimensions.items()
        )
    )


def plugin_measurement_events(fact: Mapping[str, Any]) -> list[Event]:
    """One ``codex_plugin_measurement_event`` per valid row; the whole batch is dropped when it
    is empty, longer than 100 rows or its operation is not an identifier."""
    rows = fact.get("rows") or []
    if (
        not rows
        or len(rows) > MAX_PLUGIN_MEASUREMENTS_PER_BATCH
        or not valid_measurement_identifier(fact.get("operation"))
    ):
        return []
    events: list[Event] = []
    for row in rows:
        if not _valid_row(row):
            continue
        dimensions = row.get("dimensions") or {}
        events.append(
            {
                "event_type": "codex_plugin_measurement_event",
                "event_params": {
                    "thread_id": fact.get("thread_id"),
                    "turn_id": fact.get("turn_id"),
                    "item_id": fact.get("item_id"),
                    "plugin_id": fact.get("plugin_id"),
                    "execution_id": fact.get("execution_id"),
                    "operation": fact.get("operation"),
                    "measurement_name": row["measurement_name"],
                    "number_value": float(row["number_value"]),
                    "dimensions": (
                        {k: dimensions[k] for k in sorted(dimensions)} if dimensions else None
                    ),
                },
            }
        )
    return events


_OPERATION_KEYS = (
    "plugin_id",
    "script_path",
    "skill",
    "artifact_type",
    "operation_kind",
    "expected_output_count",
    "output_format",
    "execution_backend",
)


def artifact_operation_events(
    fact: Mapping[str, Any], *, runtime: Mapping[str, Any]
) -> list[Event]:
    """One ``codex_artifact_operation`` (tracking, the operation, the process runtime)."""
    tracking = fact["tracking"]
    operation = fact["operation"]
    params: dict[str, Any] = {
        "thread_id": tracking.get("thread_id"),
        "turn_id": tracking.get("turn_id"),
        "item_id": operation.get("item_id"),
        "lifecycle": operation.get("lifecycle"),
        "occurred_at_ms": operation.get("occurred_at_ms"),
        "product_client_id": tracking.get("product_client_id"),
        "runtime": dict(runtime),
        "model_slug": tracking.get("model_slug"),
    }
    for key in _OPERATION_KEYS:
        params[key] = operation.get(key)
    return [{"event_type": "codex_artifact_operation", "event_params": params}]
