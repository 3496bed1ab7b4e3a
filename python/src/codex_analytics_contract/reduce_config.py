"""The `reduce --config` file: fixed process values for reproducible runs.

`ReduceConfig` is the one definition of the format: `load_config` validates a file against it,
`config_json_schema()` is its JSON Schema (printed by `reduce --config-schema`) and
`reducer_from_config` builds the Reducer from it. Every key is optional; an absent key keeps
the Reducer's default (the wall clock, this host's runtime, `codex_cli_rs`, `git` look-ups):

```json
{"clock": 1700000000.0,
 "runtime": {"codex_rs_version": "0.99.0", "runtime_os": "linux",
             "runtime_os_version": "6.1", "runtime_arch": "x86_64"},
 "originator": "codex_cli_rs",
 "repo_hash": null,
 "skill_repos": {"/repo/skills/a/SKILL.md": {"repo_url": "https://...", "root": "/repo"}}}
```
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Final

from pydantic import MISSING, BaseModel, ConfigDict, Field, ValidationError

from codex_analytics_contract.errors import ContractError, InvalidJSONError, Violation
from codex_analytics_contract.reducer import Reducer, ReducerLimits, RepoInfo
from codex_analytics_contract.violations import contract_error

U64_END: Final = 2**64  # the clock becomes u64 seconds in the events (created_at, completed_at)


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class RuntimeConfig(_Closed):
    """The host runtime of subagent thread events: the four strings the events carry."""

    codex_rs_version: str
    runtime_os: str
    runtime_os_version: str
    runtime_arch: str


class SkillRepoConfig(_Closed):
    """What the git look-up of a skill file's directory finds."""

    repo_url: str | None = Field(None, description="`git remote get-url origin`, or null")
    root: str | None = Field(None, description="The repository root, or null.")


class ReduceConfig(_Closed):
    """The `reduce --config` file. Every key is optional (absent: the Reducer's default)."""

    clock: Annotated[float, Field(ge=0, lt=U64_END)] | MISSING = Field(
        MISSING,
        description="Fixed wall clock, Unix seconds (steer created_at, accepted-line "
        "completed_at): a finite number, 0 <= clock < 2^64 (u64 seconds in the events).",
    )
    runtime: RuntimeConfig | MISSING = Field(
        MISSING,
        description="Host runtime of subagent thread events: {codex_rs_version, runtime_os, "
        "runtime_os_version, runtime_arch}, all strings.",
    )
    originator: str | MISSING = Field(
        MISSING, description="The process product_client_id of skill, app and plugin events."
    )
    repo_hash: str | MISSING | None = Field(
        MISSING,
        description="What every accepted-line repo-hash look-up returns (null: no repository) "
        "instead of running git.",
    )
    skill_repos: dict[str, SkillRepoConfig] | MISSING = Field(
        MISSING,
        description="Skill file path -> {repo_url, root} (strings or null) instead of looking "
        "for git repositories; a path not listed has no repository.",
    )


def config_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the config file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **ReduceConfig.model_json_schema(),
    }


def config_keys_help() -> str:
    """One line per key, for `--help`."""
    return "\n".join(
        f"  {name}: {field.description}" for name, field in ReduceConfig.model_fields.items()
    )


def parse_config(data: bytes | Mapping[str, Any]) -> ReduceConfig:
    """The config from JSON bytes or a JSON-like mapping (raises a ContractError naming the
    JSON path)."""
    try:
        if isinstance(data, bytes):
            return ReduceConfig.model_validate_json(data)
        return ReduceConfig.model_validate(data)
    except ValidationError as exc:
        raise contract_error(exc, data, None, {}) from None


def load_config(path: str) -> ReduceConfig:
    """The config file at `path`; every error names the file (raises a ContractError)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidJSONError(
            [Violation("$", "a readable JSON file", reason, "config_unreadable")], source=path
        ) from None
    try:
        return parse_config(data)
    except ContractError as exc:
        raise exc.with_source(path) from None


def reducer_from_config(
    config: ReduceConfig | Mapping[str, Any], limits: ReducerLimits | None = None
) -> Reducer:
    """A Reducer with the config's fixed process values (a mapping is validated first)."""
    if not isinstance(config, ReduceConfig):
        config = parse_config(config)
    kwargs: dict[str, Any] = {}
    if config.clock is not MISSING:
        fixed = config.clock
        kwargs["clock"] = lambda: fixed
    if config.runtime is not MISSING:
        kwargs["runtime"] = config.runtime.model_dump()
    if config.originator is not MISSING:
        kwargs["originator"] = config.originator
    if config.repo_hash is not MISSING:
        repo_hash = config.repo_hash
        kwargs["repo_hash_provider"] = lambda _cwd: repo_hash
    if config.skill_repos is not MISSING:
        repos = {
            path: RepoInfo(repo_url=info.repo_url, root=info.root)
            for path, info in config.skill_repos.items()
        }
        kwargs["skill_repo_provider"] = repos.get
    return Reducer(limits=limits, **kwargs)
