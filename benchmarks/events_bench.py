"""Issue #2 benchmark: parse and serialize corpora of >= 100,000 mixed events.

(a) orjson.loads alone (the floor), (b) jsonschema Draft 2020-12 validation, (c) parse_event
from bytes into typed models, (d) serialize_event, (e) orjson.dumps of the same dicts.
Targets: (c) >= 0.35x of (a); (d) >= 0.15x of (e).

Two corpora, both reported: "sessions" — the events the reference reducer emits for the
realistic sessions of the reducer benchmark (the traffic mix a service sees: turn, tool-item,
review, steer, accepted-line, thread and compaction events); "examples" — every valid example
of every event type round-robin with fresh ids (every type equally often, small plugin/app
events included, which parse relatively slower).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import orjson

from benchmarks.timing import compare, table
from codex_analytics_contract import EVENT_VERSIONS, parse_event, serialize_event
from tests.contract import jsonschema_oracle

ROOT = Path(__file__).resolve().parent.parent


def corpus(size: int, seed: int = 7) -> list[bytes]:
    """`size` event lines: every valid example of the newest version of every event type, with
    fresh ids and numbers, round-robin."""
    rng = random.Random(seed)
    files = [
        p.read_bytes().rstrip(b"\n")
        for name, found in EVENT_VERSIONS.items()
        for p in sorted((ROOT / "examples/events" / name / found[0]).glob("*.pass.json"))
    ]
    # only examples Python's json writes back as they are (floats aside: json writes 1e-07
    # where serde_json writes 1e-7)
    templates = [
        json.loads(raw)
        for raw in files
        if json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False).encode() == raw
    ]
    lines: list[bytes] = []
    while len(lines) < size:
        for template in templates:
            event: dict[str, Any] = json.loads(json.dumps(template))
            params = event["event_params"]
            for key in ("thread_id", "turn_id", "item_id"):
                if isinstance(params.get(key), str):
                    params[key] = f"{key}-{rng.randrange(10**12):012d}"
            for key, value in params.items():
                if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**40:
                    params[key] = value + rng.randrange(1000)
            lines.append(json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode())
            if len(lines) == size:
                break
    return lines


def session_corpus(size: int) -> list[bytes]:
    """`size` event lines as the reducer emits them for the reducer benchmark's sessions."""
    from pydantic_core import to_json

    from benchmarks import reduce_bench
    from codex_analytics_contract.reduce_config import reducer_from_config

    reducer = reducer_from_config(reduce_bench.CONFIG)
    lines: list[bytes] = []
    facts = reduce_bench.corpus(size * 3)
    for fact in facts:
        lines.extend(to_json(event) for event in reducer.ingest_raw(orjson.loads(fact)))
        if len(lines) >= size:
            break
    if len(lines) < size:
        raise RuntimeError(f"the sessions produced only {len(lines)} events")
    return lines[:size]


def run(size: int = 100_000, repeats: int = 5) -> tuple[str, dict[str, float]]:
    text_s, ratios_s = run_corpus("sessions", session_corpus(size), repeats)
    text_e, ratios_e = run_corpus("examples", corpus(size), repeats)
    ratios = {f"{k}[sessions]": v for k, v in ratios_s.items()}
    ratios.update({f"{k}[examples]": v for k, v in ratios_e.items()})
    return text_s + "\n\n" + text_e, ratios


def run_corpus(label: str, lines: list[bytes], repeats: int) -> tuple[str, dict[str, float]]:
    size = len(lines)
    dicts = [orjson.loads(line) for line in lines]
    models = [parse_event(line) for line in lines]
    assert [serialize_event(m) for m in models[:1000]] == lines[:1000]

    sample = dicts[: max(1, size // 10)]  # jsonschema is slow: a tenth, scaled per item
    # each event is validated against the schema version it was read as
    versions = [type(m).schema_version for m in models[: len(sample)]]  # type: ignore[attr-defined]
    validators = {
        (d["event_type"], v): jsonschema_oracle.validator("events", d["event_type"], v)
        for d, v in zip(sample, versions, strict=True)
    }
    keyed = [(validators[(d["event_type"], v)], d) for d, v in zip(sample, versions, strict=True)]

    def loads() -> None:
        for line in lines:
            orjson.loads(line)

    def jsonschema_validate() -> None:
        for validator, d in keyed:
            validator.validate(d)

    def parse() -> None:
        for line in lines:
            parse_event(line)

    def serialize() -> None:
        for model in models:
            serialize_event(model)

    def dumps() -> None:
        for d in dicts:
            orjson.dumps(d)

    results = compare(
        ("(a) orjson.loads", size, loads),
        [
            ("(b) jsonschema validate", len(sample), jsonschema_validate),
            ("(c) parse_event", size, parse),
        ],
        repeats,
    )
    dumps_results = compare(
        ("(e) orjson.dumps", size, dumps), [("(d) serialize_event", size, serialize)], repeats
    )
    ratios = {"parse_vs_loads": results[2].ratio, "serialize_vs_dumps": dumps_results[1].ratio}
    kinds = len({x["event_type"] for x in dicts})
    text = table(
        results,
        f"Parsing, corpus '{label}': {size:,} events ({kinds} types), {repeats} paired repeats",
    )
    text += "\n\n" + table(dumps_results, f"Serializing the same events ('{label}')")
    text += (
        f"\n\n[{label}] parse_event / orjson.loads = {ratios['parse_vs_loads']:.3f}x "
        "(target >= 0.35x)"
        f"\n[{label}] serialize_event / orjson.dumps = {ratios['serialize_vs_dumps']:.3f}x "
        "(target >= 0.15x)"
    )
    return text, ratios
