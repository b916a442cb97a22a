"""Approval by the ordering principal: approve, reject, wrong person, double click, expiry."""

from __future__ import annotations

from sqlalchemy import select

from commerce.persistence import stock_store
from commerce.persistence.database import transaction
from commerce.persistence.tables import ApprovalRow, OrderRow
from tests.e2e.conftest import CLAIRE, JULIEN, PIERRE, set_stock

BIG_ORDER = "Merci de nous livrer 500 ramettes de papier A4 80g"  # 500 x 3.38 = 1 687,50 HT > 1 500


def pending_order(chat, sessions):
    set_stock(chat_sessions := sessions, "PAP-A4-80", 2000)
    reply = chat.say(CLAIRE, BIG_ORDER)
    assert "transmise à Pierre Durand" in reply
    with transaction(chat_sessions) as session:
        order = session.scalars(select(OrderRow).where(OrderRow.status == "pending_approval")).one()
        approval = session.scalars(select(ApprovalRow)).one()
    return order, approval


def reserved(sessions, sku="PAP-A4-80"):
    with transaction(sessions) as session:
        return stock_store.figures(session, sku).reserved


def order_status(sessions, number):
    with transaction(sessions) as session:
        return session.scalars(select(OrderRow.status).where(OrderRow.number == number)).one()


def test_the_approver_gets_signed_links_and_approving_confirms_the_order(chat, sessions):
    order, approval = pending_order(chat, sessions)
    assert reserved(sessions) == 500
    [request] = chat.mail_to(PIERRE)
    assert order.number in request.subject and "/approvals/" in request.body_text
    approve_url = request.payload["actions"][0]["url"]
    claim = chat.assistant.links.read(approve_url.rsplit("/", 1)[1])
    assert (claim.approval_id, claim.decision) == (approval.id, "approve")
    outcome = chat.assistant.decide_approval(approval.id, approve=True, by=PIERRE, via="email_link")
    assert outcome.outcome == "approved"
    assert order_status(sessions, order.number) == "confirmed"
    assert reserved(sessions) == 500  # the hold became a firm reservation
    told = chat.mail_to(CLAIRE)
    assert told and "validée" in told[-1].subject


def test_the_approver_can_answer_in_plain_words(chat, sessions):
    order, _ = pending_order(chat, sessions)
    reply = chat.say(PIERRE, "APPROUVÉ")
    assert "validée et confirmée" in reply
    assert order_status(sessions, order.number) == "confirmed"


def test_rejection_with_a_reason_releases_the_stock_and_tells_the_requester(chat, sessions):
    order, _ = pending_order(chat, sessions)
    reply = chat.say(PIERRE, f"REFUSÉ : budget épuisé pour {order.number}")
    assert "refusée" in reply
    assert order_status(sessions, order.number) == "rejected"
    assert reserved(sessions) == 0
    told = chat.mail_to(CLAIRE)[-1]
    assert "budget épuisé" in told.body_text


def test_only_the_designated_approver_can_decide(chat, sessions):
    order, approval = pending_order(chat, sessions)
    assert chat.assistant.decide_approval(approval.id, approve=True, by=JULIEN, via="test").outcome == "not_allowed"
    assert chat.assistant.decide_approval(approval.id, approve=True, by=CLAIRE, via="test").outcome == "not_allowed"
    assert order_status(sessions, order.number) == "pending_approval"


def test_the_first_decision_wins_and_a_double_click_is_harmless(chat, sessions):
    order, approval = pending_order(chat, sessions)
    first = chat.assistant.decide_approval(approval.id, approve=True, by=PIERRE, via="slack")
    second = chat.assistant.decide_approval(approval.id, approve=False, by=PIERRE, via="email_link")
    third = chat.assistant.decide_approval(approval.id, approve=True, by=PIERRE, via="slack")
    assert (first.outcome, second.outcome, third.outcome) == ("approved", "already_decided", "already_decided")
    assert second.decided_by == PIERRE and second.status == "approved"
    assert order_status(sessions, order.number) == "confirmed"
    assert len([m for m in chat.mail_to(CLAIRE) if "validée" in m.subject]) == 1


def test_idle_requests_get_a_reminder_then_expire_and_release_the_hold(chat, sessions):
    order, approval = pending_order(chat, sessions)
    chat.clock.advance(hours=25)
    assert chat.assistant.maintenance()["reminded"] == 1
    assert "Rappel" in chat.mail_to(PIERRE)[-1].subject
    chat.clock.advance(hours=48)
    result = chat.assistant.maintenance()
    assert result["expired"] == 1
    assert order_status(sessions, order.number) == "expired"
    assert reserved(sessions) == 0
    assert "expirée" in chat.mail_to(CLAIRE)[-1].subject
    late = chat.assistant.decide_approval(approval.id, approve=True, by=PIERRE, via="email_link")
    assert late.outcome == "already_decided" and order_status(sessions, order.number) == "expired"


def test_a_requester_order_always_needs_approval(chat, sessions):
    reply = chat.say(JULIEN, "Pouvez-vous nous livrer 2 classeurs à levier 80 mm ?")
    assert "transmise à Pierre Durand" in reply


def test_audit_trail_records_who_asked_and_who_decided(chat, sessions):
    from assistant.audit import trail

    order, approval = pending_order(chat, sessions)
    chat.assistant.decide_approval(approval.id, approve=True, by=PIERRE, via="email_link")
    with transaction(sessions) as session:
        actions = [(row.actor, row.action) for row in trail(session, order.number)]
    assert actions == [(CLAIRE, "order_created"), (PIERRE, "order_approved")]


def test_the_director_asks_what_waits_for_him_and_gets_each_order_with_its_links(chat, sessions):
    assert "Aucune commande n'attend votre validation" in chat.say(PIERRE, "Qu'est-ce qui attend ma validation ?")
    order, approval = pending_order(chat, sessions)
    before = len(chat.mail_to(PIERRE))
    reply = chat.say(PIERRE, "Bonjour, qu'est-ce qui attend ma validation ?")
    assert "1 commande attend votre validation" in reply and order.number in reply and "Claire Martin" in reply
    assert "690,00" in reply  # its amount excl. VAT
    [again] = [m for m in chat.mail_to(PIERRE)[before:] if m.payload.get("actions")]
    assert order.number in again.subject and [a["kind"] for a in again.payload["actions"]] == ["approve", "reject"]
    claim = chat.assistant.links.read(again.payload["actions"][0]["url"].rsplit("/", 1)[1])
    assert (claim.approval_id, claim.decision) == (approval.id, "approve")
    assert order_status(sessions, order.number) == "pending_approval"  # asking decides nothing


def test_anyone_else_asking_gets_no_one_elses_approvals(chat, sessions):
    pending_order(chat, sessions)
    reply = chat.say(JULIEN, "anything waiting for my approval?")
    assert "C-20" not in reply
