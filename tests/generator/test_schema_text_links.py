"""Schema text on the site: only http(s) and mailto links, no images, no raw HTML.

Descriptions, titles, enum values, constants, patterns and property names are data written by
whoever edits a schema. On the site they are Markdown, so a link in them would be live: the
pages render them so that `[x](javascript:...)` stays text and `![t](https://...)` never loads an
image, while an ordinary `[docs](https://...)` link still works. Checked on the HTML that
Python-Markdown makes of a generated page with the site's own extensions (mkdocs.yml).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from generator.docs import docs_context
from generator.generate import build_context
from generator.paths import ID_BASE, ROOT, TEMPLATES
from generator.render import environment, md_code, md_inline
from generator.schema_store import SchemaStoreError, load_store

HOSTILE = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](<javascript:alert(1)>)",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[[nested]](javascript:alert(1))",
    "\\[click](javascript:alert(1))",
    "\\\\[click](javascript:alert(1))",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "![tracker](https://tracker.example/pixel.png)",
    "![tracker](//tracker.example/pixel.png)",
    "<img src=https://tracker.example/p.png>",
    "<a href='javascript:alert(1)'>x</a>",
    "<javascript:alert(1)>",
    "<https://tracker.example/>",
    "`code` ![t](https://tracker.example/p.png) `more`",
    "a ` stray backtick [x](javascript:alert(1)) `",
]


# Where a link on a generated page may point: the web, mail, or a page or anchor of the site.
SAFE_TARGET = re.compile(r"(https?://|mailto:|#|\.\./|[a-z0-9_-]+/|[a-z0-9_.-]+\.md)")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _site_markdown(text: str) -> str:
    config = yaml.unsafe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions: list[str] = []
    configs: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        extensions.append(name)
        configs[name] = options or {}
    return markdown.markdown(text, extensions=extensions, extension_configs=configs)


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _assert_inert(html: str) -> None:
    for tag, attrs in _tags(html):
        assert tag not in ("img", "script", "iframe"), html
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            if value:
                assert SAFE_TARGET.match(value), html


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_inert_in_a_table_cell_and_in_prose(text: str) -> None:
    cell = _site_markdown(f"| a | b |\n|---|---|\n| {md_inline(text)} | x |\n")
    _assert_inert(cell)
    assert "<table>" in cell and cell.count("<td>") == 2  # the row keeps its two cells
    _assert_inert(_site_markdown(md_inline(text)))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_values_stay_inside_their_code_span(text: str) -> None:
    html = _site_markdown(f"| a | b |\n|---|---|\n| {md_code(text)} | x |\n")
    tags = _tags(html)
    assert [t for t, _ in tags if t not in ("table", "thead", "tbody", "tr", "th", "td")] == [
        "code"
    ], html


def test_safe_links_stay_links_and_images_become_links() -> None:
    html = _site_markdown(
        md_inline(
            "See [the RFC](https://www.rfc-editor.org/rfc/rfc8259) or ![logo](https://x.example/l.png)."
        )
    )
    links = [attrs.get("href") for tag, attrs in _tags(html) if tag == "a"]
    assert links == ["https://www.rfc-editor.org/rfc/rfc8259", "https://x.example/l.png"]
    assert "<img" not in html


def test_text_in_code_spans_is_shown_as_written() -> None:
    html = _site_markdown(md_inline("the local key `<plugin_name>@<marketplace_name>` or <id>"))
    assert "<code>&lt;plugin_name&gt;@&lt;marketplace_name&gt;</code>" in html
    assert "or &lt;id&gt;" in html


def _write(root: Path, rel: str, schema: dict[str, Any]) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": ID_BASE + rel}
    path.write_text(json.dumps({**doc, **schema}, indent=2), encoding="utf-8")


def test_a_generated_page_has_no_live_link_from_schema_text(tmp_path: Path) -> None:
    evil = " ".join(HOSTILE)
    schemas = tmp_path / "schemas"
    _write(
        schemas,
        "events/codex_link_event/1-0-0.json",
        {
            "title": evil,
            "description": evil,
            "type": "object",
            "properties": {
                "event_type": {"type": "string", "const": "codex_link_event", "description": evil},
                "event_params": {
                    "type": "object",
                    "description": evil,
                    "properties": {
                        "kind": {"type": "string", "enum": HOSTILE, "description": evil},
                        "code": {
                            "type": "string",
                            "pattern": "^[x](javascript:1)$",
                            "description": evil,
                        },
                        "[x](javascript:alert(1))": {"type": "string", "description": evil},
                    },
                    "required": ["kind"],
                    "additionalProperties": False,
                },
            },
            "required": ["event_type", "event_params"],
            "additionalProperties": False,
        },
    )
    store = load_store(schemas)
    context, _ = build_context(store)
    data = docs_context(store, context["events"], context["facts"])
    env = environment(TEMPLATES, python=False)
    spec = context["events"][0]
    page = env.get_template("docs/event.md.j2").render(
        item=spec, docs=data, tables=context["tables"], queries=context["queries"]
    )
    html = _site_markdown(page)
    _assert_inert(html)
    assert "javascript:" in html  # still shown, as text


def test_schema_folder_names_are_snake_case(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    _write(schemas, "events/x](javascript:alert(1))/1-0-0.json", {"type": "object"})
    with pytest.raises(SchemaStoreError, match="snake_case"):
        load_store(schemas)
