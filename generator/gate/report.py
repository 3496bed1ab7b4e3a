"""Render a gate result: plain text, Markdown (PR comment) or GitHub workflow commands."""

from __future__ import annotations

from generator.gate.findings import Finding, Result
from generator.gate.rules import RULES, Category, Severity

COMMENT_MARKER = "<!-- codex-contract-gate -->"


def _status(f: Finding) -> str:
    if f.approval is not None:
        return f"approved by {f.approval.approver}: {f.approval.reason}"
    if f.blocking:
        return "blocks the merge"
    if f.severity is Severity.WARNING:
        return "warning"
    if f.category is not None:
        return f"covered by the version bump ({f.category.name})"
    return "note"


def _cat(f: Finding) -> str:
    return f"[{f.category.name}] " if f.category is not None else ""


def _check_cmd(result: Result) -> str:
    return f"make check BASE={result.base_ref}" if result.base_ref else "make check"


def _diff_cmds(result: Result) -> list[str]:
    return [f"codex-contract diff {s.previous} {s.file}" for s in result.summaries if s.previous]


def _summary_line(result: Result) -> str:
    blocking = [f for f in result.findings if f.blocking]
    approved = [f for f in result.findings if f.approval is not None]
    if blocking:
        return (
            f"FAIL: {len(blocking)} problem(s) block the merge"
            + (f" ({len(approved)} approved break(s))" if approved else "")
            + "."
        )
    tail = f" with {len(approved)} approved break(s)" if approved else ""
    return f"PASS: the change may merge{tail}."


def render_text(result: Result) -> str:
    out: list[str] = []
    out.append("Schema contract gate")
    out.append(f"  base: {result.base or 'none (every schema file is new)'}")
    if result.summaries:
        out.append("")
        out.append("New version files:")
        for s in result.summaries:
            if s.previous is None:
                out.append(
                    f"  {s.file}: first version of a new schema"
                    + ("" if s.ok else " (see problems)")
                )
                continue
            bump = s.bump.name if s.bump is not None else "not a clean step"
            verdict = "ok" if s.ok else "NOT OK"
            out.append(
                f"  {s.file}: {s.differences} difference(s) from {s.previous}; "
                f"needs {s.required.name}, bumped {bump}: {verdict}"
            )
    groups: list[tuple[str, list[Finding]]] = [
        ("Problems that block the merge", [f for f in result.findings if f.blocking]),
        ("Approved breaks", [f for f in result.findings if f.approval is not None]),
        (
            "Warnings",
            [f for f in result.findings if not f.blocking and f.severity is Severity.WARNING],
        ),
        (
            "Differences covered by the version bump",
            [f for f in result.findings if f.severity is Severity.NOTICE and f.approval is None],
        ),
    ]
    for title, items in groups:
        if not items:
            continue
        out.append("")
        out.append(f"{title}:")
        for f in items:
            out.append(f"  {f.rule} {_cat(f)}{f.title}")
            out.append(f"      {f.file} at {f.path}")
            out.append(f"      {f.message}")
            if f.approval is not None:
                out.append(f"      approved by {f.approval.approver}: {f.approval.reason}")
            if f.review:
                out.append("      needs review: the gate cannot classify this exactly")
    if result.notes:
        out.append("")
        out.append("Notes:")
        out.extend(f"  {n}" for n in result.notes)
    cmds = _diff_cmds(result)
    out.append("")
    out.append(f"Run locally: {_check_cmd(result)}")
    out.extend(f"Inspect:     {c}" for c in cmds)
    out.append("")
    out.append(_summary_line(result))
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _command(f: Finding, result: Result) -> str:
    """The command that shows this finding in detail."""
    previous = {s.file: s.previous for s in result.summaries}
    if previous.get(f.file):
        return f"codex-contract diff {previous[f.file]} {f.file}"
    if RULES[f.rule].kind == "immutability" and result.base:
        return f"git diff {result.base.split(' ', 1)[0]} -- {f.file}"
    return _check_cmd(result)


def _table(items: list[Finding], result: Result) -> list[str]:
    rows = [
        "| Rule | Category | Schema | Path | What changed | Status | Inspect |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in items:
        cat = f.category.name if f.category is not None else RULES[f.rule].kind
        rows.append(
            f"| `{f.rule}` {_md(f.title)} | {cat} | `{f.file}` | `{_md(f.path)}` "
            f"| {_md(f.message)} | {_md(_status(f))} | `{_md(_command(f, result))}` |"
        )
    return rows


def render_markdown(result: Result) -> str:
    passed = result.passed
    out = [
        COMMENT_MARKER,
        f"## Schema contract gate: {'✅ may merge' if passed else '❌ may not merge'}",
        "",
    ]
    out.append(f"Base: `{result.base or 'none'}`. {_summary_line(result)}")
    if result.summaries:
        out += [
            "",
            "| New version file | Previous | Differences | Needs | Bump | |",
            "|---|---|---|---|---|---|",
        ]
        for s in result.summaries:
            bump = (
                s.bump.name if s.bump is not None else ("—" if s.previous is None else "not clean")
            )
            out.append(
                f"| `{s.file}` | {f'`{s.previous}`' if s.previous else 'new schema'} "
                f"| {s.differences} | {s.required.name} | {bump} "
                f"| {'✅' if s.ok else '❌'} |"
            )
    breaking = [
        f
        for f in result.findings
        if not f.review
        and (
            f.blocking
            or f.approval is not None
            or RULES[f.rule].breaking
            or (f.category is not None and f.category > Category.ADDITION)
        )
    ]
    review = [
        f
        for f in result.findings
        if f not in breaking and (f.review or f.severity is Severity.WARNING)
    ]
    compatible = [
        f
        for f in result.findings
        if f not in breaking and f not in review and f.category is not None
    ]
    for title, items in (
        ("Breaking", breaking),
        ("Needs review", review),
        ("Compatible", compatible),
    ):
        out += ["", f"### {title} ({len(items)})", ""]
        out += _table(items, result) if items else ["None."]
    approved = [f for f in result.findings if f.approval is not None]
    if approved:
        out += [
            "",
            "Approved breaks (from `schemas/approved-breaks.json`): "
            + ", ".join(
                f"`{f.rule}` at `{f.path}` approved by {f.approval.approver}"
                for f in approved
                if f.approval is not None
            )
            + ".",
        ]
    if result.notes:
        out += ["", "<details><summary>Notes</summary>", ""]
        out += [f"- {_md(n)}" for n in result.notes]
        out += ["", "</details>"]
    out += [
        "",
        "Reproduce locally:",
        "",
        "```sh",
        _check_cmd(result),
        *_diff_cmds(result),
        "```",
        "",
        'Rules: see `generated/docs/gate-rules.md` ("Gate rules" on the docs site).',
    ]
    return "\n".join(out) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: Result) -> str:
    out: list[str] = []
    for f in result.findings:
        if f.blocking:
            level = "error"
        elif f.severity is Severity.WARNING or f.review or f.category is Category.MODEL:
            level = "warning"  # a MODEL difference breaks consumers even when the bump covers it
        else:
            level = "notice"
        msg = f"{f.path}: {f.message}"
        if f.approval is not None:
            msg += f" (approved by {f.approval.approver}: {f.approval.reason})"
        elif f.category is not None:
            msg = f"[{f.category.name}] {msg}"
        file = f.file if f.file.endswith(".json") else ""
        props = f"file={_escape_prop(file)}," if file else ""
        if file and f.line is not None:
            props += f"line={f.line},"
        out.append(
            f"::{level} {props}title={_escape_prop(f'{f.rule} {f.title}')}::{_escape_data(msg)}"
        )
    return "\n".join(out) + ("\n" if out else "") + render_text(result)


def render(result: Result, fmt: str) -> str:
    if fmt == "markdown":
        return render_markdown(result)
    if fmt == "github":
        return render_github(result)
    return render_text(result)
