"""SchemaVer `MODEL-REVISION-ADDITION` version strings."""

from __future__ import annotations

import re
from typing import NamedTuple

_VERSION = re.compile(r"^(0|[1-9][0-9]*)-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$")


class SchemaVer(NamedTuple):
    model: int
    revision: int
    addition: int

    @classmethod
    def parse(cls, text: str) -> SchemaVer:
        match = _VERSION.match(text)
        if match is None:
            raise ValueError(f"not a SchemaVer MODEL-REVISION-ADDITION version: {text!r}")
        return cls(int(match[1]), int(match[2]), int(match[3]))

    def __str__(self) -> str:
        return f"{self.model}-{self.revision}-{self.addition}"
