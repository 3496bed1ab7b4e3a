"""The generator's version arithmetic: payload shapes, byte markers and upgrade steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import GeneratorError
from generator.versioning import (
    PayloadShape,
    load_migration,
    marker_bytes,
    markers,
    payload_shape,
    upgrade_ops,
)


def shape(keys: str, required: str | None = None, nullable: str = "") -> PayloadShape:
    names = tuple(keys.split())
    return PayloadShape(
        keys=names,
        required=frozenset(names if required is None else required.split()),
        nullable=frozenset(nullable.split()),
    )


def test_payload_shape_reads_order_required_and_nullability_through_refs() -> None:
    defs = {
        "Ev": {"properties": {"event_params": {"$ref": "#/$defs/EvParams"}}},
        "EvParams": {
            "properties": {
                "b": {"type": ["string", "null"]},
                "a": {"$ref": "#/$defs/Kind"},
                "c": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                "d": {"type": "string"},
            },
            "required": ["b", "a", "c"],
        },
        "Kind": {"enum": ["x", None]},
    }
    got = payload_shape(defs, "Ev", "event_params")
    assert got.keys == ("b", "a", "c", "d")
    assert got.required == {"a", "b", "c"}
    assert got.nullable == {"a", "b", "c"}


def test_markers_pick_required_keys_other_versions_lack() -> None:
    shapes = {
        "3-0-0": shape("thread_id session_id profile_ms"),
        "2-0-0": shape("thread_id session_id"),
        "1-0-0": shape("thread_id"),
    }
    got = markers(shapes)
    assert got["3-0-0"][0] == "profile_ms"  # rules out both others
    assert set(got["2-0-0"]) == {"session_id"}
    assert "1-0-0" not in got  # requires nothing the others lack: never skipped
    assert marker_bytes("session_id") == b'"session_id"'


def test_upgrade_ops_keep_null_error_and_declared() -> None:
    old = shape("thread_id subreason kind")
    new = shape("thread_id session_id workspace kind", nullable="workspace kind")
    declared = {
        "session_id": {"from": "thread_id", "when": {"kind": None}, "description": "roots"},
        "kind": {"from": "kind", "map": {"rollout": "session"}, "description": "renamed"},
    }
    ops = dict(upgrade_ops(old, new, declared, "x"))
    assert list(ops) == ["thread_id", "session_id", "workspace", "kind"]  # the new wire order
    assert ops["thread_id"] == ("keep",)
    assert ops["session_id"][:2] == ("copy", "thread_id")
    assert ops["workspace"] == ("null",)
    assert ops["kind"][2] == {"rollout": "session"}
    bare = dict(upgrade_ops(old, new, {}, "x"))
    assert bare["session_id"][0] == "error" and "session_id" in bare["session_id"][1]


def test_upgrade_ops_refuse_migrations_for_unknown_keys() -> None:
    with pytest.raises(GeneratorError, match="does not have: nope"):
        upgrade_ops(shape("a"), shape("a b"), {"nope": {"value": 1, "description": "x"}}, "x")
    with pytest.raises(GeneratorError, match="no key 'zz'"):
        upgrade_ops(shape("a"), shape("a b"), {"b": {"from": "zz", "description": "x"}}, "x")


def test_load_migration_names_the_file_and_place(tmp_path: Path) -> None:
    path = tmp_path / "2-0-0.migration.json"
    assert load_migration(path) == {}
    path.write_text(json.dumps({"fields": {"b": {"from": "a", "value": 1}}}))
    with pytest.raises(GeneratorError, match=r"2-0-0\.migration\.json: \$\.fields\.b: expected"):
        load_migration(path)
    path.write_text("{")
    with pytest.raises(GeneratorError, match="not a readable JSON migration"):
        load_migration(path)
