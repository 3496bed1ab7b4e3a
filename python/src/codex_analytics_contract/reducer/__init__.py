"""Reference reducer: a Python port of upstream ``AnalyticsReducer`` (facts in, events out)."""

from __future__ import annotations

from .core import Reducer
from .releases import RELEASE_NAMES, UnknownReleaseError
from .skills import RepoInfo
from .state import ReducerLimits
from .stats import ReducerStats

__all__ = [
    "RELEASE_NAMES",
    "Reducer",
    "ReducerLimits",
    "ReducerStats",
    "RepoInfo",
    "UnknownReleaseError",
]
