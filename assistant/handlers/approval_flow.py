"""Deciding on an order that waits for its approver, from any channel.

Only the designated approver decides; the first decision wins (a double click, or a
Slack click racing an email link, changes nothing the second time); the requester is
told; idle requests get a reminder; expired ones release their stock hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from assistant import audit
from assistant.context import Speaker
from assistant.handlers.documents import document_context
from assistant.handlers.ordering import send_approval_request
from assistant.links import ApprovalLinks
from assistant.messages import Reply
from commerce.accounts import credit_check
from commerce.approvals import ApprovalStatus
from commerce.persistence import approvals_store, catalog_store, orders_store, stock_store
from commerce.persistence.tables import ReservationRow
from commerce.statuses import OrderStatus


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: str  # "approved" | "rejected" | "already_decided" | "not_allowed" | "expired" | "unknown"
    order_number: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    status: str | None = None
    reason: str | None = None  # the reason given with a rejection


def _settled(approval) -> Decision:
    return Decision("already_decided", approval.order_number, approval.decided_by, approval.decided_at,
                    approval.status, approval.reason)


def state(session, *, approval_id: int, by: str, via: str, now: datetime) -> Decision:
    """What a click on this approval would meet, without deciding anything: "pending" when the
    clicker is the approver and it waits; otherwise the outcome `decide` would return."""
    approval = approvals_store.get(session, approval_id)
    if approval is None:
        return Decision("unknown")
    if by.strip().lower() != approval.approver_email:
        audit.record(session, at=now, actor=by.strip().lower(), action="approval_refused_not_approver",
                     reference=approval.order_number, customer_id=approval.customer_id, via=via)
        return Decision("not_allowed", approval.order_number)
    if approval.status != ApprovalStatus.PENDING.value:
        return _settled(approval)
    return Decision("pending", approval.order_number)


def _holds(session, order_number: str) -> list[ReservationRow]:
    return list(session.scalars(select(ReservationRow).where(
        ReservationRow.reference == order_number, ReservationRow.status == "active")))


def decide(
    session,
    speaker: Speaker,
    *,
    approval_id: int,
    approve: bool,
    by: str,
    via: str,
    now: datetime,
    reason: str | None = None,
) -> Decision:
    seen = state(session, approval_id=approval_id, by=by, via=via, now=now)
    if seen.outcome != "pending":
        return seen  # unknown, not the approver's (audited), or already decided
    approval = approvals_store.get(session, approval_id)
    by = by.strip().lower()
    if approval.expires_at <= now:
        expire(session, speaker, approval, now=now)
        return Decision("expired", approval.order_number)
    status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    if not approvals_store.settle(session, approval.id, status, by=by, via=via, now=now, reason=reason):
        session.expire_all()
        return _settled(approvals_store.get(session, approval_id))
    order = orders_store.get_order(session, approval.order_number)
    if approve and not _credit_allows(session, order):
        # approved, but the account has moved since it was asked: credit decides, the rep releases
        orders_store.set_order_status(session, order, OrderStatus.HELD.value, now=now)
        audit.record(session, at=now, actor=by, action="order_approved", reference=order.number,
                     customer_id=order.customer_id, via=via, reason=reason)
        audit.record(session, at=now, actor="system", action="order_held", reference=order.number,
                     customer_id=order.customer_id, reason="credit")
        _tell_requester(session, speaker, approval, order, outcome="held_credit", reason=None)
        return Decision(status.value, order.number, by, now, status.value, reason)
    if approve:
        orders_store.set_order_status(session, order, OrderStatus.CONFIRMED.value, now=now)
        for hold in _holds(session, order.number):
            stock_store.confirm_hold(session, hold.id)
    else:
        orders_store.set_order_status(session, order, OrderStatus.REJECTED.value, now=now)
        for hold in _holds(session, order.number):
            stock_store.release(session, hold.id, now=now)
    audit.record(session, at=now, actor=by, action=f"order_{status.value}", reference=order.number,
                 customer_id=order.customer_id, via=via, reason=reason)
    _tell_requester(session, speaker, approval, order, outcome=status.value, reason=reason)
    return Decision(status.value, order.number, by, now, status.value, reason)


def _credit_allows(session, order) -> bool:
    """The credit check again at approval: the encours and the other orders waiting, plus this one."""
    customer = catalog_store.get_customer(session, order.customer_id)
    exposure = orders_store.credit_exposure(session, order.customer_id, excluding=order.number)
    return credit_check(exposure, customer.credit_limit, order.total_ttc).allowed


def _tell_requester(session, speaker: Speaker, approval, order, *, outcome: str, reason: str | None) -> None:
    requester = catalog_store.get_contact(session, approval.requested_by)
    approver = catalog_store.get_contact(session, approval.approver_email)
    if requester is None:
        return
    reply = Reply("approval_outcome", {
        "name": requester.name, "outcome": outcome, "reason": reason,
        "approver": approver.name if approver else approval.approver_email,
        **document_context(order),
    })
    speaker.notify(requester, reply, kind="approval_outcome", key=f"approval:{approval.id}:outcome")


def expire(session, speaker: Speaker, approval, *, now: datetime) -> bool:
    if not approvals_store.settle(session, approval.id, ApprovalStatus.EXPIRED, by="system", via="timer", now=now):
        return False
    order = orders_store.get_order(session, approval.order_number)
    orders_store.set_order_status(session, order, OrderStatus.EXPIRED.value, now=now)
    for hold in _holds(session, order.number):
        stock_store.release(session, hold.id, now=now, status="expired")
    audit.record(session, at=now, actor="system", action="order_expired", reference=order.number,
                 customer_id=order.customer_id)
    _tell_requester(session, speaker, approval, order, outcome="expired", reason=None)
    return True


def sweep(session, speaker: Speaker, links: ApprovalLinks, *, now: datetime, reminder_hours: float) -> dict:
    """Reminders for idle requests, expiry of the overdue ones, release of old holds."""
    reminded = 0
    for approval in approvals_store.due_reminders(session, now=now):
        approver = catalog_store.get_contact(session, approval.approver_email)
        requester = catalog_store.get_contact(session, approval.requested_by)
        order = orders_store.get_order(session, approval.order_number)
        approval.reminders_sent += 1
        approval.remind_at = now + timedelta(hours=reminder_hours) if reminder_hours else None
        if approver is not None and order is not None:
            send_approval_request(speaker, links, approval, approver,
                                  requester_name=requester.name if requester else approval.requested_by,
                                  doc={"customer": order.customer_id, **document_context(order)},
                                  reasons=approval.reasons.split("|") if approval.reasons else [],
                                  template="approval_reminder")
            reminded += 1
    expired = sum(expire(session, speaker, a, now=now) for a in approvals_store.due_expiries(session, now=now))
    released = stock_store.expire_holds(session, now=now)
    for number in sorted({r.reference for r in released if r.reference}):
        _tell_hold_lapsed(session, speaker, number)
    return {"reminded": reminded, "expired": expired, "holds_released": len(released)}


def _tell_hold_lapsed(session, speaker: Speaker, number: str) -> None:
    """The buyer of an order still on hold learns that its goods are no longer set aside."""
    order = orders_store.get_order(session, number)
    if order is None or order.status != OrderStatus.HELD.value or not order.placed_by:
        return
    buyer = catalog_store.get_contact(session, order.placed_by)
    if buyer is None:
        return
    speaker.notify(buyer, Reply("hold_lapsed", {"name": buyer.name, **document_context(order)}),
                   kind="hold_lapsed", key=f"hold_lapsed:{number}")
