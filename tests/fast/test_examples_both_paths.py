"""Every example of every version through both paths: the same verdict, version and bytes."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from codex_analytics_contract import (
    EVENT_TYPES,
    fast,
    matching_versions,
    parse_event,
    parse_fact,
    serialize_event,
)
from codex_analytics_contract._generated.registry import EVENT_VERSIONS
from codex_analytics_contract.errors import ContractError, OutOfRangeError
from codex_analytics_contract.versions import model
from tests.conftest import (
    EXAMPLES,
    example_id,
    example_name,
    example_version,
    fail_examples,
    load_fail,
    pass_examples,
)
from tests.fast.agreement import judge

PASS = [(p, "event") for p in pass_examples("events")] + [
    (p, "fact") for p in pass_examples("facts")
]
FAIL = [(p, "event") for p in fail_examples("events")] + [
    (p, "fact") for p in fail_examples("facts")
]


def _line(path: Path) -> bytes:
    return path.read_bytes().rstrip(b"\n")


@pytest.mark.parametrize(("path", "kind"), PASS, ids=[example_id(p) for p, _ in PASS])
def test_valid_example_same_in_both_paths(path: Path, kind: str) -> None:
    assert judge(_line(path), kind) is None


@pytest.mark.parametrize(("path", "kind"), FAIL, ids=[example_id(p) for p, _ in FAIL])
def test_invalid_example_same_error_in_both_paths(path: Path, kind: str) -> None:
    data = json.dumps(load_fail(path)["instance"], ensure_ascii=False).encode()
    assert judge(data, kind) is None


@pytest.mark.parametrize(("path", "kind"), PASS, ids=[example_id(p) for p, _ in PASS])
def test_valid_example_pinned_to_its_version_same_in_both_paths(path: Path, kind: str) -> None:
    assert judge(_line(path), kind, version=example_version(path)) is None


def test_every_event_example_round_trips_to_its_bytes() -> None:
    for path in pass_examples("events"):
        data = _line(path)
        assert fast.encode_event(fast.decode_event(data, cross_check=True)) == data, path
        pinned = fast.decode_event(data, version=example_version(path), cross_check=True)
        assert fast.encode_event(pinned) == data, path


def test_the_version_detected_is_the_typed_paths_newest_match() -> None:
    """An example valid in several versions reads as the newest of them, in both paths."""
    several = 0
    for path in pass_examples("events"):
        data = _line(path)
        found = matching_versions(data)
        struct = fast.decode_event(data)
        assert struct.schema_version == found[0], path  # type: ignore[attr-defined]
        several += len(found) > 1
    assert several, "no example matches more than one version"


def test_a_refused_event_raises_the_typed_error_with_its_path() -> None:
    folder = EXAMPLES / "events/codex_accepted_line_fingerprints/1-0-0"
    data = _line(sorted(folder.glob("*.pass.json"))[0])
    doc = json.loads(data)
    doc["event_params"]["completed_at"] = 2**64  # a u64
    bad = json.dumps(doc).encode()
    with pytest.raises(OutOfRangeError) as fast_error:
        fast.decode_event(bad)
    with pytest.raises(ContractError) as typed_error:
        parse_event(bad)
    assert str(fast_error.value) == str(typed_error.value)
    assert "completed_at" in str(fast_error.value)
    doc["event_params"]["completed_at"] = 2**64 - 1  # u64's largest: beyond msgspec's int64
    fine = json.dumps(doc).encode()
    assert fast.encode_event(fast.decode_event(fine)) == serialize_event(parse_event(fine))


def test_a_pinned_version_refuses_what_only_another_version_accepts() -> None:
    newest = EVENT_VERSIONS["codex_turn_event"][0]
    path = pass_examples("events", "codex_turn_event", "1-0-0")[0]
    data = _line(path)
    assert len(EVENT_VERSIONS["codex_turn_event"]) > 1
    assert newest not in matching_versions(data)
    with pytest.raises(ContractError) as fast_error:
        fast.decode_event(data, version=newest)
    with pytest.raises(ContractError) as typed_error:
        parse_event(data, version=newest)
    assert str(fast_error.value) == str(typed_error.value)
    with pytest.raises(ContractError):
        fast.decode_event(data, version="0-0-9")


def test_to_dict_and_to_model_give_the_typed_views() -> None:
    for path in pass_examples("events"):
        data = _line(path)
        struct = fast.decode_event(data)
        assert fast.to_dict(struct) == json.loads(data), path
        model = fast.to_model(struct)
        assert type(model) is type(parse_event(data))
        assert serialize_event(model) == data
        old = fast.decode_event(data, version=example_version(path))
        assert type(fast.to_model(old)) is type(parse_event(data, version=example_version(path)))


def test_every_event_of_every_version_has_the_fast_path() -> None:
    assert set(fast.EVENT_STRUCTS) == set(EVENT_TYPES)
    for name, known in EVENT_VERSIONS.items():
        for version in known:
            struct = fast.struct_for("events", name, version)
            assert struct is not None, (name, version)
            assert struct.schema_version == version  # type: ignore[attr-defined]
            assert struct.__name__ == model("events", name, version).__name__
            assert fast.not_carried("events", name, version) is None


def test_facts_of_the_versions_not_carried_say_so() -> None:
    carried = 0
    for path in pass_examples("facts"):
        data = _line(path)
        kind, version = example_name(path), example_version(path)
        reason = fast.not_carried("facts", kind, version)
        if reason is not None:
            assert fast.struct_for("facts", kind, version) is None
            with pytest.raises(fast.NotCarriedError, match=type(parse_fact(data)).__name__):
                fast.decode_fact(data, version=version)
        else:
            carried += 1
            struct = fast.decode_fact(data, version=version)
            assert type(fast.to_model(struct)) is type(parse_fact(data, version=version))
    assert carried, "no fact carried"


def test_a_disagreement_is_reported_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    path = pass_examples("events", "codex_turn_event", EVENT_VERSIONS["codex_turn_event"][0])[0]
    data = _line(path)
    accepted = parse_event(data)
    # the fast path refuses a payload the typed path (here: a stand-in) accepts
    monkeypatch.setattr(fast, "parse_event", lambda *_args, **_kw: accepted)
    with pytest.raises(fast.PathsDisagreeError, match="typed path accepts"):
        fast.decode_event(b'{"event_type":"codex_turn_event"}')
    # cross_check: the fast path accepts what the typed path (a stand-in) refuses
    monkeypatch.setattr(fast, "parse_event", lambda *_args, **_kw: parse_event(b"{}"))
    with pytest.raises(fast.PathsDisagreeError, match="typed path refuses"):
        fast.decode_event(data, cross_check=True)


def test_the_version_read_does_not_depend_on_what_was_read_before() -> None:
    """The fast path guesses an older version first when the last payload of the type was of
    it; the guess never changes the version read: every example of every type, read oldest
    first, newest first and shuffled, reads as the newest version that accepts it."""
    lines = [_line(p) for p in pass_examples("events")]
    newest = {data: matching_versions(data)[0] for data in lines}
    orders = [lines, lines[::-1], random.Random(14).sample(lines, len(lines))]
    for order in orders:
        for data in order:
            assert fast.decode_event(data).schema_version == newest[data], data  # type: ignore[attr-defined]
