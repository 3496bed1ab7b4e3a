"""The warehouse tables at run time: Arrow schemas.

Needs pyarrow (the `[duckdb]` extra). The tables themselves are generated
(`_generated/warehouse.py`); this module turns them into pyarrow types. The rows are
`codex_analytics_contract.rows`' (pure Python, shared with the Spark job).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pyarrow as pa

from codex_analytics_contract._generated.warehouse import ARROW_COLUMNS

_TIMESTAMP = "timestamp_us_utc"


def _arrow_type(spec: Any) -> pa.DataType:
    if isinstance(spec, str):
        if spec == _TIMESTAMP:
            return pa.timestamp("us", tz="UTC")
        factory: Callable[[], pa.DataType] = getattr(pa, spec)
        return factory()
    if spec[0] == "struct":
        return pa.struct([pa.field(n, _arrow_type(t), nullable=bool(nl)) for n, t, nl in spec[1]])
    return pa.list_(pa.field("item", _arrow_type(spec[1]), nullable=bool(spec[2])))


@cache
def arrow_schema(event_type: str) -> pa.Schema:
    """The Arrow schema of an event type's table (KeyError for an unknown type)."""
    return pa.schema(
        [pa.field(n, _arrow_type(t), nullable=bool(nl)) for n, t, nl in ARROW_COLUMNS[event_type]]
    )


#: The load columns with one value per file (the loader adds them after the rows).
PER_FILE_COLUMNS = ("_source", "_loaded_at")


@cache
def row_schema(event_type: str) -> pa.Schema:
    """The table's Arrow schema without the per-file columns: what `event_row` rows fill."""
    schema = arrow_schema(event_type)
    for name in PER_FILE_COLUMNS:
        schema = schema.remove(schema.get_field_index(name))
    return schema
