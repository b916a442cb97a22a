"""Decisions in mail we cannot authenticate (the email channel marks them) are never executed:
the sender is told, nothing changes, and the attempt is in the audit log."""

from __future__ import annotations

from itertools import count

from sqlalchemy import func, select

from assistant.messages import InboundMessage
from assistant.tables import AuditRow
from commerce.persistence.database import transaction
from commerce.persistence.tables import OrderRow
from tests.e2e.conftest import CLAIRE, PAUL, SOPHIE, set_stock

_ids = count()


def forged(chat, sender: str, text: str) -> str:
    message = InboundMessage("email", sender, f"forged-{next(_ids)}", f"email:forged:{sender}", text,
                             chat.clock.now(), headers={"x-unauthenticated": "1"})
    chat.assistant.handle(message)
    rows = chat.assistant.outbox_for(channel="email", thread_key=f"email:forged:{sender}")
    return rows[-1].body_text


def orders(sessions, **where) -> list[OrderRow]:
    with transaction(sessions) as session:
        query = select(OrderRow)
        for column, value in where.items():
            query = query.where(getattr(OrderRow, column) == value)
        return list(session.scalars(query))


def attempts(sessions, kind: str) -> int:
    with transaction(sessions) as session:
        rows = session.scalars(select(AuditRow).where(AuditRow.action == "decision_unauthenticated")).all()
        return sum(1 for r in rows if r.details.get("details_kind") == kind)


def test_a_forged_cancellation_cancels_nothing(chat, sessions):
    chat.say(CLAIRE, "Merci de nous livrer 10 cartouches HP 305 noir")
    [order] = orders(sessions, placed_by=CLAIRE)
    answer = forged(chat, CLAIRE, f"Merci d'annuler la commande {order.number}")
    assert "pas pu vérifier" in answer
    assert orders(sessions, number=order.number)[0].status == "confirmed"
    assert attempts(sessions, "cancel_order") == 1


def test_a_forged_release_releases_nothing(chat, sessions):
    set_stock(sessions, "NET-SOL-5L", 500)
    chat.say(PAUL, "Merci de nous livrer 150 bidons de nettoyant sols")
    [order] = orders(sessions, customer_id="MARTIN", status="held")
    forged(chat, "marc.lefebvre@comptoir-distribution.fr", f"Je débloque la commande {order.number}")
    assert orders(sessions, number=order.number)[0].status == "held"
    assert attempts(sessions, "release_order") == 1


def test_a_forged_order_on_behalf_places_nothing(chat, sessions):
    before = len(orders(sessions))
    forged(chat, SOPHIE, "commande pour ACME : 20 PAP-A4-80, remise 5 %")
    assert len(orders(sessions)) == before
    assert attempts(sessions, "order_on_behalf") == 1


def test_a_forged_quote_acceptance_accepts_nothing(chat, sessions):
    reply = chat.say(CLAIRE, "Pouvez-vous me faire un devis pour 3 écrans 27 pouces ?")
    number = next(word.strip(".,:") for word in reply.split() if word.startswith("D-2026-"))
    with transaction(sessions) as session:
        before = session.execute(select(func.count()).select_from(OrderRow)).scalar_one()
    forged(chat, CLAIRE, f"Bon pour accord sur le devis {number}")
    with transaction(sessions) as session:
        assert session.execute(select(func.count()).select_from(OrderRow)).scalar_one() == before
    assert attempts(sessions, "accept_quote") == 1
