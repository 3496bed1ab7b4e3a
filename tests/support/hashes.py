"""Independent reference computations of the reducer's hashes (hashlib only), for expected
values: the accepted-line fingerprints (spec/reducer.md §5) and the skill ids."""

from __future__ import annotations

import hashlib


def line_hash(domain: str, value: str) -> str:
    """The accepted-line hash of `value` in `domain` ("path", "line" or "repo")."""
    data = b"file-line-v1" + b"\x00" + domain.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hashlib.sha1(data).hexdigest()


def sha1_hex(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
