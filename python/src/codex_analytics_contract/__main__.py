"""Entry point of `python -m codex_analytics_contract`."""

from __future__ import annotations

import sys

from codex_analytics_contract.cli import main

sys.exit(main())
