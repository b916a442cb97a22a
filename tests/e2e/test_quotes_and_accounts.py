"""Quotes (sent, in review, accepted, expired), account questions, order follow-up."""

from __future__ import annotations

from sqlalchemy import select

from commerce.persistence.database import transaction
from commerce.persistence.tables import OrderRow, QuoteRow
from tests.conftest import NOW
from tests.e2e.conftest import ANNA, CLAIRE, SOPHIE


def quotes(sessions):
    with transaction(sessions) as session:
        return list(session.scalars(select(QuoteRow).order_by(QuoteRow.id)))


def test_quote_is_numbered_priced_and_can_be_accepted(chat, sessions):
    reply = chat.say(CLAIRE, "Pouvez-vous me faire un devis pour 100 ramettes A4 et 5 classeurs 80 mm ?")
    [quote] = quotes(sessions)
    assert quote.number == "D-2026-0001" and quote.status == "sent"
    assert "D-2026-0001" in reply and "valable jusqu'au 22 décembre 2026" in reply
    assert "D-2026-0001" in chat.say(CLAIRE, "Où en est le devis D-2026-0001 ?")
    reply = chat.say(CLAIRE, "Bon pour accord sur le devis D-2026-0001")
    assert "confirmée" in reply
    [quote] = quotes(sessions)
    assert quote.status == "accepted" and quote.order_number
    with transaction(sessions) as session:
        order = session.scalars(select(OrderRow).where(OrderRow.number == quote.order_number)).one()
    assert order.total_ht == quote.total_ht


def test_an_expired_quote_cannot_be_accepted_and_a_fresh_one_is_offered(chat, sessions):
    chat.say(CLAIRE, "Pouvez-vous me faire un devis pour 100 ramettes A4 ?")
    chat.clock.advance(days=31)
    reply = chat.say(CLAIRE, "Bon pour accord sur le devis D-2026-0001")
    assert "n'était valable que jusqu'au" in reply and "D-2026-0002" in reply
    assert [q.status for q in quotes(sessions)] == ["expired", "sent"]


def test_investment_quotes_go_to_the_rep_first(chat, sessions):
    reply = chat.say(CLAIRE, "Bonjour, pourriez-vous me chiffrer 3 écrans 27 pouces ?")
    [quote] = quotes(sessions)
    assert quote.status == "to_review" and quote.review_reason == "investment"
    assert "vérifie" in reply
    review = chat.mail_to(SOPHIE)[-1]
    assert quote.number in review.subject
    assert "c'est noté" in chat.say(SOPHIE, f"je valide le devis {quote.number}").lower()
    assert quotes(sessions)[0].status == "sent"
    assert quote.number in chat.mail_to(CLAIRE)[-1].subject


def test_encours_tier_and_distance_to_the_next_tier(chat, sessions):
    reply = chat.say(CLAIRE, "Quel est notre encours ?")
    assert "Encours actuel" in reply and "limite de crédit de 20\u202f000,00\u00a0€" in reply
    assert "Argent" in reply and "pour passer au palier Or" in reply


def test_english_account_answer(chat, sessions):
    reply = chat.say(ANNA, "What's our outstanding balance and credit limit?")
    assert "€12,000.00" in reply


def test_order_status_follow_up(chat, sessions):
    chat.say(CLAIRE, "Merci de nous livrer 10 cartouches HP 305 noir")
    with transaction(sessions) as session:
        number = session.scalars(select(OrderRow.number).where(OrderRow.placed_by == CLAIRE)).one()
    reply = chat.say(CLAIRE, f"Où en est notre commande {number} ?")
    assert number in reply and "confirmée" in reply


def test_a_quote_beyond_the_stock_says_so_when_it_is_issued(chat, sessions):
    from datetime import date

    from tests.e2e.conftest import set_stock

    set_stock(sessions, "PAP-A4-80", 40, incoming=100, incoming_date=date(2026, 12, 10))
    reply = chat.say(CLAIRE, "Pouvez-vous me faire un devis pour 100 ramettes A4 ?")
    assert "D-2026-0001" in reply
    assert "40 sur 100 disponibles tout de suite, 60 en précommande (arrivage prévu le 10 décembre 2026)" in reply
    enough = chat.say(CLAIRE, "Et un devis pour 5 classeurs 80 mm ?", thread="test:other")
    assert "Disponibilité" not in enough  # nothing to say when the stock covers it


def test_a_quote_goes_through_the_checks_of_an_order_and_says_what_it_changed(chat, sessions):
    reply = chat.say(CLAIRE, "Pouvez-vous me faire un devis pour 3 stylos bille bleus et 80 boîtes de gants nitrile M ?")
    with transaction(sessions) as session:
        [quote] = session.scalars(select(QuoteRow)).all()
        assert {(ln.sku, ln.qty) for ln in quote.lines} == {("STY-BIC-BL", 10), ("GANT-NIT-M", 50)}
    assert "se commande par 10 pièce minimum : le devis en compte 10 (vous en demandiez 3)" in reply
    assert "il vous reste 50" in reply and "vous en demandiez 80" in reply


def test_an_accepted_quote_is_linked_to_its_order_and_cannot_be_accepted_twice(chat, sessions):
    chat.say(CLAIRE, "Pouvez-vous me faire un devis pour 100 ramettes A4 ?")
    chat.say(CLAIRE, "Bon pour accord sur le devis D-2026-0001")
    again = chat.say(CLAIRE, "Bon pour accord sur le devis D-2026-0001")
    [quote] = quotes(sessions)
    with transaction(sessions) as session:
        orders = session.scalars(select(OrderRow).where(OrderRow.number == quote.order_number)).all()
        count = len(session.scalars(select(OrderRow).where(OrderRow.customer_id == "ACME",
                                                           OrderRow.created_at >= NOW)).all())
    assert quote.status == "accepted" and len(orders) == 1 and count == 1
    assert quote.order_number in again
