"""The labelled sets are consistent, and the parser keeps its promises on them.

The figures themselves are printed by bench/intents_accuracy.py; here we only guard the
floor: no confident wrong line (the error that ships the wrong goods) and the targets.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from intents import entries_from_csv

ROOT = Path(__file__).resolve().parents[3]
SETS = [
    (ROOT / "tests" / "data" / "intents_dev.jsonl", ROOT / "commerce" / "demo" / "catalog.csv"),
    (ROOT / "tests" / "data" / "intents_alt.jsonl", ROOT / "tests" / "data" / "alt_catalog.csv"),
]
INTENTS = {"place_order", "check_stock", "request_quote", "check_encours", "quote_status", "accept_quote",
           "order_status", "none"}


@pytest.mark.parametrize(("dataset", "catalog"), SETS)
def test_dataset_is_consistent(dataset, catalog):
    skus = {e.sku for e in entries_from_csv(catalog)}
    items = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        expected = item["expected"]
        assert expected["intent"] in INTENTS, item["id"]
        for line in expected["lines"]:
            assert line["sku"] is None or line["sku"] in skus, item["id"]
            for sku in line.get("candidates", []):
                assert sku in skus, item["id"]
            if expected["intent"] in ("place_order", "request_quote") and (line["sku"] is None or line["qty"] is None):
                assert expected["clarify"], item["id"]
    if dataset.name == "intents_dev.jsonl":
        languages = Counter(i["lang"] for i in items)
        assert len(items) >= 200 and 0.55 <= languages["fr"] / len(items) <= 0.65


@pytest.mark.parametrize(("dataset", "catalog"), SETS)
def test_parser_meets_its_targets(dataset, catalog):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "intents_accuracy.py"), str(dataset),
                             "--catalog", str(catalog)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    import re

    figures = dict(re.findall(r"^([a-z ]+):\s+([\d.]+)%", result.stdout, re.M))
    assert float(figures["intent accuracy"]) >= 97.0, result.stdout
    assert float(figures["exact line accuracy"]) >= 95.0, result.stdout
    assert "confident wrong lines:  0" in result.stdout, result.stdout
