"""Make ``codex_analytics_contract.reducer`` importable for the helper tests.

The generated package is used when it is installed/importable; otherwise the reducer sources
under ``templates/static`` are put on ``sys.path`` (namespace import, see REDUCER_API.md).
"""

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
    _STATIC = Path(__file__).resolve().parents[2] / "templates" / "static"
    sys.path.insert(0, str(_STATIC))
