"""The package's version, derived from the contract (spec/versioning.md §10), and its changelog.

The one hand-kept input is the release ledger, `python/releases.json`: every release of the
package, oldest first, with the schema version files it shipped (written by
`codex-contract release`, never by hand) and the runtime fixes it carried; plus the runtime fixes
made since the last release (`unreleased_fixes`, edited by hand with each fix). The version of
the working tree is then a function of the ledger and `schemas/`:

* a schema version file the last release shipped is gone: MAJOR + 1 (minor and patch reset);
* else a schema version file the last release did not ship is there: MINOR + 1 (patch reset);
* else `unreleased_fixes` is not empty: PATCH + 1;
* else the last release's version (the tree is that release).

`make generate` writes it into the package (`_generated/version.py`, read by `__version__` and by
pyproject.toml's dynamic version) and renders the changelog from the ledger and the gate's
differences between consecutive schema versions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import GeneratorError, shown
from generator.gate.versions import SchemaVer
from generator.paths import MIGRATION_SUFFIX, PACKAGE_PROJECT, SCHEMAS

LEDGER = PACKAGE_PROJECT / "releases.json"


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str, where: str) -> Version:
        parts = text.split(".")
        if len(parts) != 3 or not all(p.isdigit() and str(int(p)) == p for p in parts):
            raise GeneratorError(f"{where}: {text!r} is not a version MAJOR.MINOR.PATCH")
        return cls(int(parts[0]), int(parts[1]), int(parts[2]))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


@dataclass(frozen=True)
class Release:
    version: Version
    schemas: frozenset[str]  # schema version files below schemas/, e.g. events/x/1-0-0.json
    fixes: tuple[str, ...]


@dataclass(frozen=True)
class Ledger:
    releases: tuple[Release, ...]  # oldest first
    unreleased_fixes: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """The working tree against the last release: the version it derives and why."""

    version: Version
    added: tuple[str, ...]
    removed: tuple[str, ...]
    fixes: tuple[str, ...]
    released: bool  # True: the tree is exactly the last release


def schema_files(schemas: Path = SCHEMAS) -> frozenset[str]:
    """Every schema version file below ``schemas`` (kind/name/M-R-A.json; no migrations)."""
    out: set[str] = set()
    for path in schemas.glob("*/**/*.json"):
        rel = path.relative_to(schemas).as_posix()
        if rel.endswith(MIGRATION_SUFFIX) or SchemaVer.parse(path.stem) is None:
            continue
        out.add(rel)
    return frozenset(out)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GeneratorError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def load_ledger(path: Path = LEDGER) -> Ledger:
    """The release ledger; a malformed one is a GeneratorError naming the JSON path."""
    where = shown(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeneratorError(f"{where}: not a readable JSON release ledger: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("releases"), list):
        raise GeneratorError(f"{where}: $: expected an object with a `releases` list")
    releases: list[Release] = []
    for i, raw in enumerate(doc["releases"]):
        at = f"{where}: $.releases[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"version", "schemas", "fixes"}:
            raise GeneratorError(f"{at}: expected an object with version, schemas and fixes")
        version = Version.parse(str(raw["version"]), f"{at}.version")
        if releases and not _after(version, releases[-1].version):
            raise GeneratorError(f"{at}.version: {version} is not after {releases[-1].version}")
        schemas = _strings(raw["schemas"], f"{at}.schemas")
        releases.append(Release(version, frozenset(schemas), _strings(raw["fixes"], f"{at}.fixes")))
    if not releases:
        raise GeneratorError(f"{where}: $.releases: expected at least the first release")
    fixes = _strings(doc.get("unreleased_fixes", []), f"{where}: $.unreleased_fixes")
    return Ledger(tuple(releases), fixes)


def _after(new: Version, old: Version) -> bool:
    return (new.major, new.minor, new.patch) > (old.major, old.minor, old.patch)


def derive(ledger: Ledger, tree: frozenset[str]) -> Step:
    """The version of a tree holding the schema version files ``tree`` (the rule above)."""
    last = ledger.releases[-1]
    added = tuple(sorted(tree - last.schemas))
    removed = tuple(sorted(last.schemas - tree))
    v = last.version
    if removed:
        version = Version(v.major + 1, 0, 0)
    elif added:
        version = Version(v.major, v.minor + 1, 0)
    elif ledger.unreleased_fixes:
        version = Version(v.major, v.minor, v.patch + 1)
    else:
        return Step(v, (), (), (), True)
    return Step(version, added, removed, ledger.unreleased_fixes, False)


def package_version(schemas: Path = SCHEMAS, ledger: Path = LEDGER) -> Version:
    return derive(load_ledger(ledger), schema_files(schemas)).version


def cut_release(schemas: Path = SCHEMAS, ledger: Path = LEDGER) -> Version | None:
    """Record the working tree as the next release (`codex-contract release`); None when the
    tree already is the last release."""
    led = load_ledger(ledger)
    tree = schema_files(schemas)
    step = derive(led, tree)
    if step.released:
        return None
    doc = json.loads(ledger.read_text(encoding="utf-8"))
    doc["releases"].append(
        {"version": str(step.version), "schemas": sorted(tree), "fixes": list(step.fixes)}
    )
    doc["unreleased_fixes"] = []
    ledger.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return step.version


# -- the changelog ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    rule: str
    title: str
    category: str
    path: str
    message: str


@dataclass(frozen=True)
class SchemaVersionEntry:
    relpath: str  # events/x/2-0-0.json
    version: str
    previous: str | None  # the version before it (None: a new schema)
    bump: str  # MODEL / REVISION / ADDITION / "new schema"
    upstream: str  # release, commit, PR and date, as far as known
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class SchemaGroup:
    schema: str  # events/x
    versions: tuple[SchemaVersionEntry, ...]


@dataclass(frozen=True)
class ChangelogRelease:
    version: str
    unreleased: bool
    added: tuple[SchemaGroup, ...]
    removed: tuple[str, ...]
    fixes: tuple[str, ...]
    first: bool  # the first release: the contract as it was, not changes

    @property
    def version_count(self) -> int:
        return sum(len(g.versions) for g in self.added)


@dataclass(frozen=True)
class Changelog:
    version: str  # the package version of the working tree
    releases: tuple[ChangelogRelease, ...]  # newest first


def _upstream(doc: Any) -> str:
    up = doc.get("x-upstream") if isinstance(doc, dict) else None
    if not isinstance(up, dict):
        return ""
    parts = []
    if up.get("release"):
        parts.append(f"upstream {up['release']}")
    if up.get("commit"):
        parts.append(f"commit {str(up['commit'])[:9]}")
    if up.get("pr"):
        parts.append(f"PR #{up['pr']}")
    if up.get("date"):
        parts.append(str(up["date"]))
    return ", ".join(parts)


def _entry(rel: str, schemas: Path, everything: frozenset[str]) -> SchemaVersionEntry:
    from generator.gate.compare import required_bump
    from generator.gate.diff_cmd import diff_files
    from generator.gate.rules import RULES

    family, file = rel.rsplit("/", 1)
    version = SchemaVer.parse(file.removesuffix(".json"))
    assert version is not None, rel
    older = [
        v
        for v in (
            SchemaVer.parse(r.rsplit("/", 1)[1].removesuffix(".json"))
            for r in everything
            if r.rsplit("/", 1)[0] == family
        )
        if v is not None and v < version
    ]
    doc = json.loads((schemas / rel).read_text(encoding="utf-8"))
    if not older:
        return SchemaVersionEntry(rel, str(version), None, "new schema", _upstream(doc), ())
    previous = max(older)
    found = diff_files(schemas / f"{family}/{previous}.json", schemas / rel, schemas)
    changes = tuple(
        Change(d.rule, RULES[d.rule].title, d.category.name, d.path, d.message) for d in found
    )
    bump = required_bump(found).name if found else "NONE"
    return SchemaVersionEntry(rel, str(version), str(previous), bump, _upstream(doc), changes)


def _groups(rels: list[str], schemas: Path, everything: frozenset[str]) -> tuple[SchemaGroup, ...]:
    by_schema: dict[str, list[str]] = {}
    for rel in rels:
        by_schema.setdefault(rel.rsplit("/", 1)[0], []).append(rel)
    out = []
    for schema in sorted(by_schema):
        files = sorted(by_schema[schema], key=lambda r: SchemaVer.parse(Path(r).stem) or r)
        out.append(SchemaGroup(schema, tuple(_entry(r, schemas, everything) for r in files)))
    return tuple(out)


def changelog(schemas: Path = SCHEMAS, ledger: Path = LEDGER) -> Changelog:
    """Every release (and the unreleased state of the tree), newest first, with the schema
    versions each added, described by the gate's differences from the version before."""
    led = load_ledger(ledger)
    tree = schema_files(schemas)
    everything = frozenset(tree.union(*(r.schemas for r in led.releases)))
    present = [r for r in everything if (schemas / r).is_file()]
    out: list[ChangelogRelease] = []
    previous: frozenset[str] = frozenset()
    for i, release in enumerate(led.releases):
        added = sorted(r for r in release.schemas - previous if r in present)
        out.append(
            ChangelogRelease(
                str(release.version),
                False,
                _groups(added, schemas, everything),
                tuple(sorted(previous - release.schemas)),
                release.fixes,
                i == 0,
            )
        )
        previous = release.schemas
    step = derive(led, tree)
    if not step.released:
        out.append(
            ChangelogRelease(
                str(step.version),
                True,
                _groups(list(step.added), schemas, everything),
                step.removed,
                step.fixes,
                False,
            )
        )
    return Changelog(str(step.version), tuple(reversed(out)))
