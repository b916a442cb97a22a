"""Whole conversations through Assistant.handle on the demo data, on both databases."""

from __future__ import annotations

import pytest

from commerce.demo import load_demo
from commerce.persistence.database import transaction
from commerce.persistence.tables import StockRow
from tests.conftest import NOW
from tests.fakes import Conversation, make_assistant

CLAIRE = "claire.martin@acme-industries.fr"  # ACME buyer
JULIEN = "julien.roux@acme-industries.fr"  # ACME requester
PIERRE = "pierre.durand@acme-industries.fr"  # ACME approver
SOPHIE = "sophie.bernard@comptoir-distribution.fr"  # sales rep of ACME
PAUL = "paul.martin@boulangerie-martin.fr"  # MARTIN buyer (small credit limit)
ANNA = "anna.schmidt@hansa-logistik.de"  # HANSALOG buyer, writes in English


@pytest.fixture
def chat(engine, sessions):
    with transaction(sessions) as session:
        load_demo(session, now=NOW)
    assistant, clock = make_assistant(engine, NOW)
    return Conversation(assistant, clock)


def set_stock(sessions, sku, on_hand, *, incoming=0, incoming_date=None):
    with transaction(sessions) as session:
        row = session.get(StockRow, sku)
        row.on_hand, row.reserved, row.preordered, row.alert_level = on_hand, 0, 0, 0
        row.incoming_qty, row.incoming_date = incoming, incoming_date
