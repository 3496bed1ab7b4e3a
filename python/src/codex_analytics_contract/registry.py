"""The contract's registry: every event type and fact kind, its model, schema file and version.

The tables are generated from the schemas (`_generated/registry.py`, by `make generate`); this
module is their public name. `SCHEMAS` is the folder of the JSON Schema files shipped with the
package; the paths in `EVENT_SCHEMAS` and `FACT_SCHEMAS` are relative to it.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable

from codex_analytics_contract._generated import registry as _registry
from codex_analytics_contract._generated.registry import *  # noqa: F403

SCHEMAS: Traversable = files("codex_analytics_contract._generated").joinpath("schemas")

__all__ = [*_registry.__all__, "SCHEMAS"]
