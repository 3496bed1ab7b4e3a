"""Independent reference computations for the helper tests (hashlib only)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def fp_hash(domain: str, value: str) -> str:
    data = b"file-line-v1" + b"\x00" + domain.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hashlib.sha1(data).hexdigest()


def sha1_hex(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def wire(event: Any) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)
