"""Credit covers what is owed and what waits for approval; an approval looks at credit again."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from assistant.tables import AuditRow
from commerce.persistence import orders_store, stock_store
from commerce.persistence.database import transaction
from commerce.persistence.tables import CustomerRow, OrderRow, ReservationRow
from tests.conftest import NOW
from tests.e2e.conftest import CLAIRE, PAUL, PIERRE, set_stock
from tests.e2e.test_approvals import (
    BIG_ORDER,  # 1 687,50 HT, 2 025,00 TTC: above ACME's approval threshold
)


def credit_limit(sessions, headroom: str) -> None:
    """ACME's limit set to what it owes now plus `headroom`."""
    with transaction(sessions) as session:
        session.get(CustomerRow, "ACME").credit_limit = orders_store.encours(session, "ACME") + Decimal(headroom)


def statuses(sessions) -> list[str]:
    """The statuses of the orders of this test (the demo's older ones left aside)."""
    with transaction(sessions) as session:
        return list(session.scalars(select(OrderRow.status).where(OrderRow.created_at >= NOW).order_by(OrderRow.id)))


def test_two_orders_waiting_for_approval_cannot_pass_the_limit_together(chat, sessions):
    set_stock(sessions, "PAP-A4-80", 5000)
    credit_limit(sessions, "3000.00")  # one order fits, two do not
    assert "transmise à Pierre Durand" in chat.say(CLAIRE, BIG_ORDER)
    second = chat.say(CLAIRE, BIG_ORDER)
    assert "transmise" not in second
    assert statuses(sessions) == ["pending_approval", "held"]


def test_an_approval_after_the_account_moved_holds_the_order_for_credit(chat, sessions):
    set_stock(sessions, "PAP-A4-80", 5000)
    assert "transmise à Pierre Durand" in chat.say(CLAIRE, BIG_ORDER)
    credit_limit(sessions, "-1000.00")  # the account moved while the approver was away
    chat.say(PIERRE, "APPROUVÉ")
    assert statuses(sessions) == ["held"]
    told = chat.mail_to(CLAIRE)[-1]
    assert "limite de crédit" in told.body_text and "en attente" in told.subject
    with transaction(sessions) as session:
        actions = list(session.scalars(select(AuditRow.action).order_by(AuditRow.id)))
    assert actions[-2:] == ["order_approved", "order_held"]


def test_an_approval_within_credit_still_confirms(chat, sessions):
    set_stock(sessions, "PAP-A4-80", 5000)
    credit_limit(sessions, "3000.00")
    assert "transmise à Pierre Durand" in chat.say(CLAIRE, BIG_ORDER)
    chat.say(PIERRE, "APPROUVÉ")
    assert statuses(sessions) == ["confirmed"]




REP_OF_MARTIN = "marc.lefebvre@comptoir-distribution.fr"


def held_for_credit(chat, sessions):
    set_stock(sessions, "NET-SOL-5L", 500)
    chat.say(PAUL, "Merci de nous livrer 150 bidons de nettoyant sols")  # over Boulangerie Martin's 1 500 limit
    with transaction(sessions) as session:
        order = session.scalars(select(OrderRow).where(OrderRow.customer_id == "MARTIN",
                                                       OrderRow.created_at >= NOW)).one()
    assert order.status == "held"
    return order.number


def lapse_holds(chat) -> None:
    chat.clock.advance(hours=chat.assistant.settings.credit_hold_hours + 1)
    assert chat.assistant.maintenance()["holds_released"] >= 1


def test_the_buyer_is_told_when_the_hold_of_a_held_order_lapses(chat, sessions):
    number = held_for_credit(chat, sessions)
    lapse_holds(chat)
    told = chat.mail_to(PAUL)[-1]
    assert number in told.subject and "expiré" in told.body_text
    chat.assistant.maintenance()  # once only
    assert sum(number in m.subject and "expiré" in m.body_text for m in chat.mail_to(PAUL)) == 1


def test_releasing_after_the_hold_lapsed_takes_the_stock_again(chat, sessions):
    number = held_for_credit(chat, sessions)
    lapse_holds(chat)
    assert "débloquée" in chat.say(REP_OF_MARTIN, f"Je débloque la commande {number}")
    with transaction(sessions) as session:
        active = session.scalars(select(ReservationRow).where(ReservationRow.reference == number,
                                                              ReservationRow.status == "active")).all()
        assert [(r.sku, r.qty, r.kind) for r in active] == [("NET-SOL-5L", 150, "order")]
        assert stock_store.figures(session, "NET-SOL-5L").reserved == 150
    assert statuses_of(sessions, "MARTIN") == ["confirmed"]


def test_releasing_without_the_stock_says_what_is_short_and_confirms_nothing(chat, sessions):
    number = held_for_credit(chat, sessions)
    lapse_holds(chat)
    set_stock(sessions, "NET-SOL-5L", 40)  # sold to others meanwhile
    reply = chat.say(REP_OF_MARTIN, f"Je débloque la commande {number}")
    assert "le stock ne suffit plus" in reply and "il manque 150, 40 disponibles" in reply
    assert statuses_of(sessions, "MARTIN") == ["held"]
    with transaction(sessions) as session:
        assert stock_store.figures(session, "NET-SOL-5L").reserved == 0


def statuses_of(sessions, customer_id: str) -> list[str]:
    with transaction(sessions) as session:
        return list(session.scalars(select(OrderRow.status).where(OrderRow.customer_id == customer_id,
                                                                  OrderRow.created_at >= NOW)))
