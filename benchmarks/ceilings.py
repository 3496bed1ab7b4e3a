"""Measured ceilings: how fast strict validation with pydantic-core can be at all, next to the
numbers of the issue #2 and #3 benchmarks, so the targets those miss can be judged.

Events (issue #2, (c) >= 0.35x of orjson.loads): on the "examples" corpus, (c) parse_event is
compared with (f) pydantic-core's JSON parser alone (no checks) and (g) the same strict checks
producing plain dicts instead of model instances (pydantic-core typed-dict schemas translated
from the generated models; turn events are left out of both rows, because their open
`turn_error` variant has no typed-dict form).

Reducer (issue #3, reduce >= 0.2x of orjson.loads with every fact checked): the one-pass fact
validator alone, the trusted pipeline, and the parser the trusted pipeline uses; from those,
what a validated run costs (the validator's output feeds the reducer directly) and how much
faster the reducer and encoder would have to be for 0.2x.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import orjson
from pydantic_core import SchemaValidator, from_json

from benchmarks import events_bench, reduce_bench
from benchmarks.timing import compare, table
from codex_analytics_contract import parse_event
from codex_analytics_contract.api import fact_line_validator
from codex_analytics_contract.conditionals import _base, _Unsupported
from codex_analytics_contract.registry import EVENT_MODELS


def _each(step: Callable[[bytes], object], lines: list[bytes]) -> Callable[[], None]:
    """A timed run: `step` on every line."""

    def run() -> None:
        for line in lines:
            step(line)

    return run


def _strict(validator: SchemaValidator) -> Callable[[bytes], object]:
    """`validate_json(line, strict=True)`, bound in C (no Python frame per line)."""
    return partial(validator.validate_json, strict=True)


def _dict_validator() -> tuple[SchemaValidator, set[str]]:
    """Strict typed-dict validator for every event type that has a typed-dict form."""
    choices: dict[str, Any] = {}
    for event_type, model in EVENT_MODELS.items():
        try:
            choices[event_type] = _base(model.__name__)
        except _Unsupported:
            continue
    union = {"type": "tagged-union", "discriminator": "event_type", "choices": choices}
    return SchemaValidator(union), set(choices)


def events(size: int, repeats: int) -> str:
    validator, covered = _dict_validator()
    lines = [
        line for line in events_bench.corpus(size) if orjson.loads(line)["event_type"] in covered
    ]
    for line in lines[:1000]:  # same verdict and content as the real parser
        assert validator.validate_json(line, strict=True) == orjson.loads(line)
    n = len(lines)
    results = compare(
        ("(a) orjson.loads", n, _each(orjson.loads, lines)),
        [
            ("(f) pydantic_core.from_json (parse only, no checks)", n, _each(from_json, lines)),
            ("(c) parse_event (strict, typed models)", n, _each(parse_event, lines)),
            (
                "(g) the same strict checks into plain dicts (no models)",
                n,
                _each(_strict(validator), lines),
            ),
        ],
        repeats,
    )
    missing = sorted(set(EVENT_MODELS) - covered)
    without = f" without {', '.join(missing)}" if missing else ""
    text = table(
        results,
        f"Ceilings, events: corpus 'examples'{without} ({n:,} events, "
        f"{len(covered)} types), {repeats} paired repeats",
    )
    return text + (
        f"\n\nEven without model instances, strict validation runs at {results[3].ratio:.3f}x "
        "of orjson.loads (target for (c): 0.35x)."
    )


def reducer(size: int, repeats: int) -> str:
    lines = reduce_bench.corpus(size)
    validator = fact_line_validator()
    assert validator is not None

    def trusted() -> None:
        reduce_bench.reduce_all(lines, validate=False)

    results = compare(
        ("orjson.loads", size, _each(orjson.loads, lines)),
        [
            ("pydantic_core.from_json (the trusted run's parser)", size, _each(from_json, lines)),
            (
                "fact validator alone (parse + schema check, one pass)",
                size,
                _each(_strict(validator), lines),
            ),
            ("reduce --trusted (parse + reduce + encode)", size, trusted),
        ],
        repeats,
    )
    parse_units = 1 / results[1].ratio
    check_units = 1 / results[2].ratio
    after_parse = 1 / results[3].ratio - parse_units
    validated = check_units + after_parse
    room = 5.0 - check_units  # what 0.2x leaves for reducing and encoding
    text = table(results, f"Ceilings, reducer: {size:,} facts, {repeats} paired repeats")
    return text + (
        "\n\nIn units of one orjson.loads per fact: the check takes "
        f"{check_units:.2f}, reducing and encoding after the parse {after_parse:.2f}, so a "
        f"validated run costs {validated:.2f} units = {1 / validated:.3f}x. The 0.2x target "
        f"(5.00 units) leaves {room:.2f} units after the check: the reducer and encoder "
        f"would have to be {1 - room / after_parse:.0%} faster."
    )
