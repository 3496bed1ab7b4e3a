"""The package's pydantic range is what the tests run on: its lower bound is the version the
lock installs (and this test session imports), and it admits that minor series only."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement
from packaging.version import Version

from tests.conftest import ROOT


def pydantic_requirement() -> Requirement:
    project = tomllib.loads((ROOT / "python" / "pyproject.toml").read_text(encoding="utf-8"))
    found = [Requirement(dep) for dep in project["project"]["dependencies"]]
    pydantic = [req for req in found if req.name == "pydantic"]
    assert len(pydantic) == 1, found
    return pydantic[0]


def locked(name: str) -> Version:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(name)}==(\S+)$", text, flags=re.M | re.I)
    assert match, f"{name} is not pinned in requirements.lock"
    return Version(match.group(1))


def test_pydantic_range_starts_at_the_tested_version_and_ends_before_the_next_minor() -> None:
    spec = pydantic_requirement().specifier
    bounds = {s.operator: Version(s.version) for s in spec}
    assert set(bounds) == {">=", "<"}, spec
    tested = Version(version("pydantic"))
    assert tested == locked("pydantic"), "the environment is not the locked one: run `make venv`"
    assert bounds[">="] == tested
    assert bounds["<"] == Version(f"{tested.major}.{tested.minor + 1}")
    assert tested in spec
    # the next minor release and the last one before the tested version are outside
    assert Version(f"{tested.major}.{tested.minor + 1}.0") not in spec
    assert Version(f"{tested.major}.{tested.minor - 1}.99") not in spec
