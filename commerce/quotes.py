"""Quote rules: validity and when a sales rep reviews a quote before it is sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from commerce.catalog import Product
from commerce.customers import Customer
from commerce.pricing import PricedBasket


@dataclass(frozen=True, slots=True)
class QuotePolicy:
    validity_days: int = 30
    review_threshold_ht: Decimal = Decimal("5000")
    investment_categories: frozenset[str] = frozenset({"investissement", "investment"})


def review_reason(
    policy: QuotePolicy, customer: Customer | None, basket: PricedBasket, products: Mapping[str, Product]
) -> str | None:
    """`investment` or `large_amount` when a rep must look first, else None."""
    categories = set(policy.investment_categories)
    if customer is not None:
        categories |= set(customer.approval_categories)
    if any(products[line.sku].category in categories for line in basket.lines):
        return "investment"
    if basket.total_ht >= policy.review_threshold_ht:
        return "large_amount"
    return None


def valid_until(policy: QuotePolicy, today: date) -> date:
    return today + timedelta(days=policy.validity_days)


def is_expired(valid_until_day: date, today: date) -> bool:
    return today > valid_until_day
