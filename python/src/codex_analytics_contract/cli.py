"""`python -m codex_analytics_contract {validate,reduce,normalize} FILE|-` over NDJSON (and `load`:
load_cli.py).

Every input line is either processed or reported on stderr as `FILE:LINE: reason`, and the
closing counts add up (read = valid + invalid + blank). The exit status is 1 when any line was
rejected, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from codex_analytics_contract._generated.registry import Event
from codex_analytics_contract.api import parse_event, serialize_event
from codex_analytics_contract.errors import ContractError
from codex_analytics_contract.load_cli import add_parser as add_load_parser
from codex_analytics_contract.load_cli import cmd_load
from codex_analytics_contract.normalize import normalize


@dataclass
class Counts:
    read: int = 0
    valid: int = 0
    invalid: int = 0
    blank: int = 0
    by_type: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        return (
            f"read {self.read} lines: {self.valid} valid, {self.invalid} invalid, "
            f"{self.blank} blank"
        )


def _open(name: str) -> IO[bytes]:
    if name == "-":
        return sys.stdin.buffer
    return open(name, "rb")


def iter_lines(name: str) -> Iterator[tuple[int, bytes]]:
    stream = _open(name)
    try:
        for number, raw in enumerate(stream, start=1):
            yield number, raw.rstrip(b"\r\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _report(source: str, number: int, exc: ContractError, err: IO[str]) -> None:
    err.write(f"{source}:{number}: {exc}\n")


def valid_events(source: str, counts: Counts, err: IO[str]) -> Iterator[Event]:
    """Every valid event of an NDJSON source; every other line is counted and reported."""
    for number, line in iter_lines(source):
        counts.read += 1
        if not line.strip():
            counts.blank += 1
            continue
        try:
            event = parse_event(line)
        except ContractError as exc:
            counts.invalid += 1
            _report(source, number, exc, err)
            continue
        counts.valid += 1
        counts.by_type[event.event_type] += 1
        yield event


def cmd_validate(source: str, out: IO[str], err: IO[str]) -> int:
    counts = Counts()
    for _ in valid_events(source, counts, err):
        pass
    out.write(counts.line() + "\n")
    for name, n in sorted(counts.by_type.items()):
        out.write(f"  {name}: {n}\n")
    return 1 if counts.invalid else 0


def cmd_normalize(source: str, out: IO[str], err: IO[str]) -> int:
    counts = Counts()
    for event in valid_events(source, counts, err):
        wire: Any = json.loads(serialize_event(event))
        out.write(json.dumps(normalize(wire), separators=(",", ":"), ensure_ascii=False) + "\n")
    err.write(counts.line() + "\n")
    return 1 if counts.invalid else 0


def cmd_reduce(
    source: str,
    out: IO[str],
    err: IO[str],
    batches: bool,
    config: str | None,
    validate: bool,
    client_filter: bool,
) -> int:
    from codex_analytics_contract.reduce_cli import reducer_from_config, run_reduce

    reducer = None
    if config is not None:
        try:
            with open(config, encoding="utf-8") as handle:
                reducer = reducer_from_config(json.load(handle))
        except (ValueError, TypeError) as exc:
            err.write(f"{config}: not a reducer config: {exc}\n")
            return 2
    return run_reduce(
        iter_lines(source),
        source,
        out,
        err,
        batches=batches,
        reducer=reducer,
        validate=validate,
        client_filter=client_filter,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codex_analytics_contract", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("validate", "check every line of an NDJSON file of events against the contract"),
        ("normalize", "print the backend view of every event (product_surface, canonical ids)"),
        ("reduce", "run the reference reducer: facts NDJSON in, events NDJSON out"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("file", help="NDJSON file, or - for standard input")
        if name == "reduce":
            p.add_argument(
                "--batches", action="store_true", help='print {"events":[...]} request bodies'
            )
            p.add_argument(
                "--config",
                help="JSON file fixing clock, runtime, originator, repo_hash, skill_repos",
            )
            p.add_argument(
                "--trusted",
                action="store_true",
                help="skip the fact schema check (facts from a trusted recorder); "
                "malformed JSON and a missing `fact` key are still reported",
            )
            p.add_argument(
                "--client-filter",
                action="store_true",
                help="put upstream's client stage in front of the reducer: only the methods "
                "the client forwards, app_used / plugin_used de-duplicated",
            )
    add_load_parser(sub)
    args = parser.parse_args(argv)
    out, err = sys.stdout, sys.stderr
    if args.command == "load":
        return cmd_load(args.files, args.db, args.redact, out, err)
    try:
        if args.command == "validate":
            return cmd_validate(args.file, out, err)
        if args.command == "normalize":
            return cmd_normalize(args.file, out, err)
        return cmd_reduce(
            args.file, out, err, args.batches, args.config, not args.trusted, args.client_filter
        )
    except OSError as exc:
        err.write(f"{args.file}: cannot read: {exc.strerror or exc}\n")
        return 2
