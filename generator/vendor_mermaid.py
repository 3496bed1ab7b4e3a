"""The site's copy of Mermaid: one pinned single-file build, committed, so diagrams draw offline.

`make mermaid` (`python -m generator.vendor_mermaid [VERSION]`) fetches the npm package
`mermaid@VERSION` with `npm pack` (the only step that needs the registry), checks the tarball
against the integrity npm reports for it, and writes `dist/mermaid.min.js`, the package's
licence and a manifest (version, tarball, integrity, sha256 of the file) to `VENDOR`. A fresh
clone needs nothing: the files are in the repository, the generator copies them into the site
like every asset, and a test checks the file against the manifest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from generator.paths import DOCS_SRC

VENDOR = DOCS_SRC / "assets" / "javascripts" / "vendor"
SCRIPT = VENDOR / "mermaid.min.js"
LICENCE = VENDOR / "mermaid.LICENSE.txt"
MANIFEST = VENDOR / "mermaid.json"
MEMBER = "package/dist/mermaid.min.js"
MAX_BYTES = 4_000_000  # what the repository accepts for one committed build


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def _npm_pack(spec: str, into: Path) -> dict[str, Any]:
    proc = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(into)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"npm pack {spec} failed: {proc.stderr.strip()}")
    packed: list[dict[str, Any]] = json.loads(proc.stdout)
    return packed[0]


def vendor(version: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        info = _npm_pack(f"mermaid@{version}", Path(tmp))
        tarball = Path(tmp) / info["filename"]
        algorithm, _, expected = str(info["integrity"]).partition("-")
        actual = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if actual != expected:
            raise SystemExit(
                f"{tarball.name}: integrity {algorithm}-{actual} != {info['integrity']}"
            )
        with tarfile.open(tarball) as tar:
            script = _member(tar, MEMBER)
            licence = _member(tar, "package/LICENSE")
    if len(script) > MAX_BYTES:
        raise SystemExit(f"{MEMBER} is {len(script)} bytes, more than {MAX_BYTES}")
    VENDOR.mkdir(parents=True, exist_ok=True)
    SCRIPT.write_bytes(script)
    LICENCE.write_bytes(licence)
    record = {
        "package": "mermaid",
        "version": info["version"],
        "tarball": f"https://registry.npmjs.org/mermaid/-/{info['filename']}",
        "integrity": info["integrity"],
        "file": MEMBER,
        "sha256": sha256(script),
        "bytes": len(script),
        "license": "MIT (mermaid.LICENSE.txt)",
        "update": "make mermaid VERSION=<version>",
    }
    MANIFEST.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    handle = tar.extractfile(name)
    if handle is None:
        raise SystemExit(f"{name} is missing from the tarball")
    return handle.read()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    version = args[0] if args else str(manifest()["version"])
    record = vendor(version)
    where = SCRIPT.relative_to(DOCS_SRC.parent)
    print(f"{where}: mermaid {record['version']}, {record['bytes']} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
