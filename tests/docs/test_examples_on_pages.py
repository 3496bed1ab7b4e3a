"""Every example shown on an event or fact page is valid against its schema, in every view.

The examples are read back from the generated pages, so this checks what a reader sees: the wire
view (JSON Schema and the package, byte for byte on the one-line form), the backend view (the
package's `normalize` of the wire view, and valid once denormalized) and the verbatim backend
log line (parsed as data, it gives the backend view shown beside it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_analytics_contract import (
    denormalize,
    normalize,
    parse_event,
    parse_fact,
    serialize_event,
)
from codex_analytics_contract.logline import parse_log_line, to_backend_event
from generator.schema_store import load_store
from tests.contract.jsonschema_oracle import errors
from tests.docs.conftest import DOCS
from tests.docs.pages import Block, code_blocks, section

EVENTS = [item.name for item in load_store().latest("events")]
FACTS = [item.name for item in load_store().latest("facts")]
GOLDEN = {"codex_thread_initialized", "codex_compaction_event"}


def _example_blocks(kind: str, name: str) -> list[Block]:
    blocks = code_blocks(section(DOCS / kind / f"{name}.md", "Example"))
    assert blocks, f"{kind}/{name}: the page shows no example"
    return blocks


def _one(blocks: list[Block], label: str, lang: str = "json") -> str:
    found = [b.text for b in blocks if b.label == label and b.lang == lang]
    assert len(found) == 1, f"expected one {lang} block labelled {label!r}, got {len(found)}"
    return found[0]


@pytest.mark.parametrize("name", EVENTS)
def test_event_page_example_is_valid_in_both_views(name: str) -> None:
    blocks = _example_blocks("events", name)
    wire_text = _one(blocks, "Wire view")
    line = _one(blocks, "")
    wire = json.loads(wire_text)
    assert json.loads(line) == wire and list(json.loads(line)) == list(wire)
    assert wire["event_type"] == name
    event = parse_event(line.encode())  # the example is of the version that accepts it
    version = type(event).schema_version  # type: ignore[attr-defined]
    assert errors("events", name, wire, version) == []
    assert serialize_event(event) == line.encode()

    backend = json.loads(_one(blocks, "Backend view"))
    assert json.dumps(normalize(wire)) == json.dumps(backend)  # same keys, same order
    assert backend["event_params"]["product_surface"] == "codex"
    assert errors("events", name, denormalize(backend), version) == []


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_examples_show_the_real_log_line(name: str) -> None:
    blocks = _example_blocks("events", name)
    log_line = _one(blocks, "Backend log line", "text")
    assert log_line in (Path(__file__).parents[1] / "golden" / "log_lines.txt").read_text(
        encoding="utf-8"
    )
    from_log = to_backend_event(parse_log_line(log_line))
    backend = json.loads(_one(blocks, "Backend view"))
    assert from_log == backend
    assert errors("events", name, denormalize(from_log), "1-0-0") == []  # logged by 1-0-0


@pytest.mark.parametrize("name", FACTS)
def test_fact_page_example_is_valid(name: str) -> None:
    blocks = [b for b in _example_blocks("facts", name) if b.lang == "json"]
    assert len(blocks) == 2, "a fact example: pretty JSON and the one-line form"
    pretty, line = (json.loads(b.text) for b in blocks)
    assert pretty == line and pretty["fact"] == name
    assert errors("facts", name, pretty) == []
    parse_fact(blocks[1].text.encode())
