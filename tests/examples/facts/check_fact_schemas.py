"""Offline self-check for the fact schemas and their examples.

Run: ``.venv/bin/python tests/examples/facts/check_fact_schemas.py`` from the repository root.

* every schema under ``schemas/`` passes ``Draft202012Validator.check_schema``;
* every ``$ref`` in the fact schemas and the ``fact_*`` common pieces resolves through a
  ``referencing.Registry`` built from the local files, keyed by ``$id`` (no retrieval);
* every property of those schemas has a description;
* every ``*.pass.json`` under ``tests/examples/facts/<fact>/`` is one line and validates;
* every ``*.fail.json`` is rejected, and the best-matching error names ``error_path``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import (  # type: ignore[import-untyped]
    SchemaError,
    ValidationError,
    best_match,
)
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = ROOT / "schemas"
EXAMPLES = ROOT / "tests" / "examples" / "facts"
ID_PREFIX = "https://schemas.codex-analytics.invalid/"


def load_registry() -> tuple[Registry, dict[str, Any]]:
    """Every local schema keyed by its $id; no retrieval function, so nothing is fetched."""
    by_id: dict[str, Any] = {}
    for path in sorted(SCHEMAS.rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        expected = ID_PREFIX + path.relative_to(SCHEMAS).as_posix()
        if contents.get("$id") != expected:
            raise SystemExit(f"{path}: $id {contents.get('$id')!r} != {expected!r}")
        by_id[expected] = contents
    registry: Registry = Registry().with_resources(
        (uri, Resource.from_contents(c)) for uri, c in by_id.items()
    )
    return registry, by_id


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def is_mine(uri: str) -> bool:
    rel = uri.removeprefix(ID_PREFIX)
    return rel.startswith("facts/") or rel.startswith("common/fact_")


def check_schemas(registry: Registry, by_id: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for uri, schema in by_id.items():
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            problems.append(f"{uri}: invalid schema: {exc}")
        if not is_mine(uri):
            continue
        resolver = registry.resolver(base_uri=uri)
        for pointer, node in walk(schema):
            if not isinstance(node, dict):
                continue
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    resolver.lookup(ref)
                except Unresolvable as exc:
                    problems.append(f"{uri}#{pointer}: unresolved $ref {ref!r}: {exc}")
            props = node.get("properties")
            # `if` subschemas only test a discriminator; they declare nothing.
            if isinstance(props, dict) and "/if/" not in pointer + "/":
                for name, sub in props.items():
                    if isinstance(sub, dict) and "description" not in sub and "$ref" not in sub:
                        problems.append(f"{uri}#{pointer}/properties/{name}: no description")
    return problems


def json_path(error: ValidationError) -> str:
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def check_examples(registry: Registry, by_id: dict[str, Any]) -> tuple[list[str], int]:
    problems: list[str] = []
    count = 0
    for fact_dir in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        uri = f"{ID_PREFIX}facts/{fact_dir.name}/1-0-0.json"
        if uri not in by_id:
            problems.append(f"{fact_dir}: no schema {uri}")
            continue
        validator = Draft202012Validator(by_id[uri], registry=registry)
        passes = sorted(fact_dir.glob("*.pass.json"))
        fails = sorted(fact_dir.glob("*.fail.json"))
        if len(passes) < 2 or len(fails) < 2:
            problems.append(f"{fact_dir}: needs >=2 pass and >=2 fail examples")
        for path in passes:
            count += 1
            text = path.read_text(encoding="utf-8")
            if text.rstrip("\n").count("\n"):
                problems.append(f"{path}: not one line")
            instance = json.loads(text)
            compact = json.dumps(instance, separators=(",", ":"), ensure_ascii=False)
            if compact != text.rstrip("\n"):
                problems.append(f"{path}: not compact JSON")
            error = best_match(validator.iter_errors(instance))
            if error is not None:
                problems.append(f"{path}: rejected at {json_path(error)}: {error.message}")
        for path in fails:
            count += 1
            case = json.loads(path.read_text(encoding="utf-8"))
            error = best_match(validator.iter_errors(case["instance"]))
            if error is None:
                problems.append(f"{path}: accepted, expected an error at {case['error_path']}")
            elif json_path(error) != case["error_path"]:
                problems.append(
                    f"{path}: error at {json_path(error)} ({error.message}), "
                    f"expected {case['error_path']}"
                )
    return problems, count


def main() -> int:
    registry, by_id = load_registry()
    problems = check_schemas(registry, by_id)
    example_problems, count = check_examples(registry, by_id)
    problems += example_problems
    for problem in problems:
        print(problem)
    mine = sum(1 for uri in by_id if is_mine(uri))
    print(
        f"{len(by_id)} schemas checked ({mine} fact schemas / fact_* pieces), {count} examples, "
        f"{len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
