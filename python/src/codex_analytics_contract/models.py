"""The typed models of every event, fact and shared piece of the contract.

The classes are generated from the schemas (`_generated/models.py`, by `make generate`); this
module is their public name.
"""

from codex_analytics_contract._generated.models import *  # noqa: F403
from codex_analytics_contract._generated.models import __all__ as __all__
