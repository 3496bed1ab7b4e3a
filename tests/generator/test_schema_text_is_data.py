"""Schema text is data: descriptions, titles and enum values holding quotes, triple quotes,
backslashes, Jinja delimiters and Python code end up as literals, never as code: in class
docstrings, field descriptions, named types and the names taken from titles."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.generate import render_all, write_outputs
from generator.paths import ID_BASE, PACKAGE_SRC, ROOT
from generator.schema_store import load_store

# The only HTML the docs templates write themselves (field tables: wrapper, nesting, breaks).
TEMPLATE_HTML = re.compile(
    r'<div class="field-table" markdown>|</div>|<br>|</span>|'
    r'<span class="nest" style="--depth: \d+">'
)
PAYLOAD = "__import__('pathlib').Path({marker!r}).write_text('pwned')"


def hostile(marker: Path) -> str:
    code = PAYLOAD.format(marker=str(marker))
    return (
        f'"""\'\'\' {{{{ {code} }}}} {{% raw %}} {{# x #}} \\ \\" \\n"); {code}; ("'
        f'\n"""\n{code}\n# '
    )


def write(root: Path, rel: str, schema: dict[str, Any]) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ID_BASE + rel,
        **schema,
    }
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def test_hostile_schema_text_generates_inert_code(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    evil = hostile(marker)
    schemas = tmp_path / "schemas"
    write(
        schemas,
        "events/codex_evil_event/1-0-0.json",
        {
            "title": evil,
            "description": evil,
            "type": "object",
            "properties": {
                "event_type": {"const": "codex_evil_event", "description": evil},
                "event_params": {
                    "type": "object",
                    "description": evil,
                    "properties": {
                        "kind": {"type": "string", "enum": [evil, "plain"], "description": evil},
                        "note": {"type": ["string", "null"], "description": evil, "title": evil},
                        "count": {
                            "type": ["integer", "null"],
                            "minimum": 0,
                            "maximum": 65535,
                            "description": evil,
                        },
                        "choice": {
                            "description": evil,
                            "anyOf": [
                                {"title": evil, "type": "string", "pattern": "^[a-z]+$"},
                                {
                                    "title": "boxed",
                                    "description": evil,
                                    "type": "object",
                                    "properties": {
                                        "boxed": {"type": "string", "description": evil}
                                    },
                                    "required": ["boxed"],
                                    "additionalProperties": False,
                                },
                            ],
                        },
                        "tally": {
                            "type": "object",
                            "description": evil,
                            "additionalProperties": {
                                "type": "object",
                                "description": evil,
                                "properties": {"n": {"type": "integer", "description": evil}},
                            },
                        },
                        "piece": {
                            "$ref": "../../common/evil_piece/1-0-0.json",
                            "description": evil,
                        },
                    },
                    "required": ["kind", "note", "count", "choice", "tally", "piece"],
                    "additionalProperties": False,
                },
            },
            "required": ["event_type", "event_params"],
            "additionalProperties": False,
        },
    )
    write(
        schemas,
        "common/evil_piece/1-0-0.json",
        {
            "title": evil,
            "description": evil,
            "oneOf": [
                {"type": "string", "enum": ["x"]},
                {"type": "integer", "minimum": 0, "maximum": 255, "description": evil},
            ],
        },
    )
    write(
        schemas,
        "facts/evil_fact/1-0-0.json",
        {
            "title": evil,
            "description": evil,
            "type": "object",
            "properties": {
                "fact": {"const": "evil_fact", "description": evil},
                "kind": {"type": "string", "description": evil},
                "note": {"type": "string", "description": evil},
            },
            "required": ["fact", "kind"],
            "additionalProperties": False,
            # a conditional on schema text: its constant reaches the generated fact validators
            "allOf": [
                {
                    "if": {"properties": {"kind": {"const": evil}}, "required": ["kind"]},
                    "then": {"required": ["note"], "description": evil},
                }
            ],
        },
    )
    outputs = render_all(load_store(schemas))
    out = tmp_path / "checkout"
    # The hand-written runtime as it is in the repository, the generated parts from the schemas
    # above.
    shutil.copytree(
        PACKAGE_SRC,
        out / PACKAGE_SRC.relative_to(ROOT),
        ignore=shutil.ignore_patterns("_generated", "__pycache__"),
    )
    write_outputs(outputs, out)
    assert not marker.exists()

    params = {
        "kind": evil,
        "note": None,
        "count": 7,
        "choice": {"boxed": evil},
        "tally": {evil: {"n": 1}},
        "piece": 255,
    }
    event = {"event_type": "codex_evil_event", "event_params": params}
    script = (
        "import inspect, json, sys\n"
        "import codex_analytics_contract as c\n"
        "from codex_analytics_contract import models\n"
        "data = sys.stdin.buffer.read()\n"
        "event = c.parse_event(data)\n"
        "assert c.serialize_event(event) == data, c.serialize_event(event)\n"
        "evil = json.loads(data)['event_params']['kind']\n"
        "params = models.CodexEvilEventParams\n"
        "def text(doc):\n"
        "    return [line.rstrip() for line in inspect.cleandoc(doc).splitlines()]\n"
        # the descriptions are the schema's text, unchanged: class docstrings and fields
        "assert text(models.CodexEvilEvent.__doc__) == text(evil)\n"
        "assert text(params.__doc__) == text(evil)\n"
        "assert text(models.CodexEvilEventParamsChoiceBoxed.__doc__) == text(evil)\n"
        "for name, field in params.model_fields.items():\n"
        "    assert field.description == evil, (name, field.description)\n"
        "schema = json.dumps(models.CodexEvilEvent.model_json_schema())\n"
        "assert json.dumps(evil)[1:-1] in schema\n"
        "print(c.EVENT_TYPES)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode(),
        capture_output=True,
        env={"PYTHONPATH": str(out / "python" / "src"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"codex_evil_event" in proc.stdout
    assert not marker.exists(), "schema text was executed"

    # the fast fact check, compiled from the conditional, checks the `then` part for that text
    script = (
        "import json, sys\n"
        "from codex_analytics_contract.api import fact_accepted\n"
        "evil = sys.stdin.read()\n"
        "fact = {'fact': 'evil_fact', 'kind': evil}\n"
        "assert not fact_accepted(fact)\n"
        "assert fact_accepted({**fact, 'note': 'n'})\n"
        "assert fact_accepted({**fact, 'kind': evil + 'x'})\n"
        "print('checked')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        input=evil.encode(),
        capture_output=True,
        env={"PYTHONPATH": str(out / "python" / "src"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.strip() == b"checked"
    assert not marker.exists(), "schema text was executed"
    page = out / "generated" / "docs" / "events" / "codex_evil_event.md"
    docs = page.read_text(encoding="utf-8")
    body = docs.split("-->", 1)[1].replace("&lt;", "")
    body = TEMPLATE_HTML.sub("", body)  # the page's own markup, written by the templates
    assert "<" not in body  # no raw HTML from schema text
