"""Ordering conversations: confirmation, clarification, pre-order, credit hold, duplicates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assistant.tables import AuditRow
from commerce.persistence import orders_store, stock_store
from commerce.persistence.database import transaction
from commerce.persistence.tables import OrderRow, ReservationRow
from tests.e2e.conftest import ANNA, CLAIRE, PAUL, SOPHIE, set_stock


def orders_of(sessions, customer_id):
    with transaction(sessions) as session:
        return list(session.scalars(select(OrderRow).options(selectinload(OrderRow.lines))
                                    .where(OrderRow.customer_id == customer_id)
                                    .where(OrderRow.placed_by != "demo").order_by(OrderRow.id)))


def test_a_clear_order_is_confirmed_priced_with_vat_and_reserved(chat, sessions):
    before = stock_store_figures(sessions, "CART-HP305-BK")
    reply = chat.say(CLAIRE, "Bonjour, merci de nous livrer 10 cartouches HP 305 noir. Cordialement, Claire")
    assert "C-2026-" in reply and "confirmée" in reply
    assert "12,50\u00a0€" in reply  # ACME's net price, French formatting
    assert "TVA 20\u00a0% sur" in reply and "Total TTC : 150,00\u00a0€" in reply
    [order] = orders_of(sessions, "ACME")
    assert (order.status, order.total_ht, order.total_ttc) == ("confirmed", 125, 150)
    assert stock_store_figures(sessions, "CART-HP305-BK").reserved == before.reserved + 10


def stock_store_figures(sessions, sku):
    with transaction(sessions) as session:
        return stock_store.figures(session, sku)


def test_an_ambiguous_product_is_asked_back_and_the_short_answer_completes_it(chat, sessions):
    reply = chat.say(CLAIRE, "Il nous faudrait 12 boîtes de gants nitrile svp")
    assert "lequel" in reply and "taille M" in reply and "taille XL" in reply
    assert orders_of(sessions, "ACME") == []
    reply = chat.say(CLAIRE, "taille L")
    assert "confirmée" in reply and "GANT-NIT-L" in reply
    [order] = orders_of(sessions, "ACME")
    assert [(ln.sku, ln.qty) for ln in order.lines] == [("GANT-NIT-L", 12)]


def test_an_order_without_quantity_asks_for_it(chat, sessions):
    reply = chat.say(CLAIRE, "Je voudrais commander des chemises cartonnées")
    assert "quelle quantité" in reply
    assert orders_of(sessions, "ACME") == []
    reply = chat.say(CLAIRE, "3")
    assert "confirmée" in reply
    assert [(ln.sku, ln.qty) for ln in orders_of(sessions, "ACME")[0].lines] == [("CHE-CART-100", 3)]


def test_partial_availability_offers_ship_now_and_preorder(chat, sessions):
    set_stock(sessions, "SOU-SF", 4, incoming=20, incoming_date=date(2026, 12, 4))
    reply = chat.say(CLAIRE, "Commande de 10 souris sans fil")
    assert "4 disponibles tout de suite" in reply and "6 en précommande" in reply and "4 décembre 2026" in reply
    assert orders_of(sessions, "ACME") == []
    reply = chat.say(CLAIRE, "oui")
    assert "confirmée" in reply and "dont 6 en précommande" in reply
    [order] = orders_of(sessions, "ACME")
    assert order.lines[0].preorder_qty == 6
    figures = stock_store_figures(sessions, "SOU-SF")
    assert (figures.available, figures.preordered) == (0, 6)


def test_no_answer_cancels_the_pending_order(chat, sessions):
    set_stock(sessions, "SOU-SF", 4, incoming=20, incoming_date=date(2026, 12, 4))
    chat.say(CLAIRE, "Commande de 10 souris sans fil")
    assert "rien commandé" in chat.say(CLAIRE, "non merci")
    assert orders_of(sessions, "ACME") == []


def test_minimum_order_quantity_is_enforced_with_a_proposal(chat, sessions):
    reply = chat.say(CLAIRE, "Merci de livrer 10 cartons d'expédition format moyen")
    assert "25" in reply and "minimum" in reply
    chat.say(CLAIRE, "oui")
    assert [(ln.sku, ln.qty) for ln in orders_of(sessions, "ACME")[0].lines] == [("CART-EXP-M", 25)]


def test_a_hidden_product_does_not_exist_for_the_customer(chat, sessions):
    reply = chat.say(CLAIRE, "Commande 2 paquets de café moulu")
    assert "je ne trouve pas" in reply.lower()
    assert orders_of(sessions, "ACME") == []


def test_over_the_credit_limit_the_order_is_held_and_the_rep_told(chat, sessions):
    set_stock(sessions, "NET-SOL-5L", 500)
    reply = chat.say(PAUL, "Merci de nous livrer 150 bidons de nettoyant sols")
    assert "dépasse l'encours autorisé" in reply
    [order] = orders_of(sessions, "MARTIN")
    assert order.status == "held"
    rep_mail = chat.mail_to("marc.lefebvre@comptoir-distribution.fr")
    assert rep_mail and order.number in rep_mail[-1].subject
    with transaction(sessions) as session:
        holds = session.scalars(select(ReservationRow).where(ReservationRow.reference == order.number)).all()
    assert [h.kind for h in holds] == ["hold"]


def test_a_redelivered_message_is_processed_once(chat, sessions):
    chat.say(CLAIRE, "Merci de nous livrer 10 cartouches HP 305 noir", external_id="<same@mail>")
    again = chat.say(CLAIRE, "Merci de nous livrer 10 cartouches HP 305 noir", external_id="<same@mail>")
    assert again == ""
    assert chat.results[-1].duplicate
    assert len(orders_of(sessions, "ACME")) == 1


def test_english_buyer_gets_an_english_answer_with_intra_eu_vat(chat, sessions):
    reply = chat.say(ANNA, "Hi, please deliver 20 boxes of nitrile gloves size M. Thanks, Anna")
    assert "confirmed" in reply.lower()
    assert "262 ter I" in reply
    assert "VAT 20" not in reply and "€0.00" not in reply  # the exemption is said, not a VAT line of nothing
    [order] = orders_of(sessions, "HANSALOG")
    assert order.total_vat == 0 and order.regime == "intra_eu"


def test_a_reduced_rate_is_written_the_french_way(chat, sessions):
    set_stock(sessions, "CAF-MOU-1K", 100)
    reply = chat.say(PAUL, "Merci de nous livrer 4 paquets de café moulu 1 kg")
    assert "TVA 5,5\u00a0% sur" in reply


def test_order_on_behalf_lands_in_the_customer_account_with_the_rep_discount(chat, sessions):
    with transaction(sessions) as session:
        encours_before = orders_store.encours(session, "ACME")
    reply = chat.say(SOPHIE, "commande pour ACME : 20 PAP-A4-80, remise 5 %")
    assert "confirmée" in reply
    [order] = orders_of(sessions, "ACME")
    assert order.on_behalf_by == SOPHIE and order.placed_by == SOPHIE
    assert "sales rep discount 5 %" in order.lines[0].explain
    assert order.lines[0].unit_price_ht == Decimal("3.59")  # 4.20 -10 % (ACME) = 3.78, -5 % (rep) = 3.59
    with transaction(sessions) as session:
        assert orders_store.encours(session, "ACME") == encours_before + order.total_ttc
    copy = chat.mail_to(CLAIRE)
    assert copy and order.number in copy[-1].body_text
    # the discount is said in the confirmation and in the buyer's copy, not only in the prices
    assert "Remise commerciale de 5" in reply and "Sophie Bernard" in reply
    assert "Remise commerciale de 5" in copy[-1].body_text


def test_order_on_behalf_beyond_the_rep_authority_is_refused(chat, sessions):
    reply = chat.say(SOPHIE, "commande pour ACME : 20 PAP-A4-80, remise 15 %")
    assert "délégation" in reply
    assert orders_of(sessions, "ACME") == []


def test_prospects_can_ask_about_stock_but_never_order(chat, sessions):
    stranger = "achats@nouvelle-boite.fr"
    assert "disponible" in chat.say(stranger, "Avez-vous 50 ramettes A4 en stock ?")
    reply = chat.say(stranger, "Merci de nous livrer 50 ramettes A4")
    assert "commercial" in reply
    with transaction(sessions) as session:
        assert session.execute(select(func.count()).select_from(OrderRow)
                               .where(OrderRow.placed_by == stranger)).scalar_one() == 0


def test_an_approximate_quantity_is_confirmed_before_ordering(chat, sessions):
    reply = chat.say(CLAIRE, "Il nous faudrait une trentaine de classeurs à levier 80 mm")
    assert "confirmer" in reply and "30 x" in reply
    assert orders_of(sessions, "ACME") == []
    assert "confirmée" in chat.say(CLAIRE, "oui")
    assert [(ln.sku, ln.qty) for ln in orders_of(sessions, "ACME")[0].lines] == [("CLA-LEV-80", 30)]


def test_a_pending_question_expires(chat, sessions):
    chat.say(CLAIRE, "Il nous faudrait 12 boîtes de gants nitrile")
    chat.clock.advance(hours=73)
    reply = chat.say(CLAIRE, "taille L")
    assert orders_of(sessions, "ACME") == []
    assert "confirmée" not in reply


def test_a_pending_confirmation_can_be_changed(chat, sessions):
    set_stock(sessions, "SOU-SF", 4, incoming=20, incoming_date=date(2026, 12, 4))
    chat.say(CLAIRE, "Commande de 10 souris sans fil")
    reply = chat.say(CLAIRE, "4")  # only what ships now
    assert "confirmée" in reply
    assert [(ln.sku, ln.qty, ln.preorder_qty) for ln in orders_of(sessions, "ACME")[0].lines] == [("SOU-SF", 4, 0)]


def test_the_rep_releases_an_order_held_for_credit(chat, sessions):
    set_stock(sessions, "NET-SOL-5L", 500)
    chat.say(PAUL, "Merci de nous livrer 150 bidons de nettoyant sols")
    [order] = orders_of(sessions, "MARTIN")
    rep = "marc.lefebvre@comptoir-distribution.fr"
    assert "débloquer" in chat.mail_to(rep)[-1].body_text
    # another rep cannot release it: refused, nothing changes, the attempt is audited
    refused = chat.say(SOPHIE, f"Je débloque la commande {order.number}")
    assert "seul le commercial du compte" in refused and orders_of(sessions, "MARTIN")[0].status == "held"
    with transaction(sessions) as session:
        assert session.scalars(select(AuditRow.actor).where(AuditRow.action == "order_release_refused")).all() == [
            SOPHIE]
    assert "débloquée" in chat.say(rep, f"Je débloque la commande {order.number}")
    assert orders_of(sessions, "MARTIN")[0].status == "confirmed"
    assert any("confirmée" in m.body_text for m in chat.mail_to(PAUL))
    with transaction(sessions) as session:
        kinds = {r.kind for r in session.scalars(select(ReservationRow).where(ReservationRow.reference == order.number))}
    assert kinds == {"order"}


def test_an_unknown_list_item_is_asked_about_then_completed(chat, sessions):
    reply = chat.say(CLAIRE, "Commande :\n- 10 ramettes A4\n- 3 agrafeuses")
    assert "je ne trouve pas ce produit" in reply and "Ramette papier A4" in reply
    assert orders_of(sessions, "ACME") == []
    reply = chat.say(CLAIRE, "ah pardon, des classeurs à levier 80 mm")
    assert "confirmée" in reply
    assert sorted((ln.sku, ln.qty) for ln in orders_of(sessions, "ACME")[0].lines) == [("CLA-LEV-80", 3), ("PAP-A4-80", 10)]


def test_a_buyer_cancels_an_order_that_has_not_left(chat, sessions):
    chat.say(CLAIRE, "Merci de nous livrer 10 cartouches HP 305 noir")
    [order] = orders_of(sessions, "ACME")
    before = stock_store_figures(sessions, "CART-HP305-BK").reserved
    assert "annulée" in chat.say(CLAIRE, f"Merci d'annuler la commande {order.number}")
    assert orders_of(sessions, "ACME")[0].status == "cancelled"
    assert stock_store_figures(sessions, "CART-HP305-BK").reserved == before - 10
    assert "annulée" in chat.mail_to("sophie.bernard@comptoir-distribution.fr")[-1].subject
    assert "déjà annulée" in chat.say(CLAIRE, f"Annulez la commande {order.number} svp")


def test_a_noun_next_to_its_exact_sku_is_one_turn(chat, sessions):
    reply = chat.say(CLAIRE, "Merci de nous livrer 6 classeurs CLA-LEV-80")
    assert "confirmée" in reply and "lequel" not in reply
    assert [(ln.sku, ln.qty) for ln in orders_of(sessions, "ACME")[0].lines] == [("CLA-LEV-80", 6)]


def test_a_stock_question_with_a_conditional_order_answers_then_asks_to_confirm(chat, sessions):
    set_stock(sessions, "SOU-SF", 50)
    reply = chat.say(CLAIRE, "Avez-vous 20 souris sans fil en stock ? Si oui merci de nous les livrer.")
    assert "disponible" in reply and "confirmer" in reply
    assert orders_of(sessions, "ACME") == []
    assert "confirmée" in chat.say(CLAIRE, "oui")
    assert [(ln.sku, ln.qty) for ln in orders_of(sessions, "ACME")[0].lines] == [("SOU-SF", 20)]


def test_contradictory_counts_are_asked_in_the_sale_unit(chat, sessions):
    reply = chat.say(CLAIRE, "Merci de livrer 10 clés USB 32 Go, soit 2 cartons.")
    assert "ne concordent pas" in reply and orders_of(sessions, "ACME") == []
    assert "confirmée" in chat.say(CLAIRE, "10")

