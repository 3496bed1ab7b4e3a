"""The typed path at its edges: numbers as serde_json reads and writes them, text that is not
valid Unicode, tags of the wrong type, the wrong Python type for a function, and log lines that
are not what the backend writes. Every failure is a ContractError naming the JSON path."""

from __future__ import annotations

import json
import math
import random
import struct
import subprocess
import sys
from typing import Any

import pytest
from pydantic_core import from_json, to_json

from codex_analytics_contract import (
    ContractError,
    InputTypeError,
    InvalidJSONError,
    UnknownEventTypeError,
    WrongTypeError,
    parse_event,
    parse_fact,
    serialize_event,
    validate_event,
)
from codex_analytics_contract.json_numbers import serde_float
from codex_analytics_contract.logline import parse_log_line, to_backend_event
from tests.conftest import EXAMPLES, ROOT
from tests.golden.test_golden_log_lines import LINES
from tests.support.scenarios import SCENARIOS_DIR

GUARDIAN = EXAMPLES / "events/codex_guardian_review/5-0-1/shell_approved_from_session.pass.json"
OPEN = b'"additional_permissions":{"network":{"enabled":true}}'  # an open object in an event


def guardian_with(permissions: bytes) -> bytes:
    line = GUARDIAN.read_bytes().rstrip(b"\n")
    assert OPEN in line
    return line.replace(OPEN, b'"additional_permissions":' + permissions)


# -- floats in an open object: written as serde_json (ryu) writes them -------------------------

# What serde_json writes for each float (ryu's layout: plain decimals while the point is within
# 16 digits, else an exponent without "+" or leading zeros), and an input that reads as it.
SERDE_FLOATS = [
    ("1e16", "1e16"),
    ("1.5e16", "1.5e16"),
    ("12345678901234567", "1.2345678901234568e16"),  # an integer literal that fits u64 stays one
    ("1e15", "1000000000000000.0"),
    ("9007199254740993.0", "9007199254740992.0"),
    ("123.0", "123.0"),
    ("1E5", "100000.0"),
    ("0.1", "0.1"),
    ("0.0001", "0.0001"),
    ("1e-5", "0.00001"),
    ("1.5e-5", "0.000015"),
    ("1e-7", "1e-7"),
    ("2.5e-10", "2.5e-10"),
    ("1e21", "1e21"),
    ("1.2345678901234568e+22", "1.2345678901234568e22"),
    ("1.7976931348623157e308", "1.7976931348623157e308"),
    ("5e-324", "5e-324"),
    ("1e-400", "0.0"),  # underflows to zero, as serde_json reads it
    ("-0.0", "-0.0"),
    ("-1e16", "-1e16"),
]


@pytest.mark.parametrize(("literal", "written"), SERDE_FLOATS)
def test_a_float_in_an_open_object_is_written_as_serde_json_writes_it(
    literal: str, written: str
) -> None:
    if literal == "12345678901234567":
        written = literal  # an integer within u64 is no float to serde_json
    event = parse_event(guardian_with(b'{"x":' + literal.encode() + b"}"))
    assert serialize_event(event) == guardian_with(b'{"x":' + written.encode() + b"}")
    # and the serde_json form reads back to the same bytes (what the emitter sends round-trips)
    line = guardian_with(b'{"x":[' + written.encode() + b"]}")
    assert serialize_event(parse_event(line)) == line


def test_serde_float_matches_pydantic_digits_on_random_floats() -> None:
    """The ryu layout on 200,000 random finite floats: pydantic-core's digits, no `e+`."""
    rng = random.Random(20261126)
    values = [
        struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(200_000)
    ]
    values += [10.0 ** rng.randint(-30, 30) * rng.random() for _ in range(50_000)]
    for value in values:
        if math.isfinite(value):
            assert serde_float(value) == to_json(value).decode().replace("e+", "e"), value
            assert float(serde_float(value)) == value


NOT_SERDE_NUMBERS = [
    (b'{"x":NaN}', "$.event_params.reviewed_action.additional_permissions.x"),
    (b'{"x":Infinity}', "$.event_params.reviewed_action.additional_permissions.x"),
    (b'{"n":{"y":-Infinity}}', "$.event_params.reviewed_action.additional_permissions.n.y"),
    (b'{"x":[1,1e400]}', "$.event_params.reviewed_action.additional_permissions.x[1]"),
    (b'{"a b":-1e400}', '$.event_params.reviewed_action.additional_permissions["a b"]'),
    (b'{"x":18446744073709551616}', "$.event_params.reviewed_action.additional_permissions.x"),
    (b'{"x":-9223372036854775809}', "$.event_params.reviewed_action.additional_permissions.x"),
]


@pytest.mark.parametrize(("permissions", "path"), NOT_SERDE_NUMBERS)
def test_a_number_serde_json_refuses_or_changes_is_rejected_with_its_path(
    permissions: bytes, path: str
) -> None:
    with pytest.raises(InvalidJSONError) as caught:
        parse_event(guardian_with(permissions))
    assert caught.value.path == path
    with pytest.raises(InvalidJSONError):  # the same through a mapping
        validate_event(json.loads(guardian_with(permissions)))


def test_the_largest_64_bit_integers_stay_integers() -> None:
    for number in (b"18446744073709551615", b"-9223372036854775808"):
        line = guardian_with(b'{"x":' + number + b"}")
        assert serialize_event(parse_event(line)) == line


# -- -0, 1.0 and other integers --------------------------------------------------------------


@pytest.mark.parametrize("spacing", [b"", b" ", b"\n  "])
def test_negative_zero_is_not_an_integer(spacing: bytes) -> None:
    line = GUARDIAN.read_bytes().rstrip(b"\n")
    for key in (b"started_at", b"review_timeout_ms"):  # a u64 and another u64
        start = line.index(b'"' + key + b'":') + len(key) + 3
        end = start
        while line[end : end + 1].isdigit():
            end += 1
        bad = line[:start] + spacing + b"-0" + line[end:]
        with pytest.raises(WrongTypeError) as caught:
            parse_event(bad)
        assert caught.value.path == f"$.event_params.{key.decode()}"
        assert "-0" in str(caught.value)
    with pytest.raises(WrongTypeError) as caught:  # in an open object too (it reads as -0.0)
        parse_event(guardian_with(b'{"x":-0}'))
    assert caught.value.path == "$.event_params.reviewed_action.additional_permissions.x"


def test_ids_holding_minus_zero_are_fine() -> None:
    line = guardian_with(b'{"-0":"-0","a":-0.5,"b":[-0.0]}').replace(b"turn-guardian", b"turn-0")
    assert serialize_event(parse_event(line)) == line


def test_an_integral_float_is_not_an_integer_and_the_docs_say_so() -> None:
    with pytest.raises(WrongTypeError) as caught:
        parse_event(_with_field(b"review_timeout_ms", b"1.0"))
    assert caught.value.path == "$.event_params.review_timeout_ms"
    assert str(caught.value).endswith("expected an integer, got 1.0")
    docs = (ROOT / "docs-src" / "consuming.md").read_text(encoding="utf-8")
    assert "`1.0`" in docs and "serde_json" in docs


def _with_field(key: bytes, value: bytes) -> bytes:
    data = json.loads(GUARDIAN.read_bytes())
    data["event_params"][key.decode()] = "PLACEHOLDER"
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return text.replace(b'"PLACEHOLDER"', value)


# -- text, tags and Python types ---------------------------------------------------------------


def test_a_lone_surrogate_is_invalid_json_with_a_printable_message() -> None:
    text = GUARDIAN.read_text(encoding="utf-8").replace("thread-guardian", "thread-\ud800", 1)
    with pytest.raises(InvalidJSONError) as caught:
        parse_event(text)
    message = str(caught.value)
    message.encode("utf-8")  # printable as UTF-8
    assert "U+D800" in message and caught.value.path == "$"


def test_an_integer_tag_is_reported_as_the_integer() -> None:
    line = GUARDIAN.read_bytes().replace(b'"codex_guardian_review"', b"5", 1)
    with pytest.raises(UnknownEventTypeError) as caught:
        parse_event(line)
    assert str(caught.value).endswith("got 5")
    with pytest.raises(UnknownEventTypeError) as caught:
        parse_fact({"fact": 5})
    assert str(caught.value).endswith("got 5")


@pytest.mark.parametrize(
    ("call", "argument", "advice"),
    [
        (parse_event, {"event_type": "codex_turn_event"}, "validate_event"),
        (parse_event, 5, "validate_event"),
        (validate_event, b'{"event_type":"codex_turn_event"}', "parse_event"),
        (parse_fact, ["initialize"], "model_dump"),
    ],
)
def test_the_wrong_python_type_says_what_to_call(call: Any, argument: Any, advice: str) -> None:
    with pytest.raises(InputTypeError) as caught:
        call(argument)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, ContractError)
    assert advice in str(caught.value)
    assert f"got a Python {type(argument).__name__}" in str(caught.value)


# -- log lines ---------------------------------------------------------------------------------

PREFIX = "2026-05-11 | Tracked codex_turn_event event params="
BAD_LOG_LINES = [
    PREFIX + "{'a': '\\xZZ'} | ",
    PREFIX + "{'a': '\\U00110000'} | ",
    PREFIX + "{'a': '\\u12'} | ",
    PREFIX + "{[1]: 2} | ",
    PREFIX + "{'a': " + "[" * 5000 + "]" * 5000 + "} | ",
    PREFIX + "{'a': " + "9" * 5000 + "} | ",
    PREFIX + "{'a': 1,, } | ",
    "no tracked event here",
]


@pytest.mark.parametrize("line", BAD_LOG_LINES, ids=range(len(BAD_LOG_LINES)))
def test_a_malformed_log_line_raises_a_contract_error(line: str) -> None:
    with pytest.raises(ContractError):
        parse_log_line(line)


def test_log_line_parser_raises_only_contract_errors_on_mutated_lines() -> None:
    """Seeded mutations of the golden log lines: pieces of literals spliced in anywhere."""
    rng = random.Random(11)
    pieces = [
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        ",",
        ":",
        "'",
        '"',
        "\\",
        "\\x",
        "\\u12",
        "\\U00110000",
        "[1]",
        "{[]: 1}",
        "9" * 5000,
        "[" * 300,
        "1e999",
        "None",
        "|",
    ]
    outcomes: dict[str, int] = {"parsed": 0, "rejected": 0}
    for _ in range(3_000):
        chars = list(rng.choice(LINES))
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(chars))
            if rng.randrange(2):
                chars.insert(at, rng.choice(pieces))
            else:
                del chars[at]
        try:
            to_backend_event(parse_log_line("".join(chars)))
        except ContractError:
            outcomes["rejected"] += 1
        else:
            outcomes["parsed"] += 1
    assert outcomes["rejected"] > 500 and outcomes["parsed"] > 100, outcomes
    with pytest.raises(InputTypeError):
        parse_log_line(b"x")  # type: ignore[arg-type]


# -- the reduce command line: events hold serde_json's numbers ---------------------------------

GUARDIAN_SCENARIO = SCENARIOS_DIR / "guardian_custom_fact_with_session_and_missing_thread"


def _reduce(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "codex_analytics_contract", "reduce", *args, "-"],
        input=stdin,
        capture_output=True,
        check=False,
    )


def test_reduce_writes_open_object_floats_as_serde_json_and_refuses_other_numbers() -> None:
    facts = (GUARDIAN_SCENARIO / "facts.ndjson").read_bytes()
    old = b'"additional_permissions":null'
    assert old in facts
    floats = facts.replace(old, b'"additional_permissions":{"x":1e16,"y":1e-7}', 1)
    proc = _reduce(stdin=floats)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b'"additional_permissions":{"x":1e16,"y":1e-7}' in proc.stdout
    for bad, reason in (
        (b"NaN", b"-:3: $: expected one JSON document, got expected value at line 1 column"),
        (b"1e400", b"-:3: $.reviewed_action.additional_permissions.x: expected a finite JSON"),
    ):
        proc = _reduce(stdin=facts.replace(old, b'"additional_permissions":{"x":' + bad + b"}", 1))
        assert proc.returncode == 1
        line, _, where = reason.partition(b" ")
        reported = [r for r in proc.stderr.splitlines() if r.startswith(line + b" ")]
        assert len(reported) == 1 and where in reported[0], proc.stderr
        assert b"NaN" not in proc.stdout and b"Infinity" not in proc.stdout


def test_reduce_trusted_never_writes_a_number_json_cannot_hold() -> None:
    """An unchecked fact with a number beyond the float range: the output stays JSON (the
    value is written as the string "Infinity") and `validate` names the field."""
    facts = (GUARDIAN_SCENARIO / "facts.ndjson").read_bytes()
    bad = facts.replace(b'"review_timeout_ms":', b'"review_timeout_ms":1e400,"was":', 1)
    assert bad != facts
    proc = _reduce("--trusted", stdin=bad)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    for line in proc.stdout.splitlines():  # JSON, not the NaN/Infinity extension
        from_json(line, allow_inf_nan=False)
    checked = subprocess.run(
        [sys.executable, "-m", "codex_analytics_contract", "validate", "-"],
        input=proc.stdout,
        capture_output=True,
        check=False,
    )
    assert checked.returncode == 1
    (reported,) = [r for r in checked.stderr.splitlines() if r.startswith(b"-:2: ")]
    assert b'$.event_params.review_timeout_ms: expected an integer, got "Infinity"' in reported
    valid = _reduce(stdin=bad)  # checked facts: the fact is rejected instead
    (reported,) = [r for r in valid.stderr.splitlines() if r.startswith(b"-:3: ")]
    assert valid.returncode == 1 and b"$.review_timeout_ms" in reported
