"""`codex-contract check`: the schema-change gate (lint, immutability, compatibility, bumps)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from generator.gate.approvals import attach_approvals, load_approvals, unused_approvals
from generator.gate.compare import compare_schemas, required_bump
from generator.gate.findings import Approval, Finding, Result, SchemaSummary
from generator.gate.gitbase import GitError, list_files, repo_root, resolve_base, show
from generator.gate.lint import lint_batch, lint_schema
from generator.gate.report import render
from generator.gate.resolve import Fetch, Loc, Resolver, dir_fetch, id_for
from generator.gate.rules import Category, Severity
from generator.gate.versions import FIRST, SchemaFile, SchemaVer, bump_category, is_schema_path
from generator.schema_store import SchemaStoreError, parse_json, read_bytes, scan_json_files


class UsageError(Exception):
    pass


def _worktree_schemas(schemas: Path) -> tuple[dict[str, bytes], list[Finding]]:
    """The schema files of the working tree (path below schemas/ -> bytes), and a CG004 finding
    for every entry that is refused: a symbolic link (never followed: its content is not part
    of the reviewed tree), a folder named like a version file, a file that cannot be read."""
    out: dict[str, bytes] = {}
    findings: list[Finding] = []
    files, problems = scan_json_files(schemas, schemas)
    for path, why in problems:
        rel = path.relative_to(schemas).as_posix()
        if not any(part.startswith(".") for part in rel.split("/")):
            findings.append(Finding("CG004", Severity.ERROR, f"schemas/{rel}", "$", f"{rel} {why}"))
    for path in files:
        rel = path.relative_to(schemas).as_posix()
        if any(part.startswith(".") for part in rel.split("/")) or not is_schema_path(rel):
            continue
        try:
            out[rel] = read_bytes(path)
        except SchemaStoreError as exc:
            findings.append(Finding("CG004", Severity.ERROR, f"schemas/{rel}", "$", str(exc)))
    return out, findings


def _parse(data: bytes, file: str) -> tuple[Any, str | None]:
    """(document, None), or (None, why it cannot be read) for a schema file's bytes."""
    try:
        return parse_json(data, file), None
    except SchemaStoreError as exc:
        return None, str(exc)


def _git_fetch(root: Path, sha: str) -> Fetch:
    def fetch(rel: str) -> bytes | None:
        return show(root, sha, f"schemas/{rel}")

    return fetch


def _level(old: SchemaVer, new: SchemaVer) -> Category:
    """The size of a (possibly unclean) step, by the highest number that moved."""
    if new.model != old.model:
        return Category.MODEL
    if new.revision != old.revision:
        return Category.REVISION
    return Category.ADDITION


def gather(
    root: Path, base_ref: str | None, drift: bool = True, every_file: bool = False
) -> Result:
    schemas = root / "schemas"
    if not schemas.is_dir():
        raise UsageError(f"no schemas/ directory in {root}")
    try:
        base = resolve_base(root, base_ref)
    except GitError as exc:
        raise UsageError(str(exc)) from exc
    result = Result(base=f"{base.sha[:12]} ({base.label})" if base else None, base_ref=base_ref)
    work, unreadable = _worktree_schemas(schemas)
    base_files: dict[str, bytes] = {}
    if base is None:
        result.notes.append(
            "no base commit found (no origin/main or main): every schema file "
            "is treated as new; immutability is not checked"
        )
    else:
        for path in list_files(root, base.sha):
            rel = path.removeprefix("schemas/")
            if is_schema_path(rel):
                base_files[rel] = show(root, base.sha, path) or b""
    work_res = Resolver(dir_fetch(schemas))
    findings: list[Finding] = list(unreadable)

    # -- immutability --------------------------------------------------------------------------
    for rel, old_bytes in sorted(base_files.items()):
        file = f"schemas/{rel}"
        if rel not in work:
            findings.append(
                Finding(
                    "CI002",
                    Severity.ERROR,
                    file,
                    "$",
                    f"published version {rel} was deleted or renamed",
                )
            )
        elif work[rel] != old_bytes:
            findings.append(
                _modified(root, base.sha if base else "", rel, old_bytes, work[rel], work_res)
            )

    # -- new version files -----------------------------------------------------------------------
    approvals, problems = load_approvals(root)
    findings.extend(problems)
    all_versions = [r for r in work if SchemaFile(r).version is not None]
    targets = set(work) if every_file else set(work) - set(base_files)
    if every_file:
        result.notes.append(
            "--all: every schema file linted and compared with its previous version"
        )
    for rel in sorted(targets):
        try:
            _check_new(
                rel, work, base_files, all_versions, work_res, approvals, findings, result, schemas
            )
        except Exception as exc:  # never crash the gate on one odd file; report it
            findings.append(
                Finding(
                    "CG005",
                    Severity.ERROR,
                    f"schemas/{rel}",
                    "$",
                    f"the gate could not analyse this file: {exc!r}",
                )
            )

    findings.extend(lint_batch(schemas))

    # -- drift -----------------------------------------------------------------------------------
    fresh: dict[str, bytes] | None = None
    if drift:
        drift_findings, fresh = _drift(root, result)
        findings.extend(drift_findings)

    # -- published examples ----------------------------------------------------------------------
    if base is not None:
        findings.extend(_examples(root, base.sha, fresh, result))
    attach_approvals(findings, approvals)
    findings.extend(unused_approvals(approvals))
    for f in findings:
        f.line = locate_line(root, f.file, f.path)
    result.findings = findings
    return result


_PATH_TOKEN = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\["((?:[^"\\]|\\.)*)"\]')


def locate_line(root: Path, file: str, path: str) -> int | None:
    """Best effort: the line of the last key of ``path`` in ``file``, found by searching for
    the keys of the path in order (a JSON pointer into the schema, or a JSON path into the
    instance, whose keys appear as property names in the schema)."""
    target = root / file
    if not file.endswith(".json") or not target.is_file():
        return None
    if path.startswith("#"):
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/") if t]
        tokens = [t for t in tokens if not t.isdigit()]
    else:
        tokens = [m.group(1) or json.loads(f'"{m.group(2)}"') for m in _PATH_TOKEN.finditer(path)]
    if not tokens:
        return None
    text = target.read_text(encoding="utf-8", errors="replace")
    pos = 0
    for tok in tokens:
        found = text.find(json.dumps(tok, ensure_ascii=False) + ":", pos)
        if found < 0:
            found = text.find(json.dumps(tok, ensure_ascii=False), pos)
        if found < 0:
            return None
        pos = found
    return text.count("\n", 0, pos) + 1


def _modified(
    root: Path, sha: str, rel: str, old_bytes: bytes, new_bytes: bytes, work_res: Resolver
) -> Finding:
    file = f"schemas/{rel}"
    old_doc, old_error = _parse(old_bytes, f"{file} (published)")
    new_doc, new_error = _parse(new_bytes, file)
    if old_error or new_error:
        return Finding(
            "CI001",
            Severity.ERROR,
            file,
            "$",
            f"published version {rel} was edited in place ({new_error or old_error}); "
            "make a new version file",
        )
    if old_doc == new_doc:
        what = "only whitespace or key order changed"
        path = "$"
    else:
        base_res = Resolver(_git_fetch(root, sha))
        base_res.register(id_for(rel), old_doc)
        new_res = Resolver(dir_fetch(root / "schemas"))
        new_res.register(id_for(rel), new_doc)
        diffs = compare_schemas(
            Loc(old_doc, id_for(rel)), Loc(new_doc, id_for(rel)), base_res, new_res
        )
        path = diffs[0].path if diffs else "$"
        what = "; ".join(f"{d.rule} {d.path}: {d.message}" for d in diffs[:5]) or "content changed"
        if len(diffs) > 5:
            what += f"; and {len(diffs) - 5} more"
    return Finding(
        "CI001",
        Severity.ERROR,
        file,
        path,
        f"published version {rel} was edited in place ({what}); published files "
        "never change: revert it and put the change in a new version file",
    )


def _check_new(
    rel: str,
    work: dict[str, bytes],
    base_files: dict[str, bytes],
    all_versions: list[str],
    res: Resolver,
    approvals: list[Approval],
    findings: list[Finding],
    result: Result,
    schemas: Path,
) -> None:
    file = f"schemas/{rel}"
    sf = SchemaFile(rel)
    version = sf.version
    if version is None:
        findings.append(
            Finding(
                "CV004",
                Severity.ERROR,
                file,
                "$",
                f"{sf.stem!r} is not MODEL-REVISION-ADDITION (e.g. 1-0-0)",
            )
        )
        return
    doc, error = _parse(work[rel], file)
    if error is not None:
        findings.append(Finding("CG004", Severity.ERROR, file, "$", error))
        return
    lint_findings, notes = lint_schema(doc, rel, res)
    findings.extend(lint_findings)
    result.notes.extend(notes)
    published = [SchemaFile(r).version for r in base_files if SchemaFile(r).family == sf.family]
    later: list[str] = []
    if rel not in base_files:  # (with --all, published files are checked too)
        later = sorted(str(v) for v in published if v is not None and v >= version)
    if later:
        findings.append(
            Finding(
                "CV003",
                Severity.ERROR,
                file,
                "$",
                f"{version} is not after the published {', '.join(later)}",
            )
        )
    prev = _previous(rel, all_versions)
    if prev is None:
        if version != FIRST and not later:
            findings.append(
                Finding(
                    "CV005",
                    Severity.ERROR,
                    file,
                    "$",
                    f"a new schema starts at 1-0-0, not {version}",
                )
            )
        result.summaries.append(SchemaSummary(file, None, Category.NONE, None, not later))
        return
    prev_v = SchemaFile(prev).version
    assert prev_v is not None
    # the published bytes when the previous version exists at the base (even if edited)
    old_doc, error = _parse(base_files.get(prev, work[prev]), f"schemas/{prev}")
    if error is not None:
        return  # reported for the previous file itself
    diffs = compare_schemas(Loc(old_doc, id_for(prev)), Loc(doc, id_for(rel)), res)
    diff_findings = [
        Finding(d.rule, Severity.NOTICE, file, d.path, d.message, d.category) for d in diffs
    ]
    attach_approvals(diff_findings, approvals)
    required = required_bump(
        [d for d, f in zip(diffs, diff_findings, strict=True) if f.approval is None]
    )
    bump = bump_category(prev_v, version)
    level = bump if bump is not None else _level(prev_v, version)
    for f in diff_findings:
        if f.approval is None and f.category is not None and f.category > level:
            f.severity = Severity.ERROR
    ok = True
    if bump is None:
        ok = False
        nexts = ", ".join(
            f"{prev_v.next(c)} ({c.name})"
            for c in (Category.ADDITION, Category.REVISION, Category.MODEL)
        )
        findings.append(
            Finding(
                "CV002",
                Severity.ERROR,
                file,
                "$",
                f"{prev_v} → {version} is not a clean bump (skipped or reused "
                f"numbers); the next version after {prev_v} is one of {nexts}",
            )
        )
    if required > level:
        ok = False
        findings.append(
            Finding(
                "CV001",
                Severity.ERROR,
                file,
                "$",
                f"the changes need a {required.name} bump ({prev_v} → {prev_v.next(required)}), "
                f"but {prev_v} → {version} is a{'n' if level is Category.ADDITION else ''} "
                f"{level.name} bump",
            )
        )
    if level is Category.MODEL:
        from generator.gate.upgrades import upgrade_verdict

        findings.append(
            Finding(
                "CV006",
                Severity.WARNING,
                file,
                "$",
                f"{prev_v} → {version} is a MODEL bump (breaking: payloads of {prev_v} are not "
                f"valid {version}); {upgrade_verdict(schemas, prev, rel)}",
            )
        )
    findings.extend(diff_findings)
    result.summaries.append(
        SchemaSummary(file, f"schemas/{prev}", required, bump, ok and not later, len(diffs))
    )


def _previous(rel: str, all_versions: list[str]) -> str | None:
    from generator.gate.versions import previous_version

    return previous_version(rel, all_versions)


def _examples(
    root: Path, sha: str, fresh: dict[str, bytes] | None, result: Result
) -> list[Finding]:
    """CI003 / CI004: the base's examples read with the package of this commit."""
    from generator.gate.examples import base_examples, example_findings, head_package

    if not (root / "python" / "src" / "codex_analytics_contract").is_dir():
        result.notes.append("published examples not checked: no package in python/src")
        return []
    try:
        examples = base_examples(root, sha)
    except GitError as exc:
        return [Finding("CG005", Severity.ERROR, "examples", "$", f"cannot read: {exc}")]
    with head_package(root, fresh) as (src, how):
        found = example_findings(examples, src)
    result.notes.append(
        f"{len(examples)} published example(s) read back at their version with {how}"
    )
    return found


def _drift(root: Path, result: Result) -> tuple[list[Finding], dict[str, bytes] | None]:
    """The drift finding (if any) and the generator's output for this checkout (None when it
    could not be made, or the checkout is not the generator's own)."""
    if not (root / "generator" / "drift.py").is_file():
        return [], None
    try:
        from generator.drift import find_drift
        from generator.generate import render_all
        from generator.paths import OUTPUT_ROOTS, ROOT
    except ImportError as exc:
        result.notes.append(f"drift check skipped: generator.drift not importable ({exc})")
        return [], None
    folders = " ".join(OUTPUT_ROOTS)
    try:
        fresh = render_all()
        drift = find_drift(fresh=fresh)
    except SchemaStoreError as exc:  # a schema the generator refuses: its one-line reason
        return [Finding("CG003", Severity.ERROR, folders, "$", f"cannot generate: {exc}")], None
    except Exception as exc:  # a generator failure is reported as a finding, not a crash
        crashed = f"drift check crashed: {exc!r}"
        return [Finding("CG003", Severity.ERROR, folders, "$", crashed)], None
    own = fresh if root.resolve() == ROOT else None
    if drift.clean:
        result.notes.append("drift check passed (the generated folders are up to date)")
        return [], own
    stale_output = drift.changed or drift.missing or drift.stale
    if stale_output:
        counts = ", ".join(
            f"{len(items)} {label}"
            for label, items in (
                ("differ", drift.changed),
                ("missing", drift.missing),
                ("stale", drift.stale),
            )
            if items
        )
        first = (drift.changed + drift.missing + drift.stale)[0]
        message = (
            f"generated files are not what the generator produces now ({counts}; first: "
            f"{first}): run `make generate`, then `git add {folders}` and commit"
        )
    else:
        message = (
            f"{len(drift.untracked)} generated file(s) are not tracked by git (first: "
            f"{drift.untracked[0]}): run `git add {folders}` and commit"
        )
    return [Finding("CG003", Severity.ERROR, folders, "$", message)], own


def run_check(
    base: str | None,
    fmt: str,
    *,
    root: Path | None = None,
    drift: bool = True,
    markdown_out: str | None = None,
    every_file: bool = False,
) -> int:
    """Run the gate; print the report. 0: may merge, 1: may not, 2: usage error."""
    if fmt not in ("text", "markdown", "github"):
        print(f"codex-contract check: unknown format {fmt!r}", file=sys.stderr)
        return 2
    start = root or repo_root(Path.cwd()) or Path.cwd()
    try:
        result = gather(start, base or None, drift=drift, every_file=every_file)
    except UsageError as exc:
        print(f"codex-contract check: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(result, fmt))
    if markdown_out:
        Path(markdown_out).write_text(render(result, "markdown"), encoding="utf-8")
    return 0 if result.passed else 1
