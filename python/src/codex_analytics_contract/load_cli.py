"""The `load` subcommand's front: arguments checked, the optional dependencies asked for by
name (the package's core needs pydantic only), file errors reported as `FILE: reason`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import IO

EXTRA_HINT = "pip install 'codex-analytics-contract[duckdb]'"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "load",
        help="load NDJSON events (or request bodies) into one DuckDB table per event type",
    )
    p.add_argument("files", nargs="+", help="NDJSON files, or - for standard input")
    p.add_argument("--db", required=True, help="the DuckDB database file (created if missing)")
    p.add_argument(
        "--redact",
        default="",
        metavar="CLASS,...",
        help="data classes to hash or drop (spec/tables.md §5), e.g. user_content,file_path",
    )


def cmd_load(files: Sequence[str], db: str, redact: str, out: IO[str], err: IO[str]) -> int:
    try:
        from codex_analytics_contract.load import run_load
        from codex_analytics_contract.rows import unknown_classes
    except ImportError as exc:
        err.write(f"load needs duckdb and pyarrow ({exc.name} is missing): {EXTRA_HINT}\n")
        return 2
    classes = frozenset(c.strip() for c in redact.split(",") if c.strip())
    unknown = unknown_classes(classes)
    if unknown:
        err.write(f"--redact: unknown data class {', '.join(unknown)} (spec/tables.md §5)\n")
        return 2
    try:
        return run_load(files, db, classes, out, err)
    except OSError as exc:
        where = getattr(exc, "filename", None) or db
        err.write(f"{where}: cannot read: {exc.strerror or exc}\n")
        return 2
