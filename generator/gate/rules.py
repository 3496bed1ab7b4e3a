"""The rule registry: the one place every gate rule is defined.

Each rule has a stable ID, a kind, a one-line title, an example and a reason. Compatibility rules
(``CA``) carry the SchemaVer category a difference of that kind needs (spec/versioning.md §2
and §5); lint (``CL``), immutability (``CI``), version (``CV``) and gate (``CG``) rules carry a
severity. The docs page ``gate-rules.md`` is rendered from :func:`rule_tables` by
``make generate`` (``templates/docs/gate-rules.md.j2``), like every other generated page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Category(enum.IntEnum):
    """SchemaVer categories, ordered by severity."""

    NONE = 0
    ADDITION = 1
    REVISION = 2
    MODEL = 3


class Severity(enum.Enum):
    ERROR = "error"  # blocks the merge (unless approved)
    WARNING = "warning"  # reported, does not block
    NOTICE = "notice"  # information (covered or approved differences)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # "lint" | "immutability" | "version" | "gate" | "compat"
    title: str
    why: str
    example: str
    category: Category | None = None  # compat rules
    severity: Severity = Severity.ERROR  # non-compat rules (compat: decided by the bump)
    # A MODEL rule is REVISION where the value may be absent from old instances (an optional
    # property, an array item, one branch of several): some old instances then stay valid.
    revision_if_absent: bool = False
    review: bool = False  # the category is a safe guess; a person should look
    scope: str = ""  # lint rules: which schemas / locations the rule applies to
    breaking: bool = False  # reported under "Breaking" even when it does not block the merge


A = Category.ADDITION
R = Category.REVISION
M = Category.MODEL

_RULES: tuple[Rule, ...] = (
    # ---- lint -------------------------------------------------------------------------------
    Rule(
        "CL001",
        "lint",
        "schema is valid draft 2020-12",
        "generators and validators assume a well-formed draft 2020-12 schema",
        '`"type": "strin"` or a missing `"$schema"`',
        scope="every schema file",
    ),
    Rule(
        "CL002",
        "lint",
        "`$id` matches the file path",
        "refs resolve offline by `$id`; a wrong `$id` points at another file",
        "`events/x/1-0-1.json` with `$id` ending in `1-0-0.json`",
        scope="every schema file",
    ),
    Rule(
        "CL003",
        "lint",
        "property names are snake_case",
        "event and common payloads use snake_case on the wire",
        '`"turnId"` in an event',
        scope="events, common, batch and facts; exempt: keys below a fact's `params`, `result`, "
        "`error` or `response` and every key of a `common/fact_*` piece (they mirror "
        "camelCase app-server payloads)",
    ),
    Rule(
        "CL004",
        "lint",
        "every property has a description",
        "the docs and the generated models show it; analysts rely on it",
        "a property without `description` (or a bare `$ref` whose target has none)",
        scope="every declared property (not the test properties inside `if` / `not`)",
    ),
    Rule(
        "CL005",
        "lint",
        "`event_params` is closed",
        "a closed content model is what makes adding an optional field an ADDITION",
        "`event_params` without `additionalProperties: false` / `unevaluatedProperties: false`",
        scope="events",
    ),
    Rule(
        "CL006",
        "lint",
        "integers are bounded",
        "integers carry the bounds of their Rust width (u64, i64, i32, u32, u16)",
        '`{"type": "integer"}` without `minimum` and `maximum`',
        scope="every schema file",
    ),
    Rule(
        "CL007",
        "lint",
        "enum values are unique and non-empty",
        "enums list the exact wire strings, each once",
        '`"enum": []`, `"enum": ["a", "a"]` or `"enum": [""]`',
        scope="every schema file",
    ),
    Rule(
        "CL008",
        "lint",
        "every `$ref` is relative and resolves",
        "refs never reach the network and must point at a file (and pointer) under schemas/",
        '`"$ref": "https://example.com/x.json"` or `"../../common/missing/1-0-0.json"`',
        scope="every schema file",
    ),
    Rule(
        "CL009",
        "lint",
        "lint suppressions are well-formed",
        "every `x-lint-ignore` entry names a known lint rule and gives a reason",
        '`"x-lint-ignore": [{"rule": "CL003"}]`',
        scope="the `x-lint-ignore` keyword at the top of a schema file",
    ),
    Rule(
        "CL010",
        "lint",
        "lint suppression is unused",
        "a suppression that suppresses nothing hides future problems",
        "`x-lint-ignore` for CL003 in a file whose names are all snake_case",
        severity=Severity.WARNING,
        scope="the `x-lint-ignore` keyword",
    ),
    Rule(
        "CL011",
        "lint",
        "the newest batch schema accepts every event version",
        "a backend hears from clients of every release: a request body holding any version of "
        "any event must be valid (`./codex-contract batch` writes the next batch version)",
        "a new `events/x/1-0-1.json` while the newest `batch/` file lists only `x/1-0-0`",
        scope="the newest `batch/` file, against every event version file in the tree",
    ),
    # ---- immutability -------------------------------------------------------------------------
    Rule(
        "CI001",
        "immutability",
        "a published version file changed",
        "a published version never changes; consumers pin it (even whitespace and description "
        "edits go in a new ADDITION)",
        "editing `events/x/1-0-0.json` in place",
    ),
    Rule(
        "CI002",
        "immutability",
        "a published version file was deleted or renamed",
        "consumers and older data still reference it",
        "`git rm schemas/events/x/1-0-0.json`",
    ),
    Rule(
        "CI003",
        "immutability",
        "a published valid example no longer reads back byte-exactly",
        "a client of that release still sends those bytes: the package must accept them at "
        "their version and write back exactly the bytes it read",
        'a serializer change that writes `"retry_count":null` into a 1-0-0 event',
    ),
    Rule(
        "CI004",
        "immutability",
        "a published invalid example is now accepted",
        "a published version rejects what it rejected; accepting more needs a new version",
        "dropping `minimum` from a published version so a negative count passes",
    ),
    # ---- versions -------------------------------------------------------------------------------
    Rule(
        "CV001",
        "version",
        "version bump smaller than the change needs",
        "the bump must be at least the most severe category of the differences",
        "`1-0-0` → `1-0-1` while removing a required property",
    ),
    Rule(
        "CV002",
        "version",
        "version bump is not a clean step",
        "versions go up by exactly one step: `+1` ADDITION, `+1` REVISION (ADDITION reset), "
        "`+1` MODEL (others reset); skipping or reusing numbers confuses consumers",
        "`1-0-0` → `1-0-2` (skips) or `1-0-0` → `2-0-1` (not reset)",
    ),
    Rule(
        "CV003",
        "version",
        "new version is not after the latest published version",
        "a new file must be the newest version of its schema; older numbers are taken",
        "adding `1-0-1` when `1-1-0` is already published",
    ),
    Rule(
        "CV004",
        "version",
        "file name is not a SchemaVer version",
        "schema files are named `MODEL-REVISION-ADDITION.json`",
        "`events/x/v2.json` or `events/x/1-0-01.json`",
    ),
    Rule(
        "CV005",
        "version",
        "a new schema does not start at 1-0-0",
        "the first version of a schema is `1-0-0`",
        "a new folder `events/y/` whose only file is `1-1-0.json`",
    ),
    Rule(
        "CV006",
        "version",
        "MODEL bump: a breaking change for consumers",
        "payloads of the previous version are not valid under the new one; whoever reads the "
        "new version must upgrade older events (the warning says whether `upgrade()` can)",
        "`1-0-0` → `2-0-0` adding a required key",
        severity=Severity.WARNING,
        breaking=True,
    ),
    # ---- gate -------------------------------------------------------------------------------
    Rule(
        "CG001",
        "gate",
        "approved-breaks file is invalid",
        "approvals must name a rule, a schema, a reason and an approver",
        "an entry without `approver`",
    ),
    Rule(
        "CG002",
        "gate",
        "approved break is unused",
        "an approval that matches nothing is stale; remove it",
        "an entry for a path that no longer differs",
        severity=Severity.WARNING,
    ),
    Rule(
        "CG003",
        "gate",
        "generated code is out of date (drift)",
        "generated/ must be the output of the generator for the committed schemas",
        "changing a schema without running `make`",
    ),
    Rule(
        "CG004",
        "gate",
        "schema file cannot be read",
        "a file that is not JSON cannot be compared or published",
        "a trailing comma in a schema file",
    ),
    Rule(
        "CG005",
        "gate",
        "the gate could not analyse a file",
        "an internal error must not let a change through unchecked; report it as a gate bug",
        "a construct the comparer does not handle",
    ),
    # ---- compatibility -------------------------------------------------------------------------
    Rule(
        "CA001",
        "compat",
        "optional property added to a closed object",
        "old instances never hold the key, so all stay valid",
        "`event_params` (closed) gains optional `model`",
        category=A,
    ),
    Rule(
        "CA002",
        "compat",
        "optional property added to an open object",
        "old instances may hold that key with another type",
        "an open `params` object gains optional typed `cwd`",
        category=R,
    ),
    Rule(
        "CA003",
        "compat",
        "required property added to a closed object",
        "no old instance holds the key, so none stays valid",
        "`event_params` (closed) gains required `model`",
        category=M,
        revision_if_absent=True,
    ),
    Rule(
        "CA004",
        "compat",
        "required property added to an open object",
        "old instances that lack the key become invalid, those that hold it may stay valid",
        "an open `params` object gains required `cwd`",
        category=R,
    ),
    Rule(
        "CA005",
        "compat",
        "optional property removed from a closed object",
        "old instances that hold the key become invalid",
        "optional `model` removed from closed `event_params`",
        category=R,
    ),
    Rule(
        "CA006",
        "compat",
        "required property removed from a closed object",
        "every old instance holds the key, which is no longer allowed",
        "required `turn_id` removed from closed `event_params`",
        category=M,
        revision_if_absent=True,
    ),
    Rule(
        "CA007",
        "compat",
        "property removed from an open object",
        "the key is still allowed (by `additionalProperties`), with any value",
        "`cwd` removed from an open `params` object",
        category=A,
    ),
    Rule(
        "CA008",
        "compat",
        "property became required",
        "old instances without the key become invalid",
        "`model` moved into `required`",
        category=R,
    ),
    Rule(
        "CA009",
        "compat",
        "property became optional",
        "every old instance stays valid",
        "`model` removed from `required`",
        category=A,
    ),
    Rule(
        "CA010",
        "compat",
        "type widened",
        "the new type set contains the old one",
        '`"integer"` → `["integer", "string"]`',
        category=A,
    ),
    Rule(
        "CA011",
        "compat",
        "type narrowed",
        "values of the dropped types become invalid",
        '`["integer", "string"]` → `"integer"`',
        category=R,
    ),
    Rule(
        "CA012",
        "compat",
        "type changed to a disjoint type",
        "no old value of that field stays valid",
        '`"integer"` → `"string"`',
        category=M,
        revision_if_absent=True,
    ),
    Rule(
        "CA013",
        "compat",
        "null allowed",
        "old values stay valid; null is new",
        '`"string"` → `["string", "null"]`',
        category=A,
    ),
    Rule(
        "CA014",
        "compat",
        "null disallowed",
        "old null values become invalid",
        '`["string", "null"]` → `"string"`',
        category=R,
    ),
    Rule(
        "CA015",
        "compat",
        "enum value added",
        "old values stay valid",
        '`["a", "b"]` → `["a", "b", "c"]`',
        category=A,
    ),
    Rule(
        "CA016",
        "compat",
        "enum value removed",
        "old instances with that value become invalid",
        '`["a", "b"]` → `["a"]`',
        category=R,
    ),
    Rule(
        "CA017",
        "compat",
        "enum values replaced (no old value remains)",
        "no old value of that field stays valid",
        '`["a", "b"]` → `["c"]`',
        category=M,
        revision_if_absent=True,
    ),
    Rule(
        "CA018",
        "compat",
        "const changed",
        "the only old value is no longer allowed",
        '`"const": "v1"` → `"const": "v2"`',
        category=M,
        revision_if_absent=True,
    ),
    Rule(
        "CA019",
        "compat",
        "value restricted to an enum or const",
        "old values outside the list become invalid",
        '`"string"` → `"enum": ["a"]`',
        category=R,
    ),
    Rule(
        "CA020",
        "compat",
        "enum or const restriction removed",
        "every old value stays valid",
        '`"enum": ["a"]` → `"type": "string"`',
        category=A,
    ),
    Rule(
        "CA021",
        "compat",
        "bound tightened",
        "old values outside the new bound become invalid",
        "`maximum` 65535 → 255, `minLength` added, `uniqueItems` set",
        category=R,
    ),
    Rule(
        "CA022",
        "compat",
        "bound loosened",
        "every old value stays valid",
        "`maximum` 255 → 65535, `maxLength` removed",
        category=A,
    ),
    Rule(
        "CA023",
        "compat",
        "pattern tightened (added)",
        "old strings that do not match become invalid",
        '`"pattern": "^[a-z]+$"` added',
        category=R,
    ),
    Rule(
        "CA024",
        "compat",
        "pattern loosened (removed)",
        "every old string stays valid",
        "`pattern` removed",
        category=A,
    ),
    Rule(
        "CA025",
        "compat",
        "pattern changed",
        "whether the new pattern accepts every old string cannot be decided here",
        '`"^[a-z]+$"` → `"^[a-z0-9]+$"`',
        category=R,
        review=True,
    ),
    Rule(
        "CA026",
        "compat",
        "additionalProperties opened",
        "keys the old schema refused are now allowed; old instances stay valid",
        "`additionalProperties: false` → `true`",
        category=A,
    ),
    Rule(
        "CA027",
        "compat",
        "additionalProperties closed",
        "old instances with extra keys become invalid",
        "`additionalProperties: true` → `false`",
        category=R,
    ),
    Rule(
        "CA028",
        "compat",
        "$ref retargeted",
        "the schema now points at another file; the differences inside are listed separately",
        '`"../../common/runtime/1-0-0.json"` → `"../../common/runtime/1-0-1.json"`',
        category=A,
    ),
    Rule(
        "CA029",
        "compat",
        "alternative added to anyOf/oneOf",
        "old values match an old alternative that is still there (oneOf assumes disjoint "
        "alternatives)",
        "`anyOf: [A, B]` → `anyOf: [A, B, C]`",
        category=A,
    ),
    Rule(
        "CA030",
        "compat",
        "alternative removed from anyOf/oneOf",
        "old values that only matched the removed alternative become invalid",
        "`anyOf: [A, B, C]` → `anyOf: [A, B]`",
        category=R,
    ),
    Rule(
        "CA031",
        "compat",
        "annotation changed",
        "descriptions, titles, examples and `x-` keywords do not change validity; the edit "
        "still needs a new file",
        "a reworded `description`",
        category=A,
    ),
    Rule(
        "CA032",
        "compat",
        "unclassified keyword changed",
        "the gate cannot classify this keyword; assumed REVISION until a person checks",
        "`format`, `multipleOf`, `patternProperties`, `not`, `if`/`then` changed",
        category=R,
        review=True,
    ),
    Rule(
        "CA033",
        "compat",
        "reference could not be resolved",
        "without the target the gate cannot compare the two sides",
        '`"$ref": "../../common/missing/1-0-0.json"`',
        category=R,
        review=True,
    ),
    Rule(
        "CA034",
        "compat",
        "conditional (`if`/`then`) added",
        "instances that meet the condition must now satisfy more",
        '`allOf: [{"if": {method = "turn/steer"}, "then": {...}}]` gains a branch',
        category=R,
    ),
    Rule(
        "CA035",
        "compat",
        "conditional (`if`/`then`) removed",
        "instances that met the condition are no longer constrained by it",
        "the `turn/steer` branch of a fact's `allOf` removed",
        category=A,
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
LINT_RULE_IDS: frozenset[str] = frozenset(r.id for r in _RULES if r.kind == "lint")


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def category_for(rule_id: str, present: bool) -> Category:
    """The category of one difference found by compat rule ``rule_id``.

    ``present`` tells whether the compared value is present in every valid old instance.
    """
    r = RULES[rule_id]
    assert r.category is not None, rule_id
    if r.revision_if_absent and not present:
        return Category.REVISION
    return r.category


@dataclass(frozen=True)
class RuleTable:
    """One table of the docs page `gate-rules.md`: a heading, its columns, a row per rule."""

    kind: str
    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


_KIND_HEADINGS: tuple[tuple[str, str], ...] = (
    ("compat", "Compatibility rules (every difference between two versions)"),
    ("lint", "Lint rules (every new schema file)"),
    ("immutability", "Immutability rules"),
    ("version", "Version rules"),
    ("gate", "Gate rules"),
)


def _category_text(r: Rule) -> str:
    assert r.category is not None, r.id
    text = r.category.name
    if r.revision_if_absent:
        text += " (REVISION where the value may be absent)"
    if r.review:
        text += ", needs review"
    return text


def rule_tables() -> list[RuleTable]:
    """The registry as one table per kind of rule (rendered by templates/docs/gate-rules.md.j2)."""
    tables: list[RuleTable] = []
    for kind, heading in _KIND_HEADINGS:
        rules = [r for r in _RULES if r.kind == kind]
        rows: list[tuple[str, ...]]
        if kind == "compat":
            columns: tuple[str, ...] = ("ID", "Rule", "Category", "Example", "Why")
            rows = [(r.id, r.title, _category_text(r), r.example, r.why) for r in rules]
        elif kind == "lint":
            columns = ("ID", "Rule", "Severity", "Scope", "Example", "Why")
            rows = [(r.id, r.title, r.severity.value, r.scope, r.example, r.why) for r in rules]
        else:
            columns = ("ID", "Rule", "Severity", "Example", "Why")
            rows = [(r.id, r.title, r.severity.value, r.example, r.why) for r in rules]
        tables.append(RuleTable(kind, heading, columns, tuple(rows)))
    return tables
