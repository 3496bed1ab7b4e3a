"""`make bench`: run every benchmark and print the tables (Markdown)."""

from __future__ import annotations

import argparse
import sys

from benchmarks import ceilings, events_bench, fast_bench, import_bench, load_bench, reduce_bench


def print_ceilings(events: int, repeats: int) -> None:
    print(ceilings.events(events // 2, repeats))
    print()
    print(ceilings.reducer(100_000, repeats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000, help="events in the corpus")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--ceilings-only",
        action="store_true",
        help="only the ceiling measurements (what strict validation can reach at all)",
    )
    args = parser.parse_args()
    if args.ceilings_only:
        print_ceilings(args.events, args.repeats)
        return 0
    times = import_bench.measure(events_bench.corpus(1)[0])
    print(import_bench.table(times))
    print()
    ok = times.import_ms < import_bench.TARGET_MS
    text, ratios = events_bench.run(args.events, args.repeats)
    print(text)
    print()
    for corpus, target in events_bench.PARSE_TARGETS.items():
        parse, serialize = (
            ratios[f"parse_vs_loads[{corpus}]"],
            ratios[f"serialize_vs_dumps[{corpus}]"],
        )
        met = parse >= target and serialize >= events_bench.SERIALIZE_TARGET
        ok = ok and met
        print(f"events, corpus '{corpus}': {'targets met' if met else 'TARGET MISSED'}")
    newest, mixed = ratios["parse_vs_loads[examples]"], ratios["parse_vs_loads[versions]"]
    print(
        f"issue #10, in one run: parse_event / orjson.loads = {newest:.3f}x on newest-version "
        f"events (target >= 0.30x), {mixed:.3f}x on the mixed-version corpus (target >= 0.25x)"
    )
    text, fast_ratios = fast_bench.run(args.events, args.repeats)
    print()
    print(text)
    print()
    for corpus in ("sessions", "examples", "mixed"):
        met = fast_bench.met(fast_ratios, corpus)
        ok = ok and met
        print(f"fast path, corpus '{corpus}': {'targets met' if met else 'TARGET MISSED'}")
    text, reduce_ok = reduce_bench.run()
    print()
    print(text)
    ok = ok and reduce_ok
    text, load_ratios = load_bench.run(args.events, args.repeats)
    print()
    print(text)
    ok = ok and all(r >= load_bench.TARGET for r in load_ratios.values())
    print()
    print_ceilings(args.events, args.repeats)
    print()
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
