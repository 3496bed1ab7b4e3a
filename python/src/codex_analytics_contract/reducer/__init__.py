"""Reference reducer: a Python port of upstream ``AnalyticsReducer`` (facts in, events out)."""

from __future__ import annotations

from .core import Reducer
from .skills import RepoInfo
from .state import ReducerLimits
from .stats import ReducerStats

__all__ = ["Reducer", "ReducerLimits", "ReducerStats", "RepoInfo"]
