"""Read examples with one build of the package (run by generator.gate.examples in a subprocess).

Usage: python -m generator.gate.example_runner PACKAGE_DIR < request.json

The request is a JSON list of {path, kind, name, version, expect, data (base64)}; the answer on
stdout is a JSON list of findings {rule, path, where, message}, one per example that no longer
reads back as it did (CI003: a valid example rejected or re-serialized to other bytes; CI004:
an invalid example accepted). PACKAGE_DIR is where `codex_analytics_contract` must be imported
from: the runner refuses to judge with any other copy of the package.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any


def _first_difference(want: bytes, got: bytes) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
        min(len(want), len(got)),
    )
    lo = max(0, at - 20)
    return (
        f"first difference at byte {at}: expected {want[lo : at + 30]!r}, got {got[lo : at + 30]!r}"
    )


def judge(item: dict[str, Any], api: Any) -> dict[str, str] | None:
    """The finding for one example, or None when it reads back as published."""
    data = base64.b64decode(item["data"])
    kind, name, version = item["kind"], item["name"], item["version"]
    label = f"{kind}/{name} {version}"
    path = item["path"]
    if item["expect"] == "pass":
        line = data.rstrip(b"\n")
        try:
            if kind == "events":
                event = api.parse_event(line, version=version)
                got = api.serialize_event(event)
            else:
                api.parse_fact(line, version=version)
                got = line
        except api.ContractError as exc:
            return {
                "rule": "CI003",
                "path": path,
                "where": exc.path,
                "message": f"as published, this example is no longer accepted as {label}: {exc}",
            }
        except Exception as exc:  # a crash on one example is reported for that example
            return {
                "rule": "CI003",
                "path": path,
                "where": "$",
                "message": f"as published, this example makes the package fail as {label}: {exc!r}",
            }
        if got != line:
            return {
                "rule": "CI003",
                "path": path,
                "where": "$",
                "message": f"as published, this example no longer round-trips byte-exactly "
                f"as {label} ({_first_difference(line, got)})",
            }
        return None
    try:
        case = json.loads(data)
        instance = json.dumps(case["instance"], ensure_ascii=False)
    except (ValueError, KeyError, TypeError) as exc:
        return {
            "rule": "CI004",
            "path": path,
            "where": "$",
            "message": f"as published, this invalid example cannot be read: {exc}",
        }
    try:
        if kind == "events":
            api.parse_event(instance, event_type=name, version=version)
        else:
            api.parse_fact(instance, version=version)
    except api.ContractError:
        return None
    except Exception as exc:  # not a clean rejection: the package crashed on it
        return {
            "rule": "CI004",
            "path": path,
            "where": "$",
            "message": f"this invalid example makes the package fail as {label} instead of "
            f"being rejected with a ContractError: {exc!r}",
        }
    return {
        "rule": "CI004",
        "path": path,
        "where": str(case.get("error_path", "$")),
        "message": f"this invalid example ({case.get('reason', 'no reason given')}) is now "
        f"accepted as {label}; a published version rejects what it rejected",
    }


def main(argv: list[str]) -> int:
    import codex_analytics_contract as api

    expected = Path(argv[1]).resolve()
    found = Path(api.__file__).resolve().parent
    if found != expected:
        print(f"imported codex_analytics_contract from {found}, not {expected}", file=sys.stderr)
        return 2
    request = json.loads(sys.stdin.buffer.read())
    findings = [f for f in (judge(item, api) for item in request) if f is not None]
    sys.stdout.write(json.dumps(findings))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
