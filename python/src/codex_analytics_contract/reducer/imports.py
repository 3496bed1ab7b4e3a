"""Events of the external-agent config import facts (3959ab0ff, a30aee8d9; spec/reducer.md
§12.3): stateless, the process originator as product_client_id, ``item_type`` sent as
``type``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["import_completed_events", "import_failure_events"]

Event = dict[str, Any]


def import_completed_events(fact: Mapping[str, Any], *, originator: str) -> list[Event]:
    """One ``codex_onboarding_external_agent_import_complete``."""
    return [
        {
            "event_type": "codex_onboarding_external_agent_import_complete",
            "event_params": {
                "import_id": fact.get("import_id"),
                "source": fact.get("source"),
                "provider_id": fact.get("provider_id"),
                "type": fact.get("item_type"),
                "success_count": fact.get("success_count"),
                "failed_count": fact.get("failed_count"),
                "product_client_id": originator,
            },
        }
    ]


def import_failure_events(fact: Mapping[str, Any], *, originator: str) -> list[Event]:
    """One ``codex_onboarding_external_agent_import_failure``."""
    return [
        {
            "event_type": "codex_onboarding_external_agent_import_failure",
            "event_params": {
                "import_id": fact.get("import_id"),
                "source": fact.get("source"),
                "provider_id": fact.get("provider_id"),
                "type": fact.get("item_type"),
                "failure_stage": fact.get("failure_stage"),
                "error_type": fact.get("error_type"),
                "sub_error_type": fact.get("sub_error_type"),
                "product_client_id": originator,
            },
        }
    ]
