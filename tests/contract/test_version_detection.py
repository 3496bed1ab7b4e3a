"""How `parse_event` finds the version of a payload (issue #10, item 10): by its marker keys
first, so that in the common case one version is validated; never by trying every version.
The result is checked against `matching_versions` (every version validated, independently)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codex_analytics_contract import EVENT_VERSIONS, matching_versions, parse_event
from codex_analytics_contract import versions as versions_module
from codex_analytics_contract._generated.tables import VERSION_MARKERS
from tests.conftest import EXAMPLES


def _examples() -> list[tuple[str, str, Path]]:
    return [
        (name, version, path)
        for name, found in EVENT_VERSIONS.items()
        for version in found
        for path in sorted((EXAMPLES / "events" / name / version).glob("*.pass.json"))
    ]


EXAMPLES_OF_EVERY_VERSION = _examples()


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The versions the fast path validates, in order; the exact (slow) path must not run."""
    seen: list[str] = []
    real = versions_module.VALIDATORS

    class Counting(dict[tuple[str, str, str], Any]):
        """Hands out validators that record the version they validate."""

        def __missing__(self, key: tuple[str, str, str]) -> Any:
            inner = real[key]

            class Recording:
                def validate_json(self, data: bytes | str, strict: bool) -> Any:
                    seen.append(key[2])
                    return inner.validate_json(data, strict=strict)

            return Recording()

    def no_slow_path(*args: object) -> None:
        raise AssertionError("a valid payload went to the exact (slow) path")

    # fresh chains (no validator cached in them) that take their validators from Counting
    monkeypatch.setattr(versions_module, "VALIDATORS", Counting())
    monkeypatch.setattr(
        versions_module, "_CHAINS", {k: type(c)(k) for k, c in versions_module._CHAINS.items()}
    )
    monkeypatch.setattr(versions_module, "first_accepting", no_slow_path)
    monkeypatch.setattr("codex_analytics_contract.api.first_accepting", no_slow_path)
    yield seen


def _not_ruled_out(name: str, version: str, raw: bytes) -> bool:
    return all(mark in raw for mark in VERSION_MARKERS.get(("events", name, version), ()))


@pytest.mark.parametrize(
    ("name", "version", "path"),
    EXAMPLES_OF_EVERY_VERSION,
    ids=[f"{n}/{v}/{p.name}" for n, v, p in EXAMPLES_OF_EVERY_VERSION],
)
def test_the_version_is_picked_by_markers_and_validated_newest_first(
    name: str, version: str, path: Path, validated: list[str]
) -> None:
    raw = path.read_bytes().rstrip(b"\n")
    event = parse_event(raw)
    got = type(event).schema_version  # type: ignore[attr-defined]
    # exactly the versions the markers leave, newest first, up to the one that accepts it
    known = EVENT_VERSIONS[name]
    left = [v for v in known if _not_ruled_out(name, v, raw)]
    assert validated == left[: left.index(got) + 1]
    validated.clear()
    assert got == matching_versions(raw)[0]  # the newest version that accepts it


def test_most_payloads_of_every_version_are_validated_once(validated: list[str]) -> None:
    lines = [p.read_bytes().rstrip(b"\n") for _, _, p in EXAMPLES_OF_EVERY_VERSION]
    for line in lines:
        parse_event(line)
    # a second validation happens only where an older payload also carries a newer version's
    # markers (a newer version that differs by a type or a removed key)
    assert len(validated) < 1.2 * len(lines)


def _moved_tag(raw: bytes) -> bytes:
    """The same event with `event_params` first, so that a nested `"event_type"` (or none)
    comes before the envelope's."""
    doc = json.loads(raw)
    moved = {"event_params": doc.pop("event_params"), **doc}
    return json.dumps(moved, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize("name", sorted(EVENT_VERSIONS))
def test_a_payload_in_another_key_order_or_with_escaped_keys_gets_the_same_version(
    name: str,
) -> None:
    for version in EVENT_VERSIONS[name]:
        for path in sorted((EXAMPLES / "events" / name / version).glob("*.pass.json")):
            raw = path.read_bytes().rstrip(b"\n")
            expected = type(parse_event(raw)).schema_version  # type: ignore[attr-defined]
            moved = _moved_tag(raw)
            assert type(parse_event(moved)).schema_version == expected  # type: ignore[attr-defined]
            # every key spelled with \\u escapes: no marker can be found in the bytes
            escaped = json.dumps(json.loads(raw), ensure_ascii=True).replace(
                '"event_', '"\\u0065vent_'
            )
            assert type(parse_event(escaped)).schema_version == expected  # type: ignore[attr-defined]
