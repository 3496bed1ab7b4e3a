"""SchemaVer file names (`MODEL-REVISION-ADDITION.json`) and bump classification."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from generator.gate.rules import Category
from generator.paths import MIGRATION_SUFFIX

_VERSION = re.compile(r"(0|[1-9]\d*)-(0|[1-9]\d*)-(0|[1-9]\d*)")
NON_SCHEMA_FILES = frozenset({"approved-breaks.json"})


@total_ordering
@dataclass(frozen=True)
class SchemaVer:
    model: int
    revision: int
    addition: int

    @classmethod
    def parse(cls, text: str) -> SchemaVer | None:
        m = _VERSION.fullmatch(text)
        if m is None:
            return None
        return cls(int(m.group(1)), int(m.group(2)), int(m.group(3)))

    def __str__(self) -> str:
        return f"{self.model}-{self.revision}-{self.addition}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, SchemaVer):
            return NotImplemented
        return self.key < other.key

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.model, self.revision, self.addition)

    def next(self, category: Category) -> SchemaVer:
        if category is Category.MODEL:
            return SchemaVer(self.model + 1, 0, 0)
        if category is Category.REVISION:
            return SchemaVer(self.model, self.revision + 1, 0)
        return SchemaVer(self.model, self.revision, self.addition + 1)


FIRST = SchemaVer(1, 0, 0)


def bump_category(old: SchemaVer, new: SchemaVer) -> Category | None:
    """The category of a clean one-step bump from ``old`` to ``new``, else None."""
    for cat in (Category.MODEL, Category.REVISION, Category.ADDITION):
        if old.next(cat) == new:
            return cat
    return None


@dataclass(frozen=True)
class SchemaFile:
    """A version file: ``rel`` is the path below schemas/ (`events/x/1-0-0.json`)."""

    rel: str

    @property
    def family(self) -> str:
        return self.rel.rsplit("/", 1)[0] if "/" in self.rel else ""

    @property
    def stem(self) -> str:
        return self.rel.rsplit("/", 1)[-1].removesuffix(".json")

    @property
    def version(self) -> SchemaVer | None:
        return SchemaVer.parse(self.stem)


def is_schema_path(rel: str) -> bool:
    """True for the JSON files below schemas/ that are schema versions (or should be)."""
    name = rel.rsplit("/", 1)[-1]
    return (
        name.endswith(".json")
        and not name.endswith(MIGRATION_SUFFIX)
        and name not in NON_SCHEMA_FILES
        and "/" in rel
    )


def previous_version(rel: str, all_rels: list[str]) -> str | None:
    """The highest version of the same schema below the version of ``rel``."""
    me = SchemaFile(rel)
    mine = me.version
    if mine is None:
        return None
    best: tuple[SchemaVer, str] | None = None
    for other in all_rels:
        f = SchemaFile(other)
        v = f.version
        if f.family == me.family and v is not None and v < mine and (best is None or v > best[0]):
            best = (v, other)
    return best[1] if best else None
