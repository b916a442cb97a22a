#!/usr/bin/env python
"""Held-out accuracy of the parser: leave one labelled set out, train the intent model on the
others, score the one left out; repeat for every set, print one table and the mean.

    bench/intents_accuracy.py [--only NAME[,NAME]] [--failures NAME] [--seed 7]

Scoring follows the corpus rules (see intents/evaluation.py): intent exact; lines as a
multiset of (sku, qty), lines without a SKU left out; clarify precision/recall; our own
quote/order reference; and *confident wrong orders*, a place_order asked nothing about that
carries a line nobody wrote. The corpora are read from ../shared/corpus (or
$COMPTOIR_CORPUS_DIR), our own sets from tests/data/. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_argument("--only", help="score these sets only (comma-separated names)")
    options.add_argument("--failures", help="print the failures of this set (one you are allowed to study)")
    options.add_argument("--seed", type=int, default=7)
    args = options.parse_args()

    from intents.evaluation import all_sets, leave_one_out, table

    sets = all_sets()
    if not any(s.corpus for s in sets):
        print("note: no shared corpus found (../shared/corpus or $COMPTOIR_CORPUS_DIR): our own sets only")
    names = args.only.split(",") if args.only else None
    start = time.perf_counter()
    results = leave_one_out(sets, held_out=names, seed=args.seed, keep_failures=bool(args.failures))
    print(table(results, sets))
    print(f"({time.perf_counter() - start:.0f} s; each row scored by a model that never saw that set)")
    for result in results:
        if result.name == args.failures:
            for failure in result.failures:
                print(failure)
            for wrong in result.wrong_orders:
                print("WRONG ORDER", wrong)


if __name__ == "__main__":
    main()
