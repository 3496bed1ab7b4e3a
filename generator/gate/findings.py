"""What the gate reports: findings, approvals and the per-schema summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.gate.rules import RULES, Category, Severity


@dataclass
class Approval:
    """One entry of schemas/approved-breaks.json."""

    rule: str
    schema: str
    path: str | None
    reason: str
    approver: str
    used: bool = False

    def matches(self, finding: Finding) -> bool:
        if self.rule != finding.rule or not _same_schema(self.schema, finding.file):
            return False
        return self.path is None or self.path == finding.path


def _norm_schema(name: str) -> str:
    from generator.gate.resolve import ID_PREFIX

    name = name.removeprefix(ID_PREFIX).removeprefix("schemas/")
    return name.removesuffix(".json")


def _same_schema(approved: str, file: str) -> bool:
    return _norm_schema(approved) == _norm_schema(file)


@dataclass
class Finding:
    rule: str
    severity: Severity
    file: str  # repository path, e.g. schemas/events/x/1-0-1.json
    path: str  # JSON path into the instance ($.a.b) or, for lint, a pointer into the schema
    message: str
    category: Category | None = None  # compat differences
    approval: Approval | None = None
    line: int | None = None  # best-effort line in ``file`` (for annotations)

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR and self.approval is None

    @property
    def title(self) -> str:
        return RULES[self.rule].title.replace("`", "")

    @property
    def review(self) -> bool:
        return RULES[self.rule].review


@dataclass
class SchemaSummary:
    """One new version file and how it compares with the version before it."""

    file: str
    previous: str | None
    required: Category
    bump: Category | None  # None: first version, or not a clean step
    ok: bool
    differences: int = 0


@dataclass
class Result:
    base: str | None  # "abc123 (merge base with origin/main)" or None
    base_ref: str | None
    findings: list[Finding] = field(default_factory=list)
    summaries: list[SchemaSummary] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(f.blocking for f in self.findings)
