"""CI003 / CI004: the examples published at the base still read back the same at head.

Each test builds a repository from this checkout's schemas, examples and package (main), makes a
change on a branch, and runs the gate (or its example check with the package regenerated from
the branch's schemas, as `make generate` would before the commit).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.batch import write_next_batch
from generator.gate.check import run_check
from generator.gate.examples import base_examples, example_findings, head_package
from generator.gate.rules import Category
from generator.gate.versions import SchemaVer
from generator.generate import render_all
from generator.schema_store import load_store
from tests.gate.gitrepo import commit, contract_repo, git

TURN = "events/codex_turn_event"
APP = "events/codex_app_used"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: every schema, the package, and the examples of two event types; branch `feature`."""
    return contract_repo(tmp_path, "schemas", "python/src", f"examples/{TURN}", f"examples/{APP}")


def _load(repo: Path, rel: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((repo / "schemas" / rel).read_text("utf-8"))
    return doc


def _save(repo: Path, rel: str, doc: dict[str, Any]) -> None:
    path = repo / "schemas" / rel
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _check(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = run_check("main", "text", root=repo, drift=False)
    return rc, capsys.readouterr().out


def _regenerated_findings(repo: Path) -> tuple[list[tuple[str, str]], str]:
    """The example check with the package regenerated from the branch's schemas."""
    fresh = render_all(load_store(repo / "schemas"))
    examples = base_examples(repo, git(repo, "rev-parse", "main").strip())
    with head_package(repo, fresh) as (src, how):
        found = example_findings(examples, src)
    return [(f.rule, f.file) for f in found], how


def _patch_serializer(repo: Path, body: str) -> None:
    """Wrap the package's serialize_event (as the branch's runtime): ``body`` is an expression
    of ``data``, the bytes the original wrote."""
    api = repo / "python/src/codex_analytics_contract/api.py"
    assert "def serialize_event(" in api.read_text("utf-8")
    with api.open("a", encoding="utf-8") as out:
        out.write(
            "\n\n_serialize_event = serialize_event\n\n\n"
            "def serialize_event(event: BaseModel) -> bytes:  # the branch's change\n"
            "    data = _serialize_event(event)\n"
            f"    return {body}\n"
        )


def _classify_retry_count(repo: Path) -> None:
    """Every field has a data class (spec/tables.md §5): the new key's goes beside the others."""
    classes = repo / "schemas" / "data-classes.yaml"
    text = classes.read_text(encoding="utf-8")
    assert "\n  steer_count: metric\n" in text
    classes.write_text(
        text.replace(
            "\n  steer_count: metric\n", "\n  retry_count: metric\n  steer_count: metric\n"
        ),
        encoding="utf-8",
    )


def _retry_count() -> dict[str, Any]:
    return {
        "type": ["integer", "null"],
        "minimum": 0,
        "maximum": 18446744073709551615,
        "description": "Times the turn was retried.",
    }


def test_every_published_example_is_read(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out = _check(repo, capsys)
    assert rc == 0, out
    count = len(list((repo / "examples").rglob("*.json")))
    assert f"{count} published example(s) read back at their version" in out


def test_optional_field_added_in_place_fails(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: `retry_count` added to a published version file in place."""
    doc = _load(repo, f"{TURN}/1-0-0.json")
    doc["properties"]["event_params"]["properties"]["retry_count"] = _retry_count()
    _save(repo, f"{TURN}/1-0-0.json", doc)
    commit(repo, "retry_count in 1-0-0 in place")
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CI001" in out and f"schemas/{TURN}/1-0-0.json" in out
    assert "FAIL:" in out.rstrip().splitlines()[-1]


def test_serializer_change_fails_ci003(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No schema changes, but the package writes other bytes for published examples."""
    _patch_serializer(repo, "data.replace(b'\":', b'\": ')")
    commit(repo, "serializer writes a space after each key")
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CI003" in out and "no longer round-trips byte-exactly" in out
    assert f"examples/{TURN}/1-0-0/upstream_test_shape.pass.json" in out
    assert "first difference at byte" in out


def test_base_bytes_are_judged_not_the_edited_example(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rewriting an example to match a changed serializer does not hide the change."""
    _patch_serializer(repo, "data.replace(b',', b', ')")
    example = repo / "examples" / TURN / "1-0-0" / "upstream_test_shape.pass.json"
    example.write_bytes(example.read_bytes().replace(b",", b", "))
    commit(repo, "serializer and one example changed together")
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert f"examples/{TURN}/1-0-0/upstream_test_shape.pass.json" in out


def test_in_place_edits_change_what_examples_read_as(repo: Path) -> None:
    """With the package regenerated: a required key added in place rejects the published valid
    examples (CI003); a required key made optional in place accepts an invalid one (CI004)."""
    app = _load(repo, f"{APP}/1-0-0.json")
    params = app["properties"]["event_params"]
    params["properties"]["retry_count"] = _retry_count()
    params["required"].append("retry_count")
    _save(repo, f"{APP}/1-0-0.json", app)
    turn = _load(repo, f"{TURN}/1-0-0.json")
    turn["properties"]["event_params"]["required"].remove("steer_count")
    _save(repo, f"{TURN}/1-0-0.json", turn)
    _classify_retry_count(repo)
    commit(repo, "in-place edits")
    found, how = _regenerated_findings(repo)
    assert how.startswith("a fresh generation")
    app_valid = sorted(
        f"examples/{APP}/1-0-0/{p.name}"
        for p in (repo / "examples" / APP / "1-0-0").glob("*.pass.json")
    )
    assert sorted(file for rule, file in found if rule == "CI003") == app_valid
    assert [file for rule, file in found if rule == "CI004"] == [
        f"examples/{TURN}/1-0-0/missing_steer_count.fail.json"
    ]


def test_new_version_adding_a_field_keeps_older_bytes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case done right: a new version file adds `retry_count`; every published
    example of the older versions still reads back byte-exactly from the regenerated package."""
    folder = repo / "schemas" / TURN
    newest = max(v for v in (SchemaVer.parse(p.stem) for p in folder.glob("*.json")) if v)
    target = newest.next(Category.ADDITION)
    doc = _load(repo, f"{TURN}/{newest}.json")
    doc["$id"] = doc["$id"].replace(f"/{newest}.json", f"/{target}.json")
    doc["properties"]["event_params"]["properties"]["retry_count"] = _retry_count()
    _save(repo, f"{TURN}/{target}.json", doc)
    assert write_next_batch(repo / "schemas") is not None  # CL011 asks for it
    _classify_retry_count(repo)
    commit(repo, f"codex_turn_event {target}: optional retry_count")
    rc, out = _check(repo, capsys)
    assert rc == 0, out
    assert "needs ADDITION, bumped ADDITION: ok" in out
    fresh = render_all(load_store(repo / "schemas"))
    tables = fresh["python/src/codex_analytics_contract/_generated/tables.py"].decode()
    assert f"'{target}'" in tables  # the regenerated package knows the new version
    examples = base_examples(repo, git(repo, "rev-parse", "main").strip())
    assert any(e.version == str(newest) and e.name == "codex_turn_event" for e in examples)
    with head_package(repo, fresh) as (src, _):
        assert example_findings(examples, src) == []


def test_a_crash_on_an_example_is_reported_for_that_example(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _patch_serializer(repo, '_raise(RuntimeError("serializer broke"))')
    api = repo / "python/src/codex_analytics_contract/api.py"
    with api.open("a", encoding="utf-8") as out:
        out.write("\n\ndef _raise(exc: Exception) -> bytes:\n    raise exc\n")
    commit(repo, "serializer raises")
    rc, out = _check(repo, capsys)
    assert rc == 1
    assert "CI003" in out and "RuntimeError('serializer broke')" in out
    assert f"examples/{TURN}/1-0-0/upstream_test_shape.pass.json" in out
    assert "CG005" not in out  # judged example by example, not one crash for all
