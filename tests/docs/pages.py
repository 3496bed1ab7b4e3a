"""Read the examples back out of the generated Markdown pages (what a reader sees)."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

_TAB = re.compile(r'^=== "(?P<label>[^"]+)"\s*$')
_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\w*)\s*$")


@dataclass(frozen=True)
class Block:
    label: str  # the content tab it sits in, or "" for a block outside tabs
    lang: str
    text: str


def section(page: Path, title: str) -> str:
    """The text of one `## title` section of a page."""
    text = page.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    return match.group(1) if match else ""


def code_blocks(markdown: str) -> list[Block]:
    """Fenced code blocks, with the content tab each one belongs to."""
    blocks: list[Block] = []
    label = ""
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        tab = _TAB.match(line)
        if tab:
            label = tab["label"]
        elif line and not line.startswith(" ") and not _FENCE.match(line):
            label = ""
        fence = _FENCE.match(line)
        if fence and fence["lang"]:
            indent = fence["indent"]
            body: list[str] = []
            i += 1
            while lines[i] != f"{indent}```":
                body.append(lines[i])
                i += 1
            in_tab = label if indent else ""
            blocks.append(Block(in_tab, fence["lang"], textwrap.dedent("\n".join(body))))
        i += 1
    return blocks
