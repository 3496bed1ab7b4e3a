"""`make bench`: run every benchmark and print the tables (Markdown)."""

from __future__ import annotations

import argparse
import sys

from benchmarks import events_bench


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000, help="events in the corpus")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    text, ratios = events_bench.run(args.events, args.repeats)
    print(text)
    ok = ratios["parse_vs_loads"] >= 0.35 and ratios["serialize_vs_dumps"] >= 0.15
    try:
        from benchmarks import reduce_bench
    except ImportError:
        reduce_bench = None  # type: ignore[assignment]
    if reduce_bench is not None:
        text, reduce_ok = reduce_bench.run()
        print()
        print(text)
        ok = ok and reduce_ok
    print()
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
