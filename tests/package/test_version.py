"""The package version follows the contract (spec/versioning.md §10): one derived value, written
by `make generate`, read by `__version__`, pyproject.toml and the installed metadata alike."""

from __future__ import annotations

import json
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest
from setuptools.config.pyprojecttoml import read_configuration

import codex_analytics_contract
from generator.errors import GeneratorError
from generator.releases import (
    LEDGER,
    Ledger,
    Release,
    Version,
    changelog,
    cut_release,
    derive,
    load_ledger,
    package_version,
    schema_files,
)
from tests.conftest import ROOT, SCHEMAS

PYPROJECT = ROOT / "python" / "pyproject.toml"


def test_pyproject_metadata_and_dunder_version_agree() -> None:
    config = read_configuration(PYPROJECT, expand=True, ignore_option_errors=False)
    assert "version" in config["project"]["dynamic"] or "version" in config["project"]
    assert config["project"]["version"] == codex_analytics_contract.__version__
    assert version("codex-analytics-contract") == codex_analytics_contract.__version__, (
        "the installed metadata is stale: run `make venv`"
    )


def test_the_version_is_the_one_the_contract_derives() -> None:
    assert str(package_version()) == codex_analytics_contract.__version__
    ledger = load_ledger()
    last = ledger.releases[-1]
    # the shipped schemas of every release are still in the tree (or the version says MAJOR)
    step = derive(ledger, schema_files())
    assert step.removed == tuple(sorted(last.schemas - schema_files()))
    if not step.released:
        assert step.version != last.version


def _ledger(files: set[str], fixes: tuple[str, ...] = ()) -> Ledger:
    return Ledger((Release(Version(1, 4, 2), frozenset(files), ()),), fixes)


BASE = {"events/x/1-0-0.json", "events/x/1-0-1.json", "facts/y/1-0-0.json"}


@pytest.mark.parametrize(
    ("tree", "fixes", "expected"),
    [
        (BASE, (), "1.4.2"),  # the tree is the last release
        (BASE, ("serializer writes 1e16 as serde_json does",), "1.4.3"),  # runtime fix: patch
        (BASE | {"events/x/1-1-0.json"}, (), "1.5.0"),  # a new schema version: minor
        (BASE | {"events/z/1-0-0.json"}, ("a fix",), "1.5.0"),  # new schema and a fix: minor
        (BASE - {"events/x/1-0-0.json"}, (), "2.0.0"),  # a version removed: major
        (BASE - {"facts/y/1-0-0.json"} | {"facts/y/2-0-0.json"}, (), "2.0.0"),  # removal wins
    ],
)
def test_the_rule(tree: set[str], fixes: tuple[str, ...], expected: str) -> None:
    step = derive(_ledger(BASE, fixes), frozenset(tree))
    assert str(step.version) == expected
    assert step.released == (expected == "1.4.2")


def test_release_records_the_tree_and_the_next_version(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    ledger = tmp_path / "releases.json"
    shutil.copy(LEDGER, ledger)
    before = package_version(schemas, ledger)
    released = cut_release(schemas, ledger)
    if released is None:  # the tree already is the last release
        released = before
    else:
        assert released == before
    assert cut_release(schemas, ledger) is None  # nothing new: nothing recorded
    assert package_version(schemas, ledger) == released
    # a runtime fix, then a new schema version, then a removed one
    doc = json.loads(ledger.read_text("utf-8"))
    doc["unreleased_fixes"] = ["parse_event names the version it tried last"]
    ledger.write_text(json.dumps(doc), encoding="utf-8")
    assert package_version(schemas, ledger) == Version(
        released.major, released.minor, released.patch + 1
    )
    folder = schemas / "events" / "codex_app_used"
    newest = sorted(folder.glob("*-*-*.json"))[-1]
    doc = json.loads(newest.read_text("utf-8"))
    doc["$id"] = doc["$id"].replace(newest.name, "7-0-0.json")
    (folder / "7-0-0.json").write_text(json.dumps(doc), encoding="utf-8")
    assert package_version(schemas, ledger) == Version(released.major, released.minor + 1, 0)
    minor = cut_release(schemas, ledger)
    assert minor == Version(released.major, released.minor + 1, 0)
    assert load_ledger(ledger).releases[-1].fixes == (
        "parse_event names the version it tried last",
    )
    assert load_ledger(ledger).unreleased_fixes == ()
    (folder / "7-0-0.json").unlink()
    assert package_version(schemas, ledger) == Version(released.major + 1, 0, 0)


def test_the_changelog_lists_a_new_version_with_the_gates_differences(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    folder = schemas / "events" / "codex_app_used"
    newest = sorted(folder.glob("*-*-*.json"))[-1]
    doc = json.loads(newest.read_text("utf-8"))
    doc["$id"] = doc["$id"].replace(newest.name, "7-0-0.json")
    doc["properties"]["event_params"]["properties"]["retry_count"] = {
        "type": "integer", "minimum": 0, "maximum": 255, "description": "Retries.",
    }  # fmt: skip
    (folder / "7-0-0.json").write_text(json.dumps(doc), encoding="utf-8")
    log = changelog(schemas, LEDGER)
    top = log.releases[0]
    assert top.unreleased and top.version == log.version
    group = next(g for g in top.added if g.schema == "events/codex_app_used")
    entry = next(v for v in group.versions if v.version == "7-0-0")
    assert entry.previous == newest.stem and entry.bump == "ADDITION"
    added = [c for c in entry.changes if c.rule == "CA001"]
    assert [c.path for c in added] == ["$.event_params.retry_count"]
    assert "optional property" in added[0].message
    # every release of the ledger is there, newest first
    versions = [r.version for r in log.releases if not r.unreleased]
    assert versions == [str(r.version) for r in reversed(load_ledger().releases)]


def test_the_committed_changelog_starts_with_the_current_version() -> None:
    for path in (
        ROOT / "generated" / "docs" / "changelog.md",
        ROOT / "python/src/codex_analytics_contract/_generated/CHANGELOG.md",
    ):
        text = path.read_text("utf-8")
        first = next(line for line in text.splitlines() if line.startswith("## "))
        assert first.startswith(f"## {codex_analytics_contract.__version__}"), path


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"releases": []}, "at least the first release"),
        ({"releases": [{"version": "1.0", "schemas": [], "fixes": []}]}, "not a version"),
        (
            {
                "releases": [
                    {"version": "1.1.0", "schemas": [], "fixes": []},
                    {"version": "1.0.0", "schemas": [], "fixes": []},
                ]
            },
            r"\$.releases\[1\].version: 1.0.0 is not after 1.1.0",
        ),
        ({"releases": [{"version": "1.0.0", "schemas": [3], "fixes": []}]}, "schemas"),
        ({"releases": "no"}, "expected an object with a `releases` list"),
    ],
)
def test_a_bad_ledger_is_a_clear_error(tmp_path: Path, doc: object, message: str) -> None:
    path = tmp_path / "releases.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(GeneratorError, match=message) as info:
        load_ledger(path)
    assert "releases.json" in str(info.value)
