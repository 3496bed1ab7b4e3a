"""Optional client-side stage in front of the reducer (spec/reducer.md §2.0).

Upstream ``client.rs`` only turns a subset of app-server messages into facts and de-duplicates
``app_used`` / ``plugin_used`` before they are queued. ``ClientPrefilter.accept`` reproduces
that selection for a stream of already-recorded facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .stateless import plugin_key

__all__ = [
    "CLIENT_REQUEST_METHODS",
    "CLIENT_RESPONSE_METHODS",
    "DEDUPE_MAX_KEYS",
    "NOTIFICATION_METHODS",
    "ClientPrefilter",
]

DEDUPE_MAX_KEYS = 4096

CLIENT_REQUEST_METHODS: frozenset[str] = frozenset({"turn/start", "turn/steer"})
CLIENT_RESPONSE_METHODS: frozenset[str] = frozenset(
    {"thread/start", "thread/resume", "thread/fork", "turn/start", "turn/steer"}
)
NOTIFICATION_METHODS: frozenset[str] = frozenset(
    {
        "turn/started",
        "turn/completed",
        "turn/diff/updated",
        "item/started",
        "item/completed",
        "item/autoApprovalReview/started",
        "item/autoApprovalReview/completed",
    }
)


class _DedupeSet:
    """Insert-or-report-duplicate set that is emptied once it holds ``limit`` keys (checked
    before each insert, like upstream)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._keys: set[tuple[str, str]] = set()

    def insert(self, key: tuple[str, str]) -> bool:
        if len(self._keys) >= self._limit:
            self._keys.clear()
        if key in self._keys:
            return False
        self._keys.add(key)
        return True

    def __len__(self) -> int:
        return len(self._keys)


class ClientPrefilter:
    """``accept(fact)`` is False for facts the upstream client would never enqueue."""

    def __init__(self, *, max_keys: int = DEDUPE_MAX_KEYS) -> None:
        self._app_used = _DedupeSet(max_keys)
        self._plugin_used = _DedupeSet(max_keys)

    def accept(self, fact: Mapping[str, Any]) -> bool:
        kind = fact.get("fact")
        if kind == "client_request":
            return fact.get("method") in CLIENT_REQUEST_METHODS
        if kind == "client_response":
            return fact.get("method") in CLIENT_RESPONSE_METHODS
        if kind == "notification":
            return fact.get("method") in NOTIFICATION_METHODS
        if kind == "app_used":
            connector_id = (fact.get("app") or {}).get("connector_id")
            if connector_id is None:
                return True
            return self._app_used.insert((fact["tracking"]["turn_id"], connector_id))
        if kind == "plugin_used":
            plugin = fact["plugin"]
            plugin_id = plugin_key(plugin) or plugin.get("remote_plugin_id")
            key = (fact["tracking"]["turn_id"], plugin_id)
            return self._plugin_used.insert(key)
        return True

    def dedupe_sizes(self) -> dict[str, int]:
        """Current number of remembered keys per de-dup set."""
        return {"app_used": len(self._app_used), "plugin_used": len(self._plugin_used)}
