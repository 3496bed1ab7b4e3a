"""Rust string semantics the reducer helpers must reproduce exactly.

Python's own ``str.split()``, ``str.strip()``, ``str.isalnum()`` and ``str.splitlines()``
differ from Rust's ``split_whitespace``, ``trim``, ``char::is_alphanumeric`` and ``lines``:

* Rust whitespace is the Unicode ``White_Space`` property (25 code points). Python also treats
  U+001C..U+001F as whitespace; those are *not* whitespace here.
* Rust ``char::is_alphanumeric`` is ``Alphabetic || Numeric``: general categories
  Lu/Ll/Lt/Lm/Lo/Nl/Nd/No plus the ``Other_Alphabetic`` property (mostly combining vowel signs
  and a few circled/squared Latin letters). Python's ``isalnum`` misses ``Other_Alphabetic``.
* Rust ``str::lines`` splits only on ``\\n``; one ``\\r`` is removed only when it directly
  precedes that ``\\n``; a final empty line is not produced. Python ``splitlines`` also splits
  on ``\\r``, U+2028, form feed, etc.

Approximation (documented): general categories come from this Python's ``unicodedata``
(Unicode 14.0 on CPython 3.11) while the ``Other_Alphabetic`` table below is taken from
PropList 17.0. A Rust toolchain on a newer Unicode version will also treat letters/digits
assigned after Unicode 14 as alphanumeric; this module does not. Only lines made exclusively
of such newly assigned characters plus punctuation could be judged differently.
"""

from __future__ import annotations

import bisect
import unicodedata

__all__ = [
    "is_rust_alphanumeric",
    "is_rust_whitespace",
    "rust_lines",
    "rust_split_whitespace",
    "rust_trim",
    "rust_trim_end",
    "rust_trim_start",
]

_WHITE_SPACE: frozenset[str] = frozenset(
    [chr(c) for c in range(0x09, 0x0E)]
    + [" ", "\u0085", "\u00a0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
)

# Other_Alphabetic (PropList-17.0.0), adjacent ranges merged. "A" or "A-B" in hex.
_OTHER_ALPHABETIC_SPEC = """
0345 0363-036F 05B0-05BD 05BF 05C1-05C2 05C4-05C5 05C7 0610-061A 064B-0657 0659-065F 0670
06D6-06DC 06E1-06E4 06E7-06E8 06ED 0711 0730-073F 07A6-07B0 0816-0817 081B-0823 0825-0827
0829-082C 0897 08D4-08DF 08E3-08E9 08F0-0903 093A-093B 093E-094C 094E-094F 0955-0957
0962-0963 0981-0983 09BE-09C4 09C7-09C8 09CB-09CC 09D7 09E2-09E3 0A01-0A03 0A3E-0A42
0A47-0A48 0A4B-0A4C 0A51 0A70-0A71 0A75 0A81-0A83 0ABE-0AC5 0AC7-0AC9 0ACB-0ACC 0AE2-0AE3
0AFA-0AFC 0B01-0B03 0B3E-0B44 0B47-0B48 0B4B-0B4C 0B56-0B57 0B62-0B63 0B82 0BBE-0BC2
0BC6-0BC8 0BCA-0BCC 0BD7 0C00-0C04 0C3E-0C44 0C46-0C48 0C4A-0C4C 0C55-0C56 0C62-0C63
0C81-0C83 0CBE-0CC4 0CC6-0CC8 0CCA-0CCC 0CD5-0CD6 0CE2-0CE3 0CF3 0D00-0D03 0D3E-0D44
0D46-0D48 0D4A-0D4C 0D57 0D62-0D63 0D81-0D83 0DCF-0DD4 0DD6 0DD8-0DDF 0DF2-0DF3 0E31
0E34-0E3A 0E4D 0EB1 0EB4-0EB9 0EBB-0EBC 0ECD 0F71-0F83 0F8D-0F97 0F99-0FBC 102B-1036 1038
103B-103E 1056-1059 105E-1060 1062-1064 1067-106D 1071-1074 1082-108D 108F 109A-109D
1712-1713 1732-1733 1752-1753 1772-1773 17B6-17C8 1885-1886 18A9 1920-192B 1930-1938
1A17-1A1B 1A55-1A5E 1A61-1A74 1ABF-1AC0 1ACC-1ACE 1B00-1B04 1B35-1B43 1B80-1B82 1BA1-1BA9
1BAC-1BAD 1BE7-1BF1 1C24-1C36 1DD3-1DF4 24B6-24E9 2DE0-2DFF A674-A67B A69E-A69F A802 A80B
A823-A827 A880-A881 A8B4-A8C3 A8C5 A8FF A926-A92A A947-A952 A980-A983 A9B4-A9BF A9E5
AA29-AA36 AA43 AA4C-AA4D AA7B-AA7D AAB0 AAB2-AAB4 AAB7-AAB8 AABE AAEB-AAEF AAF5 ABE3-ABEA
FB1E 10376-1037A 10A01-10A03 10A05-10A06 10A0C-10A0F 10D24-10D27 10D69 10EAB-10EAC
10EFA-10EFC 11000-11002 11038-11045 11073-11074 11080-11082 110B0-110B8 110C2 11100-11102
11127-11132 11145-11146 11180-11182 111B3-111BF 111CE-111CF 1122C-11234 11237 1123E 11241
112DF-112E8 11300-11303 1133E-11344 11347-11348 1134B-1134C 11357 11362-11363 113B8-113C0
113C2 113C5 113C7-113CA 113CC-113CD 11435-11441 11443-11445 114B0-114C1 115AF-115B5
115B8-115BE 115DC-115DD 11630-1163E 11640 116AB-116B5 1171D-1172A 1182C-11838 11930-11935
11937-11938 1193B-1193C 11940 11942 119D1-119D7 119DA-119DF 119E4 11A01-11A0A 11A35-11A39
11A3B-11A3E 11A51-11A5B 11A8A-11A97 11B60-11B67 11C2F-11C36 11C38-11C3E 11C92-11CA7
11CA9-11CB6 11D31-11D36 11D3A 11D3C-11D3D 11D3F-11D41 11D43 11D47 11D8A-11D8E 11D90-11D91
11D93-11D96 11EF3-11EF6 11F00-11F01 11F03 11F34-11F3A 11F3E-11F40 1611E-1612E 16F4F
16F51-16F87 16F8F-16F92 16FF0-16FF1 1BC9E 1E000-1E006 1E008-1E018 1E01B-1E021 1E023-1E024
1E026-1E02A 1E08F 1E6E3 1E6E6 1E6EE-1E6EF 1E6F5 1E947 1F130-1F149 1F150-1F169 1F170-1F189
"""


def _parse_ranges(spec: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for token in spec.split():
        low, _, high = token.partition("-")
        starts.append(int(low, 16))
        ends.append(int(high or low, 16))
    return starts, ends


_OA_STARTS, _OA_ENDS = _parse_ranges(_OTHER_ALPHABETIC_SPEC)
_ALNUM_CATEGORIES: frozenset[str] = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Nd", "No"})


def _is_other_alphabetic(code: int) -> bool:
    index = bisect.bisect_right(_OA_STARTS, code) - 1
    return index >= 0 and code <= _OA_ENDS[index]


def is_rust_whitespace(ch: str) -> bool:
    """Rust ``char::is_whitespace`` (Unicode White_Space)."""
    return ch in _WHITE_SPACE


def is_rust_alphanumeric(ch: str) -> bool:
    """Rust ``char::is_alphanumeric`` (Alphabetic or Numeric), see module notes."""
    if ch < "\x80":
        return ch.isascii() and ch.isalnum()
    if unicodedata.category(ch) in _ALNUM_CATEGORIES:
        return True
    return _is_other_alphabetic(ord(ch))


def rust_split_whitespace(text: str) -> list[str]:
    """Rust ``str::split_whitespace``: non-empty runs between White_Space characters."""
    words: list[str] = []
    start = -1
    for index, ch in enumerate(text):
        if ch in _WHITE_SPACE:
            if start >= 0:
                words.append(text[start:index])
                start = -1
        elif start < 0:
            start = index
    if start >= 0:
        words.append(text[start:])
    return words


_WHITE_SPACE_CHARS = "".join(sorted(_WHITE_SPACE))


def rust_trim(text: str) -> str:
    """Rust ``str::trim`` (White_Space on both ends)."""
    return text.strip(_WHITE_SPACE_CHARS)


def rust_trim_start(text: str) -> str:
    return text.lstrip(_WHITE_SPACE_CHARS)


def rust_trim_end(text: str) -> str:
    return text.rstrip(_WHITE_SPACE_CHARS)


def rust_lines(text: str) -> list[str]:
    """Rust ``str::lines``: split on ``\\n``; drop one ``\\r`` right before each ``\\n``."""
    if not text:
        return []
    pieces = text.split("\n")
    trailing_newline = pieces[-1] == ""
    if trailing_newline:
        pieces.pop()
    if "\r" not in text:
        return pieces
    lines: list[str] = []
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        terminated = index < last or trailing_newline
        if terminated and piece.endswith("\r"):
            piece = piece[:-1]
        lines.append(piece)
    return lines
