"""`codex-contract`: one command line for generating, checking and diffing the contract."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from generator.errors import GeneratorError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="codex-contract", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("generate", help="regenerate generated/ from schemas/, templates/ and docs-src/")
    sub.add_parser("drift", help="fail when generated/ differs from a fresh generation")

    check = sub.add_parser("check", help="lint, immutability, compatibility and version-bump gate")
    check.add_argument("--base", default=None, help="git ref to compare against")
    check.add_argument(
        "--format", choices=["text", "markdown", "github"], default="text", help="report format"
    )
    check.add_argument(
        "--markdown-out", default=None, metavar="FILE", help="also write the Markdown report here"
    )
    check.add_argument(
        "--no-drift", action="store_true", help="skip the generated-code drift check"
    )
    check.add_argument(
        "--all",
        action="store_true",
        dest="every_file",
        help="lint every schema file and compare every version with the one before it",
    )

    diff = sub.add_parser(
        "diff",
        help="classify the differences between two schema files",
        description="Classify every difference between two schema files with the gate's rule "
        "IDs (CA001...) and print the SchemaVer bump they need. OLD and NEW may be any two "
        "JSON Schema files, inside schemas/ or not. Exit status 0 when compared (whatever the "
        "result), 2 when a file cannot be read.",
    )
    diff.add_argument(
        "old", metavar="OLD", help="the earlier version, e.g. schemas/events/x/1-0-0.json"
    )
    diff.add_argument(
        "new", metavar="NEW", help="the later version, e.g. schemas/events/x/1-0-1.json"
    )
    diff.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: one line per difference; json: one JSON object per line",
    )
    diff.add_argument(
        "--schemas",
        default=None,
        metavar="DIR",
        help="the schemas/ folder that `$ref`s to other contract files resolve in "
        "(default: the nearest schemas/ above NEW, else ./schemas)",
    )

    new_version = sub.add_parser(
        "new-version",
        help="write the next version file of a schema from its newest version",
        description="Copy the newest version of SCHEMA (events/<type>, facts/<kind>, "
        "common/<name>, or a bare name) to the next version number with its $id updated and a "
        "fresh x-upstream, and create its examples folder. Edit it, then run `make`: the gate "
        "says whether the bump is the one the change needs.",
    )
    new_version.add_argument("schema", metavar="SCHEMA")
    new_version.add_argument(
        "--bump",
        choices=["addition", "revision", "model"],
        default="addition",
        help="which number to raise (default: addition; the gate tells you if it must be more)",
    )
    new_event = sub.add_parser(
        "new-event",
        help="scaffold a new event type: schema, examples and catalog entry",
        description="Write schemas/events/NAME/1-0-0.json, a pass and a fail example under "
        "examples/events/NAME/1-0-0/ and a catalog entry in docs-src/catalog.yaml, each with "
        "TODOs to fill in. Then run `./codex-contract batch` and `make`.",
    )
    new_event.add_argument("name", metavar="NAME", help="the event_type, snake_case")
    sub.add_parser(
        "batch",
        help="write the next request-body schema when it does not list every event version",
    )

    sub.add_parser(
        "release",
        help="record the working tree as the next release in python/releases.json",
        description="Append the next release to python/releases.json: the schema version "
        "files of the working tree and the unreleased runtime fixes, under the version they "
        "derive (spec/versioning.md §10). Then run `make generate` (version and changelog).",
    )

    args = parser.parse_args(argv)
    try:
        return _run(parser, args)
    except GeneratorError as exc:  # a bad schema, template or docs source: one line, no traceback
        print(f"{parser.prog}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command in ("new-version", "new-event", "batch"):
        return _scaffold(args)
    if args.command == "release":
        from generator.releases import LEDGER, cut_release

        released = cut_release()
        if released is None:
            print("the working tree already is the last release: nothing to record")
        else:
            print(f"recorded release {released} in {LEDGER.name}: run `make generate`")
        return 0
    if args.command == "generate":
        from generator.generate import generate

        generate()
        return 0
    if args.command == "drift":
        from generator.drift import drift_main

        return drift_main()
    if args.command == "check":
        from generator.gate.check import run_check

        return run_check(
            base=args.base,
            fmt=args.format,
            drift=not args.no_drift,
            markdown_out=args.markdown_out,
            every_file=args.every_file,
        )
    if args.command == "diff":
        from generator.gate.diff_cmd import run_diff

        return run_diff(args.old, args.new, fmt=args.format, schemas=args.schemas)
    parser.error(f"unknown command {args.command}")
    return 2


def _scaffold(args: argparse.Namespace) -> int:
    from generator.batch import write_next_batch
    from generator.errors import shown
    from generator.scaffold import new_event, new_version

    if args.command == "new-version":
        path = new_version(args.schema, args.bump)
        print(f"wrote {shown(path)}: edit it, add examples, run `make` (the gate checks the bump)")
    elif args.command == "new-event":
        for path in new_event(args.name):
            print(f"wrote {shown(path)}")
        print("fill in the TODOs, then run `./codex-contract batch` and `make`")
    else:
        written = write_next_batch()
        if written is None:
            print("the newest batch schema already lists every event version")
        else:
            print(f"wrote {shown(written)}: it lists every version of every event type")
    return 0


if __name__ == "__main__":
    sys.exit(main())
