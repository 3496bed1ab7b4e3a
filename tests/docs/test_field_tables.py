"""The field tables show every value a field may hold, in JSON terms.

Every union's variants (with their values and fields) and every enum's values are on the page,
so a reader (and the site search) finds e.g. `contextWindowExceeded` under `turn_error`; the
model class names the generator uses internally never appear; and the sentence about keys says
"always sent" only where no key is optional.
"""

from __future__ import annotations

import json
import re
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

PAGES = sorted(DOCS.glob("events/*.md")) + sorted(DOCS.glob("facts/*.md"))


def _enum_values(node: Any) -> set[str]:
    """Every string an `enum` or `const` of a schema document allows."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "enum" and isinstance(value, list):
                found |= {v for v in value if isinstance(v, str)}
            elif key == "const" and isinstance(value, str):
                found.add(value)
            elif key not in ("examples", "default"):
                found |= _enum_values(value)
    elif isinstance(node, list):
        for value in node:
            found |= _enum_values(value)
    return found


def _class_names() -> set[str]:
    _, bundle = build_context(load_store())
    return set(bundle["$defs"])


def test_turn_error_lists_its_variants_and_values() -> None:
    fields = section(DOCS / "events" / "codex_turn_event.md", "Fields")
    row = next(line for line in fields.splitlines() if line.startswith("| `turn_error`"))
    assert _cells(row)[1] == "string or object, or null<br>7 variants, below"
    error_info = json.loads(
        (SCHEMAS / "common" / "codex_error_info" / "1-0-0.json").read_text(encoding="utf-8")
    )
    for value in _enum_values(error_info):
        assert f"`{value}`" in fields, value
    for variant in ("httpConnectionFailed", "activeTurnNotSteerable", "other unit variant"):
        assert f"variant: *{variant}*" in fields, variant


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in PAGES])
def test_every_enum_value_of_the_schema_is_on_its_page(page: Path) -> None:
    store = load_store()
    item = next(i for i in store.latest(page.parent.name) if i.name == page.stem)
    values = set(_enum_values(item.schema))
    todo = [item.schema]
    while todo:  # and of everything it refers to
        node = todo.pop()
        for ref in re.findall(r'"\$ref": "([^"]+)"', json.dumps(node)):
            uri, target = store.resolve(item.uri, ref) if ref.startswith("#") else (None, None)
            if uri is None:
                continue
            values |= _enum_values(target)
    text = section(page, "Fields")
    missing = sorted(v for v in values if f"`{v}`" not in text and f"``{v}``" not in text)
    assert not missing, f"{page.name}: values not shown: {missing}"


def _cells(row: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_no_internal_class_name_appears_in_a_field_or_type_column() -> None:
    """Descriptions may name upstream types; the field and type columns are the contract's."""
    names = _class_names()
    for page in PAGES:
        columns: list[int] = []
        for line in section(page, "Fields").splitlines():
            if not line.startswith("|") or line.startswith("|---"):
                continue
            cells = _cells(line)
            if "field" in cells and "type" in cells:  # a table header
                columns = [cells.index("field"), cells.index("type")]
                continue
            words = set(re.findall(r"[A-Za-z0-9_]+", " ".join(cells[i] for i in columns)))
            assert not words & names, f"{page.name}: {sorted(words & names)} in {line}"


def test_fact_conditionals_show_their_fields() -> None:
    fields = section(DOCS / "facts" / "client_request.md", "Fields")
    assert "when `method` is `turn/start`" in fields
    assert "`threadId`" in fields  # a field of turn/start params


@pytest.fixture(scope="module")
def optional_field_version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("v") / "schemas"
    shutil.copytree(SCHEMAS, root)
    rel = "events/codex_artifact_operation"
    doc: dict[str, Any] = json.loads((root / rel / "1-0-0.json").read_text(encoding="utf-8"))
    doc["$id"] = f"{ID_BASE}{rel}/1-0-1.json"
    doc["properties"]["event_params"]["properties"]["exit_code"] = {
        "type": "integer",
        "minimum": -(2**31),
        "maximum": 2**31 - 1,
        "description": "Exit code of the hook command.",
    }
    (root / rel / "1-0-1.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return root


def _hook_page(schemas: Path) -> str:
    store = load_store(schemas)
    context, _ = build_context(store)
    spec = next(e for e in context["events"] if e.name == "codex_artifact_operation")
    data = docs_context(store, context["events"], context["facts"])
    env = environment(TEMPLATES, python=False)
    return str(
        env.get_template("docs/event.md.j2").render(
            item=spec, docs=data, tables=context["tables"], queries=context["queries"]
        )
    )


def test_always_sent_only_when_no_key_is_optional(optional_field_version: Path) -> None:
    page = _hook_page(optional_field_version)
    row = next(line for line in page.splitlines() if line.startswith("| `exit_code`"))
    assert "*optional*" in row and "*Added in 1-0-1.*" in row
    assert "Every key is always sent" not in page
    assert "*optional* may be left out" in page
    assert "Every key is always sent" in (
        DOCS / "events" / "codex_artifact_operation.md"
    ).read_text("utf-8")
