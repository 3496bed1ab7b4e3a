"""Every example of every version through both paths: the same verdict, version and bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codex_analytics_contract import EVENT_TYPES, fast, parse_event, parse_fact, serialize_event
from codex_analytics_contract.errors import ContractError, OutOfRangeError
from tests.conftest import EXAMPLES, example_id, fail_examples, load_fail, pass_examples
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


def test_every_event_example_round_trips_to_its_bytes() -> None:
    for path in pass_examples("events"):
        data = _line(path)
        assert fast.encode_event(fast.decode_event(data, cross_check=True)) == data, path


def test_a_refused_event_raises_the_typed_error_with_its_path() -> None:
    folder = EXAMPLES / "events/codex_accepted_line_fingerprints"
    data = _line(sorted(folder.glob("*.pass.json"))[0])
    doc = json.loads(data)
    doc["event_params"]["completed_at"] = 2**64  # a u64
    bad = json.dumps(doc).encode()
    with pytest.raises(OutOfRangeError) as fast_error:
        fast.decode_event(bad)
    with pytest.raises(ContractError) as typed_error:
        parse_event(bad)
    assert str(fast_error.value) == str(typed_error.value)
    assert fast_error.value.path == "$.event_params.completed_at"
    doc["event_params"]["completed_at"] = 2**64 - 1  # u64's largest: beyond msgspec's int64
    fine = json.dumps(doc).encode()
    assert fast.encode_event(fast.decode_event(fine)) == serialize_event(parse_event(fine))


def test_to_dict_and_to_model_give_the_typed_views() -> None:
    for path in pass_examples("events"):
        data = _line(path)
        struct = fast.decode_event(data)
        assert fast.to_dict(struct) == json.loads(data), path
        model = fast.to_model(struct)
        assert type(model) is type(parse_event(data))
        assert serialize_event(model) == data


def test_every_event_of_every_version_has_the_fast_path() -> None:
    assert fast.EVENTS_NOT_CARRIED == {}
    assert set(fast.EVENT_STRUCTS) == set(EVENT_TYPES)


def test_facts_of_the_kinds_not_carried_say_so() -> None:
    assert fast.FACTS_NOT_CARRIED, "every fact carried: drop this test and NotCarriedError"
    for path in pass_examples("facts"):
        data = _line(path)
        kind = json.loads(data)["fact"]
        if kind in fast.FACTS_NOT_CARRIED:
            with pytest.raises(fast.NotCarriedError, match=kind):
                fast.decode_fact(data)
        else:
            struct = fast.decode_fact(data)
            assert type(fast.to_model(struct)) is type(parse_fact(data))


def test_a_disagreement_is_reported_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _line(EXAMPLES / "events/codex_turn_event/failed_http_object_error.pass.json")
    accepted = parse_event(data)
    # the fast path refuses a payload the typed path (here: a stand-in) accepts
    monkeypatch.setattr(fast, "parse_event", lambda _data: accepted)
    with pytest.raises(fast.PathsDisagreeError, match="typed path accepts"):
        fast.decode_event(b'{"event_type":"codex_turn_event"}')
    # cross_check: the fast path accepts what the typed path (a stand-in) refuses
    monkeypatch.setattr(fast, "parse_event", lambda _data: parse_event(b"{}"))
    with pytest.raises(fast.PathsDisagreeError, match="typed path refuses"):
        fast.decode_event(data, cross_check=True)
