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
def validator(kind: str, name: str, version: str | None = None) -> Draft202012Validator:
    """The validator of one version of a schema (default: the newest)."""
    if version is None:
        item = {f.name: f for f in store().latest(kind)}[name]
    else:
        item = store().files[f"{ID_BASE}{kind}/{name}/{version}.json"]
    return Draft202012Validator(item.schema, registry=store().registry)


def errors(kind: str, name: str, instance: Any, version: str | None = None) -> list[str]:
    """JSON paths ($-style) of every jsonschema error, deepest first."""
    found = sorted(
        validator(kind, name, version).iter_errors(instance), key=lambda e: -len(e.absolute_path)
    )
    return [e.json_path for e in found]


def batch_validator() -> Draft202012Validator:
    """The newest version of the request body schema."""
    batch = store().latest("batch")[0]
    return Draft202012Validator(batch.schema, registry=store().registry)
