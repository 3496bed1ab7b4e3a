"""Shared test helpers: repository paths and example loading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMAS = ROOT / "schemas"


def pass_examples(kind: str, name: str = "*", version: str = "*") -> list[Path]:
    """Valid examples: examples/<kind>/<name>/<version>/<case>.pass.json."""
    return sorted(EXAMPLES.glob(f"{kind}/{name}/{version}/*.pass.json"))


def fail_examples(kind: str, name: str = "*", version: str = "*") -> list[Path]:
    return sorted(EXAMPLES.glob(f"{kind}/{name}/{version}/*.fail.json"))


def example_name(path: Path) -> str:
    """The event type or fact kind an example is of."""
    return path.parent.parent.name


def example_version(path: Path) -> str:
    """The schema version an example is of."""
    return path.parent.name


def example_id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}/{path.name}"


def load_fail(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) >= {"reason", "error_path", "instance"}, path
    return data
