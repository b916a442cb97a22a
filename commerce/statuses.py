"""Order and quote life cycles as transition tables.

An illegal move raises; repeating the move that brought a document to its current
status is harmless (a double click, a redelivered approval) and reports no change.
"""

from __future__ import annotations

from enum import StrEnum

from commerce.errors import IllegalTransition


class OrderStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    PAID = "paid"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    HELD = "held"  # over the credit limit: waits for a sales rep


class QuoteStatus(StrEnum):
    REQUESTED = "requested"
    TO_REVIEW = "to_review"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


O = OrderStatus
ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    O.DRAFT: frozenset({O.PENDING_APPROVAL, O.CONFIRMED, O.HELD, O.CANCELLED}),
    O.HELD: frozenset({O.PENDING_APPROVAL, O.CONFIRMED, O.CANCELLED}),
    O.PENDING_APPROVAL: frozenset({O.CONFIRMED, O.REJECTED, O.EXPIRED, O.CANCELLED}),
    O.CONFIRMED: frozenset({O.SHIPPED, O.CANCELLED}),
    O.SHIPPED: frozenset({O.INVOICED}),
    O.INVOICED: frozenset({O.PAID}),
    O.PAID: frozenset(),
    O.REJECTED: frozenset(),
    O.CANCELLED: frozenset(),
    O.EXPIRED: frozenset(),
}

Q = QuoteStatus
QUOTE_TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    Q.REQUESTED: frozenset({Q.TO_REVIEW, Q.SENT}),
    Q.TO_REVIEW: frozenset({Q.SENT, Q.DECLINED}),
    Q.SENT: frozenset({Q.ACCEPTED, Q.DECLINED, Q.EXPIRED}),
    Q.ACCEPTED: frozenset(),
    Q.DECLINED: frozenset(),
    Q.EXPIRED: frozenset(),
}

# What the customer owes once the order stands, and what counts in loyalty and limits.
OWED_STATUSES = frozenset({O.CONFIRMED, O.SHIPPED, O.INVOICED})
COMMITTED_STATUSES = frozenset({O.PENDING_APPROVAL, O.HELD, O.CONFIRMED, O.SHIPPED, O.INVOICED, O.PAID})
PURCHASED_STATUSES = frozenset({O.CONFIRMED, O.SHIPPED, O.INVOICED, O.PAID})


def order_transition(current: str, target: str) -> bool:
    """True when the status changes, False when it already is `target`; raises if illegal."""
    return _move("order", ORDER_TRANSITIONS, OrderStatus(current), OrderStatus(target))


def quote_transition(current: str, target: str) -> bool:
    return _move("quote", QUOTE_TRANSITIONS, QuoteStatus(current), QuoteStatus(target))


def _move(kind: str, table: dict, current: StrEnum, target: StrEnum) -> bool:
    if current == target:
        return False
    if target not in table[current]:
        raise IllegalTransition(kind, current.value, target.value)
    return True
