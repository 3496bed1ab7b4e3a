"""`python -m codex_analytics_contract reduce FILE|-`: facts NDJSON in, events NDJSON out.

Every fact line is parsed, checked against the fact schemas and reduced; a malformed or
schema-invalid line is reported on stderr as `FILE:LINE: reason` and the run goes on. The
closing counts (stderr) add up: facts read = reduced + rejected + blank lines; events emitted
are listed by type; drops (events upstream would also drop, with a warning) by reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, Final

from pydantic_core import SchemaSerializer, from_json

from codex_analytics_contract._generated.registry import EVENT_MODELS
from codex_analytics_contract.api import (
    FACT_CHECKS,
    fact_accepted,
    fact_line_validator,
    parse_fact,
    request_bodies,
    validate_event,
)
from codex_analytics_contract.errors import (
    ContractError,
    InvalidJSONError,
    UnknownEventTypeError,
    Violation,
)
from codex_analytics_contract.json_numbers import may_hold_floats, wire_json
from codex_analytics_contract.reduce_config import reducer_from_config as reducer_from_config
from codex_analytics_contract.reducer import Reducer, ReducerStats
from codex_analytics_contract.reducer.core import unreadable_fact
from codex_analytics_contract.reducer.prefilter import ClientPrefilter


@dataclass
class ReduceCounts:
    read: int = 0
    reduced: int = 0
    rejected: int = 0
    blank: int = 0


def load_fact(line: bytes, validate: bool = True) -> dict[str, Any]:
    """One fact as a JSON dict, checked against its schema unless `validate` is false
    (raises a ContractError)."""
    try:
        data = from_json(line, allow_inf_nan=False)  # JSON has no NaN or Infinity
    except ValueError as exc:
        raise InvalidJSONError(
            [Violation("$", "one JSON document", str(exc), "json_invalid")]
        ) from None
    if not isinstance(data, dict):
        raise InvalidJSONError(
            [Violation("$", "a JSON object", type(data).__name__, "json_invalid")]
        )
    if validate:
        if not fact_accepted(data):
            parse_fact(data)  # raises the exact error
    elif not isinstance(data.get("fact"), str):
        raise UnknownEventTypeError(
            [Violation("$.fact", "the fact kind", "no such key", "union_tag_not_found")]
        )
    return data


# `pydantic_core.to_json(value)`, without building the serializer settings on every call. A
# non-finite float can only come from an unchecked (--trusted) fact holding a number literal
# beyond the float range: it is written as the JSON string "Infinity", which keeps every output
# line JSON (the event is then as invalid as the fact, and `validate` says where).
_TO_JSON: Final = SchemaSerializer({"type": "any"}, {"ser_json_inf_nan": "strings"}).to_json


def _float_event_types() -> frozenset[str]:
    found = set()
    for event_type, model in EVENT_MODELS.items():
        if not model.__pydantic_complete__:
            model.model_rebuild()
        if may_hold_floats(model.__pydantic_core_schema__):
            found.add(event_type)
    return frozenset(found)


#: The event types whose schema lets a float in (an open object): the only valid events that
#: can hold a float, so the only ones whose bytes may need serde_json's exponent form.
FLOAT_EVENT_TYPES: Final = _float_event_types()


def event_json(event: dict[str, Any]) -> bytes:
    """The wire bytes of one event dict, floats as serde_json writes them."""
    data = _TO_JSON(event)
    return wire_json(data) if event["event_type"] in FLOAT_EVENT_TYPES else data


def encode_events(events: list[dict[str, Any]], batches: bool) -> list[bytes]:
    """Wire bytes: one event per item, or `{"events":[...]}` request bodies
    (`request_bodies`, spec/wire-format.md §2.2)."""
    if not batches:
        return [event_json(event) for event in events]
    return request_bodies([(event["event_type"], event_json(event)) for event in events])


class ClientStage:
    """Upstream's client-side stage in front of a reducer (spec/reducer.md §2.0): facts the client
    would never enqueue (other methods, repeated app_used / plugin_used) are counted, not
    reduced."""

    def __init__(self, reducer: Reducer, prefilter: ClientPrefilter | None = None) -> None:
        self.reducer = reducer
        self.stats = reducer.stats
        self.prefilter = prefilter or ClientPrefilter()
        self.filtered = 0

    def ingest_raw(self, fact: Mapping[str, Any]) -> list[dict[str, Any]]:
        try:
            accepted = self.prefilter.accept(fact)
        except Exception as exc:  # a fact the client stage cannot read: reported, as below
            raise unreadable_fact(fact, exc) from exc
        if not accepted:
            self.filtered += 1
            return []
        return self.reducer.ingest_raw(fact)


def check_events(
    events: list[dict[str, Any]], stats: ReducerStats, versions: Mapping[str, str]
) -> None:
    """Raise a ContractError if an event breaks the event contract (and take the fact's events
    out of `stats`: none of them is written).

    A fact the newest version of its schema accepts yields valid events by construction
    (tests/reducer_core/test_events_from_valid_facts.py). A fact only an older version accepts
    may hold a value that version allowed and no event can carry (an older `notification` takes
    any string as `codexErrorInfo`), so the events of such facts are checked, each at the
    version its release sends (`versions`).
    """
    for event in events:
        try:
            validate_event(event, version=versions[event["event_type"]])
        except ContractError as exc:
            counted = stats.events_emitted_by_type
            for withheld in events:
                name = withheld["event_type"]
                counted[name] -= 1
                if not counted[name]:
                    del counted[name]
            expected = f"a fact whose {event['event_type']} the event contract accepts"
            found = f"{exc} (none of the fact's events is written)"
            raise ContractError([Violation("$", expected, found, "event_contract")]) from None


def fast_fact_check() -> Callable[[bytes], dict[str, Any] | None] | None:
    """The msgspec check of the fact kinds the fast path carries (`fast.checked_fact`), or None
    without the `fast` extra (every line then takes the typed checks: same verdicts, slower)."""
    try:
        from codex_analytics_contract import fast
    except ImportError:
        return None
    return fast.checked_fact


def reduce_lines(
    lines: Iterable[tuple[int, bytes]],
    reducer: Reducer | ClientStage,
    counts: ReduceCounts,
    on_error: Any,
    batches: bool = False,
    validate: bool = True,
) -> Iterator[bytes]:
    """Reduce numbered NDJSON lines; yield output lines (without newline)."""
    ingest = reducer.ingest_raw
    checks = FACT_CHECKS
    to_json = _TO_JSON
    float_types = FLOAT_EVENT_TYPES
    validate_json = fact_line_validator().validate_json if validate else None
    checked = fast_fact_check() if validate else None
    inner = reducer if isinstance(reducer, Reducer) else reducer.reducer
    stats = inner.stats
    versions = inner.release.event_versions
    for number, line in lines:
        counts.read += 1
        if not line or line.isspace():  # the same as `not line.strip()`, without a copy
            counts.blank += 1
            continue
        try:
            # The common case inline: a kind the fast path carries checked by msgspec (then
            # parsed), else parsed and checked in one pass, else parsed and checked per kind;
            # anything unusual goes through load_fact, which raises the exact error (or returns
            # the fact). `unusual`: the fact came through load_fact, where an older version of
            # its schema may be the one that accepted it.
            fact = checked(line) if checked is not None else None
            unusual = False
            if fact is None and validate_json is not None:
                try:
                    fact = validate_json(line, strict=True)
                except ValueError:  # no verdict
                    fact = None
            if fact is None:
                try:
                    fact = from_json(line, allow_inf_nan=False)
                except ValueError:
                    fact = None
                if fact.__class__ is not dict:
                    fact, unusual = load_fact(line, validate), True
                else:
                    kind = fact.get("fact")
                    if kind.__class__ is not str:
                        fact, unusual = load_fact(line, validate), True
                    elif validate:
                        check = checks[kind]
                        if check is None or not check(fact):
                            fact, unusual = load_fact(line, validate), True
        except ContractError as exc:
            counts.rejected += 1
            on_error(number, exc)
            continue
        try:
            events = ingest(fact)
            if events and unusual and validate and not fact_accepted(fact):
                check_events(events, stats, versions)
        except ContractError as exc:  # a fact the reducer cannot read (only with --trusted)
            counts.rejected += 1
            on_error(number, exc)
            continue
        counts.reduced += 1
        if events:
            if batches:
                yield from encode_events(events, batches)
            else:
                for event in events:  # event_json, inlined: the common case
                    if event["event_type"] in float_types:
                        yield wire_json(to_json(event))
                    else:
                        yield to_json(event)


def run_reduce(
    lines: Iterable[tuple[int, bytes]],
    source: str,
    out: IO[str],
    err: IO[str],
    *,
    batches: bool = False,
    reducer: Reducer | None = None,
    validate: bool = True,
    client_filter: bool = False,
    counts: ReduceCounts | None = None,
) -> int:
    """`counts` may already hold lines the caller counted (and reported) itself."""
    reducer = reducer or Reducer()
    sink: Reducer | ClientStage = ClientStage(reducer) if client_filter else reducer
    counts = ReduceCounts() if counts is None else counts
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    def on_error(number: int, exc: ContractError) -> None:
        err.write(f"{source}:{number}: {exc}\n")

    for data in reduce_lines(lines, sink, counts, on_error, batches, validate):
        out.write(data.decode("utf-8"))
        out.write("\n")
    # End of input: what the reducer still holds back goes out (spec/reducer.md §12.5).
    flushed = reducer.flush()
    if flushed:
        for data in encode_events(flushed, batches):
            out.write(data.decode("utf-8"))
            out.write("\n")
    stats = reducer.stats
    err.write(
        f"facts: read {counts.read} lines: {counts.reduced} reduced, {counts.rejected} rejected, "
        f"{counts.blank} blank\n"
    )
    if isinstance(sink, ClientStage):
        err.write(f"  of the reduced facts, {sink.filtered} were dropped by the client stage\n")
    err.write(f"events emitted: {stats.events_emitted}\n")
    if flushed:
        err.write(f"  of which released at the end of input: {len(flushed)}\n")
    for name, n in sorted(stats.events_emitted_by_type.items()):
        err.write(f"  {name}: {n}\n")
    err.write(f"events dropped (missing context): {stats.drops}\n")
    for reason, n in sorted(stats.drops_by_reason.items()):
        err.write(f"  {reason}: {n}\n")
    if stats.evictions_by_map:
        err.write(f"state evictions: {sum(stats.evictions_by_map.values())}\n")
        for name, n in sorted(stats.evictions_by_map.items()):
            err.write(f"  {name}: {n}\n")
    return 1 if counts.rejected else 0
