"""Version history on the pages: every version listed, later ones with the gate's differences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.docs import docs_context
from generator.generate import build_context
from generator.paths import ID_BASE, SCHEMAS, TEMPLATES
from generator.render import environment
from generator.schema_store import load_store
from tests.docs.conftest import DOCS
from tests.docs.pages import section

REL = "events/codex_artifact_operation"


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of schemas/ where codex_artifact_operation (one version) gets a 1-0-1 that adds
    an optional field."""
    root = tmp_path_factory.mktemp("v") / "schemas"
    shutil.copytree(SCHEMAS, root)
    doc: dict[str, Any] = json.loads((root / REL / "1-0-0.json").read_text(encoding="utf-8"))
    doc["$id"] = f"{ID_BASE}{REL}/1-0-1.json"
    doc["properties"]["event_params"]["properties"]["duration_ms"] = {
        "type": ["integer", "null"],
        "minimum": 0,
        "maximum": 2**64 - 1,
        "description": "How long the hook ran, in milliseconds.",
    }
    (root / REL / "1-0-1.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return root


def test_current_pages_say_first_version() -> None:
    for page in sorted([*DOCS.glob("events/*.md"), *DOCS.glob("facts/*.md")]):
        versions = section(page, "Versions")
        assert "| 1-0-0 |" in versions and "first version" in versions, page


def test_later_version_lists_the_gate_differences(two_versions: Path) -> None:
    store = load_store(two_versions)
    context, _ = build_context(store)
    spec = next(e for e in context["events"] if e.name == "codex_artifact_operation")
    assert spec.versions == ("1-0-0", "1-0-1")
    data = docs_context(store, context["events"], context["facts"])

    entries = data.history[REL]
    assert [e.version for e in entries] == ["1-0-0", "1-0-1"]
    assert entries[0].changes == () and entries[0].previous is None
    change = entries[1].changes[0]
    assert (change.rule, change.category, change.path) == (
        "CA001",
        "ADDITION",
        "$.event_params.duration_ms",
    )
    since = {r.path: r.since for r in data.params[REL]}
    assert since["duration_ms"] == "1-0-1" and since["thread_id"] == "1-0-0"

    env = environment(TEMPLATES, python=False)
    page = env.get_template("docs/event.md.j2").render(
        item=spec, docs=data, tables=context["tables"], queries=context["queries"]
    )
    assert "### 1-0-1\n" in page
    assert "Changes from 1-0-0: adds `event_params.duration_ms`;" in page
    assert "| CA001 | ADDITION | `$.event_params.duration_ms` |" in page
    assert "| `event_params.duration_ms` | 1-0-1 | — |" in page  # the field, since/until
    row = next(line for line in page.splitlines() if line.startswith("| 1-0-1 |"))
    assert row.startswith("| 1-0-1 | `schemas/events/codex_artifact_operation/1-0-1.json` |")
    assert row.endswith("| 1 difference from 1-0-0, below |")
