"""Class names of the generated models: the one rule, in `class_name`.

A model is named by its naming path: the schema it belongs to, then the property, union
variant or conditional constant that leads to it, e.g. `("codex_turn_event", "event_params")`.
Each part is split into words and appended in PascalCase, reading like a hand-written name:

* no stutter: a part that starts with the words the name ends with adds only the rest
  (`CodexTurnEvent` + `event_params` -> `CodexTurnEventParams`);
* a part that only repeats the end of the name is the data that name holds (an externally
  tagged variant `{"httpConnectionFailed": {...}}`): `CodexErrorInfoHttpConnectionFailed` +
  `httpConnectionFailed` -> `CodexErrorInfoHttpConnectionFailedData`;
* never a position or a counter: every name comes from the schema's own words.

The newest version of a schema keeps the plain name; an older version passes its version and
gets it as a suffix (`CodexTurnEventParamsV1_0_0`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Words of an identifier-ish text: acronyms, capitalised or lower-case words and numbers, so
# that `httpConnectionFailed`, `http_connection_failed` and `item/started` all split.
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

#: The word added when a part only repeats the end of the name (see the module docstring).
DATA_WORD = "Data"


def words(text: str) -> list[str]:
    """The words of `text`, each starting with a capital letter (ASCII letters and digits)."""
    return [w[:1].upper() + w[1:] for w in _WORD.findall(text)]


def _overlap(name: list[str], part: list[str]) -> int:
    """How many leading words of `part` repeat the last words of `name` (case-insensitive)."""
    lower_name = [w.lower() for w in name]
    lower_part = [w.lower() for w in part]
    for size in range(min(len(name), len(part)), 0, -1):
        if lower_name[-size:] == lower_part[:size]:
            return size
    return 0


def class_name(path: Sequence[str], version: str | None = None) -> str:
    """The class name of the model at naming path `path` (see the module docstring).

    `version` (a SchemaVer such as `1-0-0`) is given for a schema that is not the newest
    version of its name only.
    """
    name: list[str] = []
    for part in path:
        new = words(part)
        if not new:
            continue
        overlap = _overlap(name, new) if name else 0
        if overlap == len(new):
            name.append(DATA_WORD)
        else:
            name.extend(new[overlap:])
    if not name:
        raise ValueError(f"no words to name a model after: {list(path)!r}")
    if name[0][0].isdigit():
        name.insert(0, "X")
    suffix = "" if version is None else "V" + "_".join(re.findall(r"[0-9]+", version))
    return "".join(name) + suffix
