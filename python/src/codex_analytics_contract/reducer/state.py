"""Reducer state: the seven maps of spec/reducer.md §1 (the turns' diffs in a map of their own),
their bounds, and the context look-ups.

Upstream keeps every map in memory for the life of the process and frees several of them
only when a later fact happens to arrive (a completion, a response, an abort). A long-running
service would grow without bound on orphans, so every map here is a :class:`BoundedMap`: an
insertion-ordered map that moves an entry to the end whenever it is written or read through
``touch`` and, when a write makes it exceed its limit, evicts the least recently touched entry
and counts the eviction in ``ReducerStats.evictions_by_map[<map name>]``. Below the limits the
behaviour is exactly upstream's.

Map lifetimes (bound = the :class:`ReducerLimits` field; "removed" is upstream's only rule):

=================  ============================  ===========================================
map                key -> value                  lifetime
=================  ============================  ===========================================
connections        connection id ->              created: ``initialize`` (replace);
                   ``Connection``                removed: never; bound: ``max_connections``
threads            thread id -> ``ThreadState``  created: thread/start|resume|fork response on
                   (connection id?, metadata?)   a known connection (replace), subagent fact
                                                 (fills missing parts); removed: never;
                                                 bound: ``max_threads``
requests           (connection id, request id)   created: client turn/start or turn/steer
                   -> ``PendingTurnStart`` |     request (replace); removed: the matching
                   ``PendingTurnSteer``          client response or error response;
                                                 bound: ``max_requests``
turns              turn id -> ``TurnState``      created: first of turn/start response,
                                                 resolved config, token usage, turn/started,
                                                 diff, turn/completed; removed: right after
                                                 its turn event (orphans: never);
                                                 bound: ``max_turns``
turn_diffs         turn id -> latest diff        created: turn/diff/updated (replace);
                                                 removed: with its turn event; bound:
                                                 ``max_turns``, ``max_diff_bytes`` in total
started_items      (thread, turn, item id) ->    created: item/started of a tool item
                   started_at_ms                 (replace); removed: item/completed for the
                                                 key; bound: ``max_started_items``
pending_reviews    request id ->                 created: approval server request (replace);
                   ``PendingReview``             removed: server response, effective
                                                 permissions response or abort;
                                                 bound: ``max_pending_reviews``
review_summaries   (thread, turn, item id) ->    created: terminal review of a command, file
                   ``ReviewSummary``             change or MCP subject with an item id;
                                                 removed: end of item/completed for the key;
                                                 bound: ``max_review_summaries``
=================  ============================  ===========================================

Reads that only look an entry up for context (the thread and connection of an event) touch
it, so an active thread or connection is never the eviction victim.

Most entries are small (ids, a few short strings), so counts bound their memory. A turn's diff
is not: upstream keeps the latest full unified diff of every turn until the turn event, so
100,000 orphan turns could pin 100,000 large diffs. Diffs therefore live in their own map,
``turn_diffs``, a :class:`WeighedMap` (turn id -> latest diff; written by turn/diff/updated,
removed when the turn event is built), bounded by ``max_turns`` entries and by
``max_diff_bytes`` in total (the memory the diff strings occupy, ``sys.getsizeof``). Past the
byte bound the least recently
updated diffs are evicted (``evictions_by_map["turn_diffs"]``): their turns still get their
turn event, without the accepted-line event the diff would have produced. A single diff larger
than the whole bound is evicted at once.
"""

from __future__ import annotations

import logging
import sys
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .stats import ReducerStats

__all__ = [
    "BoundedMap",
    "Connection",
    "PendingReview",
    "PendingTurnStart",
    "PendingTurnSteer",
    "ReducerLimits",
    "ReducerState",
    "ReviewSummary",
    "ThreadMetadata",
    "ThreadState",
    "TurnState",
    "WeighedMap",
]

LOGGER = logging.getLogger("codex_analytics_contract.reducer")

K = TypeVar("K")
V = TypeVar("V")

RequestId = int | str
ItemKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class ReducerLimits:
    """Maximum number of entries per map, and of bytes held by the turn diffs (see the module
    docstring)."""

    max_connections: int = 10_000
    max_threads: int = 100_000
    max_requests: int = 10_000
    max_turns: int = 100_000
    max_started_items: int = 100_000
    max_pending_reviews: int = 10_000
    max_review_summaries: int = 100_000
    max_diff_bytes: int = 64 * 1024 * 1024  # all retained turn diffs together

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) < 1:
                raise ValueError(f"ReducerLimits.{name} must be >= 1")


class BoundedMap(Generic[K, V]):
    """An LRU-bounded map; evictions are counted in the shared stats dict."""

    __slots__ = ("_evictions", "data", "limit", "name")

    def __init__(self, name: str, limit: int, evictions: dict[str, int]) -> None:
        self.name = name
        self.limit = limit
        self.data: OrderedDict[K, V] = OrderedDict()
        self._evictions = evictions
        evictions.setdefault(name, 0)

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data

    def touch(self, key: K) -> V | None:
        """Return the value for ``key`` (or None) and mark it most recently used."""
        data = self.data
        value = data.get(key)
        if value is not None:
            data.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        data = self.data
        if key in data:
            data.move_to_end(key)
            data[key] = value
            return
        data[key] = value
        if len(data) > self.limit:
            data.popitem(last=False)
            self._evictions[self.name] += 1

    def pop(self, key: K) -> V | None:
        return self.data.pop(key, None)


class WeighedMap(BoundedMap[K, V]):
    """A BoundedMap whose values' total weight (``weigh``: value -> bytes) is bounded by
    ``max_bytes`` too; only written through ``put`` and ``pop``, which keep the total."""

    __slots__ = ("max_bytes", "total_bytes", "weigh")

    def __init__(
        self,
        name: str,
        limit: int,
        evictions: dict[str, int],
        weigh: Callable[[V], int],
        max_bytes: int,
    ) -> None:
        super().__init__(name, limit, evictions)
        self.weigh = weigh
        self.max_bytes = max_bytes
        self.total_bytes = 0

    def put(self, key: K, value: V) -> None:
        data = self.data
        weigh = self.weigh
        old = data.pop(key, None)
        if old is not None:
            self.total_bytes -= weigh(old)
        data[key] = value
        self.total_bytes += weigh(value)
        while data and (len(data) > self.limit or self.total_bytes > self.max_bytes):
            _, evicted = data.popitem(last=False)
            self.total_bytes -= weigh(evicted)
            self._evictions[self.name] += 1

    def pop(self, key: K) -> V | None:
        value = self.data.pop(key, None)
        if value is not None:
            self.total_bytes -= self.weigh(value)
        return value


@dataclass(slots=True)
class Connection:
    app_server_client: dict[str, Any]
    runtime: dict[str, Any]


@dataclass(slots=True)
class ThreadMetadata:
    thread_source: str | None
    initialization_mode: str
    subagent_source: str | None
    parent_thread_id: str | None


@dataclass(slots=True)
class ThreadState:
    connection_id: int | None = None
    metadata: ThreadMetadata | None = None


@dataclass(slots=True)
class PendingTurnStart:
    thread_id: str
    num_input_images: int


@dataclass(slots=True)
class PendingTurnSteer:
    thread_id: str
    expected_turn_id: str | None
    num_input_images: int
    created_at: int


@dataclass(slots=True)
class CompletedTurn:
    status: str | None
    turn_error: Any
    completed_at: int
    duration_ms: int | None


@dataclass(slots=True)
class TurnState:
    connection_id: int | None = None
    thread_id: str | None = None
    num_input_images: int | None = None
    resolved_config: dict[str, Any] | None = None
    sandbox_policy: str | None = None  # derived from the resolved config when it arrives
    started_at: int | None = None
    token_usage: dict[str, Any] | None = None
    completed: CompletedTurn | None = None
    steer_count: int = 0


@dataclass(slots=True)
class PendingReview:
    thread_id: str
    turn_id: str
    item_id: str | None
    review_id: str
    subject_kind: str
    subject_name: str
    trigger: str
    started_at_ms: int
    requested_additional_permissions: bool
    requested_network_access: bool


@dataclass(slots=True)
class ReviewSummary:
    review_count: int = 0
    guardian_review_count: int = 0
    user_review_count: int = 0
    final_approval_outcome: str | None = None
    requested_additional_permissions: bool = False
    requested_network_access: bool = False


class ReducerState:
    """All maps plus the stats; handler modules take this object."""

    __slots__ = (
        "connections",
        "pending_reviews",
        "requests",
        "review_summaries",
        "started_items",
        "stats",
        "threads",
        "turn_diffs",
        "turns",
    )

    def __init__(self, limits: ReducerLimits, stats: ReducerStats) -> None:
        ev = stats.evictions_by_map
        self.stats = stats
        self.connections: BoundedMap[int, Connection] = BoundedMap(
            "connections", limits.max_connections, ev
        )
        self.threads: BoundedMap[str, ThreadState] = BoundedMap("threads", limits.max_threads, ev)
        self.requests: BoundedMap[tuple[int, RequestId], PendingTurnStart | PendingTurnSteer] = (
            BoundedMap("requests", limits.max_requests, ev)
        )
        self.turns: BoundedMap[str, TurnState] = BoundedMap("turns", limits.max_turns, ev)
        self.turn_diffs: WeighedMap[str, str] = WeighedMap(
            "turn_diffs", limits.max_turns, ev, sys.getsizeof, limits.max_diff_bytes
        )
        self.started_items: BoundedMap[ItemKey, int] = BoundedMap(
            "started_items", limits.max_started_items, ev
        )
        self.pending_reviews: BoundedMap[RequestId, PendingReview] = BoundedMap(
            "pending_reviews", limits.max_pending_reviews, ev
        )
        self.review_summaries: BoundedMap[ItemKey, ReviewSummary] = BoundedMap(
            "review_summaries", limits.max_review_summaries, ev
        )

    def sizes(self) -> dict[str, int]:
        return {
            "connections": len(self.connections),
            "threads": len(self.threads),
            "requests": len(self.requests),
            "turns": len(self.turns),
            "turn_diffs": len(self.turn_diffs),
            "started_items": len(self.started_items),
            "pending_reviews": len(self.pending_reviews),
            "review_summaries": len(self.review_summaries),
        }

    def sizes_in_bytes(self) -> dict[str, int]:
        """Memory held by the maps bounded in bytes (the turn diffs)."""
        return {"turn_diffs": self.turn_diffs.total_bytes}

    def turn_entry(self, turn_id: str) -> TurnState:
        """Get-or-create ``turns[turn_id]`` (touching it)."""
        turns = self.turns
        data = turns.data
        turn = data.get(turn_id)
        if turn is not None:
            data.move_to_end(turn_id)
            return turn
        turn = TurnState()
        turns.put(turn_id, turn)
        return turn

    # -- drops -------------------------------------------------------------------------

    def drop(
        self,
        event_name: str,
        missing_context: str,
        *,
        thread_id: str,
        turn_id: str | None = None,
        review_id: str | None = None,
        item_id: str | None = None,
        connection_id: int | None = None,
    ) -> None:
        """Log the upstream warning for a dropped event and count it."""
        self.stats.count_drop(missing_context)
        if LOGGER.isEnabledFor(logging.WARNING):
            LOGGER.warning(
                "dropping %s analytics event: missing analytics context",
                event_name,
                extra={
                    "thread_id": thread_id,
                    "turn_id": turn_id,
                    "review_id": review_id,
                    "item_id": item_id,
                    "missing_context": missing_context,
                    "connection_id": connection_id,
                },
            )

    # -- context look-ups (spec/reducer.md §1) ----------------------------------------

    def thread_connection(
        self,
        event_name: str,
        thread_id: str,
        turn_id: str | None = None,
        review_id: str | None = None,
        item_id: str | None = None,
    ) -> tuple[ThreadState, Connection] | None:
        thread = self.threads.touch(thread_id)
        connection_id = None if thread is None else thread.connection_id
        if thread is None or connection_id is None:
            self.drop(
                event_name,
                "thread_connection",
                thread_id=thread_id,
                turn_id=turn_id,
                review_id=review_id,
                item_id=item_id,
            )
            return None
        connection = self.connections.touch(connection_id)
        if connection is None:
            self.drop(
                event_name,
                "connection",
                thread_id=thread_id,
                turn_id=turn_id,
                review_id=review_id,
                item_id=item_id,
                connection_id=connection_id,
            )
            return None
        return thread, connection

    def thread_context(
        self,
        event_name: str,
        thread_id: str,
        turn_id: str | None = None,
        review_id: str | None = None,
        item_id: str | None = None,
    ) -> tuple[Connection, ThreadMetadata] | None:
        # The common case first: thread, its connection and its metadata all known (the same
        # touches as below, without the calls).
        threads = self.threads.data
        thread_state = threads.get(thread_id)
        if thread_state is not None:
            connection_id = thread_state.connection_id
            metadata = thread_state.metadata
            if connection_id is not None and metadata is not None:
                connections = self.connections.data
                connection = connections.get(connection_id)
                if connection is not None:
                    threads.move_to_end(thread_id)
                    connections.move_to_end(connection_id)
                    return connection, metadata
        found = self.thread_connection(event_name, thread_id, turn_id, review_id, item_id)
        if found is None:
            return None
        thread, connection = found
        metadata = thread.metadata
        if metadata is None:
            self.drop(
                event_name,
                "thread_metadata",
                thread_id=thread_id,
                turn_id=turn_id,
                review_id=review_id,
                item_id=item_id,
            )
            return None
        return connection, metadata
