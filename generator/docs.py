"""What the documentation pages need beyond the schemas: catalog, examples, version history.

* The catalog (`docs-src/catalog.yaml`) groups the events, gives each a one-line meaning and
  names the facts that produce it; the pages draw a small Mermaid flow from it.
* Examples: the golden backend log lines (`tests/golden/log_lines.txt`, read by the package's
  log-line parser) where an event has one, else the first `*.pass.json` under
  `examples/<kind>/<name>/`. An event example is shown in both views: the wire view (what Codex
  sends) and the backend view (the package's `normalize`), so the docs use exactly the shipped
  code (`runtime_module`).
* Version history: every version of a schema with its upstream release or commit
  (`x-upstream`), for each later one the gate's classified differences from the one before and
  (events) the upgrade step to it (generator/versioning.py: what `upgrade` does per key, the
  declared migration's description); every field with the version that added it and the one
  that removed it, both read from the gate's differences.

Which pages are written from this (and what is copied into the site: docs-src/, spec/) is
templates/templates.yaml's business.

Nothing here reads the clock or the environment: same input, same bytes.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from generator.errors import GeneratorError, shown
from generator.ir import ENTRY, FIELD, FieldSpec, SchemaSpec
from generator.paths import DOCS_SRC, EXAMPLES, MIGRATION_SUFFIX, PACKAGE_SRC, ROOT
from generator.schema_store import SchemaStore
from generator.versioning import Versions, migration_description

CATALOG = DOCS_SRC / "catalog.yaml"
GOLDEN_LOG_LINES = ROOT / "tests" / "golden" / "log_lines.txt"
OTHER_GROUP = "Other events"
# Property-added rules of the gate: the version that adds a field is the one it "appeared in".
ADDED_RULES = frozenset({"CA001", "CA002", "CA003", "CA004"})
# Property-removed rules of the gate: the version that removes a field is its "until".
REMOVED_RULES = frozenset({"CA005", "CA006", "CA007"})
UPSTREAM_REPO = "https://github.com/openai/codex"
# What may go into a link built from `x-upstream` (anything else is shown, unlinked, as code).
_COMMIT = re.compile(r"[0-9a-f]{7,40}")
_TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# Integer bounds of upstream widths, written the short way (exact: 2^64-1 is 18446744073709551615).
_NAMED_WIDTHS = {
    (0, 2**64 - 1): "u64: 0 .. 2^64-1",
    (-(2**63), 2**63 - 1): "i64: -2^63 .. 2^63-1",
    (0, 2**32 - 1): "u32: 0 .. 2^32-1",
    (-(2**31), 2**31 - 1): "i32: -2^31 .. 2^31-1",
    (0, 2**16 - 1): "u16: 0 .. 65535",
}


# -- catalog --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Producer:
    fact: str
    detail: str = ""


@dataclass(frozen=True)
class CatalogEntry:
    event: str
    group: str
    meaning: str
    answers: str
    triggers: tuple[Producer, ...]  # facts whose arrival emits the event
    context: tuple[Producer, ...]  # facts that only supply state the event needs


@dataclass(frozen=True)
class Group:
    title: str
    intro: str
    events: tuple[CatalogEntry, ...]


@dataclass(frozen=True)
class FactGroup:
    title: str
    intro: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    groups: tuple[Group, ...]
    fact_groups: tuple[FactGroup, ...]

    def entries(self) -> dict[str, CatalogEntry]:
        return {e.event: e for g in self.groups for e in g.events}


def _producers(raw: Any) -> tuple[Producer, ...]:
    out = []
    for item in raw or []:
        if isinstance(item, str):
            out.append(Producer(item))
        else:
            out.append(Producer(str(item["fact"]), str(item.get("detail", ""))))
    return tuple(out)


def load_catalog(path: Path = CATALOG) -> Catalog:
    """The catalog; a file that is not YAML or lacks a required key is a GeneratorError."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        return _catalog(data or {})
    except yaml.YAMLError as exc:
        what = " ".join(str(exc).split())
        raise GeneratorError(f"{shown(path)}: not valid YAML: {what}") from None
    except KeyError as exc:
        raise GeneratorError(f"{shown(path)}: an entry has no {exc} key") from None
    except (AttributeError, TypeError) as exc:
        raise GeneratorError(
            f"{shown(path)}: expected groups of events and fact_groups of facts ({exc})"
        ) from None


def _catalog(data: dict[str, Any]) -> Catalog:
    groups = []
    for g in data.get("groups", []):
        entries = tuple(
            CatalogEntry(
                event=str(e["event"]),
                group=str(g["title"]),
                meaning=str(e["meaning"]).strip(),
                answers=str(e.get("answers", "")).strip(),
                triggers=_producers(e.get("triggers")),
                context=_producers(e.get("context")),
            )
            for e in g.get("events", [])
        )
        groups.append(Group(str(g["title"]), str(g.get("intro", "")).strip(), entries))
    fact_groups = tuple(
        FactGroup(
            str(g["title"]),
            str(g.get("intro", "")).strip(),
            tuple(str(f) for f in g.get("facts", [])),
        )
        for g in data.get("fact_groups", [])
    )
    return Catalog(tuple(groups), fact_groups)


def _with_uncatalogued(
    catalog: Catalog, events: list[SchemaSpec], facts: list[SchemaSpec]
) -> Catalog:
    """The catalog restricted to the schemas that exist, plus a group for any left out."""
    names = {e.name for e in events}
    groups = [
        Group(g.title, g.intro, tuple(e for e in g.events if e.event in names))
        for g in catalog.groups
    ]
    groups = [g for g in groups if g.events]
    known = set(catalog.entries())
    missing = tuple(
        CatalogEntry(e.name, OTHER_GROUP, e.description, "", (), ())
        for e in events
        if e.name not in known
    )
    if missing:
        groups.append(Group(OTHER_GROUP, "Events not yet described in the catalog.", missing))
    fact_names = {f.name for f in facts}
    fact_groups = [
        FactGroup(g.title, g.intro, tuple(f for f in g.facts if f in fact_names))
        for g in catalog.fact_groups
    ]
    listed = {f for g in fact_groups for f in g.facts}
    loose = tuple(f.name for f in facts if f.name not in listed)
    if loose:
        fact_groups.append(FactGroup("Other facts", "", loose))
    return Catalog(tuple(groups), tuple(g for g in fact_groups if g.facts))


def _node_id(prefix: str, name: str) -> str:
    return prefix + re.sub(r"[^A-Za-z0-9_]", "_", name)


def _label(*lines: str) -> str:
    """A quoted Mermaid label; text is escaped as entities so it cannot close the quote."""
    table = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "#": "#35;"}
    parts = ["".join(table.get(ch, ch) for ch in line) for line in lines if line]
    return '"' + "<br/>".join(parts) + '"'


def event_flow(entry: CatalogEntry) -> str:
    """Mermaid flowchart: triggering facts (solid), context facts (dotted) -> reducer -> event."""
    lines = ["flowchart LR"]
    for i, p in enumerate(entry.triggers):
        lines.append(f"  t{i}[{_label(p.fact, p.detail)}] --> R")
    for i, p in enumerate(entry.context):
        lines.append(f"  c{i}[{_label(p.fact, p.detail)}] -. state .-> R")
    lines.append(f"  R(({_label('reducer')})) --> E[{_label(entry.event)}]")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class FactUse:
    event: str
    role: str  # "emits" | "supplies state for"
    detail: str


def fact_uses(catalog: Catalog) -> dict[str, list[FactUse]]:
    uses: dict[str, list[FactUse]] = {}
    for entry in catalog.entries().values():
        for role, producers in (("emits", entry.triggers), ("supplies state for", entry.context)):
            for p in producers:
                uses.setdefault(p.fact, []).append(FactUse(entry.event, role, p.detail))
    return uses


def fact_flow(name: str, uses: list[FactUse]) -> str:
    lines = ["flowchart LR", f"  F[{_label(name)}] --> R(({_label('reducer')}))"]
    seen: set[str] = set()
    for use in uses:
        if use.event in seen:
            continue
        seen.add(use.event)
        arrow = "-->" if use.role == "emits" else "-. state .->"
        lines.append(f"  R {arrow} {_node_id('e_', use.event)}[{_label(use.event)}]")
    return "\n".join(lines) + "\n"


# -- field rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    path: str  # dotted path below the table's root, e.g. "app_server_client.client_name"
    depth: int
    spec: FieldSpec
    bounds: str
    since: str  # the version that added the field ("" for variant and condition rows)
    added: bool = False  # added after the schema's first version (the page says so)


def bounds_text(f: FieldSpec) -> str:
    if f.minimum is None and f.maximum is None:
        return ""
    if f.minimum is not None and f.maximum is not None:
        named = _NAMED_WIDTHS.get((f.minimum, f.maximum))
        if named is not None:
            return named
    low = "" if f.minimum is None else str(f.minimum)
    high = "" if f.maximum is None else str(f.maximum)
    return f"{low} .. {high}".strip()


def rows(
    fields: tuple[FieldSpec, ...],
    root: str,
    since: Mapping[str, str],
    first: str,
    cases: tuple[FieldSpec, ...] = (),
    prefix: str = "",
    depth: int = 0,
) -> list[Row]:
    """Table rows in wire order: after each field the fields of its object value, the fields
    its conditionals add and its variants (each with its own fields), one level deeper.

    `root` is the table's place in the instance ("event_params." for the params table): a
    field's path is shown relative to it, and looked up as `$.<root><path>` in the gate's
    differences (an array's items are `[*]`, the values of a map `*`).
    """
    out: list[Row] = []
    for f in (*fields, *cases):
        if f.role in (FIELD, ENTRY):
            path = f"{prefix}{f.name if f.role == FIELD else '*'}"
            version = since.get(f"$.{root}{path}", first)
            inner = f"{path}[*]." if f.type_text.startswith("array") else f"{path}."
        else:  # a variant or a condition describes the value the row above holds
            path, version, inner = prefix.removesuffix("."), "", prefix
        out.append(Row(path, depth, f, bounds_text(f), version, version not in ("", first)))
        out.extend(rows(f.children, root, since, first, f.cases, inner, depth + 1))
        for variant in f.variants:
            out.extend(rows((variant,), root, since, first, (), inner, depth + 1))
    return out


# -- version history ------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    rule: str
    category: str
    path: str
    message: str


@dataclass(frozen=True)
class Upstream:
    """A version's `x-upstream`: the upstream state it restates. The URLs are built here from
    checked values (a commit's hex digits, a PR number, a release tag), never taken from the
    schema; `source` is free text (the page escapes it)."""

    release: str | None = None
    release_url: str | None = None
    commit: str | None = None
    commit_url: str | None = None
    pr: int | None = None
    pr_url: str | None = None
    date: str | None = None
    source: str | None = None


def upstream_of(schema: Mapping[str, Any]) -> Upstream | None:
    """The `x-upstream` of a schema file (a string: its source only; none: None)."""
    found = schema.get("x-upstream")
    if isinstance(found, str):
        return Upstream(source=found)
    if not isinstance(found, Mapping):
        return None
    release, commit, pr = found.get("release"), found.get("commit"), found.get("pr")
    release = release if isinstance(release, str) else None
    commit = commit if isinstance(commit, str) else None
    number = pr if isinstance(pr, int) and not isinstance(pr, bool) and pr > 0 else None
    date, source = found.get("date"), found.get("source")
    return Upstream(
        release=release,
        release_url=f"{UPSTREAM_REPO}/releases/tag/{release}"
        if release and _TAG.fullmatch(release)
        else None,
        commit=commit,
        commit_url=f"{UPSTREAM_REPO}/commit/{commit}"
        if commit and _COMMIT.fullmatch(commit)
        else None,
        pr=number,
        pr_url=f"{UPSTREAM_REPO}/pull/{number}" if number is not None else None,
        date=date if isinstance(date, str) else None,
        source=source if isinstance(source, str) else None,
    )


@dataclass(frozen=True)
class StepOp:
    """What `upgrade` does with one key of the newer version (one op of generator/versioning.py
    `upgrade_ops`, or a dropped key): `action` is copy, value, null, absent, error or drop."""

    key: str
    action: str
    source: str | None = None  # copy: the older version's key
    mapping: tuple[tuple[Any, Any], ...] = ()  # copy: value renames
    value: Any = None  # value: the constant
    conditions: tuple[tuple[str, Any], ...] = ()  # copy/value: when the older event has these
    reason: str = ""  # the declared description, or why there is no honest value


@dataclass(frozen=True)
class Step:
    """The upgrade step from the previous version to this one."""

    description: str | None  # the declared migration's description (its file), if any
    migration: str | None  # the migration file below the repository root, if declared
    ops: tuple[StepOp, ...]  # every key whose value is not simply kept, and the dropped keys

    @property
    def raises(self) -> tuple[StepOp, ...]:
        return tuple(op for op in self.ops if op.action == "error")


def step_ops(
    ops: tuple[tuple[str, tuple[Any, ...]], ...], dropped: list[str]
) -> tuple[StepOp, ...]:
    """The generated upgrade operations (versioning.upgrade_ops) that do more than keep a value,
    then the keys the step drops."""
    out: list[StepOp] = []
    for key, op in ops:
        kind = op[0]
        if kind == "copy":
            out.append(StepOp(key, kind, op[1], tuple(op[2].items()), None, op[3], op[4]))
        elif kind == "value":
            out.append(StepOp(key, kind, None, (), op[1], op[2], op[3]))
        elif kind == "error":
            out.append(StepOp(key, kind, reason=str(op[1])))
        elif kind in ("null", "absent"):
            out.append(StepOp(key, kind))
    out.extend(StepOp(key, "drop") for key in dropped)
    return tuple(out)


@dataclass(frozen=True)
class VersionEntry:
    version: str
    relpath: str
    previous: str | None
    changes: tuple[Change, ...]  # the gate's differences from `previous` (none for the first)
    upstream: Upstream | None = None
    added: tuple[str, ...] = ()  # field paths this version adds (the gate's differences)
    removed: tuple[str, ...] = ()  # field paths this version removes
    step: Step | None = None  # events: the upgrade step from `previous`


@dataclass(frozen=True)
class Lifetime:
    """One field over the versions: in every version from `since` up to, not including,
    `until` (None: still in the newest); `spans` when it was removed and added again."""

    path: str  # the JSON path without "$.", e.g. "event_params.session_id"
    spans: tuple[tuple[str, str | None], ...]

    @property
    def since(self) -> str:
        return self.spans[0][0]

    @property
    def until(self) -> str | None:
        return self.spans[-1][1]


DiffFunc = Callable[[Path, Path, Path], list[Any]]


def history(spec: SchemaSpec, store: SchemaStore, diff: DiffFunc) -> list[VersionEntry]:
    """Every version of a schema, oldest first, with its upstream and the gate's differences
    from the one before."""
    root = store.root
    out: list[VersionEntry] = []
    prev: str | None = None
    files = {str(f.version): f for f in store.versions(spec.kind, spec.name)}
    for version in spec.versions:
        rel = f"{spec.kind}/{spec.name}/{version}.json"
        changes: tuple[Change, ...] = ()
        if prev is not None:
            found = diff(root / f"{spec.kind}/{spec.name}/{prev}.json", root / rel, root)
            changes = tuple(Change(d.rule, d.category.name, d.path, d.message) for d in found)
        item = files.get(version)
        out.append(
            VersionEntry(
                version,
                rel,
                prev,
                changes,
                upstream_of(item.schema) if item is not None else None,
                tuple(c.path.removeprefix("$.") for c in changes if c.rule in ADDED_RULES),
                tuple(c.path.removeprefix("$.") for c in changes if c.rule in REMOVED_RULES),
            )
        )
        prev = version
    return out


def _ancestors(path: str) -> list[str]:
    """`$.a.b[*].c` -> [`$.a.b[*]`, `$.a.b`, `$.a`]: the paths that hold it, nearest first."""
    out: list[str] = []
    while True:
        parent = re.sub(r"(\.[^.\[]+|\[\*\])$", "", path)
        if parent == path or parent == "$":
            return out
        out.append(parent)
        path = parent


def lifetimes(entries: list[VersionEntry], current: list[str]) -> list[Lifetime]:
    """Every field of any version (`current`: the `$.` paths of the newest version's fields, in
    wire order; then the removed ones, by removal): the versions it is in, from the gate's
    differences. A field without differences of its own lives as long as the field holding it
    (the gate reports an added object, not each key inside it)."""
    if not entries:
        return []
    first = entries[0].version
    events: dict[str, list[tuple[str, bool]]] = {}  # path -> [(version, added?)]
    for entry in entries:
        for path in entry.added:
            events.setdefault(f"$.{path}", []).append((entry.version, True))
        for path in entry.removed:
            events.setdefault(f"$.{path}", []).append((entry.version, False))
    gone = [p for p in events if p not in current]
    out: list[Lifetime] = []
    for path in [*current, *gone]:
        own = events.get(path)
        if own is None:  # lives as long as the nearest field that holds it and has a history
            holder = next((a for a in _ancestors(path) if a in events), None)
            own = events.get(holder, []) if holder is not None else []
        spans: list[tuple[str, str | None]] = []
        since: str | None = None if own and own[0][1] else first
        for version, added in own:
            if added:
                since = version
            elif since is not None:
                spans.append((since, version))
                since = None
        if since is not None:
            spans.append((since, None))
        if spans:
            out.append(Lifetime(path.removeprefix("$."), tuple(spans)))
    return out


def field_since(lives: list[Lifetime]) -> dict[str, str]:
    """`$.`-path -> the version the field was (last) added in."""
    return {f"$.{life.path}": life.spans[-1][0] for life in lives}


def _with_step(
    entry: VersionEntry, spec: SchemaSpec, store: SchemaStore, versions: Versions
) -> VersionEntry:
    """The entry with its upgrade step (what `upgrade` does to reach it from the previous one)."""
    found = versions.upgrades.get((spec.name, entry.version))
    if found is None or entry.previous is None:
        return entry
    _, ops = found
    payload = f"{spec.params_field}." if spec.params_field else ""
    dropped = [
        path.removeprefix(payload)
        for path in entry.removed
        if path.startswith(payload) and re.fullmatch(r"[^.\[]+", path.removeprefix(payload))
    ]
    path = store.root / f"{spec.kind}/{spec.name}/{entry.version}{MIGRATION_SUFFIX}"
    declared = path.is_file()
    return replace(
        entry,
        step=Step(
            migration_description(path) if declared else None,
            f"schemas/{spec.kind}/{spec.name}/{entry.version}{MIGRATION_SUFFIX}"
            if declared
            else None,
            step_ops(ops, dropped),
        ),
    )


# -- examples -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    source: str  # where it comes from, below the repository root
    golden: bool
    wire: str  # pretty JSON, wire key order
    wire_line: str  # the exact wire bytes (one line)
    backend: str | None  # pretty JSON of the backend view (events only)
    log_line: str | None  # the verbatim backend log line (golden examples only)
    more: int = 0  # further golden lines for the same event


_RUNTIME = "_codex_contract_runtime"


def runtime_module(name: str) -> ModuleType:
    """A module of the package's hand-written runtime (`python/src/<package>/<name>.py`), loaded
    without importing the package: its `__init__` needs `_generated/`, which this run writes.
    The docs use exactly the shipped code (`normalize`, the log-line parser); relative imports
    inside such a module reach its neighbours the same way."""
    if _RUNTIME not in sys.modules:
        package = ModuleType(_RUNTIME, "the package's runtime modules, for the docs generator")
        package.__path__ = [str(PACKAGE_SRC)]
        sys.modules[_RUNTIME] = package
    return importlib.import_module(f"{_RUNTIME}.{name}")


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _order(value: Any, fields: tuple[FieldSpec, ...]) -> Any:
    """`value` with its keys in the declared (wire) order of `fields`, recursively."""
    if not isinstance(value, dict) or not fields:
        return value
    by_name = {f.name: f for f in fields}
    out = {}
    for f in fields:
        if f.name in value:
            out[f.name] = _order(value[f.name], f.children)
    for key, item in value.items():
        if key not in by_name:
            out[key] = item
    return out


# event type -> its golden log lines: (the line, the params it logs, its form: "dict" or "kv")
GoldenLines = dict[str, list[tuple[str, dict[str, Any], str]]]


def golden_lines(path: Path = GOLDEN_LOG_LINES) -> GoldenLines:
    """Per event type, its golden backend log lines, read by the package's log-line parser
    (the dict form's params are a Python-dict repr, read as data, never evaluated)."""
    logline = runtime_module("logline")
    errors = runtime_module("errors")
    found: GoldenLines = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            logged = logline.parse_log_line(line)
        except errors.ContractError as exc:
            raise GeneratorError(f"{shown(path)}:{number}: {exc}") from None
        found.setdefault(logged.event_type, []).append((line, logged.params, logged.form))
    return found


def event_example(
    spec: SchemaSpec, golden: GoldenLines, norm: ModuleType, logged_order: list[str]
) -> Example | None:
    """The page's example: a golden log line when there is one (in the wire order of the
    version that logged it, `logged_order`), else the newest version's first valid example."""
    lines = golden.get(spec.name, [])
    dict_lines = [(line, params) for line, params, form in lines if form == "dict"]
    if dict_lines:
        line, params = dict_lines[0]
        backend_event = {"event_type": spec.name, "event_params": params}
        wire = _order(norm.denormalize(backend_event), spec.fields)
        params = wire.get("event_params")
        if isinstance(params, dict) and logged_order:
            known = [k for k in logged_order if k in params]
            wire["event_params"] = {
                **{k: params[k] for k in known},
                **{k: v for k, v in params.items() if k not in known},
            }
        backend = norm.normalize(wire)
        if backend != backend_event:
            raise GeneratorError(
                f"{shown(GOLDEN_LOG_LINES)}: the {spec.name} line is not the same after"
                " denormalize and normalize (the package's normalize and the line disagree)"
            )
        return Example(
            source=shown(GOLDEN_LOG_LINES),
            golden=True,
            wire=_pretty(wire),
            wire_line=_compact(wire),
            backend=_pretty(backend),
            log_line=line,
            more=len(lines) - 1,
        )
    first = _first_pass(spec)
    if first is None:
        return None
    raw = first.read_text(encoding="utf-8").strip()
    value = json.loads(raw)
    return Example(
        source=first.relative_to(ROOT).as_posix(),
        golden=False,
        wire=_pretty(value),
        wire_line=raw,
        backend=_pretty(norm.normalize(value)),
        log_line=None,
    )


def fact_example(spec: SchemaSpec) -> Example | None:
    first = _first_pass(spec)
    if first is None:
        return None
    raw = first.read_text(encoding="utf-8").strip()
    value = json.loads(raw)
    return Example(
        first.relative_to(ROOT).as_posix(), False, _pretty(value), _compact(value), None, None
    )


def _first_params(store: SchemaStore, spec: SchemaSpec) -> list[str]:
    """The event_params keys of the schema's first version (1-0-0), in wire order: the golden
    log lines were logged by clients of that version."""
    first = store.versions(spec.kind, spec.name)[0].schema
    params = first.get("properties", {}).get("event_params", {})
    return list(params.get("properties", {})) if isinstance(params, dict) else []


def _first_pass(spec: SchemaSpec) -> Path | None:
    """The first valid example of the schema's newest version (the one the page shows)."""
    found = sorted((EXAMPLES / spec.kind / spec.name / spec.version).glob("*.pass.json"))
    return found[0] if found else None


# -- the context ----------------------------------------------------------------------------


@dataclass
class DocsData:
    catalog: Catalog
    entries: dict[str, CatalogEntry] = field(default_factory=dict)
    flows: dict[str, str] = field(default_factory=dict)  # event or fact name -> Mermaid text
    uses: dict[str, list[FactUse]] = field(default_factory=dict)  # fact -> events
    examples: dict[str, Example | None] = field(default_factory=dict)  # "events/x" -> example
    history: dict[str, list[VersionEntry]] = field(default_factory=dict)  # "events/x" -> versions
    lifetimes: dict[str, list[Lifetime]] = field(default_factory=dict)  # "events/x" -> fields
    rows: dict[str, list[Row]] = field(default_factory=dict)  # "events/x" -> envelope rows
    params: dict[str, list[Row]] = field(default_factory=dict)  # "events/x" -> event_params rows
    # "events/x" -> whether some key (at any depth) may be left out of an instance
    optional_keys: dict[str, bool] = field(default_factory=dict)


def docs_context(
    store: SchemaStore,
    events: list[SchemaSpec],
    facts: list[SchemaSpec],
    versions: Versions | None = None,
) -> DocsData:
    """What the pages show beyond the schemas (`versions`: the generator's upgrade steps, for
    the events' migrations; without it the pages list none)."""
    catalog = _with_uncatalogued(load_catalog(), events, facts)
    data = DocsData(catalog=catalog, entries=catalog.entries(), uses=fact_uses(catalog))
    from generator.gate.diff_cmd import diff_files  # the gate imports the schema store too

    norm = runtime_module("normalize")
    golden = golden_lines()
    for spec in [*events, *facts]:
        key = f"{spec.kind}/{spec.name}"
        entries = history(spec, store, diff_files)
        if versions is not None and spec.kind == "events":
            entries = [_with_step(e, spec, store, versions) for e in entries]
        first = spec.versions[0] if spec.versions else spec.version
        envelope = (
            tuple(f for f in spec.fields if f.name != spec.params_field)
            if spec.params_field
            else spec.fields
        )
        tables = [("", envelope, spec.cases)]
        if spec.params_field:
            tables.append((f"{spec.params_field}.", spec.params, spec.params_cases))
        current = [
            f"$.{root}{r.path}"
            for root, fields, cases in tables
            for r in rows(fields, root, {}, first, cases)
            if r.spec.role in (FIELD, ENTRY)
        ]
        lives = lifetimes(entries, current)
        since = field_since(lives)
        data.history[key] = entries
        data.lifetimes[key] = lives
        data.rows[key] = rows(envelope, "", since, first, spec.cases)
        if spec.params_field:
            data.params[key] = rows(
                spec.params, f"{spec.params_field}.", since, first, spec.params_cases
            )
        every = [*data.rows[key], *data.params.get(key, [])]
        data.optional_keys[key] = any(r.spec.role == FIELD and not r.spec.required for r in every)
        if spec.kind == "events":
            data.examples[key] = event_example(spec, golden, norm, _first_params(store, spec))
            entry = data.entries.get(spec.name)
            if entry is not None and (entry.triggers or entry.context):
                data.flows[key] = event_flow(entry)
        else:
            data.examples[key] = fact_example(spec)
            if spec.name in data.uses:
                data.flows[key] = fact_flow(spec.name, data.uses[spec.name])
    return data
