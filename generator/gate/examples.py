"""CI003 / CI004: every example published at the base still reads back the same at head.

An example (`examples/<kind>/<name>/<version>/<case>.pass.json` or `.fail.json`) is contract
data: it shows what that version of the schema accepts and rejects, byte for byte. For every
example that exists at the base and still exists at head, the gate takes the bytes **as
published at the base** (so editing the example cannot hide a change) and reads them with the
package this commit ships, pinned to the example's version folder:

* a `.pass.json` example must still parse, and `serialize_event(parse_event(x, version=v))`
  must give back exactly `x` (facts: `parse_fact(x, version=v)` must still accept it) -- CI003;
* a `.fail.json` example's `instance` must still be rejected at its version -- CI004.

The package is the head's hand-written runtime (`python/src`) with the head's generated
subpackage: the committed one when it is what the generator makes from the head schemas (the
drift check says so), else a fresh generation overlaid in a temporary copy. It runs in a
subprocess (`generator.gate.example_runner`), so the package imported is exactly that tree and
never the one installed in the gate's environment.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.gate.findings import Finding
from generator.gate.gitbase import GitError, git
from generator.gate.rules import Severity
from generator.paths import GENERATED_PACKAGE, PACKAGE, ROOT

EXAMPLE_PATH = re.compile(
    r"^examples/(?P<kind>events|facts)/(?P<name>[a-z0-9_]+)/(?P<version>\d+-\d+-\d+)/"
    r"[^/]+\.(?P<expect>pass|fail)\.json$"
)
_PACKAGE_PREFIX = GENERATED_PACKAGE.relative_to(ROOT).as_posix() + "/"


@dataclass(frozen=True)
class Example:
    path: str  # repository path, e.g. examples/events/x/1-0-0/minimal.pass.json
    kind: str  # events | facts
    name: str
    version: str
    expect: str  # pass | fail
    data: bytes  # the bytes at the base


def _read_blobs(root: Path, sha: str, paths: list[str]) -> dict[str, bytes]:
    """The bytes of ``paths`` at commit ``sha``, read with one `git cat-file --batch`."""
    request = "".join(f"{sha}:{p}\n" for p in paths).encode()
    proc = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode(errors="replace").strip() or "git cat-file failed")
    out: dict[str, bytes] = {}
    data, pos = proc.stdout, 0
    for path in paths:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue  # "<object> missing": not a file at the base
        size = int(header[2])
        out[path] = data[pos : pos + size]
        pos += size + 1  # the blob, then a newline
    return out


def base_examples(root: Path, sha: str) -> list[Example]:
    """The examples of the base commit that still exist at head (with their base bytes), for a
    schema version that still exists at head (a deleted version is CI002's business)."""
    listing = git(root, "ls-tree", "-r", "--name-only", sha, "--", "examples/")
    kept: list[tuple[str, re.Match[str]]] = []
    for path in listing.splitlines():
        m = EXAMPLE_PATH.match(path)
        if m is None or not (root / path).is_file():
            continue
        schema = root / "schemas" / m["kind"] / m["name"] / f"{m['version']}.json"
        if schema.is_file():
            kept.append((path, m))
    blobs = _read_blobs(root, sha, [p for p, _ in kept])
    return [
        Example(p, m["kind"], m["name"], m["version"], m["expect"], blobs[p])
        for p, m in kept
        if p in blobs
    ]


@contextmanager
def head_package(root: Path, fresh: Mapping[str, bytes] | None) -> Iterator[tuple[Path, str]]:
    """(the folder to put on PYTHONPATH, how it was made) for the package of this commit.

    ``fresh`` is the generator's output for the head schemas (from the drift check) or None
    when it was not computed: then the committed generated subpackage is used as it is.
    """
    src = root / "python" / "src"
    generated = {k: v for k, v in (fresh or {}).items() if k.startswith(_PACKAGE_PREFIX)}
    stale = [
        rel
        for rel, data in generated.items()
        if not (root / rel).is_file() or (root / rel).read_bytes() != data
    ]
    if not stale:
        how = (
            "the committed package (the drift check found it current)"
            if fresh is not None
            else "the committed package (no drift check: trusted to match the schemas)"
        )
        yield src, how
        return
    with tempfile.TemporaryDirectory(prefix="codex-contract-gate-") as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(src, copy, ignore=shutil.ignore_patterns("__pycache__", "_generated"))
        prefix = Path("python") / "src"
        for rel, data in generated.items():
            target = copy / Path(rel).relative_to(prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield copy, "a fresh generation from the head schemas (the committed one is stale)"


def example_findings(examples: list[Example], package_src: Path) -> list[Finding]:
    """CI003 / CI004 findings for ``examples`` read with the package below ``package_src``
    (a CG005 finding when the package cannot be run at all)."""
    if not examples:
        return []
    request = [
        {
            "path": e.path,
            "kind": e.kind,
            "name": e.name,
            "version": e.version,
            "expect": e.expect,
            "data": base64.b64encode(e.data).decode("ascii"),
        }
        for e in examples
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(package_src), str(ROOT)]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "generator.gate.example_runner", str(package_src / PACKAGE)],
        input=json.dumps(request).encode("ascii"),
        capture_output=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        return [
            Finding(
                "CG005",
                Severity.ERROR,
                "python/src",
                "$",
                "the examples could not be read with the package of this commit: "
                + (" / ".join(tail) or f"exit status {proc.returncode}"),
            )
        ]
    findings: list[Finding] = []
    for item in json.loads(proc.stdout):
        findings.append(
            Finding(item["rule"], Severity.ERROR, item["path"], item["where"], item["message"])
        )
    return findings
