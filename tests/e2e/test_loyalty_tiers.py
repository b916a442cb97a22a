"""Loyalty tiers are data: imported, named in French and English, and their discount is priced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commerce.importing import ImportRejected, import_csv
from commerce.persistence import catalog_store
from commerce.persistence.database import transaction
from tests.conftest import NOW
from tests.e2e.conftest import ANNA, CLAIRE
from tests.factories import write_csv

HEADER = "name,threshold_ht,discount_pct,benefit,name_en,benefit_en"
LADDER = ["Débutant,0,0,Tarifs contractuels,Starter,Contract prices",
          "Argent,5000,3,Remise fidélité 3 %,Silver,3 % loyalty discount",
          "Or,50000,5,Remise fidélité 5 %,Gold,5 % loyalty discount"]


def import_ladder(sessions, tmp_path, rows=LADDER):
    with transaction(sessions) as session:
        return import_csv(session, "tiers", write_csv(tmp_path / "tiers.csv", HEADER, rows), now=NOW)


def test_an_imported_ladder_names_the_tiers_in_each_language(chat, sessions, tmp_path):
    import_ladder(sessions, tmp_path)
    assert "Statut fidélité : Argent (Remise fidélité 3 %)" in chat.say(CLAIRE, "Quel est notre encours ?")
    english = chat.say(ANNA, "What is our current balance?")
    assert "Loyalty tier: Starter (Contract prices)" in english and "Silver" in english


def test_a_tiers_discount_applies_on_top_of_the_net_price_and_is_explained(chat, sessions, tmp_path):
    with transaction(sessions) as session:
        customer = catalog_store.get_customer(session, "ACME")
        product = catalog_store.get_product(session, "PAP-A4-80")
        before = catalog_store.terms_for(session, customer, NOW.date()).unit_price(product, 1).unit_price_ht
    import_ladder(sessions, tmp_path)
    with transaction(sessions) as session:
        price = catalog_store.terms_for(session, customer, NOW.date()).unit_price(product, 1)
    assert price.unit_price_ht == (before * Decimal("0.97")).quantize(Decimal("0.01"))
    assert price.explain[-1].startswith("loyalty Silver 3 %")
    reply = chat.say(CLAIRE, "Pourquoi ce prix pour les ramettes A4 80g ?")
    assert "Remise fidélité Argent de 3" in reply


def test_a_ladder_is_replaced_whole_and_needs_a_first_tier_from_zero(sessions, tmp_path):
    import_ladder(sessions, tmp_path)
    report = import_ladder(sessions, tmp_path, ["Standard,0,0,,Standard,", "Premium,10000,2,,Premium,"])
    assert (report.inserted, report.updated) == (2, 0)  # Débutant, Argent and Or are gone
    with transaction(sessions) as session:
        assert [t.name for t in catalog_store.loyalty_tiers(session)] == ["Standard", "Premium"]
    with pytest.raises(ImportRejected) as rejected:
        import_ladder(sessions, tmp_path, ["Premium,10000,2,,Premium,"])
    assert "first tier from threshold_ht 0" in rejected.value.report.errors[0].reason
