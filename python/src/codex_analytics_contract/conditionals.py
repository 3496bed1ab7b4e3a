"""Check the conditional parts of the contract that pydantic models cannot express.

A schema (any version) may say "when `method` is `turn/start`, `params` has this shape" with
`allOf: [{if: {properties: {method: {const: "turn/start"}}}, then: {...}}]`. The generator turns
each `then` into a model and lists them in `registry.CONDITIONALS`; after the main model has
validated an instance, `check_conditionals` walks the instance along
`registry.CONDITIONAL_PATHS` and validates every part whose condition holds, so that
`parse_fact` names the exact error. (The `reduce` fast paths need none of this: their
generated validators hold the conditionals, see `_generated/fact_validators.py`.)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from codex_analytics_contract._generated.tables import CONDITIONAL_PATHS, CONDITIONALS
from codex_analytics_contract.errors import Violation
from codex_analytics_contract.versions import history_class, newest_models
from codex_analytics_contract.violations import violations


def has_conditionals(model_name: str) -> bool:
    return model_name in CONDITIONALS or model_name in CONDITIONAL_PATHS


def check_conditionals(model_name: str, value: Any, path: str = "$") -> list[Violation]:
    """Every violation of a conditional part below `value` (an instance of `model_name`)."""
    found: list[Violation] = []
    if not isinstance(value, dict):
        return found
    for key, const, then in CONDITIONALS.get(model_name, ()):
        actual = value.get(key, _ABSENT)
        if actual is _ABSENT or actual != const or type(actual) is not type(const):
            continue
        model: type[BaseModel] = getattr(newest_models(), then, None) or history_class(then)
        try:
            model.__pydantic_validator__.validate_python(value, strict=True)
        except ValidationError as exc:
            found.extend(violations(exc, value, None, {}, prefix=path))
            continue
        found.extend(check_conditionals(then, value, path))
    for prop, child, is_array in CONDITIONAL_PATHS.get(model_name, ()):
        item = value.get(prop)
        if is_array and isinstance(item, list):
            for index, element in enumerate(item):
                found.extend(check_conditionals(child, element, f"{path}.{prop}[{index}]"))
        elif isinstance(item, dict):
            found.extend(check_conditionals(child, item, f"{path}.{prop}"))
    return found


_ABSENT: Any = object()
