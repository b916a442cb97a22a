"""Use cases of the commerce core. Each takes the session and the day explicitly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from commerce.accounts import AccountSummary, LoyaltyTier, tier_for
from commerce.conditions import CustomerTerms
from commerce.errors import ErrorCode
from commerce.persistence import catalog_store, orders_store
from commerce.pricing import BasketLine, PricedBasket, check_quantity, price_basket


def price_for(
    session: Session, customer_id: str, lines: Sequence[BasketLine], day: date
) -> PricedBasket:
    """Price a basket with the customer's conditions of `day` (hidden products are unknown)."""
    customer = catalog_store.get_customer(session, customer_id)
    terms = catalog_store.terms_for(session, customer, day)
    products = catalog_store.get_products(session, (line.sku for line in lines))
    return price_basket(terms, products, lines)


@dataclass(frozen=True, slots=True)
class LineIssue:
    sku: str
    code: ErrorCode
    requested: int
    allowed: int | None = None  # what could be ordered instead, when there is an answer


def order_line_issues(
    session: Session, terms: CustomerTerms, lines: Sequence[BasketLine]
) -> list[LineIssue]:
    """Why lines cannot be ordered as asked: visibility, minimum quantity, cumulative limits."""
    products = catalog_store.get_products(session, (line.sku for line in lines))
    issues: list[LineIssue] = []
    used_in_basket: dict[int | tuple, int] = {}
    for line in lines:
        check_quantity(line.qty)
        product = products.get(line.sku)
        if product is None or not terms.visibility(product).allowed:
            issues.append(LineIssue(line.sku, ErrorCode.UNKNOWN_PRODUCT, line.qty))
            continue
        if line.qty < product.min_order_qty:
            issues.append(
                LineIssue(line.sku, ErrorCode.BELOW_MIN_ORDER_QTY, line.qty, product.min_order_qty)
            )
            continue
        rule = terms.quantity_limit(product)
        if rule is None or rule.value is None:
            continue
        key = rule.rule_id if rule.rule_id is not None else rule.identity()
        already = used_in_basket.get(key)
        if already is None:
            already = orders_store.ordered_quantity(
                session, terms.customer.customer_id, rule, rule.window(terms.day)
            )
        remaining = max(0, int(rule.value) - already)
        if line.qty > remaining:
            issues.append(LineIssue(line.sku, ErrorCode.QUANTITY_LIMIT, line.qty, remaining))
            used_in_basket[key] = already
        else:
            used_in_basket[key] = already + line.qty
    return issues


def account_summary(
    session: Session,
    customer_id: str,
    today: date,
    tiers: Sequence[LoyaltyTier] | None = None,
) -> AccountSummary:
    customer = catalog_store.get_customer(session, customer_id)
    ytd = orders_store.purchases_ht(session, customer_id, date(today.year, 1, 1), today)
    tier, next_tier, to_next = tier_for(ytd, tiers if tiers is not None else catalog_store.loyalty_tiers(session))
    return AccountSummary(
        customer_id=customer.customer_id,
        customer_name=customer.name,
        encours=orders_store.encours(session, customer_id),
        credit_limit=customer.credit_limit,
        payment_terms_days=customer.payment_terms_days,
        ytd_purchases_ht=ytd,
        tier=tier,
        next_tier=next_tier,
        to_next_tier_ht=to_next,
    )
