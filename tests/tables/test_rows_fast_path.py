"""The table loaders' fast path (`rows.line_outcomes` with msgspec, issue #14): every line
gets the outcome the typed path gives it (the same row, the same rejection), while the work
goes through `fast.decode_event` and the dict upgrade."""

from __future__ import annotations

import json
import random
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.events_bench import session_corpus
from codex_analytics_contract import fast, rows
from codex_analytics_contract.rows import EventRow, Outcome, Rejected, line_outcomes
from tests.conftest import example_id, fail_examples, load_fail, pass_examples
from tests.support.mutations import mutate

PASS = pass_examples("events")
FAIL = fail_examples("events")


def _typed_outcomes(monkeypatch: pytest.MonkeyPatch, number: int, line: bytes) -> list[Outcome]:
    """What the loaders give without the `fast` extra (the typed path alone)."""
    with monkeypatch.context() as patch:
        patch.setattr(rows, "_fast", None)
        return line_outcomes(number, line)


def _same(monkeypatch: pytest.MonkeyPatch, number: int, line: bytes) -> list[Outcome]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a disagreement of the paths warns: fail on it
        found = line_outcomes(number, line)
    assert found == _typed_outcomes(monkeypatch, number, line), line[:400]
    return found


@pytest.fixture
def fast_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The versions `_fast_outcome` read, one per line it took (proof the fast path ran)."""
    seen: list[str] = []
    original = rows._fast_outcome

    def spy(number: int, struct: Any, line: bytes, redact: frozenset[str]) -> Outcome:
        seen.append(struct.schema_version)
        return original(number, struct, line, redact)

    monkeypatch.setattr(rows, "_fast_outcome", spy)
    yield seen


@pytest.mark.parametrize("path", PASS, ids=[example_id(p) for p in PASS])
def test_every_valid_example_of_every_version_gives_the_typed_row(
    path: Any, monkeypatch: pytest.MonkeyPatch, fast_calls: list[str]
) -> None:
    found = _same(monkeypatch, 3, path.read_bytes().rstrip(b"\n"))
    assert fast_calls, "the fast path did not take a valid example"
    assert len(found) == 1
    if isinstance(found[0], EventRow):
        assert found[0].row["_schema_version"] == fast_calls[0]
        assert found[0].row["_line"] == 3


@pytest.mark.parametrize("path", FAIL, ids=[example_id(p) for p in FAIL])
def test_every_invalid_example_gives_the_typed_outcome(
    path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fail example breaks its own schema (some are another type's valid event)."""
    line = json.dumps(load_fail(path)["instance"], ensure_ascii=False).encode()
    _same(monkeypatch, 1, line)


def test_the_sessions_older_versions_are_upgraded_alike(
    monkeypatch: pytest.MonkeyPatch, fast_calls: list[str]
) -> None:
    """The reducer's sessions: mostly older versions, upgraded to the tables' (some with no
    honest upgrade: rejected with the typed upgrade's UpgradeError)."""
    lines = session_corpus(1500)
    outcomes = [o for n, line in enumerate(lines, 1) for o in _same(monkeypatch, n, line)]
    upgraded = [o for o in outcomes if isinstance(o, EventRow)]
    refused = [o for o in outcomes if isinstance(o, Rejected)]
    assert len(fast_calls) == len(lines)
    assert len(upgraded) + len(refused) == len(lines)
    assert any(o.row["_schema_version"] != rows.TABLE_VERSIONS[o.table] for o in upgraded), (
        "no line was upgraded: the corpus does not test the dict upgrade"
    )
    assert any("->" in o.reason for o in refused), "no upgrade was refused"


def test_seeded_mutations_give_the_typed_outcome(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys dropped and added, types, nulls, bounds, number spellings (`-0` among them),
    repeated keys, deep nesting, over every version's examples and the sessions."""
    rng = random.Random(1402)
    docs = [json.loads(p.read_bytes()) for p in PASS]
    docs += [json.loads(line) for line in session_corpus(300)]
    kinds: dict[str, int] = {}
    for number in range(1, 3001):
        _, line = mutate(rng, rng.choice(docs))
        for outcome in _same(monkeypatch, number, line):
            kinds[type(outcome).__name__] = kinds.get(type(outcome).__name__, 0) + 1
    assert kinds.get("EventRow", 0) > 300 and kinds.get("Rejected", 0) > 300, kinds


def _negative_zero(doc: dict[str, Any]) -> tuple[bytes, str]:
    """`doc` with its first integer in `event_params` written `-0`."""
    key = next(k for k, v in doc["event_params"].items() if type(v) is int)
    line = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    return line.replace(f'"{key}":{doc["event_params"][key]}', f'"{key}":-0', 1).encode(), key


def _newest_doc() -> dict[str, Any]:
    for path in PASS:
        doc = json.loads(path.read_bytes())
        if any(type(v) is int for v in doc["event_params"].values()):
            line = path.read_bytes().rstrip(b"\n")
            (found,) = line_outcomes(1, line)
            if (
                isinstance(found, EventRow)
                and found.row["_schema_version"] == (rows.TABLE_VERSIONS[found.table])
            ):
                return doc
    raise AssertionError("no example of a table's version has an integer parameter")


@pytest.mark.parametrize("use_fast", [True, False], ids=["fast", "typed"])
def test_a_negative_zero_integer_is_rejected_as_parse_event_rejects_it(
    use_fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serde_json reads `-0` as a float: no integer. The typed loader once took the line (its
    dict held 0), alone and inside a request body."""
    if not use_fast:
        monkeypatch.setattr(rows, "_fast", None)
    line, key = _negative_zero(_newest_doc())
    (alone,) = line_outcomes(1, line)
    assert isinstance(alone, Rejected)
    assert alone.path == f"$.event_params.{key}"
    assert "-0" in alone.reason
    body = b'{"events":[' + json.dumps(_newest_doc()).encode() + b"," + line + b"]}"
    first, second = line_outcomes(2, body)
    assert isinstance(first, EventRow)
    assert isinstance(second, Rejected)
    assert second.path == f"$.events[1].event_params.{key}"


def test_a_disagreement_warns_and_the_typed_verdict_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line = PASS[0].read_bytes().rstrip(b"\n")
    expected = _typed_outcomes(monkeypatch, 1, line)

    def disagree(*_: Any, **__: Any) -> Any:
        raise fast.PathsDisagreeError("the typed path accepts this event, the fast path refuses")

    monkeypatch.setattr(fast, "decode_event", disagree)
    with pytest.warns(RuntimeWarning, match="line 1: the typed path accepts"):
        assert line_outcomes(1, line) == expected
