"""codex-analytics-contract: the typed contract of the Codex analytics events.

Public API: parse_event, validate_event, serialize_event, serialize_batch, parse_fact,
normalize, denormalize, Reducer, EVENT_TYPES, FACT_KINDS and the ContractError family
(InputTypeError is also a TypeError: a function was given a Python type it does not take).
"""

from __future__ import annotations

from codex_analytics_contract._generated.registry import EVENT_TYPES, FACT_KINDS, Event, Fact
from codex_analytics_contract.api import (
    parse_event,
    parse_fact,
    serialize_batch,
    serialize_event,
    validate_event,
)
from codex_analytics_contract.errors import (
    ContractError,
    InputTypeError,
    InvalidJSONError,
    InvalidValueError,
    MissingFieldError,
    OutOfRangeError,
    UnexpectedFieldError,
    UnknownEventTypeError,
    WrongTypeError,
)
from codex_analytics_contract.normalize import denormalize, normalize
from codex_analytics_contract.reducer import Reducer

__all__ = [
    "EVENT_TYPES",
    "FACT_KINDS",
    "ContractError",
    "Event",
    "Fact",
    "InputTypeError",
    "InvalidJSONError",
    "InvalidValueError",
    "MissingFieldError",
    "OutOfRangeError",
    "Reducer",
    "UnexpectedFieldError",
    "UnknownEventTypeError",
    "WrongTypeError",
    "denormalize",
    "normalize",
    "parse_event",
    "parse_fact",
    "serialize_batch",
    "serialize_event",
    "validate_event",
]
