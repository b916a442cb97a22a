#!/usr/bin/env python
"""Parser speed, one process: load time, messages/s, p50/p99 latency, and a 50,000-product catalog.

Messages are the labelled emails of 40 words and more (about 55 on average), each parsed
against its own ~80-product catalog. In the same run a baseline pass tokenizes the same texts
with a blank spaCy tokenizer, so the ratio "parser / tokenizer" is comparable between runs on a
noisy machine; absolute figures are printed beside the targets of issue 9. Asserts nothing.

The large catalog is built from every labelled catalog: each product in many variants (a
size, a finish, a series), as a distributor's full range would list them.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FINISHES = ("standard", "pro", "eco", "premium", "renforcé", "compact", "inox", "noir", "blanc", "gris")
SERIES = ("S1", "S2", "S3", "X5", "X7", "Z2", "K4")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(parse, texts: list[str], rounds: int) -> tuple[float, list[float]]:
    latencies = []
    begin = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            parse(text)
            latencies.append(time.perf_counter() - t0)
    return time.perf_counter() - begin, latencies


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def large_catalog(sets, size: int):
    from intents.catalog import CatalogEntry

    base = [e for s in sets for e in s.catalog]
    out, n = [], 0
    while len(out) < size:
        for entry in base:
            finish, series = FINISHES[n % len(FINISHES)], SERIES[(n // len(FINISHES)) % len(SERIES)]
            length = 10 * (1 + (n // 70) % 40)
            out.append(CatalogEntry(sku=f"{entry.sku}-V{n:05d}", name=f"{entry.name} {finish} {series} {length} mm",
                                    category=entry.category, unit=entry.unit, pack_size=entry.pack_size,
                                    aliases=()))
            if len(out) >= size:
                break
        n += 1
    return out


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--rounds", type=int, default=3, help="passes over the messages")
    options.add_argument("--large", type=int, default=50_000, help="products in the large catalog (0: skip)")
    args = options.parse_args()

    start = time.perf_counter()
    from intents import Parser
    from intents.evaluation import all_sets

    sets = [s for s in all_sets() if len(s.catalog) >= 60]
    if not sets:
        sys.exit("no labelled set found (../shared/corpus or $COMPTOIR_CORPUS_DIR)")
    first = sets[0]
    parser = Parser(first.catalog)
    parser.parse("Bonjour, merci de nous livrer 3 cartons.")  # loads the intent model
    load = time.perf_counter() - start

    work = []  # (parser, texts) per catalog
    for labelled in sets:
        texts = [m["text"] for m in labelled.messages if len(m["text"].split()) >= 40]
        if texts:
            work.append((parser if labelled is first else Parser(labelled.catalog), texts))
    words = statistics.mean(len(t.split()) for _, texts in work for t in texts)
    count = sum(len(texts) for _, texts in work) * args.rounds

    import spacy

    tokenizer = spacy.blank("fr").tokenizer
    gc.collect()
    bare = sum(timed(tokenizer, texts, args.rounds)[0] for _, texts in work)
    elapsed, latencies = 0.0, []
    for p, texts in work:
        spent, lat = timed(p.parse, texts, args.rounds)
        elapsed += spent
        latencies += lat
    print(f"load (import, intent model, catalog index of {len(first.catalog)} products): {load:.2f} s (target < 2 s)")
    print(f"parser: {count / elapsed:6.0f} messages/s   p50 {statistics.median(latencies) * 1000:.2f} ms   "
          f"p99 {p99(latencies) * 1000:.2f} ms   on {count} messages of ~{words:.0f} words, "
          f"{len(work)} catalogs of ~80 products (target >= 1000/s, p99 < 10 ms)")
    print(f"baseline, blank spaCy tokenizer on the same texts: {count / bare:6.0f} messages/s   "
          f"(parser / tokenizer time: {elapsed / bare:.1f}x)")

    if args.large:
        entries = large_catalog(sets, args.large)
        gc.collect()
        before = rss_mb()
        t0 = time.perf_counter()
        big = Parser(entries)
        big.parse("Bonjour")
        build = time.perf_counter() - t0
        texts = [t for _, ts in work for t in ts]
        spent, lat = timed(big.parse, texts, 1)
        small_spent, _ = timed(parser.parse, texts, 1)
        print(f"{len(entries)} products: index built in {build:.2f} s (target < 5 s), "
              f"{len(texts) / spent:.0f} messages/s (target >= 300/s), p99 {p99(lat) * 1000:.1f} ms, "
              f"{spent / small_spent:.1f}x the time on an ~80-product catalog; "
              f"peak RSS {rss_mb():.0f} MB, {rss_mb() - before:.0f} MB for the index (target < 400 MB)")


if __name__ == "__main__":
    main()
