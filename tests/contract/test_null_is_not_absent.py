"""Absent and null stay distinct (issue 12.2): for every optional key whose schema does not
admit `null`, of every event and fact schema, an instance with that key set to `null` is
rejected by the package (parse_event / validate_event, parse_fact, Reducer.ingest and the
reduce command's fast paths) exactly where jsonschema rejects it; an instance without an
optional key parses and dumps without it, and a nullable optional key set to `null` keeps it.

The instances are derived, not listed: every valid example (and every scenario fact) is walked
along the schema bundle the models are generated from (`$ref`s, union members, conditional
parts), and at every object it reaches, each optional key of that object is set to `null`.
Every optional key of every schema (of every model) must be reached by some instance.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from pydantic import MISSING, BaseModel

from codex_analytics_contract import (
    EVENT_VERSIONS,
    FACT_VERSIONS,
    ContractError,
    Reducer,
    parse_event,
    parse_fact,
    validate_event,
)
from codex_analytics_contract.reduce_cli import ReduceCounts, reduce_lines
from generator.bundle import Bundler
from generator.schema_store import load_store
from tests.conftest import EXAMPLES, ROOT
from tests.contract import jsonschema_oracle

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Bundle:
    defs: dict[str, dict[str, Any]]
    conditionals: dict[str, list[tuple[str, Any, str]]]
    roots: dict[tuple[str, str], str]  # (kind, name) -> root definition


@cache
def bundle() -> Bundle:
    store = load_store()
    bundler = Bundler(store)
    roots = {
        (kind, item.name): bundler.add_root(item)
        for kind in ("events", "facts")
        for item in store.latest(kind)
    }
    return Bundle(bundler.defs, bundler.conditionals, roots)


def admits_null(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return True
    if "$ref" in schema:
        return admits_null(bundle().defs[schema["$ref"].rsplit("/", 1)[1]])
    kinds = schema.get("type")
    if kinds is None and not any(k in schema for k in ("anyOf", "oneOf", "enum", "const")):
        return "properties" not in schema  # no type: anything goes, null too
    if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
        return True
    if "enum" in schema and None in schema["enum"]:
        return True
    if "const" in schema and schema["const"] is None:
        return True
    return any(admits_null(m) for k in ("anyOf", "oneOf") for m in schema.get(k, []))


def optional_keys(name: str) -> list[tuple[str, bool]]:
    """(key, admits null) of every optional key of a definition."""
    node = bundle().defs[name]
    required = set(node.get("required", []))
    return [
        (key, admits_null(schema))
        for key, schema in node.get("properties", {}).items()
        if key not in required
    ]


def _object_def(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return None
    name = ref.rsplit("/", 1)[1]
    return name if "properties" in bundle().defs[name] else None


def _could_be(instance: Any, schema: Any) -> bool:
    """Could `instance` be this union member (for the object members: its keys and tags)?"""
    if not isinstance(schema, dict):
        return True
    name = _object_def(schema)
    if name is None:
        return True
    node = bundle().defs[name]
    if not isinstance(instance, dict) or not set(node.get("required", [])) <= set(instance):
        return False
    props = node["properties"]
    if node.get("additionalProperties") is False and not set(instance) <= set(props):
        return False
    return all(
        instance[key] == value["const"]
        for key, value in props.items()
        if isinstance(value, dict) and "const" in value and key in instance
    )


def objects(instance: Any, schema: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """(JSON path, definition) of every object of `instance` that the bundle describes."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        node = bundle().defs[name]
        if "properties" not in node:
            yield from objects(instance, node, path)
            return
        if not isinstance(instance, dict):
            return
        yield path, name
        for key, value in node["properties"].items():
            if key in instance:
                yield from objects(instance[key], value, (*path, key))
        for key, const, then in bundle().conditionals.get(name, []):
            actual = instance.get(key)
            if actual == const and type(actual) is type(const):
                yield from objects(instance, {"$ref": f"#/$defs/{then}"}, path)
        return
    for union in ("anyOf", "oneOf"):
        for member in schema.get(union, []):
            if _could_be(instance, member):
                yield from objects(instance, member, path)
    if isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(instance):
            yield from objects(item, schema["items"], (*path, index))
    values = schema.get("additionalProperties")
    if isinstance(instance, dict) and isinstance(values, dict):
        for key, item in instance.items():
            yield from objects(item, values, (*path, key))


def reachable(name: str, seen: set[str] | None = None) -> set[str]:
    """Every definition an instance of `name` may contain (references and conditional parts)."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    text = json.dumps(bundle().defs[name])
    for other in bundle().defs:
        if f'"#/$defs/{other}"' in text:
            reachable(other, seen)
    for _, _, then in bundle().conditionals.get(name, []):
        reachable(then, seen)
    return seen


def json_path(path: Path) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def jsonschema_paths(kind: str, name: str, instance: Any) -> set[str]:
    """The JSON path of every jsonschema error, those inside a union's (`anyOf`) too."""
    pending = list(jsonschema_oracle.validator(kind, name).iter_errors(instance))
    paths: set[str] = set()
    while pending:
        error = pending.pop()
        paths.add(error.json_path)
        pending.extend(error.context or ())
    return paths


def valid_instances(kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Valid instances of the newest version of every schema (the models the bundle has)."""
    newest = EVENT_VERSIONS if kind == "events" else FACT_VERSIONS
    for name, found in newest.items():
        for file in sorted(EXAMPLES.glob(f"{kind}/{name}/{found[0]}/*.pass.json")):
            yield name, json.loads(file.read_bytes())
    if kind == "facts":
        for file in sorted((ROOT / "tests" / "scenarios").glob("*/facts.ndjson")):
            for line in file.read_bytes().splitlines():
                fact = json.loads(line)
                if jsonschema_oracle.validator("facts", fact["fact"]).is_valid(fact):
                    yield fact["fact"], fact  # the scenarios' facts of the newest versions


@dataclass(frozen=True)
class NullCase:
    kind: str  # "events" | "facts"
    name: str  # event type or fact kind
    definition: str  # the bundle definition the key belongs to
    parts: Path  # where the key is (its object's path, then the key)
    nullable: bool  # its schema admits null
    instance: dict[str, Any]  # a valid instance with that key set to null

    @property
    def key(self) -> str:
        return str(self.parts[-1])

    @property
    def path(self) -> str:
        return json_path(self.parts)

    def without_key(self) -> dict[str, Any]:
        """The instance with the key left out instead."""
        instance = copy.deepcopy(self.instance)
        node: Any = instance
        for part in self.parts[:-1]:
            node = node[part]
        del node[self.key]
        return instance

    def __str__(self) -> str:
        return f"{self.name}:{self.path}:{self.definition}"


@cache
def null_cases() -> tuple[NullCase, ...]:
    """One derived instance per (schema, definition, optional key)."""
    found: dict[tuple[str, str, str], NullCase] = {}
    for kind in ("events", "facts"):
        for name, instance in valid_instances(kind):
            root = {"$ref": f"#/$defs/{bundle().roots[(kind, name)]}"}
            for path, definition in objects(instance, root):
                for key, nullable in optional_keys(definition):
                    if (name, definition, key) in found:
                        continue
                    derived = copy.deepcopy(instance)
                    node: Any = derived
                    for part in path:
                        node = node[part]
                    node[key] = None
                    found[(name, definition, key)] = NullCase(
                        kind, name, definition, (*path, key), nullable, derived
                    )
    return tuple(found.values())


def rejected_cases() -> list[NullCase]:
    return [case for case in null_cases() if not case.nullable]


def test_every_optional_key_of_every_schema_gets_a_null_instance() -> None:
    # (a shared piece is one model wherever it is used: reached from one schema is enough)
    wanted = {
        (definition, key)
        for root in bundle().roots.values()
        for definition in reachable(root)
        for key, _ in optional_keys(definition)
    }
    derived = {(case.definition, case.key) for case in null_cases()}
    assert wanted - derived == set(), "no valid instance reaches these keys: add examples"
    # the non-nullable keys issue 12.2 found accepted as null, among them
    paths = {case.path for case in rejected_cases()}
    assert {
        "$.response.scope",
        "$.params.capabilities.experimentalApi",
        "$.params.item.source",
        "$.permission_profile.file_system.entries",
    } <= paths


@pytest.mark.parametrize("case", rejected_cases(), ids=str)
def test_null_for_an_optional_non_nullable_key_is_rejected_like_jsonschema(
    case: NullCase,
) -> None:
    assert case.path in jsonschema_paths(case.kind, case.name, case.instance)
    line = json.dumps(case.instance).encode()
    if case.kind == "events":
        attempts: list[Any] = [lambda: parse_event(line), lambda: validate_event(case.instance)]
    else:
        attempts = [
            lambda: parse_fact(line),
            lambda: parse_fact(case.instance),
            lambda: Reducer().ingest(case.instance),
        ]
    for attempt in attempts:
        with pytest.raises(ContractError) as caught:
            attempt()
        assert caught.value.path == case.path
    if case.kind == "facts":
        # the reduce command's path: the one-pass line check, the per-kind fast check and
        # parse_fact behind them
        errors: list[ContractError] = []
        counts = ReduceCounts()
        out = list(reduce_lines([(1, line)], Reducer(), counts, lambda _, exc: errors.append(exc)))
        assert (out, counts.rejected, [e.path for e in errors]) == ([], 1, [case.path])


def kept_cases() -> list[tuple[NullCase, dict[str, Any], Any]]:
    """(case, valid instance, what the model holds for the key): the instance without the key
    (`MISSING`) and, for a nullable key, with it set to null (None). An instance that a
    conditional part of the schema needs the key in is left out."""
    out: list[tuple[NullCase, dict[str, Any], Any]] = []
    for case in null_cases():
        variants = [(case.without_key(), MISSING)]
        if case.nullable:
            variants.append((case.instance, None))
        for instance, held in variants:
            if not jsonschema_paths(case.kind, case.name, instance):
                out.append((case, instance, held))
    return out


@pytest.mark.parametrize(
    ("case", "instance", "held"),
    kept_cases(),
    ids=lambda value: str(value) if isinstance(value, NullCase) else "",
)
def test_absent_and_null_optional_keys_stay_what_they_are(
    case: NullCase, instance: dict[str, Any], held: Any
) -> None:
    """Without the key, the model holds `MISSING` for it (not None) and dumps without it; with
    a nullable key set to null, it holds None and dumps null."""
    if case.kind == "events":
        model: BaseModel = parse_event(json.dumps(instance).encode())
    else:
        model = parse_fact(instance)
    holder: Any = model
    for part in case.parts[:-1]:
        holder = holder[part] if isinstance(part, int) else _attribute(holder, str(part))
    assert _attribute(holder, case.key) is held
    assert model.model_dump(mode="json", by_alias=True) == instance


def _attribute(holder: Any, key: str) -> Any:
    """The value of wire key `key` in a model (a field, or an extra key of an open object) or
    in a plain object (the part of an open object that a conditional part describes);
    `MISSING` when it is absent."""
    if isinstance(holder, dict):
        return holder.get(key, MISSING)
    for name, field in type(holder).model_fields.items():
        if (field.alias or name) == key:
            return getattr(holder, name)
    return (holder.model_extra or {}).get(key, MISSING)
