"""`codex-analytics {validate,normalize,reduce} FILE|-` over NDJSON (also `python -m
codex_analytics_contract ...`; and `load`: load_cli.py).

Every input line is either processed or reported on stderr as `FILE:LINE: reason`, and the
closing counts add up (read = valid + invalid + blank). The exit status is 1 when any line was
rejected, 2 on a usage error or an unreadable file. Output is UTF-8 whatever the locale; a
reader that stops early (`| head`) ends the run quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import IO, TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic_core import from_json

from codex_analytics_contract.api import parse_event, serialize_event
from codex_analytics_contract.errors import ContractError, InvalidJSONError, Violation
from codex_analytics_contract.load_cli import add_parser as add_load_parser
from codex_analytics_contract.load_cli import cmd_load
from codex_analytics_contract.normalize import denormalize, normalize

DIST_NAME = "codex-analytics-contract"
DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer its reader left

try:  # validate and normalize take the msgspec fast path when the [fast] extra is installed
    from codex_analytics_contract import fast as _fast
except ImportError:  # pragma: no cover - the tests run with the extra
    _fast = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from codex_analytics_contract._generated.registry import Event


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


class InputError(Exception):
    """The input file cannot be opened or read (not a problem of one line)."""

    def __init__(self, source: str, error: OSError) -> None:
        super().__init__(f"{source}: cannot read: {error.strerror or error}")


def line_too_long(max_bytes: int) -> ContractError:
    return InvalidJSONError(
        [
            Violation(
                "$",
                f"a line of at most {max_bytes} bytes (--max-line-bytes)",
                "a longer line (skipped)",
                "line_too_long",
            )
        ]
    )


def iter_lines(
    name: str,
    max_bytes: int = DEFAULT_MAX_LINE_BYTES,
    on_too_long: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, bytes]]:
    """Numbered lines without their line end. A line longer than `max_bytes` is never held in
    memory: `on_too_long(number)` is called and the line is skipped (raises InputError)."""
    try:
        stream: IO[bytes] = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(name, exc) from None
    try:
        readline = stream.readline
        number = 0
        while True:
            try:
                raw = readline(max_bytes + 2)  # the longest line allowed, with "\r\n"
            except OSError as exc:
                raise InputError(name, exc) from None
            if not raw:
                return
            number += 1
            line = raw.rstrip(b"\r\n")
            if len(line) <= max_bytes:
                yield number, line
                continue
            while not raw.endswith(b"\n"):  # skip the rest of the line, chunk by chunk
                try:
                    raw = readline(1 << 20)
                except OSError as exc:
                    raise InputError(name, exc) from None
                if not raw:
                    break
            if on_too_long is not None:
                on_too_long(number)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _reporter(source: str, err: IO[str]) -> Callable[[int, ContractError], None]:
    def report(number: int, exc: ContractError) -> None:
        err.write(f"{source}:{number}: {exc}\n")

    return report


def _counted_lines(
    source: str, counts: Counts, err: IO[str], max_bytes: int
) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines; blank and over-long lines are counted (and reported) here."""
    report = _reporter(source, err)

    def too_long(number: int) -> None:
        counts.read += 1
        counts.invalid += 1
        report(number, line_too_long(max_bytes))

    for number, line in iter_lines(source, max_bytes, too_long):
        counts.read += 1
        if not line.strip():
            counts.blank += 1
            continue
        yield number, line


def _parse(line: bytes, where: str, err: IO[str]) -> Any:
    """The event of a line: a Struct on the fast path, else the typed model (the reference,
    also when the two paths disagree: that is reported)."""
    if _fast is None:
        return parse_event(line)
    try:
        return _fast.decode_event(line)
    except _fast.PathsDisagreeError as exc:
        err.write(f"{where}: fast path disagrees, the typed path's verdict counts: {exc}\n")
        return parse_event(line)


def _event_type(event: Any) -> str:
    if isinstance(event, BaseModel):
        typed: Any = event
        return str(typed.event_type)
    return _fast.event_type_of(event)


def valid_events(
    source: str, counts: Counts, err: IO[str], max_bytes: int = DEFAULT_MAX_LINE_BYTES
) -> Iterator[Any]:
    """Every valid event of an NDJSON source (a Struct on the fast path, else the typed
    model); every other line is counted and reported."""
    report = _reporter(source, err)
    for number, line in _counted_lines(source, counts, err, max_bytes):
        try:
            event = _parse(line, f"{source}:{number}", err)
        except ContractError as exc:
            counts.invalid += 1
            report(number, exc)
            continue
        counts.valid += 1
        counts.by_type[_event_type(event)] += 1
        yield event


def backend_view(event: Any) -> dict[str, Any]:
    """The backend view of an event, a typed model or a fast-path Struct (what `normalize`
    prints)."""
    if isinstance(event, BaseModel):
        wire: Any = json.loads(serialize_event(event))
    else:
        wire = _fast.to_dict(event)
    return normalize(wire)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _first_difference(expected: Any, actual: Any, path: str = "$") -> str:
    """The JSON path of the first place where two JSON values differ (order matters)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if list(expected) != list(actual):
            for key in [*expected, *actual]:
                if key not in actual or key not in expected:
                    return f"{path}.{key}"
            return path  # the same keys in another order
        for key in expected:
            if _dumps(expected[key]) != _dumps(actual[key]):
                return _first_difference(expected[key], actual[key], f"{path}.{key}")
    return path


def parse_backend_event(line: bytes) -> Event:
    """An event in the backend view (a `normalize` output line): checked against the wire
    contract after `denormalize`, and it must be exactly what `normalize` makes of it."""
    try:
        given = from_json(line, allow_inf_nan=False)
    except ValueError as exc:
        detail = Violation("$", "one JSON document", str(exc), "json_invalid")
        raise InvalidJSONError([detail]) from None
    if not isinstance(given, dict):
        found = type(given).__name__
        raise InvalidJSONError([Violation("$", "a JSON object", found, "json_invalid")])
    event = parse_event(_dumps(denormalize(given)).encode())
    expected = backend_view(event)
    if _dumps(expected) != _dumps(given):
        path = _first_difference(expected, given)
        raise ContractError(
            [
                Violation(
                    path,
                    "the backend view of the event, as normalize writes it (product_surface "
                    '"codex" after the thread and turn ids, canonical product_client_id)',
                    "something else",
                    "backend_view",
                )
            ]
        )
    return event


def backend_events(source: str, counts: Counts, err: IO[str], max_bytes: int) -> Iterator[Event]:
    """`valid_events` for a file of backend-view events (`validate --backend`)."""
    report = _reporter(source, err)
    for number, line in _counted_lines(source, counts, err, max_bytes):
        try:
            event = parse_backend_event(line)
        except ContractError as exc:
            counts.invalid += 1
            report(number, exc)
            continue
        counts.valid += 1
        counts.by_type[event.event_type] += 1
        yield event


def cmd_validate(
    source: str, out: IO[str], err: IO[str], backend: bool = False, max_bytes: int = 0
) -> int:
    counts = Counts()
    max_bytes = max_bytes or DEFAULT_MAX_LINE_BYTES
    reader = backend_events if backend else valid_events
    for _ in reader(source, counts, err, max_bytes):
        pass
    out.write(counts.line() + "\n")
    for name, n in sorted(counts.by_type.items()):
        out.write(f"  {name}: {n}\n")
    return 1 if counts.invalid else 0


def cmd_normalize(source: str, out: IO[str], err: IO[str], max_bytes: int = 0) -> int:
    counts = Counts()
    for event in valid_events(source, counts, err, max_bytes or DEFAULT_MAX_LINE_BYTES):
        out.write(_dumps(backend_view(event)) + "\n")
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
    max_bytes: int = 0,
) -> int:
    from codex_analytics_contract.reduce_cli import ReduceCounts, run_reduce
    from codex_analytics_contract.reduce_config import load_config, reducer_from_config

    reducer = None
    if config is not None:
        try:
            reducer = reducer_from_config(load_config(config))
        except ContractError as exc:  # the message names the config file
            err.write(f"not a reducer config: {exc}\n")
            return 2
    max_bytes = max_bytes or DEFAULT_MAX_LINE_BYTES
    counts = ReduceCounts()
    report = _reporter(source, err)

    def too_long(number: int) -> None:
        counts.read += 1
        counts.rejected += 1
        report(number, line_too_long(max_bytes))

    return run_reduce(
        iter_lines(source, max_bytes, too_long),
        source,
        out,
        err,
        batches=batches,
        reducer=reducer,
        validate=validate,
        client_filter=client_filter,
        counts=counts,
    )


def _version() -> str:
    try:
        return f"{DIST_NAME} {version(DIST_NAME)}"
    except PackageNotFoundError:  # run from a source tree that is not installed
        return f"{DIST_NAME} (not installed)"


def _prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if not name or name in ("__main__.py", "-c"):
        return "python -m codex_analytics_contract"
    return name  # the console script: codex-analytics


def build_parser() -> argparse.ArgumentParser:
    from codex_analytics_contract.reduce_config import config_keys_help

    parser = argparse.ArgumentParser(
        prog=_prog(), description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True)
    commands = {
        "validate": "check every line of an NDJSON file of events against the contract",
        "normalize": "print the backend view of every event (product_surface, canonical ids)",
        "reduce": "run the reference reducer: facts NDJSON in, events NDJSON out",
    }
    for name, help_text in commands.items():
        epilog = None
        if name == "reduce":
            epilog = (
                "--config FILE: a JSON object; every key is optional (absent: the default):\n"
                + config_keys_help()
                + '\n  e.g. {"clock": 1700000000, "originator": "codex_exec", "repo_hash": null}'
                + "\n  --config-schema prints its JSON Schema."
            )
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument(
            "file", nargs="?" if name == "reduce" else None, help="NDJSON file, or - for stdin"
        )
        p.add_argument(
            "--max-line-bytes",
            type=int,
            default=DEFAULT_MAX_LINE_BYTES,
            metavar="N",
            help="longest line read (default %(default)s); a longer one is reported and skipped",
        )
        if name == "validate":
            p.add_argument(
                "--backend",
                action="store_true",
                help="the lines are backend-view events (the output of normalize): each must be "
                "a valid event once denormalized, and exactly what normalize makes of it",
            )
        if name == "reduce":
            p.add_argument(
                "--batches", action="store_true", help='print {"events":[...]} request bodies'
            )
            p.add_argument(
                "--config",
                metavar="FILE",
                help="JSON object fixing the reducer's process values (keys below)",
            )
            p.add_argument(
                "--config-schema",
                action="store_true",
                help="print the JSON Schema of the --config file and exit",
            )
            p.add_argument(
                "--trusted",
                action="store_true",
                help="skip the fact schema check (facts from a trusted recorder, trusted to be "
                "valid): events are then only as valid as the facts (a number beyond the float "
                'range is written as the string "Infinity"); malformed JSON, a missing `fact` '
                "key and any fact the reducer cannot read are still reported",
            )
            p.add_argument(
                "--client-filter",
                action="store_true",
                help="put upstream's client stage in front of the reducer: only the methods "
                "the client forwards, app_used / plugin_used de-duplicated",
            )
    add_load_parser(sub)
    return parser


def _utf8_output() -> None:
    """Data goes out as UTF-8 (the wire encoding) whatever the locale or PYTHONIOENCODING;
    messages that the terminal cannot show are escaped instead of failing."""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            encoding = "utf-8" if stream is sys.stdout else None
            reconfigure(encoding=encoding, errors=errors)


def _quiet_after_broken_pipe() -> int:
    # The reader is gone: send what is still buffered nowhere, so that the interpreter's own
    # flush at exit does not fail again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _utf8_output()
    out, err = sys.stdout, sys.stderr
    if args.command == "load":
        return cmd_load(args.files, args.db, args.redact, out, err)
    if args.max_line_bytes < 1:
        parser.error("--max-line-bytes must be at least 1")
    try:
        if args.command == "reduce" and args.config_schema:
            from codex_analytics_contract.reduce_config import config_json_schema

            out.write(json.dumps(config_json_schema(), indent=2) + "\n")
            status = 0
        elif args.file is None:
            parser.error("the following arguments are required: file")
        elif args.command == "validate":
            status = cmd_validate(args.file, out, err, args.backend, args.max_line_bytes)
        elif args.command == "normalize":
            status = cmd_normalize(args.file, out, err, args.max_line_bytes)
        else:
            status = cmd_reduce(
                args.file,
                out,
                err,
                args.batches,
                args.config,
                not args.trusted,
                args.client_filter,
                args.max_line_bytes,
            )
        out.flush()
    except BrokenPipeError:
        return _quiet_after_broken_pipe()
    except InputError as exc:
        err.write(f"{exc}\n")
        return 2
    except OSError as exc:  # writing the output failed (disk full, closed stream ...)
        err.write(f"cannot write the output: {exc.strerror or exc}\n")
        return 2
    return status
