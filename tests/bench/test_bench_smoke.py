"""`make bench` on tiny corpora: every benchmark runs, its corpus is valid input, and the
tables name every measured step. (No time is asserted: these machines are shared and noisy.)"""

from __future__ import annotations

import orjson

from benchmarks import ceilings, events_bench, fast_bench, import_bench, load_bench, reduce_bench
from codex_analytics_contract import EVENT_TYPES, EVENT_VERSIONS, parse_event


def test_event_corpora_are_valid_events_and_tables_list_every_step() -> None:
    text, ratios = events_bench.run(size=300, repeats=1)
    for step in ("(a) orjson.loads", "(b) jsonschema", "(c) parse_event", "(d) serialize_event"):
        assert text.count(f"| {step}") == 3  # a row per corpus
    assert set(ratios) == {
        f"{name}[{corpus}]"
        for name in ("parse_vs_loads", "serialize_vs_dumps")
        for corpus in ("sessions", "examples", "versions")
    }
    assert all(ratio > 0 for ratio in ratios.values())


def test_mixed_version_corpus_holds_older_versions_of_every_type() -> None:
    lines = events_bench.corpus(2_000, every_version=True)
    events = [parse_event(line) for line in lines]
    read_as = {(e.event_type, type(e).schema_version) for e in events}  # type: ignore[attr-defined]
    types = {name for name, _ in read_as}
    assert types == set(EVENT_VERSIONS)  # every type
    older = {name for name, version in read_as if version != EVENT_VERSIONS[name][0]}
    assert len(older) >= len(types) // 2  # most types also as an older version
    assert events_bench.corpus(50, every_version=True) == lines[:50]  # seeded: the same corpus


def test_import_benchmark_measures_against_the_interpreter_baseline() -> None:
    times = import_bench.measure(events_bench.corpus(1)[0], runs=1)
    assert times.baseline_ms > 0 and times.first_parse_ms > 0
    text = import_bench.table(times)
    assert "`python -c pass` (baseline)" in text and "`import codex_analytics_contract`" in text


def test_reducer_corpus_is_reduced_without_a_rejected_fact() -> None:
    lines = reduce_bench.corpus(2_000)
    counts = reduce_bench.reduce_all(lines)
    assert (counts.read, counts.reduced, counts.rejected, counts.blank) == (2_000, 2_000, 0, 0)
    kinds = {orjson.loads(line)["fact"] for line in lines}
    assert {"initialize", "client_request", "notification", "turn_resolved_config"} <= kinds


def test_ceilings_measure_the_same_verdicts_and_name_the_budget() -> None:
    events = ceilings.events(500, repeats=1)
    assert "(g) the same strict checks into plain dicts" in events
    assert f"{len(EVENT_TYPES)} types" in events  # every event type has a typed-dict form
    reducer = ceilings.reducer(1_000, repeats=1)
    assert "fact validator alone" in reducer
    assert "would have to be" in reducer


def test_fast_path_bench_puts_both_paths_side_by_side() -> None:
    text, ratios = fast_bench.run(size=300, repeats=1)
    for step in (
        "(a) orjson.loads",
        "(c) parse_event",
        "(f) fast.decode_event",
        "(e) orjson.dumps",
        "(d) serialize_event",
        "(g) fast.encode_event",
    ):
        assert text.count(f"| {step}") == 3  # a row per corpus
    assert text.count("| (h) msgspec, version known") == 1  # the mixed corpus's ceiling
    assert set(ratios) == {
        f"{name}[{corpus}]"
        for name in ("decode_vs_loads", "encode_vs_dumps")
        for corpus in ("sessions", "examples", "mixed")
    }
    assert all(ratio > 0 for ratio in ratios.values())


def test_load_benchmark_loads_every_event_and_names_its_steps() -> None:
    lines = load_bench.loadable_corpus(300)
    assert load_bench.load_once(b"\n".join(lines) + b"\n") == 300
    text, ratios = load_bench.run(size=300, repeats=1)
    assert text.count("| parse_event |") == 2 and text.count("| load into a new DuckDB") == 2
    assert text.count("| (ceiling)") == 4 and text.count("| (typed path)") == 2
    assert set(ratios) == {"sessions", "examples"}
    for corpus, ratio in ratios.items():
        met = f"load, corpus '{corpus}': target met" in text
        assert ratio > 0 and met is (ratio >= load_bench.TARGET)
