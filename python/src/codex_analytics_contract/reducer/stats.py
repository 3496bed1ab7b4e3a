"""Counters the reducer keeps about its own work (facts in, events out, drops, evictions)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ReducerStats"]


@dataclass(slots=True)
class ReducerStats:
    """Running totals for one :class:`Reducer`.

    * ``facts_ingested``: every fact handed to ``ingest_raw`` (including ignored ones).
    * ``facts_rejected``: of those, the facts the reducer could not read (an unknown kind, a
      missing key, a value of the wrong type): ``ingest_raw`` raised a ContractError for each.
    * ``events_emitted_by_type``: outer ``event_type`` -> number of events returned.
    * ``drops_by_reason``: events that upstream drops *with a warning*; the key is the
      ``missing_context`` value (``thread_connection``, ``connection``, ``thread_metadata``)
      or ``missing_item_started`` for a tool item completed without a recorded start.
      Silent non-emissions (untracked notification methods, in-progress items, facts without
      pending state ...) are not drops.
    * ``evictions_by_map``: entries removed from a bounded map because it was full
      (see ``state.py``); upstream never evicts, so each eviction is a divergence
      that only happens past the configured limits.
    """

    facts_ingested: int = 0
    facts_rejected: int = 0
    events_emitted_by_type: dict[str, int] = field(default_factory=dict)
    drops_by_reason: dict[str, int] = field(default_factory=dict)
    evictions_by_map: dict[str, int] = field(default_factory=dict)

    def count_drop(self, reason: str) -> None:
        self.drops_by_reason[reason] = self.drops_by_reason.get(reason, 0) + 1

    @property
    def events_emitted(self) -> int:
        return sum(self.events_emitted_by_type.values())

    @property
    def drops(self) -> int:
        return sum(self.drops_by_reason.values())
