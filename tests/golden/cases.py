"""The seed's ten documented backend log lines, rebuilt as wire events from the generated models.

Each builder writes down the values its log line documents, in the wire form (the backend's
canonical `CODEX_CLI` is the wire `codex_cli_rs`; `CODEX_SERVICE_EXEC` is `codex_exec`).
`log_lines.txt` holds the lines verbatim (the wrapped dict-form lines of the seed joined back
with single spaces, as they were before the commit message was wrapped).
"""

from __future__ import annotations

from collections.abc import Callable

from codex_analytics_contract import models as m

MACOS = m.Runtime(
    codex_rs_version="0.0.0",
    runtime_os="macos",
    runtime_os_version="26.4.0",
    runtime_arch="aarch64",
)


def tui(experimental: bool | None) -> m.AppServerClient:
    return m.AppServerClient(
        product_client_id="codex_cli_rs",
        client_name="codex-tui",
        client_version="0.0.0",
        rpc_transport="in_process",
        experimental_api_enabled=experimental,
    )


def thread(
    thread_id: str,
    mode: str,
    created_at: int,
    *,
    client: m.AppServerClient | None = None,
    source: str = "user",
    subagent: str | None = None,
    parent: str | None = None,
) -> m.CodexThreadInitialized:
    return m.CodexThreadInitialized(
        event_type="codex_thread_initialized",
        event_params=m.CodexThreadInitializedEventParams(
            thread_id=thread_id,
            app_server_client=client or tui(True),
            runtime=MACOS,
            model="gpt-5.3-codex",
            ephemeral=False,
            thread_source=source,  # type: ignore[arg-type]
            initialization_mode=mode,  # type: ignore[arg-type]
            subagent_source=subagent,
            parent_thread_id=parent,
            created_at=created_at,
        ),
    )


def compaction(
    thread_id: str,
    turn_id: str,
    *,
    trigger: str,
    reason: str,
    implementation: str,
    phase: str,
    before: int,
    after: int,
    started_at: int,
    completed_at: int,
    duration_ms: int,
) -> m.CodexCompactionEvent:
    return m.CodexCompactionEvent(
        event_type="codex_compaction_event",
        event_params=m.CodexCompactionEventParams(
            thread_id=thread_id,
            turn_id=turn_id,
            app_server_client=tui(True),
            runtime=MACOS,
            thread_source="user",
            subagent_source=None,
            parent_thread_id=None,
            trigger=trigger,  # type: ignore[arg-type]
            reason=reason,  # type: ignore[arg-type]
            implementation=implementation,  # type: ignore[arg-type]
            phase=phase,  # type: ignore[arg-type]
            strategy="memento",
            status="completed",
            error=None,
            active_context_tokens_before=before,
            active_context_tokens_after=after,
            started_at=started_at,
            completed_at=completed_at,
            duration_ms=duration_ms,
        ),
    )


EXEC_CLIENT = m.AppServerClient(
    product_client_id="codex_exec",
    client_name="codex_exec",
    client_version="0.0.0",
    rpc_transport="in_process",
    experimental_api_enabled=True,
)

# In the order of log_lines.txt.
CASES: list[tuple[str, Callable[[], m.BaseModel]]] = [
    (
        "compaction_manual_standalone",
        lambda: compaction(
            "019d74d0-5cfb-70c0-bef9-165c3bf9b2df",
            "019d74d0-d7f6-7c81-acc6-aae2030243d6",
            trigger="manual",
            reason="user_requested",
            implementation="responses",
            phase="standalone_turn",
            before=20170,
            after=4830,
            started_at=1775781337,
            completed_at=1775781350,
            duration_ms=13524,
        ),
    ),
    (
        "compaction_auto_pre_turn",
        lambda: compaction(
            "019d74d2-45ef-71d1-9c93-23cc0c13d988",
            "019d74d2-7b42-7372-9f0e-c0da3f352328",
            trigger="auto",
            reason="context_limit",
            implementation="responses",
            phase="pre_turn",
            before=20063,
            after=4822,
            started_at=1775781444,
            completed_at=1775781449,
            duration_ms=5497,
        ),
    ),
    (
        "compaction_auto_mid_turn",
        lambda: compaction(
            "019d74d3-212f-7a20-8c0a-4816a978675e",
            "019d74d3-3ee1-7462-89f6-2ffbeefcd5e3",
            trigger="auto",
            reason="context_limit",
            implementation="responses",
            phase="mid_turn",
            before=20325,
            after=14641,
            started_at=1775781500,
            completed_at=1775781508,
            duration_ms=7507,
        ),
    ),
    (
        "compaction_remote_manual",
        lambda: compaction(
            "019d74d4-7a11-78a1-89f7-0535a1149416",
            "019d74d4-e087-7183-9c20-b1e40b7578c0",
            trigger="manual",
            reason="user_requested",
            implementation="responses_compact",
            phase="standalone_turn",
            before=23461,
            after=6171,
            started_at=1775781601,
            completed_at=1775781620,
            duration_ms=18971,
        ),
    ),
    (
        "subagent_thread_spawn",
        lambda: thread(
            "019d4aa9-233b-70f2-a958-c3dbae1e30fa",
            "new",
            1775074091,
            client=tui(None),
            source="subagent",
            subagent="thread_spawn",
            parent="019d4aa8-51ec-77e3-bafb-2c1b8e29e385",
        ),
    ),
    (
        "subagent_review",
        lambda: thread(
            "019d4aa9-94e3-75f1-8864-ff8ad0e55e1e",
            "new",
            1775074120,
            client=tui(None),
            source="subagent",
            subagent="review",
        ),
    ),
    ("thread_new", lambda: thread("019d3bf7-9f5f-7f82-9877-6d48d1052531", "new", 1774827577)),
    (
        "thread_resumed",
        lambda: thread("019d3b84-5731-79d0-9b3b-9c6efe5f5066", "resumed", 1774820022),
    ),
    ("thread_forked", lambda: thread("019d3bfd-4cd6-7c12-a13e-48cef02e8c4d", "forked", 1774827949)),
    (
        "thread_exec_new",
        lambda: thread(
            "019d3c1d-0412-7ed2-ad24-c9c0881a36b0", "new", 1774830027, client=EXEC_CLIENT
        ),
    ),
]
