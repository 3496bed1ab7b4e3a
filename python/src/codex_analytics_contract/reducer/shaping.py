"""Event shapes per release: the handlers build one dict with every key any release sends; the
release's shape keeps the keys of its event version, in that version's wire order
(spec/reducer.md §11.3).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from codex_analytics_contract._generated.tables import EVENT_PARAM_KEYS, EVENT_VERSIONS

from .releases import Release

__all__ = ["OMITTED_WHEN_NULL", "Shape", "shapes"]

Event = dict[str, Any]
Shape = Callable[[Event], Event | None]

#: keys upstream omits when they are None (`skip_serializing_if`), by event type
OMITTED_WHEN_NULL: Final[dict[str, frozenset[str]]] = {
    "codex_thread_archive_event": frozenset(
        {"app_server_client", "runtime", "thread_source", "parent_thread_id"}
    ),
}


def _param_keys(event_type: str, version: str) -> tuple[str, ...]:
    if version == EVENT_VERSIONS[event_type][0]:
        return EVENT_PARAM_KEYS[event_type]
    from codex_analytics_contract.versions import model

    params = model("events", event_type, version).model_fields["event_params"].annotation
    fields = params.model_fields  # type: ignore[union-attr]
    return tuple(field.alias or name for name, field in fields.items())


def _shape(event_type: str, keys: tuple[str, ...]) -> Shape:
    omitted = OMITTED_WHEN_NULL.get(event_type)
    if omitted is not None:

        def shape_omitting(event: Event) -> Event:
            params = event["event_params"]
            event["event_params"] = {
                k: params[k]
                for k in keys
                if k in params and not (params[k] is None and k in omitted)
            }
            return event

        return shape_omitting

    def shape(event: Event) -> Event:
        params = event["event_params"]
        if len(params) != len(keys) or params.keys() != keys_set:
            event["event_params"] = {k: params[k] for k in keys}
        return event

    keys_set = frozenset(keys)
    return shape


def _unsent(event: Event) -> None:
    return None


def shapes(release: Release) -> dict[str, Shape]:
    """event type -> its shaping function at ``release`` (None: the release does not send it)."""
    versions = release.event_versions
    return {
        event_type: (
            _shape(event_type, _param_keys(event_type, versions[event_type]))
            if event_type in versions
            else _unsent
        )
        for event_type in EVENT_VERSIONS
    }
