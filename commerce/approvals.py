"""When an order needs the ordering principal's approval, and who that is (pure rules)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from commerce.catalog import Product
from commerce.customers import Contact, Customer, Role
from commerce.pricing import PricedBasket


class ApprovalReason(StrEnum):
    AMOUNT = "amount_over_threshold"
    CATEGORY = "approval_category"
    REQUESTER = "placed_by_requester"


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"


def approval_reasons(
    customer: Customer,
    basket: PricedBasket,
    products: Mapping[str, Product],
    *,
    placed_by: Contact | None,
) -> tuple[ApprovalReason, ...]:
    reasons = []
    threshold = customer.approval_threshold_ht
    if threshold is not None and basket.total_ht > threshold:
        reasons.append(ApprovalReason.AMOUNT)
    categories = set(customer.approval_categories)
    if categories and any(products[line.sku].category in categories for line in basket.lines):
        reasons.append(ApprovalReason.CATEGORY)
    if placed_by is not None and placed_by.role is Role.REQUESTER:
        reasons.append(ApprovalReason.REQUESTER)
    return tuple(reasons)


def pick_approver(contacts: Sequence[Contact], *, requester_email: str | None) -> Contact | None:
    """The customer's approver; someone never approves their own order when another can."""
    approvers = [c for c in contacts if c.role is Role.APPROVER]
    others = [c for c in approvers if c.email != requester_email]
    chosen = others or approvers
    return chosen[0] if chosen else None
