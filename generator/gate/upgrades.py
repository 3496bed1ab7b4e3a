"""Whether `upgrade()` can carry an event across a MODEL bump (the gate's CV006 warning).

A MODEL bump means payloads of the previous version are not valid under the new one: every
consumer reading the new version is affected. The gate says so as a warning and adds whether the
package can upgrade an event of the previous version to the new one. The answer comes from the
same function that writes the package's upgrade table (`generator.versioning.upgrade_ops`, over
the payload shapes of both versions and the migration file declared beside the new one): a step
with an `error` op is one `upgrade()` refuses with UpgradeError, so there is no upgrade.
"""

from __future__ import annotations

from pathlib import Path

from generator.bundle import Bundler
from generator.errors import GeneratorError
from generator.paths import MIGRATION_SUFFIX
from generator.schema_store import SchemaStore, load_store
from generator.versioning import PAYLOAD_KEY, load_migration, payload_shape, upgrade_ops

_STORES: dict[Path, SchemaStore] = {}


def _store(schemas: Path) -> SchemaStore:
    key = schemas.resolve()
    if key not in _STORES:
        _STORES[key] = load_store(key)
    return _STORES[key]


def upgrade_verdict(schemas: Path, prev_rel: str, rel: str) -> str:
    """One sentence: whether (and how) `upgrade()` turns a `prev_rel` payload into `rel`."""
    kind, name, file = rel.split("/", 2)
    if kind != "events":
        return (
            "upgrade() carries events only: readers of the older version need their own migration"
            if kind == "facts"
            else "a shared piece: the events that use it get versions of their own"
        )
    try:
        store = _store(schemas)
        by_version = {str(f.version): f for f in store.versions(kind, name)}
        old = by_version[prev_rel.rsplit("/", 1)[1].removesuffix(".json")]
        new = by_version[file.removesuffix(".json")]
        bundler = Bundler(store)
        key = PAYLOAD_KEY[kind]
        old_shape = payload_shape(bundler.defs, bundler.add_root(old), key)
        new_shape = payload_shape(bundler.defs, bundler.add_root(new), key)
        migration = new.path.with_name(f"{new.version}{MIGRATION_SUFFIX}")
        ops = upgrade_ops(old_shape, new_shape, load_migration(migration), f"schemas/{rel}")
    except (GeneratorError, KeyError) as exc:
        return f"whether upgrade() exists could not be worked out: {exc}"
    refused: dict[str, list[str]] = {}  # reason -> the keys it refuses
    for k, op in ops:
        if op[0] == "error":
            refused.setdefault(str(op[1]), []).append(k)
    if refused:
        why = "; ".join(
            f"{', '.join(f'`{k}`' for k in keys)}: {reason}" for reason, keys in refused.items()
        )
        return f"no upgrade: upgrade() raises UpgradeError from {old.version} ({why})"
    parts = []
    dropped = [k for k in old_shape.keys if k not in new_shape.keys]
    moved = [k for k, op in ops if op[0] in ("copy", "value")]
    nulls = [k for k, op in ops if op[0] == "null"]
    for label, keys in (("migrated", moved), ("null", nulls), ("dropped", dropped)):
        if keys:
            parts.append(f"{label}: {', '.join(f'`{k}`' for k in keys)}")
    how = f" ({'; '.join(parts)})" if parts else ""
    return f"upgrade() from {old.version} exists{how}"
