"""Make ``codex_analytics_contract.reducer`` importable from the source tree when the
generated package is not installed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _reducer_importable() -> bool:
    try:
        return importlib.util.find_spec("codex_analytics_contract.reducer") is not None
    except ModuleNotFoundError:
        return False


if not _reducer_importable():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "templates" / "static"))
