"""codex-analytics-contract: the typed contract of the Codex analytics events.

Public API: parse_event, validate_event, serialize_event, serialize_batch, parse_fact,
matching_versions, upgrade, normalize, denormalize, Reducer, EVENT_TYPES, FACT_KINDS,
EVENT_VERSIONS and the ContractError family (UpgradeError included; InputTypeError is also a
TypeError: a function was given a Python type it does not take). `__version__` is the
package version, which follows the contract (spec/versioning.md §10).
"""

from __future__ import annotations

from codex_analytics_contract._generated.registry import (
    EVENT_TYPES,
    EVENT_VERSIONS,
    FACT_KINDS,
    FACT_VERSIONS,
    Event,
    Fact,
)
from codex_analytics_contract._generated.version import __version__ as __version__
from codex_analytics_contract.api import (
    matching_fact_versions,
    matching_versions,
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
    UpgradeError,
    WrongTypeError,
)
from codex_analytics_contract.normalize import denormalize, normalize
from codex_analytics_contract.reducer import Reducer
from codex_analytics_contract.upgrade import upgrade

__all__ = [
    "EVENT_TYPES",
    "EVENT_VERSIONS",
    "FACT_KINDS",
    "FACT_VERSIONS",
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
    "UpgradeError",
    "WrongTypeError",
    "denormalize",
    "matching_fact_versions",
    "matching_versions",
    "normalize",
    "parse_event",
    "parse_fact",
    "serialize_batch",
    "serialize_event",
    "upgrade",
    "validate_event",
]
