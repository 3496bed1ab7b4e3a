"""Accepted-line parsing, hashing and chunking (spec/reducer.md §5; upstream
accepted_lines.rs inline tests and the analytics_client_tests accepted-line tests)."""

from __future__ import annotations

import json

from codex_analytics_contract.reducer.accepted_lines import (
    CHUNK_TARGET_BYTES,
    DiffSummary,
    accepted_line_events,
    chunk_fingerprints,
    line_hash_value,
    normalize_diff_path,
    normalize_effective_line,
    parse_unified_diff,
)
from codex_analytics_contract.reducer.rust_text import (
    is_rust_alphanumeric,
    is_rust_whitespace,
    rust_lines,
    rust_split_whitespace,
    rust_trim,
)
from tests.support.hashes import line_hash
from tests.support.reducing import wire

LIB = line_hash("path", "src/lib.rs")


# --- upstream inline tests (accepted_lines.rs) -------------------------------------------


def test_parses_counts_and_effective_added_fingerprints() -> None:
    diff = (
        "diff --git a/src/lib.rs b/src/lib.rs\n"
        "index 1111111..2222222\n"
        "--- a/src/lib.rs\n"
        "+++ b/src/lib.rs\n"
        "@@ -1,3 +1,5 @@\n"
        "-old line\n"
        "+fn useful() {\n"
        "+}\n"
        "+    return user.id;\n"
        " context\n"
    )
    assert parse_unified_diff(diff) == DiffSummary(
        added=3,
        deleted=1,
        fingerprints=[
            (LIB, line_hash("line", "fn useful() {")),
            (LIB, line_hash("line", "return user.id;")),
        ],
    )


def test_skips_added_file_metadata_headers() -> None:
    diff = (
        "diff --git a/new.py b/new.py\n"
        "new file mode 100644\n"
        "index 0000000..1111111\n"
        "--- /dev/null\n"
        "+++ b/new.py\n"
        "@@ -0,0 +1 @@\n"
        "+print('hello')\n"
    )
    summary = parse_unified_diff(diff)
    assert summary.added == 1
    assert summary.deleted == 0
    assert summary.fingerprints == [
        (line_hash("path", "new.py"), line_hash("line", "print('hello')"))
    ]


def test_parses_hunk_lines_that_look_like_file_headers() -> None:
    diff = (
        "diff --git a/src/lib.rs b/src/lib.rs\n"
        "index 1111111..2222222\n"
        "--- a/src/lib.rs\n"
        "+++ b/src/lib.rs\n"
        "@@ -1,2 +1,2 @@\n"
        "--- old value\n"
        "+++ new value\n"
    )
    assert parse_unified_diff(diff) == DiffSummary(
        added=1, deleted=1, fingerprints=[(LIB, line_hash("line", "++ new value"))]
    )


# --- hashing ---------------------------------------------------------------------------


def test_line_hash_value_is_domain_separated_sha1() -> None:
    assert line_hash_value("path", "src/lib.rs") == line_hash("path", "src/lib.rs")
    assert line_hash_value("line", "fn useful() {") == line_hash("line", "fn useful() {")
    assert line_hash_value("repo", "github.com/openai/codex") == line_hash(
        "repo", "github.com/openai/codex"
    )
    assert line_hash_value("line", "x") != line_hash_value("path", "x")
    digest = line_hash_value("line", "café = 1;")
    assert digest == line_hash("line", "café = 1;")
    assert len(digest) == 40 and digest == digest.lower()


# --- edge cases ------------------------------------------------------------------------


def test_crlf_diff_matches_lf_diff() -> None:
    lf = (
        "diff --git a/src/lib.rs b/src/lib.rs\n"
        "--- a/src/lib.rs\n"
        "+++ b/src/lib.rs\n"
        "@@ -1 +1,2 @@\n"
        "-let a = 1;\n"
        "+let a = 2;\n"
        "+let b = 3;\n"
    )
    crlf = lf.replace("\n", "\r\n")
    assert parse_unified_diff(crlf) == parse_unified_diff(lf)
    assert parse_unified_diff(lf) == DiffSummary(
        added=2,
        deleted=1,
        fingerprints=[
            (LIB, line_hash("line", "let a = 2;")),
            (LIB, line_hash("line", "let b = 3;")),
        ],
    )


def test_rust_lines_semantics() -> None:
    assert rust_lines("") == []
    assert rust_lines("\n") == [""]
    assert rust_lines("a\n\nb\n") == ["a", "", "b"]
    assert rust_lines("a\r\nb") == ["a", "b"]
    # A bare CR only goes with a following LF; the final unterminated line keeps it.
    assert rust_lines("a\r\nb\r") == ["a", "b\r"]
    assert rust_lines("a\rb\n") == ["a\rb"]
    assert rust_lines("a\u2028b\x0cc\n") == ["a\u2028b\x0cc"]


def test_plus_plus_plus_and_minus_minus_minus_inside_hunk_are_content() -> None:
    diff = (
        "diff --git a/a.txt b/a.txt\n"
        "--- a/a.txt\n"
        "+++ b/a.txt\n"
        "@@ -1,3 +1,3 @@\n"
        "+++ b/other.txt\n"
        "--- a/other.txt\n"
        "+added after fake header\n"
    )
    path = line_hash("path", "a.txt")
    assert parse_unified_diff(diff) == DiffSummary(
        added=2,
        deleted=1,
        fingerprints=[
            (path, line_hash("line", "++ b/other.txt")),
            (path, line_hash("line", "added after fake header")),
        ],
    )


def test_in_hunk_flag_only_reset_by_diff_git_header() -> None:
    # Without a `diff --git` line the second file's headers are hunk content.
    diff = (
        "--- a/one.txt\n+++ b/one.txt\n@@ -1 +1 @@\n+first line\n"
        "--- a/two.txt\n+++ b/two.txt\n@@ -1 +1 @@\n+second line\n"
    )
    one = line_hash("path", "one.txt")
    assert parse_unified_diff(diff) == DiffSummary(
        added=3,
        deleted=1,
        fingerprints=[
            (one, line_hash("line", "first line")),
            (one, line_hash("line", "++ b/two.txt")),
            (one, line_hash("line", "second line")),
        ],
    )
    # With headers, each file gets its own path and the hunk flag is reset.
    with_headers = diff.replace("--- a/two.txt", "diff --git a/two.txt b/two.txt\n--- a/two.txt")
    two = line_hash("path", "two.txt")
    assert parse_unified_diff(with_headers) == DiffSummary(
        added=2,
        deleted=0,
        fingerprints=[
            (one, line_hash("line", "first line")),
            (two, line_hash("line", "second line")),
        ],
    )


def test_deletion_only_diff_emits_one_event_without_fingerprints() -> None:
    diff = (
        "diff --git a/old.py b/old.py\n"
        "deleted file mode 100644\n"
        "--- a/old.py\n"
        "+++ /dev/null\n"
        "@@ -1,2 +0,0 @@\n"
        "-print('a')\n"
        "-print('b')\n"
    )
    summary = parse_unified_diff(diff)
    assert summary == DiffSummary(added=0, deleted=2, fingerprints=[])
    events = accepted_line_events(
        summary=summary,
        turn_id="turn-1",
        thread_id="thread-1",
        model_slug="gpt-5",
        completed_at=1700000000,
        repo_hash=None,
    )
    assert [wire(e) for e in events] == [
        '{"event_type":"codex_accepted_line_fingerprints","event_params":{'
        '"event_type":"codex.accepted_line_fingerprints","turn_id":"turn-1",'
        '"thread_id":"thread-1","product_surface":"codex","model_slug":"gpt-5",'
        '"completed_at":1700000000,"repo_hash":null,"accepted_added_lines":0,'
        '"accepted_deleted_lines":2,"line_fingerprints":[]}}'
    ]


def test_added_lines_under_dev_null_path_count_without_fingerprints() -> None:
    diff = "--- a/x\n+++ /dev/null\n@@ -0,0 +1 @@\n+some real code here\n"
    assert parse_unified_diff(diff) == DiffSummary(added=1, deleted=0, fingerprints=[])


def test_empty_or_context_only_diff_emits_nothing() -> None:
    for diff in ["", "diff --git a/x b/x\nindex 1..2\n@@ -1 +1 @@\n context\n"]:
        summary = parse_unified_diff(diff)
        assert summary == DiffSummary()
        assert (
            accepted_line_events(
                summary=summary,
                turn_id="t",
                thread_id="th",
                model_slug="m",
                completed_at=1,
                repo_hash="r",
            )
            == []
        )


def test_no_newline_marker_and_metadata_lines_are_ignored() -> None:
    diff = (
        "diff --git a/a.txt b/a.txt\n"
        "old mode 100644\n"
        "new mode 100755\n"
        "index 1..2\n"
        "--- a/a.txt\n"
        "+++ b/a.txt\n"
        "@@ -1 +1 @@\n"
        "-old text line\n"
        "\\ No newline at end of file\n"
        "+new text line\n"
        "\\ No newline at end of file"
    )
    assert parse_unified_diff(diff) == DiffSummary(
        added=1,
        deleted=1,
        fingerprints=[(line_hash("path", "a.txt"), line_hash("line", "new text line"))],
    )


def test_added_lines_before_any_hunk_still_count() -> None:
    diff = "+++ b/x.py\n+value = compute()\n-removed_line\n"
    assert parse_unified_diff(diff) == DiffSummary(
        added=1,
        deleted=1,
        fingerprints=[(line_hash("path", "x.py"), line_hash("line", "value = compute()"))],
    )
    # Without any path, added lines count but are never fingerprinted.
    assert parse_unified_diff("@@ -1 +1 @@\n+value = compute()\n") == DiffSummary(
        added=1, deleted=0, fingerprints=[]
    )


def test_short_lines_are_measured_in_utf8_bytes() -> None:
    assert normalize_effective_line("}") is None
    assert normalize_effective_line("abc") is None  # 3 bytes
    assert normalize_effective_line("abcd") == "abcd"
    assert normalize_effective_line("  a   b  ") is None  # "a b" is 3 bytes
    assert normalize_effective_line(" a  bc ") == "a bc"
    assert normalize_effective_line("äb") is None  # 2 chars, 3 bytes
    assert normalize_effective_line("äö") == "äö"  # 2 chars, 4 bytes
    assert normalize_effective_line("€") is None
    assert normalize_effective_line("a€") == "a€"
    assert normalize_effective_line("") is None
    assert normalize_effective_line("    ") is None


def test_lines_without_alphanumerics_or_underscore_are_rejected() -> None:
    assert normalize_effective_line("----") is None
    assert normalize_effective_line("});  //") is None
    assert normalize_effective_line("€€€") is None
    assert normalize_effective_line("_;;;") == "_;;;"
    assert normalize_effective_line("(1);") == "(1);"
    assert normalize_effective_line("{ ½ }") == "{ ½ }"  # No (numeric)
    assert normalize_effective_line("{ Ⅻ }") == "{ Ⅻ }"  # Nl


def test_non_ascii_lines_are_fingerprinted_by_their_utf8_bytes() -> None:
    diff = "+++ b/docs/Ünïcode.md\n@@ -0,0 +1,3 @@\n+    naïve  café\n+日本語\n+ 🎉🎉 \n"
    path = line_hash("path", "docs/Ünïcode.md")
    assert parse_unified_diff(diff) == DiffSummary(
        added=3,
        deleted=0,
        fingerprints=[(path, line_hash("line", "naïve café")), (path, line_hash("line", "日本語"))],
    )


def test_rust_whitespace_is_the_unicode_white_space_property() -> None:
    # U+001C..U+001F are whitespace for Python's str.split but not for Rust.
    assert normalize_effective_line("foo\x1cbar") == "foo\x1cbar"
    assert normalize_effective_line("a\u00a0\u3000b \u2028 c\u0085") == "a b c"
    # ZWSP is not White_Space.
    assert normalize_effective_line("zero\u200bwidth") == "zero\u200bwidth"
    assert rust_split_whitespace("\t x \x0b y\x0c") == ["x", "y"]
    assert rust_trim("\u2003 a b \u205f") == "a b"
    assert rust_trim("\x1f a \x1f") == "\x1f a \x1f"
    white = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"
    assert all(is_rust_whitespace(ch) for ch in white)
    assert not any(is_rust_whitespace(ch) for ch in "\x1c\x1d\x1e\x1f\u180e\u200b\ufeff")


def test_rust_alphanumeric_includes_other_alphabetic_marks() -> None:
    # Circled letters (So) and vowel signs (Mn/Mc) are Alphabetic in Rust, not in Python.
    assert not "ⓐ".isalnum() and is_rust_alphanumeric("ⓐ")
    assert is_rust_alphanumeric("\u093e")  # DEVANAGARI VOWEL SIGN AA (Mc)
    assert is_rust_alphanumeric("\u0345")  # COMBINING GREEK YPOGEGRAMMENI (Mn)
    assert is_rust_alphanumeric("\U0001f130")  # SQUARED LATIN CAPITAL LETTER A
    assert not is_rust_alphanumeric("\u0301")  # COMBINING ACUTE ACCENT: not Other_Alphabetic
    assert not is_rust_alphanumeric("※")
    assert not is_rust_alphanumeric("_")
    assert normalize_effective_line("(ⓐ)") == "(ⓐ)"
    assert normalize_effective_line("(\u093e)") == "(\u093e)"
    assert normalize_effective_line("(\u0301)") is None
    assert normalize_effective_line("(※)") is None


def test_diff_path_normalization() -> None:
    assert normalize_diff_path(" b/src/lib.rs ") == "src/lib.rs"
    assert normalize_diff_path("a/src/lib.rs") == "src/lib.rs"
    assert normalize_diff_path("b/a/x") == "a/x"  # only one prefix is removed
    assert normalize_diff_path("/dev/null") is None
    assert normalize_diff_path(" /dev/null\t") is None
    assert normalize_diff_path("c/x") == "c/x"
    assert normalize_diff_path("b/x.txt\t2024-01-01 00:00:00") == "x.txt\t2024-01-01 00:00:00"


# --- events and chunking ---------------------------------------------------------------


def test_accepted_line_fingerprints_event_serializes_expected_shape() -> None:
    events = accepted_line_events(
        summary=DiffSummary(added=42, deleted=40, fingerprints=[]),
        turn_id="turn-1",
        thread_id="thread-1",
        model_slug="gpt-5.1-codex",
        completed_at=1710000000,
        repo_hash="repo-hash-1",
    )
    assert [wire(e) for e in events] == [
        '{"event_type":"codex_accepted_line_fingerprints","event_params":{'
        '"event_type":"codex.accepted_line_fingerprints","turn_id":"turn-1",'
        '"thread_id":"thread-1","product_surface":"codex","model_slug":"gpt-5.1-codex",'
        '"completed_at":1710000000,"repo_hash":"repo-hash-1","accepted_added_lines":42,'
        '"accepted_deleted_lines":40,"line_fingerprints":[]}}'
    ]


def test_fingerprints_serialize_as_path_hash_then_line_hash() -> None:
    summary = parse_unified_diff("+++ b/src/lib.rs\n@@ -1 +1 @@\n+fn useful() {\n")
    (event,) = accepted_line_events(
        summary=summary,
        turn_id="turn-2",
        thread_id="thread-2",
        model_slug="gpt-5",
        completed_at=5,
        repo_hash=line_hash("repo", "github.com/openai/codex"),
    )
    line = line_hash("line", "fn useful() {")
    assert wire(event["event_params"]["line_fingerprints"]) == (
        f'[{{"path_hash":"{LIB}","line_hash":"{line}"}}]'
    )
    assert event["event_params"]["repo_hash"] == line_hash("repo", "github.com/openai/codex")


def _max_items_per_chunk(item_bytes: int) -> int:
    # 1024 + n * item + (n - 1) separators <= 2 MiB
    return (CHUNK_TARGET_BYTES - 1024 + 1) // (item_bytes + 1)


def test_reducer_chunks_large_accepted_line_fingerprint_events_without_repeating_counts() -> None:
    header = (
        "diff --git a/src/lib.rs b/src/lib.rs\n"
        "index 1111111..2222222\n"
        "--- a/src/lib.rs\n"
        "+++ b/src/lib.rs\n"
        "@@ -0,0 +1,20000 @@\n"
    )
    diff = header + "".join(f"+let value_{i} = {i};\n" for i in range(20_000))
    summary = parse_unified_diff(diff)
    assert summary.added == 20_000 and summary.deleted == 0
    assert len(summary.fingerprints) == 20_000
    assert summary.fingerprints[7] == (LIB, line_hash("line", "let value_7 = 7;"))
    assert _max_items_per_chunk(112) == 18_549

    events = accepted_line_events(
        summary=summary,
        turn_id="turn-2",
        thread_id="thread-2",
        model_slug="gpt-5",
        completed_at=1700000000,
        repo_hash="hash",
    )
    assert len(events) == 2
    first, second = (e["event_params"] for e in events)
    assert len(first["line_fingerprints"]) == 18_549
    assert len(second["line_fingerprints"]) == 20_000 - 18_549
    assert (first["accepted_added_lines"], first["accepted_deleted_lines"]) == (20_000, 0)
    assert (second["accepted_added_lines"], second["accepted_deleted_lines"]) == (0, 0)
    for key in (
        "event_type",
        "turn_id",
        "thread_id",
        "product_surface",
        "model_slug",
        "completed_at",
        "repo_hash",
    ):
        assert first[key] == second[key]
    rebuilt = [
        (fp["path_hash"], fp["line_hash"])
        for params in (first, second)
        for fp in params["line_fingerprints"]
    ]
    assert rebuilt == summary.fingerprints
    for event in events:
        assert len(json.dumps(event, separators=(",", ":")).encode("utf-8")) <= CHUNK_TARGET_BYTES


def test_chunk_boundaries_follow_the_byte_budget_exactly() -> None:
    fp = ("p" * 40, "l" * 40)
    n = _max_items_per_chunk(112)
    assert [len(c) for c in chunk_fingerprints([fp] * n)] == [n]
    assert [len(c) for c in chunk_fingerprints([fp] * (n + 1))] == [n, 1]
    assert [len(c) for c in chunk_fingerprints([fp] * (2 * n + 1))] == [n, n, 1]
    assert chunk_fingerprints([]) == [[]]
    # A single oversized fingerprint still gets a chunk of its own.
    huge = ("p" * CHUNK_TARGET_BYTES, "l")
    assert [len(c) for c in chunk_fingerprints([fp, huge, fp])] == [1, 1, 1]
    # Exact fit: 1024 + cost(a) + 1 + cost(b) == 2 MiB stays in one chunk.
    a = ("p" * 40, "l" * 40)  # 112 bytes
    b_len = CHUNK_TARGET_BYTES - 1024 - 112 - 1 - 32 - 40
    b = ("p" * 40, "l" * b_len)
    assert [len(c) for c in chunk_fingerprints([a, b])] == [2]
    b_over = ("p" * 40, "l" * (b_len + 1))
    assert [len(c) for c in chunk_fingerprints([a, b_over])] == [1, 1]
