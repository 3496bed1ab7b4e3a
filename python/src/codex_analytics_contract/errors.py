"""The ContractError family: each error names the JSON path, the expected and the actual value."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One way an instance breaks the contract."""

    path: str  # JSONPath into the instance: $, .key, [index]
    expected: str
    actual: str
    kind: str  # the pydantic / contract error type, e.g. "missing", "literal_error"

    def __str__(self) -> str:
        return f"{self.path}: expected {self.expected}, got {self.actual}"


class ContractError(ValueError):
    """Base class: an instance does not conform to the contract."""

    def __init__(self, violations: Sequence[Violation], *, source: str | None = None) -> None:
        self.violations = tuple(violations)
        self.source = source
        first = self.violations[0]
        self.path = first.path
        self.expected = first.expected
        self.actual = first.actual
        more = len(self.violations) - 1
        prefix = f"{source}: " if source else ""
        suffix = f" (and {more} more violation{'s' if more != 1 else ''})" if more else ""
        super().__init__(f"{prefix}{first}{suffix}")

    def with_source(self, source: str) -> ContractError:
        """The same error, its message prefixed with where the instance came from."""
        return type(self)(
            self.violations, source=f"{source}: {self.source}" if self.source else source
        )


class InvalidJSONError(ContractError):
    """The bytes are not one JSON document."""


class UnknownEventTypeError(ContractError):
    """`event_type` (or `fact`) is missing or names nothing in the contract."""


class MissingFieldError(ContractError):
    """A required key is absent (nullable is not optional: every key must be present)."""


class UnexpectedFieldError(ContractError):
    """A key the closed content model does not allow."""


class WrongTypeError(ContractError):
    """A value of the wrong JSON type (strict: "1" is not an integer, 1 is not a boolean)."""


class OutOfRangeError(ContractError):
    """An integer outside the bounds of its upstream width."""


class InvalidValueError(ContractError):
    """A string outside its enum, a wrong constant, or a pattern mismatch."""


class UpgradeError(ContractError):
    """An event cannot be carried to the requested version of its schema: no honest migration
    for a field, a downgrade, or an unknown version. The message names both versions."""


class InputTypeError(ContractError, TypeError):
    """A function was given a Python type it does not take (a dict to `parse_event`, bytes to
    `validate_event`): a TypeError as well as a ContractError; the message says what to call."""


def describe(value: Any) -> str:
    """A short, safe rendering of an actual value for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    # printable as UTF-8: a lone surrogate is shown escaped (\ud800), not left to fail a print
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
