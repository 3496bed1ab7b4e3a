"""The fast path beside the typed path: decode and encode the event corpora.

Decoding: (a) orjson.loads (the floor), (c) parse_event (typed), (f) fast.decode_event (msgspec
Structs); encoding: (e) orjson.dumps of the same dicts, (d) serialize_event, (g)
fast.encode_event. Targets: (f) >= 0.9x of (a); (g) >= 0.5x of (e). Same corpora as
events_bench ("sessions": what the reducer emits; "examples": every valid example of the newest
versions round-robin) and "mixed": every valid example of every version round-robin (about
three in four lines of an older version). On it, (h) is the ceiling of any version-detecting
decoder: msgspec told each line's version, one decode per line.
"""

from __future__ import annotations

import msgspec
import orjson

from benchmarks import events_bench
from benchmarks.timing import compare, table
from codex_analytics_contract import fast, parse_event, serialize_event

DECODE_TARGET = 0.9
ENCODE_TARGET = 0.5


def run(size: int = 100_000, repeats: int = 5) -> tuple[str, dict[str, float]]:
    texts: list[str] = []
    ratios: dict[str, float] = {}
    corpora = {
        "sessions": events_bench.session_corpus(size),
        "examples": events_bench.corpus(size),
        "mixed": events_bench.corpus(size, every_version=True),
    }
    for label, lines in corpora.items():
        text, found = run_corpus(label, lines, repeats)
        texts.append(text)
        ratios.update({f"{k}[{label}]": v for k, v in found.items()})
    return "\n\n".join(texts), ratios


def run_corpus(label: str, lines: list[bytes], repeats: int) -> tuple[str, dict[str, float]]:
    size = len(lines)
    dicts = [orjson.loads(line) for line in lines]
    models = [parse_event(line) for line in lines]
    structs = [fast.decode_event(line) for line in lines]
    assert [fast.encode_event(s) for s in structs] == [serialize_event(m) for m in models]

    def loads() -> None:
        for line in lines:
            orjson.loads(line)

    def parse() -> None:
        for line in lines:
            parse_event(line)

    def decode() -> None:
        for line in lines:
            fast.decode_event(line)

    known = [(msgspec.json.Decoder(type(s)), line) for s, line in zip(structs, lines, strict=True)]

    def decode_known() -> None:
        for decoder, line in known:
            decoder.decode(line)

    def dumps() -> None:
        for d in dicts:
            orjson.dumps(d)

    def serialize() -> None:
        for model in models:
            serialize_event(model)

    def encode() -> None:
        for struct in structs:
            fast.encode_event(struct)

    decoding = compare(
        ("(a) orjson.loads", size, loads),
        [("(c) parse_event", size, parse), ("(f) fast.decode_event", size, decode)]
        + ([("(h) msgspec, version known", size, decode_known)] if label == "mixed" else []),
        repeats,
    )
    encoding = compare(
        ("(e) orjson.dumps", size, dumps),
        [("(d) serialize_event", size, serialize), ("(g) fast.encode_event", size, encode)],
        repeats,
    )
    ratios = {"decode_vs_loads": decoding[2].ratio, "encode_vs_dumps": encoding[2].ratio}
    text = table(decoding, f"Fast path, decoding, corpus '{label}': {size:,} events")
    text += "\n\n" + table(encoding, f"Fast path, encoding the same events ('{label}')")
    text += (
        f"\n\n[{label}] fast.decode_event / orjson.loads = {ratios['decode_vs_loads']:.3f}x "
        f"(target >= {DECODE_TARGET}x; parse_event: {decoding[1].ratio:.3f}x)"
        f"\n[{label}] fast.encode_event / orjson.dumps = {ratios['encode_vs_dumps']:.3f}x "
        f"(target >= {ENCODE_TARGET}x; serialize_event: {encoding[1].ratio:.3f}x)"
    )
    return text, ratios


def met(ratios: dict[str, float], corpus: str) -> bool:
    return (
        ratios[f"decode_vs_loads[{corpus}]"] >= DECODE_TARGET
        and ratios[f"encode_vs_dumps[{corpus}]"] >= ENCODE_TARGET
    )
