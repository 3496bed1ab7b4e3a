"""Every version on the event and fact pages (issue #10, item 9), checked against the schemas
and migration files themselves, not against page text written here: each version with its
upstream release, commit or pull request; every field with since/until; each declared
migration with what `upgrade` does and the steps that raise UpgradeError."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.docs import docs_context
from generator.generate import build_context
from generator.paths import SCHEMAS, TEMPLATES
from generator.render import environment, md_inline
from generator.schema_store import load_store
from tests.docs.conftest import DOCS
from tests.docs.pages import section

UPSTREAM = "https://github.com/openai/codex"


def _schemas(kind: str) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """name -> [(version, schema)], oldest first (SchemaVer order)."""
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for folder in sorted(p for p in (SCHEMAS / kind).iterdir() if p.is_dir()):
        found = [
            (p.stem, json.loads(p.read_text(encoding="utf-8")))
            for p in folder.glob("*.json")
            if not p.name.endswith(".migration.json")
        ]
        found.sort(key=lambda item: tuple(int(n) for n in item[0].split("-")))
        out[folder.name] = found
    return out


SCHEMA_VERSIONS = {kind: _schemas(kind) for kind in ("events", "facts")}
PAGES = [(kind, name) for kind, schemas in SCHEMA_VERSIONS.items() for name in sorted(schemas)]


def _versions_section(kind: str, name: str) -> str:
    return section(DOCS / kind / f"{name}.md", "Versions")


def _version_part(text: str, version: str) -> str:
    match = re.search(rf"^### {re.escape(version)}\n(.*?)(?=^### |\Z)", text, re.S | re.M)
    assert match, f"no section for version {version}"
    return match.group(1)


@pytest.mark.parametrize(("kind", "name"), PAGES, ids=[f"{k}/{n}" for k, n in PAGES])
def test_every_version_is_listed_with_its_upstream(kind: str, name: str) -> None:
    text = _versions_section(kind, name)
    for version, schema in SCHEMA_VERSIONS[kind][name]:
        part = _version_part(text, version)
        upstream = schema.get("x-upstream")
        if not isinstance(upstream, dict):
            continue
        if isinstance(upstream.get("commit"), str):
            assert f"({UPSTREAM}/commit/{upstream['commit']})" in part
        if isinstance(upstream.get("pr"), int):
            assert f"[#{upstream['pr']}]({UPSTREAM}/pull/{upstream['pr']})" in part
        if isinstance(upstream.get("release"), str):
            assert f"({UPSTREAM}/releases/tag/{upstream['release']})" in part
        if isinstance(upstream.get("source"), str):
            assert md_inline(upstream["source"]) in part


def _payload_keys(kind: str, schema: dict[str, Any]) -> set[str] | None:
    """The payload's keys as written in the file (None where they sit behind allOf/$ref)."""
    node = schema.get("properties", {})
    if kind == "events":
        node = node.get("event_params", {}).get("properties")
    return set(node) if isinstance(node, dict) else None


def _field_rows(text: str) -> dict[str, list[tuple[str, str]]]:
    """The rows of the "Fields across versions" table: path -> [(since, until)]."""
    table = text.split("### Fields across versions", 1)[1].split("\n### ", 1)[0]
    rows: dict[str, list[tuple[str, str]]] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows.setdefault(cells[0].strip("`"), []).append((cells[1], cells[2]))
    return rows


def test_fields_show_the_version_that_added_and_the_one_that_removed_them() -> None:
    checked = {"added": 0, "removed": 0}
    for kind, name in PAGES:
        rows = _field_rows(_versions_section(kind, name))
        prefix = "event_params." if kind == "events" else ""
        chain = SCHEMA_VERSIONS[kind][name]
        first = chain[0][0]
        for (_, old), (version, new) in itertools.pairwise(chain):
            before, after = _payload_keys(kind, old), _payload_keys(kind, new)
            if before is None or after is None:
                continue
            for key in sorted(before - after):
                assert f"until {version}" in [u for _, u in rows[prefix + key]], (name, key)
                checked["removed"] += 1
            for key in sorted(after - before):
                assert version in [s for s, _ in rows[prefix + key]], (name, key)
                checked["added"] += 1
        newest = _payload_keys(kind, chain[-1][1]) or set()
        oldest = _payload_keys(kind, chain[0][1]) or set()
        for key in newest & oldest:
            assert (first, "—") in rows[prefix + key] or any(
                s == first for s, _ in rows[prefix + key]
            ), (name, key)
    assert checked["added"] > 0 and checked["removed"] > 0  # the schemas do both


def _migrations() -> list[Path]:
    return sorted(SCHEMAS.glob("events/*/*.migration.json"))


@pytest.mark.parametrize("path", _migrations(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_migration_is_stated_on_its_page(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    version = path.name.removesuffix(".migration.json")
    part = _version_part(_versions_section("events", path.parent.name), version)
    assert f"schemas/events/{path.parent.name}/{path.name}" in part
    if "description" in doc:
        assert md_inline(doc["description"]) in part
    upgrade = part.split("**Upgrade from", 1)[1]
    for key, spec in doc["fields"].items():
        row = next(line for line in upgrade.splitlines() if line.startswith(f"| `{key}` |"))
        if "error" in spec:
            assert "**raises `UpgradeError`**: " + md_inline(spec["error"]) in row
        else:
            assert md_inline(spec["description"]) in row
            if spec.get("when"):
                assert "otherwise **raises `UpgradeError`**" in row


@pytest.fixture(scope="module")
def hostile_upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of schemas/ where one version's x-upstream holds markup and a link-like commit."""
    root = tmp_path_factory.mktemp("u") / "schemas"
    shutil.copytree(SCHEMAS, root)
    path = root / "events/codex_turn_event/2-0-0.json"
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    doc["x-upstream"] = {
        "release": "v1) [x](javascript:alert(1)",
        "commit": "javascript:alert(2)",
        "pr": "12) <b>",
        "date": "<img src=x onerror=alert(3)>",
        "source": "<script>alert(4)</script> [click](javascript:alert(5))",
    }
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return root


def test_upstream_text_is_escaped_and_only_checked_values_are_linked(
    hostile_upstream: Path,
) -> None:
    store = load_store(hostile_upstream)
    context, _ = build_context(store)
    spec = next(e for e in context["events"] if e.name == "codex_turn_event")
    data = docs_context(store, context["events"], context["facts"], context["versions"])
    env = environment(TEMPLATES, python=False)
    page = env.get_template("docs/event.md.j2").render(
        item=spec, docs=data, tables=context["tables"], queries=context["queries"]
    )
    part = _version_part(page.split("## Versions", 1)[1], "2-0-0")
    assert "<script" not in part and "<img" not in part and "<b>" not in part
    outside_code = re.sub(r"`[^`]*`", "", part)  # a code span is inert: shown, never a link
    assert re.search(r"(?<!\\)\]\(javascript:", outside_code) is None
    assert "`javascript:alert(2)`" in part  # the commit that is not one, shown as code
    assert f"{UPSTREAM}/commit/" not in part and f"{UPSTREAM}/pull/" not in part
    assert f"{UPSTREAM}/releases/" not in part
