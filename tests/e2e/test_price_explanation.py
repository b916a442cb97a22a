"""'Pourquoi ce prix ?' in the conversation: the chain of rules, in the person's language."""

from __future__ import annotations

from tests.e2e.conftest import ANNA, CLAIRE, SOPHIE


def test_a_buyer_asks_why_a_price_and_gets_the_rules_in_french(chat):
    reply = chat.say(CLAIRE, "Pourquoi ce prix pour les ramettes A4 80g ?")
    assert "Ramette" in reply and "Prix catalogue : 4,20" in reply
    assert "Remise de 10" in reply and "votre compte, la catégorie papier" in reply
    assert "list price" not in reply  # not the CLI's English


def test_the_product_of_the_latest_quote_is_the_one_asked_about(chat):
    chat.say(CLAIRE, "Pouvez-vous me faire un devis pour 2 toners HP 305 noir ?")
    reply = chat.say(CLAIRE, "Pourquoi ce prix ?")
    assert "CART-HP305-BK" in reply and "Prix net de 12,50" in reply and "votre compte, ce produit" in reply


def test_an_english_buyer_gets_the_english_explanation(chat):
    reply = chat.say(ANNA, "Why this price for the A4 paper reams?")
    assert "List price" in reply and "Prix" not in reply


def test_a_rep_asks_about_a_customer_they_name(chat):
    reply = chat.say(SOPHIE, "Pourquoi ce prix pour ACME sur les ramettes A4 ?")
    assert "ACME" in reply and "Remise de 10" in reply
    assert "Pour quel client" in chat.say(SOPHIE, "Pourquoi ce prix sur les ramettes A4 ?")
