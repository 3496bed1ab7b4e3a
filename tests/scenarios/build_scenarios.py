"""Builders for the reducer scenario folders (the scenarios themselves: make_scenarios.py).

Every scenario is a list of facts (spec/facts.md shapes) and the events the reference reducer must
emit for them, written out by hand from spec/reducer.md and the upstream tests (openai/codex
codex-rs/analytics/src/analytics_client_tests.rs). The builders below only assemble JSON in wire
order; there is no reducer logic here apart from the accepted-line hashing of spec/reducer.md §5
(needed to spell out expected fingerprints).
"""

# ruff: noqa: E501
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

# The facts come from the one fact builder; the event builders here repeat their values.
from tests.support.facts import COMPACTION_KEYS, TOKENS, J
from tests.support.hashes import line_hash, sha1_hex
from tests.support.reducing import CLOCK, wire

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------- events


def ev(event_type: str, params: J) -> J:
    return {"event_type": event_type, "event_params": params}


def e_thread_init(
    thread_id: str,
    cl: J,
    rt: J,
    *,
    model: str = "gpt-5",
    ephemeral: bool = False,
    thread_source: str | None = "user",
    mode: str = "new",
    subagent_source: str | None = None,
    parent: str | None = None,
    created_at: int = 1,
) -> J:
    return ev(
        "codex_thread_initialized",
        {
            "thread_id": thread_id,
            "app_server_client": cl,
            "runtime": rt,
            "model": model,
            "ephemeral": ephemeral,
            "thread_source": thread_source,
            "initialization_mode": mode,
            "subagent_source": subagent_source,
            "parent_thread_id": parent,
            "created_at": created_at,
        },
    )


def lineage(thread_source: str | None = "user", subagent_source: str | None = None, parent: str | None = None) -> J:
    return {"thread_source": thread_source, "subagent_source": subagent_source, "parent_thread_id": parent}


USER = lineage()


def e_turn(
    thread_id: str,
    turn_id: str,
    cl: J,
    rt: J,
    *,
    lin: J | None = None,
    mode: str = "new",
    ephemeral: bool = False,
    model: str = "gpt-5",
    sandbox_policy: str = "read_only",
    reasoning_effort: str | None = None,
    reasoning_summary: str | None = None,
    service_tier: str = "default",
    approval_policy: str = "on-request",
    approvals_reviewer: str = "auto_review",
    sandbox_network_access: bool = True,
    collaboration_mode: str = "plan",
    personality: str | None = None,
    num_input_images: int = 1,
    is_first_turn: bool = True,
    status: str | None = "completed",
    turn_error: Any = None,
    steer_count: int = 0,
    tokens: bool = True,
    duration_ms: int | None = 1234,
    started_at: int | None = 455,
    completed_at: int = 456,
) -> J:
    lin = lin if lin is not None else USER
    i, c, o, r, t = TOKENS if tokens else (None, None, None, None, None)
    return ev(
        "codex_turn_event",
        {
            "thread_id": thread_id,
            "turn_id": turn_id,
            "submission_type": None,
            "app_server_client": cl,
            "runtime": rt,
            "ephemeral": ephemeral,
            "thread_source": lin["thread_source"],
            "initialization_mode": mode,
            "subagent_source": lin["subagent_source"],
            "parent_thread_id": lin["parent_thread_id"],
            "model": model,
            "model_provider": "openai",
            "sandbox_policy": sandbox_policy,
            "reasoning_effort": reasoning_effort,
            "reasoning_summary": reasoning_summary,
            "service_tier": service_tier,
            "approval_policy": approval_policy,
            "approvals_reviewer": approvals_reviewer,
            "sandbox_network_access": sandbox_network_access,
            "collaboration_mode": collaboration_mode,
            "personality": personality,
            "num_input_images": num_input_images,
            "is_first_turn": is_first_turn,
            "status": status,
            "turn_error": turn_error,
            "steer_count": steer_count,
            "total_tool_call_count": None,
            "shell_command_count": None,
            "file_change_count": None,
            "mcp_tool_call_count": None,
            "dynamic_tool_call_count": None,
            "subagent_tool_call_count": None,
            "web_search_count": None,
            "image_generation_count": None,
            "input_tokens": i,
            "cached_input_tokens": c,
            "output_tokens": o,
            "reasoning_output_tokens": r,
            "total_tokens": t,
            "duration_ms": duration_ms,
            "started_at": started_at,
            "completed_at": completed_at,
        },
    )


def e_steer(
    thread_id: str,
    expected: str,
    accepted: str | None,
    cl: J,
    rt: J,
    *,
    lin: J | None = None,
    num_input_images: int = 1,
    result: str = "accepted",
    rejection_reason: str | None = None,
) -> J:
    lin = lin if lin is not None else USER
    return ev(
        "codex_turn_steer_event",
        {
            "thread_id": thread_id,
            "expected_turn_id": expected,
            "accepted_turn_id": accepted,
            "app_server_client": cl,
            "runtime": rt,
            "thread_source": lin["thread_source"],
            "subagent_source": lin["subagent_source"],
            "parent_thread_id": lin["parent_thread_id"],
            "num_input_images": num_input_images,
            "result": result,
            "rejection_reason": rejection_reason,
            "created_at": CLOCK,
        },
    )


def tool_base(
    thread_id: str,
    turn_id: str,
    item_id: str,
    cl: J,
    rt: J,
    tool_name: str,
    *,
    lin: J | None = None,
    started: int = 1000,
    completed: int = 1042,
    execution_duration_ms: int | None = None,
    reviews: tuple[int, int, int] = (0, 0, 0),
    outcome: str = "unknown",
    terminal_status: str = "completed",
    failure_kind: str | None = None,
    additional: bool = False,
    network: bool = False,
) -> J:
    lin = lin if lin is not None else USER
    duration = completed - started
    return {
        "thread_id": thread_id,
        "turn_id": turn_id,
        "item_id": item_id,
        "app_server_client": cl,
        "runtime": rt,
        "thread_source": lin["thread_source"],
        "subagent_source": lin["subagent_source"],
        "parent_thread_id": lin["parent_thread_id"],
        "tool_name": tool_name,
        "started_at_ms": started,
        "completed_at_ms": completed,
        "duration_ms": duration if duration >= 0 else None,
        "execution_duration_ms": execution_duration_ms,
        "review_count": reviews[0],
        "guardian_review_count": reviews[1],
        "user_review_count": reviews[2],
        "final_approval_outcome": outcome,
        "terminal_status": terminal_status,
        "failure_kind": failure_kind,
        "requested_additional_permissions": additional,
        "requested_network_access": network,
    }


def e_cmd(base: J, *, source: str = "agent", exit_code: int | None = 0, actions: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)) -> J:
    total, read, lst, search, unknown = actions
    return ev(
        "codex_command_execution_event",
        {
            **base,
            "command_execution_source": source,
            "exit_code": exit_code,
            "command_total_action_count": total,
            "command_read_action_count": read,
            "command_list_files_action_count": lst,
            "command_search_action_count": search,
            "command_unknown_action_count": unknown,
        },
    )


def e_file(base: J, counts: tuple[int, int, int, int, int]) -> J:
    total, add, update, delete, move = counts
    return ev(
        "codex_file_change_event",
        {
            **base,
            "file_change_count": total,
            "file_add_count": add,
            "file_update_count": update,
            "file_delete_count": delete,
            "file_move_count": move,
        },
    )


def e_mcp(base: J, error_present: bool) -> J:
    return ev(
        "codex_mcp_tool_call_event",
        {**base, "mcp_server_name": "docs", "mcp_tool_name": "search", "mcp_error_present": error_present},
    )


def e_dyn(base: J, success: bool | None, counts: tuple[int | None, int | None, int | None]) -> J:
    return ev(
        "codex_dynamic_tool_call_event",
        {
            **base,
            "dynamic_tool_name": "render",
            "success": success,
            "output_content_item_count": counts[0],
            "output_text_item_count": counts[1],
            "output_image_item_count": counts[2],
        },
    )


def e_collab(
    base: J,
    receivers: list[str],
    *,
    model: str | None,
    effort: str | None,
    states: tuple[int, int, int],
) -> J:
    return ev(
        "codex_collab_agent_tool_call_event",
        {
            **base,
            "sender_thread_id": "thread-1",
            "receiver_thread_count": len(receivers),
            "receiver_thread_ids": receivers,
            "requested_model": model,
            "requested_reasoning_effort": effort,
            "agent_state_count": states[0],
            "completed_agent_count": states[1],
            "failed_agent_count": states[2],
        },
    )


def e_web(base: J, action: str | None, query_present: bool, query_count: int | None) -> J:
    return ev(
        "codex_web_search_event",
        {**base, "web_search_action": action, "query_present": query_present, "query_count": query_count},
    )


def e_image(base: J, revised: bool, saved: bool) -> J:
    return ev(
        "codex_image_generation_event",
        {**base, "revised_prompt_present": revised, "saved_path_present": saved},
    )


def e_review(
    thread_id: str,
    turn_id: str,
    item_id: str | None,
    review_id: str,
    cl: J,
    rt: J,
    *,
    lin: J | None = None,
    subject_kind: str = "command_execution",
    subject_name: str = "command_execution",
    reviewer: str = "user",
    trigger: str = "initial",
    status: str = "approved",
    resolution: str = "none",
    started: int = 1000,
    completed: int = 1042,
) -> J:
    lin = lin if lin is not None else USER
    duration = completed - started
    return ev(
        "codex_review_event",
        {
            "thread_id": thread_id,
            "turn_id": turn_id,
            "item_id": item_id,
            "review_id": review_id,
            "app_server_client": cl,
            "runtime": rt,
            "thread_source": lin["thread_source"],
            "subagent_source": lin["subagent_source"],
            "parent_thread_id": lin["parent_thread_id"],
            "subject_kind": subject_kind,
            "subject_name": subject_name,
            "reviewer": reviewer,
            "trigger": trigger,
            "status": status,
            "resolution": resolution,
            "started_at_ms": started,
            "completed_at_ms": completed,
            "duration_ms": duration if duration >= 0 else None,
        },
    )


def e_compaction(fact: J, cl: J, rt: J, lin: J | None = None) -> J:
    lin = lin if lin is not None else USER
    params: J = {
        "thread_id": fact["thread_id"],
        "turn_id": fact["turn_id"],
        "app_server_client": cl,
        "runtime": rt,
        "thread_source": lin["thread_source"],
        "subagent_source": lin["subagent_source"],
        "parent_thread_id": lin["parent_thread_id"],
    }
    for k in COMPACTION_KEYS[2:]:
        params[k] = fact[k]
    return ev("codex_compaction_event", params)


def e_guardian(params: J, cl: J, rt: J) -> J:
    return ev("codex_guardian_review", {"app_server_client": cl, "runtime": rt, **params})


def e_accepted(
    thread_id: str,
    turn_id: str,
    model: str,
    repo_hash: str | None,
    added: int,
    deleted: int,
    fingerprints: list[J],
    completed_at: int = CLOCK,
) -> J:
    return ev(
        "codex_accepted_line_fingerprints",
        {
            "event_type": "codex.accepted_line_fingerprints",
            "turn_id": turn_id,
            "thread_id": thread_id,
            "product_surface": "codex",
            "model_slug": model,
            "completed_at": completed_at,
            "repo_hash": repo_hash,
            "accepted_added_lines": added,
            "accepted_deleted_lines": deleted,
            "line_fingerprints": fingerprints,
        },
    )


def e_skill(skill_id: str, name: str, pcid: str, scope: str, plugin_id: str | None, repo_url: str | None, track: J, inv: str) -> J:
    return {
        "event_type": "skill_invocation",
        "skill_id": skill_id,
        "skill_name": name,
        "event_params": {
            "product_client_id": pcid,
            "skill_scope": scope,
            "plugin_id": plugin_id,
            "repo_url": repo_url,
            "thread_id": track["thread_id"],
            "turn_id": track["turn_id"],
            "invoke_type": inv,
            "model_slug": track["model_slug"],
        },
    }


def e_app(event_type: str, app: J, track: J, pcid: str = "codex_cli_rs") -> J:
    return ev(
        event_type,
        {
            "connector_id": app["connector_id"],
            "thread_id": track["thread_id"],
            "turn_id": track["turn_id"],
            "app_name": app["app_name"],
            "product_client_id": pcid,
            "invoke_type": app["invocation_type"],
            "model_slug": track["model_slug"],
        },
    )


def e_hook(track: J, hook_name: str, source: str, status: str) -> J:
    return ev(
        "codex_hook_run",
        {
            "thread_id": track["thread_id"],
            "turn_id": track["turn_id"],
            "model_slug": track["model_slug"],
            "hook_name": hook_name,
            "hook_source": source,
            "status": status,
        },
    )


def plugin_params(plugin: J, pcid: str = "codex_cli_rs") -> J:
    summary = plugin["capability_summary"]
    pid = plugin["plugin_id"]
    return {
        "plugin_id": plugin["remote_plugin_id"] or f"{pid['plugin_name']}@{pid['marketplace_name']}",
        "plugin_name": pid["plugin_name"],
        "marketplace_name": pid["marketplace_name"],
        "has_skills": summary["has_skills"] if summary else None,
        "mcp_server_count": len(summary["mcp_server_names"]) if summary else None,
        "connector_ids": list(summary["app_connector_ids"]) if summary else None,
        "product_client_id": pcid,
    }


def e_plugin_used(plugin: J, track: J, pcid: str = "codex_cli_rs") -> J:
    return ev(
        "codex_plugin_used",
        {
            **plugin_params(plugin, pcid),
            "thread_id": track["thread_id"],
            "turn_id": track["turn_id"],
            "model_slug": track["model_slug"],
        },
    )


def e_plugin_state(state: str, plugin: J, pcid: str = "codex_cli_rs") -> J:
    return ev(f"codex_plugin_{state}", plugin_params(plugin, pcid))


# ---------------------------------------------------------------------- accepted lines (spec/reducer.md §5)


def _norm_path(raw: str) -> str | None:
    p = raw.strip()
    if p == "/dev/null":
        return None
    if p.startswith("b/"):
        return p[2:]
    if p.startswith("a/"):
        return p[2:]
    return p


def _effective(line: str) -> str | None:
    # Fixture inputs are ASCII only, so str.split() matches Rust's whitespace here.
    norm = " ".join(line.split())
    if len(norm.encode()) <= 3:
        return None
    if not any(ch.isalnum() or ch == "_" for ch in norm):
        return None
    return norm


def parse_diff(diff: str) -> tuple[int, int, list[J]]:
    added = deleted = 0
    fps: list[J] = []
    path: str | None = None
    in_hunk = False
    lines = diff.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for raw in lines:
        line = raw[:-1] if raw.endswith("\r") else raw
        if line.startswith("diff --git "):
            path, in_hunk = None, False
        elif line.startswith("@@ "):
            in_hunk = True
        elif not in_hunk and line.startswith("+++ "):
            path = _norm_path(line[4:])
        elif not in_hunk and line.startswith("--- "):
            continue
        elif line.startswith("+"):
            added += 1
            eff = _effective(line[1:])
            if path is not None and eff is not None:
                fps.append({"path_hash": line_hash("path", path), "line_hash": line_hash("line", eff)})
        elif line.startswith("-"):
            deleted += 1
    return added, deleted, fps


def chunk_fingerprints(fps: list[J]) -> list[list[J]]:
    if not fps:
        return [[]]
    chunks: list[list[J]] = []
    cur: list[J] = []
    size = 1024
    for fp in fps:
        cost = 32 + len(fp["path_hash"]) + len(fp["line_hash"])
        sep = 1 if cur else 0
        if cur and size + sep + cost > 2_097_152:
            chunks.append(cur)
            cur, size, sep = [], 1024, 0
        cur.append(fp)
        size += sep + cost
    chunks.append(cur)
    return chunks


def e_accepted_all(
    thread_id: str, turn_id: str, model: str, repo_hash: str | None, diff: str, completed_at: int = CLOCK
) -> list[J]:
    added, deleted, fps = parse_diff(diff)
    if added == 0 and deleted == 0:
        return []
    out = []
    for i, chunk in enumerate(chunk_fingerprints(fps)):
        out.append(
            e_accepted(
                thread_id, turn_id, model, repo_hash, added if i == 0 else 0, deleted if i == 0 else 0, chunk, completed_at
            )
        )
    return out


def skill_id(prefix: str, path: str, name: str) -> str:
    return sha1_hex(f"{prefix}_{path}_{name}")


# --------------------------------------------------------------------------- registry


class Scenario:
    def __init__(
        self,
        name: str,
        readme: str,
        facts: list[J],
        events: list[J],
        config: J | None = None,
        drops: dict[str, int] | None = None,
    ) -> None:
        self.name = name
        self.readme = readme
        self.facts = facts
        self.events = events
        self.config = config
        self.drops = drops


SCENARIOS: list[Scenario] = []


def scenario(
    name: str,
    readme: str,
    facts: list[J],
    events: list[J],
    config: J | None = None,
    drops: dict[str, int] | None = None,
) -> None:
    assert all(s.name != name for s in SCENARIOS), name
    SCENARIOS.append(Scenario(name, readme, facts, events, config, drops))


def write_all(root: Path) -> None:
    for s in SCENARIOS:
        d = root / s.name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        (d / "facts.ndjson").write_text("".join(wire(f) + "\n" for f in s.facts), encoding="utf-8")
        (d / "events.ndjson").write_text("".join(wire(e) + "\n" for e in s.events), encoding="utf-8")
        if s.config is not None:
            (d / "config.json").write_text(json.dumps(s.config, indent=2) + "\n", encoding="utf-8")
        if s.drops is not None:
            (d / "drops.json").write_text(json.dumps(s.drops, indent=2) + "\n", encoding="utf-8")
        (d / "README.md").write_text(f"# {s.name}\n\n{s.readme.strip()}\n", encoding="utf-8")


def _same_folder(fresh: Path, committed: Path) -> bool:
    names = sorted(p.name for p in fresh.iterdir())
    if not committed.is_dir() or sorted(p.name for p in committed.iterdir()) != names:
        return False
    return all((fresh / n).read_bytes() == (committed / n).read_bytes() for n in names)


def stale_folders(root: Path) -> list[str]:
    """The scenario folders below `root` that are not exactly what `write_all` writes for the
    registered scenarios: a file differs, is missing or is extra, or the folder is not a
    registered scenario at all (left over from a renamed one)."""
    with tempfile.TemporaryDirectory() as tmp:
        write_all(Path(tmp))
        stale = []
        for s in SCENARIOS:
            if not _same_folder(Path(tmp) / s.name, root / s.name):
                stale.append(s.name)
    registered = {s.name for s in SCENARIOS}
    stale += sorted(
        p.name for p in root.iterdir() if (p / "facts.ndjson").is_file() and p.name not in registered
    )
    return stale
