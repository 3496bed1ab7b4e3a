"""The code generator and schema-change gate of codex-analytics-contract."""
