"""Orders a sales rep places for a customer: the extra discount is capped by authority.

The cap is measured on the effective net unit price against the customer's own price,
so lowering a unit price cannot get around a cap that a discount field would respect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from commerce.money import HUNDRED, apply_discount, fmt, line_total
from commerce.pricing import PricedLine


@dataclass(frozen=True, slots=True)
class RepPriceDecision:
    allowed: bool
    unit_price_ht: Decimal
    effective_discount_pct: Decimal
    authority_pct: Decimal


def check_rep_price(customer_price: Decimal, proposed: Decimal, authority_pct: Decimal) -> RepPriceDecision:
    if customer_price <= 0:
        effective = Decimal(0)
    else:
        effective = ((customer_price - proposed) / customer_price * HUNDRED).quantize(Decimal("0.01"))
    return RepPriceDecision(effective <= authority_pct, proposed, effective, authority_pct)


def with_rep_discount(line: PricedLine, pct: Decimal, authority_pct: Decimal, rep: str) -> tuple[PricedLine, RepPriceDecision]:
    """The line at the rep's discounted price, and whether the rep may grant it."""
    proposed = apply_discount(line.unit_price_ht, pct)
    decision = check_rep_price(line.unit_price_ht, proposed, authority_pct)
    if not decision.allowed:
        return line, decision
    step = (
        f"sales rep discount {pct.normalize():f} % by {rep} "
        f"(authority {authority_pct.normalize():f} %) -> {fmt(proposed)}"
    )
    return (
        replace(line, unit_price_ht=proposed, total_ht=line_total(proposed, line.qty),
                explain=(*line.explain, step)),
        decision,
    )
