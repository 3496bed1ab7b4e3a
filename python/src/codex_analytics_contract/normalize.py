"""The backend's view of an event, as its analytics log lines show it.

The analytics backend adds `product_surface: "codex"` to every event's params and
canonicalizes `product_client_id` (wherever it appears: in `app_server_client` or directly in
the params). `normalize` performs that step; `denormalize` undoes it, giving the wire view
back (so a documented log line can be validated against the wire schema).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel

PRODUCT_SURFACE: Final[str] = "codex"

#: Wire product_client_id -> the backend's canonical value (documented cases; others pass through).
CANONICAL_PRODUCT_CLIENT_IDS: Final[dict[str, str]] = {
    "codex_cli_rs": "CODEX_CLI",
    "codex_exec": "CODEX_SERVICE_EXEC",
}
_WIRE_PRODUCT_CLIENT_IDS: Final[dict[str, str]] = {
    v: k for k, v in CANONICAL_PRODUCT_CLIENT_IDS.items()
}


def _as_dict(event: Mapping[str, Any] | BaseModel) -> dict[str, Any]:
    if isinstance(event, BaseModel):
        return event.model_dump(mode="json", by_alias=True)
    return dict(event)


def _map_client_ids(params: dict[str, Any], table: Mapping[str, str]) -> dict[str, Any]:
    out = dict(params)
    value = out.get("product_client_id")
    if isinstance(value, str):
        out["product_client_id"] = table.get(value, value)
    client = out.get("app_server_client")
    if isinstance(client, Mapping):
        client = dict(client)
        value = client.get("product_client_id")
        if isinstance(value, str):
            client["product_client_id"] = table.get(value, value)
        out["app_server_client"] = client
    return out


def normalize(event: Mapping[str, Any] | BaseModel) -> dict[str, Any]:
    """Backend view: `product_surface` added after the thread/turn ids, client ids canonical."""
    data = _as_dict(event)
    params = _map_client_ids(dict(data.get("event_params") or {}), CANONICAL_PRODUCT_CLIENT_IDS)
    with_surface: dict[str, Any] = {}
    ids: list[str] = [k for k in ("thread_id", "turn_id") if k in params]
    for key in ids:
        with_surface[key] = params[key]
    with_surface["product_surface"] = params.get("product_surface", PRODUCT_SURFACE)
    for key, value in params.items():
        if key not in with_surface:
            with_surface[key] = value
    out = dict(data)
    out["event_params"] = with_surface
    return out


def denormalize(event: Mapping[str, Any]) -> dict[str, Any]:
    """Wire view of a backend-view event: `product_surface` removed, client ids back to wire form.

    `codex_accepted_line_fingerprints` carries `product_surface` on the wire too, so it keeps it.
    """
    data = dict(event)
    params = _map_client_ids(dict(data.get("event_params") or {}), _WIRE_PRODUCT_CLIENT_IDS)
    if data.get("event_type") != "codex_accepted_line_fingerprints":
        params.pop("product_surface", None)
    data["event_params"] = params
    return data
