"""templates/templates.yaml: the one map of every file the generator writes.

Each target is one of four kinds (see the comment at the top of templates.yaml):

* `template` (the default): one Jinja2 template below templates/, optionally once per item of
  a context collection (`for_each`);
* `models`: the pydantic models (datamodel-code-generator over the bundled schemas);
* `copy`: every file matching `glob` below the folder `from`, to the same relative path below
  `output`;
* `render`: every template matching `glob` below `from`, rendered with the same context (and
  templates/ to include from), written below `output` without its `.j2`.

`load_targets` reads and checks the map; `target_outputs` lists what one target writes (except
`models`, which the caller makes from the bundle), with the source file of each copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from generator.errors import GeneratorError, shown
from generator.paths import ROOT
from generator.render import TemplateError, environment, render

TARGETS_FILE = "templates.yaml"
# The keys each kind of target takes (`kind` itself aside); all are required but `for_each`.
_KEYS: dict[str, tuple[str, ...]] = {
    "template": ("template", "output", "for_each"),
    "models": ("output", "bundle"),
    "copy": ("from", "glob", "output"),
    "render": ("from", "glob", "output"),
}
_OPTIONAL = frozenset({"for_each", "bundle"})
BUNDLES = ("newest", "history")


@dataclass(frozen=True)
class Target:
    kind: str  # "template" | "models" | "copy" | "render"
    output: str  # a file (template, models) or a folder (copy, render); {name} for for_each
    template: str = ""  # template: below templates/
    for_each: str | None = None  # template: a context collection (events, facts)
    source: str = ""  # copy, render: a folder relative to the repository root (`from`)
    glob: str = ""  # copy, render: which files below `source`
    origin: str = ""  # where it is defined, for errors: "templates/templates.yaml: target 3"
    bundle: str = "newest"  # models: the newest versions, or every older version (history)


def load_targets(templates: Path) -> list[Target]:
    """The targets of `templates`/templates.yaml, checked (a GeneratorError names the problem)."""
    path = templates / TARGETS_FILE
    where = shown(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GeneratorError(f"{where}: cannot read the targets: {_one_line(exc)}") from None
    items = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise GeneratorError(f"{where}: expected a mapping with a non-empty list `targets`")
    return [_target(where, number, raw) for number, raw in enumerate(items, start=1)]


def _target(where: str, number: int, raw: Any) -> Target:
    here = f"{where}: target {number}"
    if not isinstance(raw, dict):
        raise GeneratorError(f"{here}: expected a mapping, got {raw!r}")
    kind = raw.get("kind", "template")
    if kind not in _KEYS:
        raise GeneratorError(f"{here}: unknown kind {kind!r} (known: {', '.join(_KEYS)})")
    allowed = set(_KEYS[kind])
    unknown = sorted(set(raw) - allowed - {"kind"})
    if unknown:
        raise GeneratorError(f"{here}: a {kind} target has no keys {unknown}")
    missing = sorted(k for k in allowed - _OPTIONAL if k not in raw)
    if missing:
        raise GeneratorError(f"{here}: a {kind} target needs the keys {missing}")
    values = {k: raw[k] for k in allowed if k in raw}
    for key, value in values.items():
        if not isinstance(value, str) or not value:
            raise GeneratorError(f"{here}: `{key}` must be a non-empty string, got {value!r}")
    bundle = values.get("bundle", "newest")
    if bundle not in BUNDLES:
        raise GeneratorError(f"{here}: `bundle` is one of {', '.join(BUNDLES)}, got {bundle!r}")
    return Target(
        kind=kind,
        bundle=bundle,
        output=values["output"],
        template=values.get("template", ""),
        for_each=values.get("for_each"),
        source=values.get("from", ""),
        glob=values.get("glob", ""),
        origin=here,
    )


def target_outputs(
    target: Target, context: Mapping[str, Any], templates: Path
) -> Iterator[tuple[str, bytes, str]]:
    """(output path relative to the repository root, content, the source file of a copy or "")
    for every file `target` writes (`models` targets are made by the caller)."""
    if target.kind == "template":
        env = environment(templates, python=target.template.endswith(".py.j2"))
        if target.for_each is not None and target.for_each not in context:
            raise GeneratorError(f"{target.origin}: no collection {target.for_each!r} to loop over")
        items: list[Any] = [None] if target.for_each is None else list(context[target.for_each])
        for item in items:
            local = dict(context) if item is None else {**context, "item": item}
            name = getattr(item, "name", "")
            try:
                text = render(env, target.template, local)
            except TemplateError as exc:
                raise TemplateError(f"{exc} (rendering {name})" if name else str(exc)) from None
            yield target.output.format(name=name), text.encode(), ""
    elif target.kind == "copy":
        for src in _sources(target):
            yield _below(target, src), src.read_bytes(), src.relative_to(ROOT).as_posix()
    elif target.kind == "render":
        env = environment(templates, python=False)
        env.loader = jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(ROOT / target.source)), env.loader]  # type: ignore[list-item]
        )
        for src in _sources(target):
            name = src.relative_to(ROOT / target.source).as_posix()
            out = _below(target, src).removesuffix(".j2")
            yield out, render(env, name, context).encode(), ""
    else:
        raise GeneratorError(f"{target.origin}: a {target.kind} target is made by the caller")


def _sources(target: Target) -> list[Path]:
    base = ROOT / target.source
    if not base.is_dir():
        raise GeneratorError(f"{target.origin}: `from: {target.source}` is not a folder")
    found = []
    for path in sorted(base.glob(target.glob)):
        if path.is_symlink() or not path.resolve().is_relative_to(base.resolve()):
            raise GeneratorError(
                f"{shown(path)}: a symbolic link or a path outside {target.source}/ is never copied"
            )
        if path.is_file():
            found.append(path)
    return found


def _below(target: Target, src: Path) -> str:
    return f"{target.output}/{src.relative_to(ROOT / target.source).as_posix()}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
