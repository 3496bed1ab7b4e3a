"""The one base class of every error the generator reports about its inputs.

A `GeneratorError` says which file is wrong (and where in it, when known) and what is wrong, as
`<file>: <what>`; `codex-contract` prints it on one line and exits 1, without a traceback.
Bad schemas (`SchemaStoreError`), bad templates (`TemplateError`), a bad `templates.yaml` and bad
docs sources all raise one.
"""

from __future__ import annotations

from pathlib import Path

from generator.paths import ROOT


class GeneratorError(Exception):
    """An input of the generator is wrong; the message is `<file>: <what>`."""


def shown(path: Path | str) -> str:
    """`path` as an error names it: relative to the repository root when below it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
