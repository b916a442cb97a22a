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
    PARTIALLY_SHIPPED = "partially_shipped"  # some goods left, the rest still reserved
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


_O = OrderStatus
ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    _O.DRAFT: frozenset({_O.PENDING_APPROVAL, _O.CONFIRMED, _O.HELD, _O.CANCELLED}),
    _O.HELD: frozenset({_O.PENDING_APPROVAL, _O.CONFIRMED, _O.CANCELLED}),
    _O.PENDING_APPROVAL: frozenset({_O.CONFIRMED, _O.HELD, _O.REJECTED, _O.EXPIRED, _O.CANCELLED}),
    _O.CONFIRMED: frozenset({_O.PARTIALLY_SHIPPED, _O.SHIPPED, _O.CANCELLED}),
    _O.PARTIALLY_SHIPPED: frozenset({_O.SHIPPED}),
    _O.SHIPPED: frozenset({_O.INVOICED}),
    _O.INVOICED: frozenset({_O.PAID}),
    _O.PAID: frozenset(),
    _O.REJECTED: frozenset(),
    _O.CANCELLED: frozenset(),
    _O.EXPIRED: frozenset(),
}

_Q = QuoteStatus
QUOTE_TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    _Q.REQUESTED: frozenset({_Q.TO_REVIEW, _Q.SENT}),
    _Q.TO_REVIEW: frozenset({_Q.SENT, _Q.DECLINED}),
    _Q.SENT: frozenset({_Q.ACCEPTED, _Q.DECLINED, _Q.EXPIRED}),
    _Q.ACCEPTED: frozenset(),
    _Q.DECLINED: frozenset(),
    _Q.EXPIRED: frozenset(),
}

# What the customer owes once the order stands, and what counts in loyalty and limits.
OWED_STATUSES = frozenset({_O.CONFIRMED, _O.PARTIALLY_SHIPPED, _O.SHIPPED, _O.INVOICED})
COMMITTED_STATUSES = frozenset({_O.PENDING_APPROVAL, _O.HELD, _O.CONFIRMED, _O.PARTIALLY_SHIPPED, _O.SHIPPED,
                                _O.INVOICED, _O.PAID})
PURCHASED_STATUSES = frozenset({_O.CONFIRMED, _O.PARTIALLY_SHIPPED, _O.SHIPPED, _O.INVOICED, _O.PAID})
# Where goods may still leave the warehouse for the order.
SHIPPABLE_STATUSES = frozenset({_O.CONFIRMED, _O.PARTIALLY_SHIPPED})


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
