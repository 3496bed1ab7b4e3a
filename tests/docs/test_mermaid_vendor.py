"""The site draws its diagrams with its own pinned copy of Mermaid: no CDN, no network.

The single-file build is committed (docs-src/assets/javascripts/vendor/, copied into the site
like every asset) with a manifest of its npm version, tarball integrity and sha256; `make
mermaid` refreshes all three. The browser test draws a diagram with the network cut off.
"""

from __future__ import annotations

import hashlib
import re

from generator.paths import DOCS_SRC, GENERATED_DOCS
from generator.vendor_mermaid import MANIFEST, MAX_BYTES, SCRIPT, manifest

LOADER = DOCS_SRC / "assets" / "javascripts" / "mermaid-loader.js"


def test_committed_build_matches_its_manifest() -> None:
    record = manifest()
    data = SCRIPT.read_bytes()
    assert record["package"] == "mermaid" and re.fullmatch(r"11\.\d+\.\d+", record["version"])
    assert hashlib.sha256(data).hexdigest() == record["sha256"]
    assert len(data) == record["bytes"] < MAX_BYTES
    assert record["integrity"].startswith("sha512-")
    assert f'"{record["version"]}"' in data.decode("utf-8")  # the build names its version
    assert (MANIFEST.parent / "mermaid.LICENSE.txt").read_text("utf-8").startswith("The MIT")


def test_the_site_loads_it_from_itself() -> None:
    loader = LOADER.read_text(encoding="utf-8")
    assert "https://" not in loader and "http://" not in loader
    assert 'new URL("vendor/mermaid.min.js", document.currentScript.src)' in loader
    shipped = GENERATED_DOCS / SCRIPT.relative_to(DOCS_SRC)
    assert shipped.read_bytes() == SCRIPT.read_bytes()
