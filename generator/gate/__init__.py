"""The schema-change gate: lint, immutability, compatibility and version-bump checks.

Entry points: :func:`generator.gate.check.run_check` (``codex-contract check``) and
:func:`generator.gate.diff_cmd.run_diff` (``codex-contract diff``). Every rule lives in
:mod:`generator.gate.rules`.
"""
