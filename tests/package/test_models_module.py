"""`codex_analytics_contract.models` reads like hand-written code: every class documented by
its schema's description, field descriptions known at run time, classes in reading order,
names without stutter or counters, the integer widths named once, nothing public that is not
part of the contract."""

from __future__ import annotations

import inspect
import json
import re
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel

from codex_analytics_contract import EVENT_TYPES, FACT_KINDS, models
from codex_analytics_contract._generated import models as generated
from codex_analytics_contract.registry import EVENT_MODELS, FACT_MODELS
from generator.bundle import INTEGER_TYPES, Bundler
from generator.naming import words
from generator.schema_store import load_store

MODELS = {
    name: value
    for name, value in vars(models).items()
    if name in models.__all__ and isinstance(value, type) and issubclass(value, BaseModel)
}


@cache
def definitions() -> dict[str, dict[str, Any]]:
    """The bundle the models are generated from: class name -> its (flattened) schema."""
    store = load_store()
    bundler = Bundler(store)
    for kind in ("events", "facts"):
        for item in store.latest(kind):
            bundler.add_root(item)
    return bundler.defs


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in inspect.cleandoc(text).splitlines()]


def test_every_class_is_documented_by_its_schema_description() -> None:
    documented = 0
    for name, model in MODELS.items():
        description = definitions()[name].get("description")
        assert description, f"{name}: the schema has no description"
        assert model.__doc__ is not None and lines(model.__doc__) == lines(description), name
        documented += 1
    assert documented == len(MODELS) > 150


def test_field_descriptions_are_known_at_run_time_and_in_the_json_schema() -> None:
    checked = 0
    for name, model in MODELS.items():
        properties = definitions()[name]["properties"]
        fields = {field.alias or key: field for key, field in model.model_fields.items()}
        assert list(fields) == list(properties), name  # every key, in wire order
        for key, schema in properties.items():
            assert fields[key].description == schema["description"], f"{name}.{key}"
            checked += 1
    assert checked > 800
    params = models.CodexTurnEventParams
    assert params.model_fields["duration_ms"].description
    schema = params.model_json_schema()
    assert schema["properties"]["duration_ms"]["description"] == (
        params.model_fields["duration_ms"].description
    )
    assert schema["description"] == inspect.cleandoc(params.__doc__ or "")


def test_names_have_no_stutter_and_no_counters() -> None:
    for name in models.__all__:
        found = words(name)
        lowered = [w.lower() for w in found]
        for size in range(1, len(found) // 2 + 1):
            for start in range(len(found) - 2 * size + 1):
                repeated = lowered[start : start + size] == lowered[start + size : start + 2 * size]
                assert not repeated, f"{name} repeats {found[start : start + size]}"
        assert not re.search(r"[0-9]$", name) or name in INTEGER_TYPES.values(), name
    assert {"CodexTurnEventParams", "CodexErrorInfoHttpConnectionFailed"} <= set(models.__all__)
    # the names users import stay
    for kept in ("CodexTurnEvent", "TurnTokenUsageFact", "AppServerClient", "Runtime"):
        assert kept in models.__all__


def test_nothing_public_that_is_not_part_of_the_contract() -> None:
    assert "ContractModels" not in vars(generated)  # the bundle's root is no model
    assert "ContractBundle" not in vars(generated)
    public = {n for n in vars(models) if not n.startswith("_") and n[:1].isupper()}
    imported = {"BaseModel", "ConfigDict", "Field", "Literal", "Annotated", "Any", "TypeAlias"}
    imported |= {"StrictBool", "StrictInt", "StrictStr", "MISSING"}
    assert public - imported == set(models.__all__)
    # the bundle's definitions plus what the model bundle names: the integer widths and the
    # values of nullable maps (`<Owner><Property>Value`)
    store = load_store()
    bundler = Bundler(store)
    for kind in ("events", "facts"):
        for item in store.latest(kind):
            bundler.add_root(item)
    named = set(bundler.model_bundle()["$defs"])
    assert named - set(definitions()) - set(INTEGER_TYPES.values()) == {
        "CodexPluginMeasurementEventParamsDimensionsValue"
    }
    assert set(models.__all__) <= named


def test_integer_widths_are_named_types_written_once() -> None:
    source = inspect.getsource(generated)
    for (low, high), name in INTEGER_TYPES.items():
        bounds = f"Field(ge={low}, le={high})"
        if name in models.__all__:
            assert source.count(f"le={high})") == 1, name  # only in the named type
            assert bounds in source.split(f"\n{name}: TypeAlias = ", 1)[1].split("\n\n", 1)[0]
    assert {"U64", "I64", "I32", "U16"} <= set(models.__all__)
    u64: Any = models.U64
    assert typing.get_args(u64)[0] is int or issubclass(typing.get_args(u64)[0], int)


def test_classes_are_in_reading_order() -> None:
    """The integer types, then each event followed by its parameters (EVENT_TYPES order),
    then the facts (FACT_KINDS order), then the shared pieces: nothing two schemas use comes
    before the last fact."""
    order = [name for name in vars(generated) if name in models.__all__]  # as defined
    assert order[: len([n for n in order if n in INTEGER_TYPES.values()])] == [
        n for n in INTEGER_TYPES.values() if n in order
    ]
    events = [EVENT_MODELS[t].__name__ for t in EVENT_TYPES]
    facts = [FACT_MODELS[k].__name__ for k in FACT_KINDS]
    positions = [order.index(name) for name in events + facts]
    assert positions == sorted(positions)
    for name in events:
        params = models.__dict__[name].model_fields["event_params"].annotation
        assert order[order.index(name) + 1] == params.__name__
    users: dict[str, set[str]] = {}
    for root in events + facts:
        for used in _models_used_by(MODELS[root]):
            users.setdefault(used, set()).add(root)
    last_fact = order.index(facts[-1])
    for name, roots in users.items():
        if len(roots) > 1 and name not in events + facts:
            assert order.index(name) > last_fact, f"{name} (shared by {sorted(roots)})"


def _models_used_by(model: type[BaseModel], seen: set[str] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    for field in model.model_fields.values():
        for found in _models_in(field.annotation):
            if found.__name__ not in seen:
                seen.add(found.__name__)
                _models_used_by(found, seen)
    return seen


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def test_bundle_json_is_serializable() -> None:
    # the definitions the test compares with are plain JSON (no objects of the generator)
    json.dumps(definitions())


def test_a_nullable_map_checks_its_values() -> None:
    """`{"type": ["object", "null"], "additionalProperties": {...}}` keeps the values' schema
    (datamodel-code-generator alone reads it as `dict[str, Any] | None`): a measurement's
    dimension value must match its pattern, in the typed path as in the fast path."""
    from codex_analytics_contract import parse_event
    from codex_analytics_contract.errors import ContractError
    from tests.conftest import pass_examples

    path = pass_examples("events", "codex_plugin_measurement_event")[0]
    doc = json.loads(path.read_bytes())
    assert doc["event_params"]["dimensions"], path
    key = next(iter(doc["event_params"]["dimensions"]))
    for value, accepted in (("low", True), (1, False), (None, False), ("Low", False)):
        doc["event_params"]["dimensions"][key] = value
        data = json.dumps(doc).encode()
        if accepted:
            parse_event(data)
            continue
        try:
            parse_event(data)
        except ContractError as exc:
            assert exc.path == f"$.event_params.dimensions.{key}", exc
        else:
            raise AssertionError(f"dimension value {value!r} accepted")
