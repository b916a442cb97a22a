#!/usr/bin/env python
"""Messages per second through Assistant.handle (parse + price + persist + outbox).

Runs the same mix of buyer messages (orders, stock questions, account questions, in
French and English) through the whole assistant on SQLite and on PostgreSQL, and, in the
same run, through the bare parser, so the ratio says what persistence and commerce cost
on top of understanding the message. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.clock import FixedClock
from assistant.config import Settings
from assistant.core import Assistant
from assistant.messages import InboundMessage
from bench._setup import NOW, demo_database
from commerce.persistence.database import transaction

MIX = [
    ("claire.martin@acme-industries.fr", "Bonjour,\nMerci de nous livrer 10 cartouches HP 305 noir et 5 classeurs "
     "à levier 80 mm.\nCordialement,\nClaire Martin\nService achats - ACME Industries\nTél. 01 23 45 67 89"),
    ("claire.martin@acme-industries.fr", "Avez-vous 200 ramettes A4 en stock ? Nous en aurions besoin avant le "
     "15/12. Merci"),
    ("nadia.benali@batipro.fr", "Bonjour, il nous faut 20 paires de lunettes de protection et 12 boîtes de gants "
     "nitrile taille L pour le chantier de Lyon. Merci d'avance. Nadia"),
    ("anna.schmidt@hansa-logistik.de", "Hi, please deliver 50 medium shipping boxes and 12 rolls of packing tape. "
     "Best regards, Anna Schmidt, Hansa Logistik GmbH"),
    ("isabelle.faure@clinique-lilas.fr", "Quel est notre encours à ce jour ? Et combien nous manque-t-il pour "
     "passer au palier supérieur ?"),
    ("anna.schmidt@hansa-logistik.de", "Do you have 30 boxes of FFP2 masks in stock? Thanks"),
]


def run_assistant(kind: str, count: int) -> tuple[float, float]:
    with demo_database(kind) as db:
        clock = FixedClock(NOW)
        assistant = Assistant(db, settings=Settings(database_url="bench"), clock=clock)
        for sender, text in MIX:  # warm-up: parser model, catalog index, connections
            assistant.handle(InboundMessage("bench", sender, f"warm-{sender}-{hash(text)}", f"w:{sender}", text, NOW))
        latencies = []
        start = time.perf_counter()
        for index, (sender, text) in zip(range(count), itertools.cycle(MIX), strict=False):
            t0 = time.perf_counter()
            result = assistant.handle(InboundMessage("bench", sender, f"m{index}", f"t:{index}", text, NOW))
            latencies.append(time.perf_counter() - t0)
            if result.status != "processed":
                raise SystemExit(f"message {index} ended {result.status}")
        elapsed = time.perf_counter() - start
        with transaction(db.sessions):
            pass
        return count / elapsed, statistics.median(latencies) * 1000


def run_parser(count: int) -> float:
    from assistant.catalog_index import CatalogIndex

    with demo_database("sqlite") as db, transaction(db.sessions) as session:
        parser = CatalogIndex().parser(session)
    for _, text in MIX:
        parser.parse(text)
    start = time.perf_counter()
    for _index, (_, text) in zip(range(count), itertools.cycle(MIX), strict=False):
        parser.parse(text)
    return count / (time.perf_counter() - start)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--messages", type=int, default=600)
    options.add_argument("--no-postgres", action="store_true")
    args = options.parse_args()
    bare = run_parser(args.messages)
    print(f"bare parser:                 {bare:8.1f} messages/s")
    kinds = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])
    for kind in kinds:
        rate, p50 = run_assistant(kind, args.messages)
        print(f"Assistant.handle {kind:<11}: {rate:8.1f} messages/s (p50 {p50:.1f} ms), "
              f"{bare / rate:.1f}x slower than the bare parser")


if __name__ == "__main__":
    main()
