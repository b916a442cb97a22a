from __future__ import annotations

import pytest

from commerce.demo import DEMO_DIR
from intents import Parser, entries_from_csv


@pytest.fixture(scope="session")
def parser() -> Parser:
    return Parser(entries_from_csv(DEMO_DIR / "catalog.csv"))


@pytest.fixture(scope="session")
def entries():
    return {e.sku: e for e in entries_from_csv(DEMO_DIR / "catalog.csv")}


def lines(intent) -> list[tuple]:
    return [(line.sku, line.qty) for line in intent.lines]
