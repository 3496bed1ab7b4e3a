"""What keeps `import codex_analytics_contract` cheap (issue #10: under 300 ms with every
version modelled; `make bench` measures it): importing the package builds no model. The newest
models are built by the first parse, the older versions' only when an older payload arrives.
(No time is asserted: these machines are shared and noisy.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES

GENERATED = "codex_analytics_contract._generated"


def _modules_after(code: str) -> list[str]:
    """The generated modules imported by a fresh interpreter after running `code`."""
    probe = (
        f"{code}\nimport sys, json\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({GENERATED!r}))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    loaded: list[str] = json.loads(out)
    return loaded


def _example(name: str, version: str) -> Path:
    return sorted((EXAMPLES / "events" / name / version).glob("*.pass.json"))[0]


def test_importing_the_package_builds_no_model() -> None:
    loaded = _modules_after("import codex_analytics_contract")
    assert f"{GENERATED}.tables" in loaded  # plain data: types, versions, markers, upgrades
    # the modules that build models or validators wait for their first use
    built_on_use = {f"{GENERATED}.{name}" for name in ("models", "registry", "history")}
    assert not built_on_use & set(loaded)
    assert f"{GENERATED}.fact_validators" not in loaded  # the reducer's fast checks


def test_the_public_names_stay_importable_and_the_first_parse_builds_the_newest_models() -> None:
    from codex_analytics_contract import EVENT_VERSIONS

    name = "codex_turn_event"
    newest = _example(name, EVENT_VERSIONS[name][0])
    loaded = _modules_after(
        "from codex_analytics_contract import *\n"
        "from codex_analytics_contract import Event, Fact, parse_event\n"
        f"assert type(parse_event({newest.read_bytes()!r})).schema_version == "
        f"{EVENT_VERSIONS[name][0]!r}"
    )
    assert f"{GENERATED}.models" in loaded and f"{GENERATED}.registry" in loaded
    assert f"{GENERATED}.history" not in loaded  # no older version was needed


def test_an_older_payload_imports_the_history_module() -> None:
    from codex_analytics_contract import EVENT_VERSIONS

    name = "codex_turn_event"
    oldest = _example(name, EVENT_VERSIONS[name][-1])
    loaded = _modules_after(
        "from codex_analytics_contract import parse_event\n"
        f"assert type(parse_event({oldest.read_bytes()!r})).schema_version != "
        f"{EVENT_VERSIONS[name][0]!r}"
    )
    assert f"{GENERATED}.history" in loaded
