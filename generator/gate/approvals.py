"""schemas/approved-breaks.json: intentional breaks that may merge, each with a reason."""

from __future__ import annotations

import json
from pathlib import Path

from generator.gate.findings import Approval, Finding
from generator.gate.rules import RULES, Severity

APPROVALS_FILE = "schemas/approved-breaks.json"
_KEYS = {"rule", "schema", "path", "reason", "approver"}


def load_approvals(root: Path) -> tuple[list[Approval], list[Finding]]:
    path = root / APPROVALS_FILE
    if not path.is_file():
        return [], []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [], [Finding("CG001", Severity.ERROR, APPROVALS_FILE, "$", f"not JSON: {exc}")]
    if not isinstance(raw, list):
        return [], [
            Finding(
                "CG001", Severity.ERROR, APPROVALS_FILE, "$", "must be a JSON list of approvals"
            )
        ]
    out: list[Approval] = []
    problems: list[Finding] = []
    for i, entry in enumerate(raw):
        where = f"$[{i}]"
        if not isinstance(entry, dict):
            problems.append(
                Finding("CG001", Severity.ERROR, APPROVALS_FILE, where, "entry is not an object")
            )
            continue
        bad = [
            k
            for k in ("rule", "schema", "reason", "approver")
            if not isinstance(entry.get(k), str) or not entry[k].strip()
        ]
        if entry.get("path") is not None and not isinstance(entry.get("path"), str):
            bad.append("path")
        extra = sorted(set(entry) - _KEYS)
        if bad or extra:
            problems.append(
                Finding(
                    "CG001",
                    Severity.ERROR,
                    APPROVALS_FILE,
                    where,
                    "; ".join(
                        x
                        for x in (
                            f"missing or empty: {', '.join(bad)}" if bad else "",
                            f"unknown keys: {', '.join(extra)}" if extra else "",
                        )
                        if x
                    ),
                )
            )
            continue
        if entry["rule"] not in RULES:
            problems.append(
                Finding(
                    "CG001",
                    Severity.ERROR,
                    APPROVALS_FILE,
                    where,
                    f"unknown rule {entry['rule']!r}",
                )
            )
            continue
        out.append(
            Approval(
                entry["rule"],
                entry["schema"],
                entry.get("path"),
                entry["reason"],
                entry["approver"],
            )
        )
    return out, problems


def attach_approvals(findings: list[Finding], approvals: list[Approval]) -> None:
    """Attach to each finding (not yet approved) the first approval that covers it."""
    for f in findings:
        if f.approval is not None:
            continue
        for a in approvals:
            if a.matches(f):
                f.approval = a
                a.used = True
                break


def unused_approvals(approvals: list[Approval]) -> list[Finding]:
    return [
        Finding(
            "CG002",
            Severity.WARNING,
            APPROVALS_FILE,
            "$",
            f"approval of {a.rule} for {a.schema}{' at ' + a.path if a.path else ''} "
            "matches no finding",
        )
        for a in approvals
        if not a.used
    ]
