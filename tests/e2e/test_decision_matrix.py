"""Every decision, tried by everyone who is not entitled to it (issue 10, item 7), on both databases:
a clear refusal, nothing changes, and the audit log records the attempt. Forged mail is in
test_unverified_decisions.py, unsigned and replayed Slack requests in the Slack channel tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.tables import AuditRow
from commerce.persistence.database import transaction
from commerce.persistence.tables import OrderRow, QuoteRow
from tests.e2e.conftest import CLAIRE, JULIEN, PAUL, PIERRE, SOPHIE, set_stock

NADIA = "nadia.benali@batipro.fr"  # a buyer of another customer
THIERRY = "thierry.morel@batipro.fr"  # the approver of another customer
MARC = "marc.lefebvre@comptoir-distribution.fr"  # a rep, not ACME's
PROSPECT = "someone@new-prospect.example"


def _order(sessions, **where) -> OrderRow:
    with transaction(sessions) as session:
        query = select(OrderRow)
        for column, value in where.items():
            query = query.where(getattr(OrderRow, column) == value)
        return session.scalars(query.order_by(OrderRow.id.desc())).first()


def _status(sessions, number: str) -> str:
    return _order(sessions, number=number).status


def _attempted(sessions, actor: str, reference: str) -> bool:
    with transaction(sessions) as session:
        return session.scalars(select(AuditRow).where(AuditRow.actor == actor, AuditRow.reference == reference)
                               ).first() is not None


def _pending_approval(chat, sessions) -> str:
    set_stock(sessions, "PAP-A4-80", 2000)
    chat.say(CLAIRE, "Merci de nous livrer 500 ramettes de papier A4 80g")
    return _order(sessions, status="pending_approval").number


def _confirmed(chat, sessions) -> str:
    chat.say(CLAIRE, "Merci de nous livrer 10 cartouches HP 305 noir")
    return _order(sessions, placed_by=CLAIRE, status="confirmed").number


def _held(chat, sessions) -> str:
    set_stock(sessions, "NET-SOL-5L", 500)
    chat.say(PAUL, "Merci de nous livrer 150 bidons de nettoyant sols")
    return _order(sessions, customer_id="MARTIN", status="held").number


@pytest.mark.parametrize("actor", [JULIEN, CLAIRE, NADIA, THIERRY, SOPHIE, MARC, PROSPECT])
def test_only_the_approver_approves(chat, sessions, actor):
    number = _pending_approval(chat, sessions)
    reply = chat.say(actor, f"APPROUVÉ {number}", thread=f"test:{actor}:approve")
    assert _status(sessions, number) == "pending_approval"
    assert reply and "validée et confirmée" not in reply
    assert _attempted(sessions, actor, number)
    assert "validée et confirmée" in chat.say(PIERRE, f"APPROUVÉ {number}")  # the entitled one still can


@pytest.mark.parametrize("actor", [NADIA, THIERRY, MARC, PROSPECT])
def test_only_the_customer_cancels_its_order(chat, sessions, actor):
    number = _confirmed(chat, sessions)
    reply = chat.say(actor, f"Merci d'annuler la commande {number}", thread=f"test:{actor}:cancel")
    assert _status(sessions, number) == "confirmed" and reply
    assert _attempted(sessions, actor, number)


@pytest.mark.parametrize("actor", [SOPHIE, PAUL, NADIA, PROSPECT])
def test_only_the_accounts_rep_releases_a_credit_hold(chat, sessions, actor):
    number = _held(chat, sessions)
    reply = chat.say(actor, f"Je débloque la commande {number}", thread=f"test:{actor}:release")
    assert _status(sessions, number) == "held" and reply
    assert _attempted(sessions, actor, number)


@pytest.mark.parametrize("actor", [NADIA, THIERRY, PROSPECT])
def test_only_the_customer_accepts_its_quote(chat, sessions, actor):
    reply = chat.say(CLAIRE, "Pouvez-vous me faire un devis pour 3 écrans 27 pouces ?")
    number = next(word.strip(".,:") for word in reply.split() if word.startswith("D-2026-"))
    before = _order(sessions)
    answer = chat.say(actor, f"Bon pour accord sur le devis {number}", thread=f"test:{actor}:accept")
    assert _order(sessions).id == before.id and answer  # no order placed
    with transaction(sessions) as session:
        assert session.scalars(select(QuoteRow.status).where(QuoteRow.number == number)).one() != "accepted"
    assert _attempted(sessions, actor, number)


def test_only_the_accounts_rep_orders_on_its_behalf(chat, sessions):
    before = _order(sessions)
    reply = chat.say(MARC, "commande pour ACME : 20 PAP-A4-80, remise 5 %")
    assert "sophie.bernard@comptoir-distribution.fr" in reply and _order(sessions).id == before.id
    assert _attempted(sessions, MARC, "ACME")
    assert "confirmée" in chat.say(SOPHIE, "commande pour ACME : 20 PAP-A4-80, remise 5 %")  # ACME's own rep
    stock = chat.say(MARC, "stock pour ACME : avez-vous 20 PAP-A4-80 ?", thread="test:marc:stock")
    assert "disponibles" in stock  # a question commits nothing: any rep may ask
