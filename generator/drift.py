"""The drift check: the generated folders must be exactly what the generator produces now.

It catches files that differ, files the generator no longer writes (stale), files it writes
that are missing, and generated files git does not track (forgotten in a commit).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.generate import existing_outputs, render_all
from generator.paths import OUTPUT_ROOTS, REGENERATE_COMMAND, ROOT


@dataclass
class Drift:
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.changed or self.missing or self.stale or self.untracked)


def untracked_generated() -> list[str]:
    """Files in the generated folders that git does not track and does not ignore."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard", "--", *OUTPUT_ROOTS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return []  # not a git checkout: nothing can be untracked
    return sorted(line for line in proc.stdout.splitlines() if line)


def find_drift(check_git: bool = True, fresh: Mapping[str, bytes] | None = None) -> Drift:
    """How the generated folders differ from ``fresh`` (the generator's output now, rendered
    here unless the caller already has it)."""
    fresh = render_all() if fresh is None else fresh
    current = existing_outputs(ROOT)
    drift = Drift()
    for rel, data in fresh.items():
        if rel not in current:
            drift.missing.append(rel)
        elif current[rel] != data:
            drift.changed.append(rel)
    drift.stale = sorted(rel for rel in current if rel not in fresh)
    if check_git:
        drift.untracked = untracked_generated()
    return drift


def drift_main() -> int:
    drift = find_drift()
    if drift.clean:
        print("drift check: the generated folders match a fresh generation")
        return 0
    folders = " ".join(OUTPUT_ROOTS)
    print("drift check FAILED: the generated folders are not what the generator produces now.")
    print(f"Run `{REGENERATE_COMMAND}`, then `git add {folders}` and commit.")
    for label, items in (
        ("differs", drift.changed),
        ("missing (not generated yet)", drift.missing),
        ("stale (no longer generated)", drift.stale),
        ("untracked by git (commit it)", drift.untracked),
    ):
        for rel in items[:20]:
            print(f"  {label}: {rel}")
        if len(items) > 20:
            print(f"  ... and {len(items) - 20} more {label}")
    return 1
