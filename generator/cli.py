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

    args = parser.parse_args(argv)
    try:
        return _run(parser, args)
    except GeneratorError as exc:  # a bad schema, template or docs source: one line, no traceback
        print(f"{parser.prog}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
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


if __name__ == "__main__":
    sys.exit(main())
