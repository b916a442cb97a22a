#!/usr/bin/env python
"""Parser accuracy on a labelled set: intent accuracy, exact lines, clarify precision/recall.

    bench/intents_accuracy.py [SET.jsonl] [--catalog CATALOG.csv] [--verbose]

Each line of the set: {"id", "from", "subject", "text", "expected": {"intent",
"lines": [{"sku", "qty"}], "clarify"}}. Exact lines compare the multiset of (sku, qty) for
messages whose expected intent carries lines (a line to clarify is compared as
(None, qty)). A *confident wrong line* is a line with a SKU and a quantity, in a message
the parser did not flag for clarification, that is not in the expected lines: the one
error that would ship the wrong goods. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intents import Parser, entries_from_csv  # noqa: E402

LINE_INTENTS = {"place_order", "check_stock", "request_quote"}


def contacts_languages() -> dict[str, str]:
    import csv

    path = ROOT / "commerce" / "demo" / "contacts.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["email"].lower(): row["language"] for row in csv.DictReader(handle)}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_argument("dataset", nargs="?", default=str(ROOT / "tests" / "data" / "intents_dev.jsonl"))
    options.add_argument("--catalog", default=str(ROOT / "commerce" / "demo" / "catalog.csv"))
    options.add_argument("--verbose", "-v", action="store_true")
    args = options.parse_args()

    parser = Parser(entries_from_csv(args.catalog))
    languages = contacts_languages()
    items = [json.loads(line) for line in Path(args.dataset).read_text(encoding="utf-8").splitlines() if line.strip()]
    intent_ok = lines_ok = lines_total = 0
    clarify = Counter()
    wrong: list[str] = []
    failures: list[str] = []
    for item in items:
        expected = item["expected"]
        intent = parser.parse(item["text"], subject=item.get("subject") or None,
                              lang_hint=languages.get((item.get("from") or "").lower()))
        got_lines = Counter((line.sku, line.qty) for line in intent.lines)
        want_lines = Counter((line.get("sku"), line.get("qty")) for line in expected.get("lines", []))
        same_intent = intent.kind.value == expected["intent"]
        intent_ok += same_intent
        line_ok = True
        if expected["intent"] in LINE_INTENTS:
            lines_total += 1
            line_ok = got_lines == want_lines
            lines_ok += line_ok
        want_clarify, got_clarify = bool(expected.get("clarify")), intent.clarify
        clarify[(want_clarify, got_clarify)] += 1
        if not got_clarify and intent.kind.value in LINE_INTENTS:
            for (sku, qty), count in got_lines.items():
                if sku and qty and want_lines[(sku, qty)] < count:
                    wrong.append(f"{item['id']}: {sku} x {qty}")
        if not (same_intent and line_ok and want_clarify == got_clarify):
            failures.append(f"{item['id']}: expected {expected['intent']} {sorted(want_lines.items(), key=str)} "
                            f"clarify={want_clarify} | got {intent.kind.value} {sorted(got_lines.items(), key=str)} "
                            f"clarify={got_clarify}\n    {item['text'][:160]!r}")
    tp, fp, fn = clarify[(True, True)], clarify[(False, True)], clarify[(True, False)]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"dataset: {args.dataset} ({len(items)} messages), catalog: {args.catalog}")
    print(f"intent accuracy:        {intent_ok / len(items):6.1%}  ({intent_ok}/{len(items)}; target >= 97%)")
    print(f"exact line accuracy:    {lines_ok / max(1, lines_total):6.1%}  ({lines_ok}/{lines_total}; target >= 95%)")
    print(f"clarify precision:      {precision:6.1%}  recall: {recall:6.1%}  (tp {tp}, fp {fp}, fn {fn})")
    print(f"confident wrong lines:  {len(wrong)}  (target 0)")
    for line in wrong:
        print(f"  wrong: {line}")
    if args.verbose:
        for failure in failures:
            print(failure)


if __name__ == "__main__":
    main()
