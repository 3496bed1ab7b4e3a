"""The second validator: jsonschema Draft 2020-12 over the committed schema files, offline."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from generator.paths import ID_BASE
from generator.schema_store import SchemaStore, load_store


@cache
def store() -> SchemaStore:
    return load_store()


@cache
def validator(kind: str, name: str) -> Draft202012Validator:
    latest = {f.name: f for f in store().latest(kind)}[name]
    return Draft202012Validator(latest.schema, registry=store().registry)


def errors(kind: str, name: str, instance: Any) -> list[str]:
    """JSON paths ($-style) of every jsonschema error, deepest first."""
    found = sorted(validator(kind, name).iter_errors(instance), key=lambda e: -len(e.absolute_path))
    return [e.json_path for e in found]


def batch_validator() -> Draft202012Validator:
    batch = store().files[ID_BASE + "batch/1-0-0.json"]
    return Draft202012Validator(batch.schema, registry=store().registry)
