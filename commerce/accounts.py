"""Accounts: encours against the credit limit, payment terms, loyalty tiers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from commerce.money import ZERO, fmt


@dataclass(frozen=True, slots=True)
class LoyaltyTier:
    """A rung of the loyalty ladder: data (imported with `comptoir import tiers`), in French
    and English; its discount, if any, applies on top of the customer's net prices."""

    name: str
    threshold_ht: Decimal  # year-to-date purchases HT from which the tier applies
    benefit: str
    discount_pct: Decimal = ZERO
    name_en: str = ""
    benefit_en: str = ""

    def name_in(self, lang: str) -> str:
        return (self.name_en or self.name) if lang == "en" else self.name

    def benefit_in(self, lang: str) -> str:
        return (self.benefit_en or self.benefit) if lang == "en" else self.benefit


# the ladder used until the distributor imports its own
DEFAULT_TIERS: tuple[LoyaltyTier, ...] = (
    LoyaltyTier("Bronze", Decimal("0"), "Tarifs contractuels", ZERO, "Bronze", "Contract prices"),
    LoyaltyTier("Argent", Decimal("5000"), "Livraison offerte dès 150 € HT", ZERO, "Silver",
                "Free delivery from €150 excl. VAT"),
    LoyaltyTier("Or", Decimal("15000"), "Remise fidélité 2 % et livraison offerte", Decimal("2"), "Gold",
                "2 % loyalty discount and free delivery"),
    LoyaltyTier("Platine", Decimal("40000"), "Remise fidélité 4 %, livraison J+1 offerte", Decimal("4"), "Platinum",
                "4 % loyalty discount, free next-day delivery"),
)


def tier_for(ytd_ht: Decimal, tiers: Sequence[LoyaltyTier] = DEFAULT_TIERS):
    """(current tier, next tier or None, amount HT still to buy to reach it)."""
    ordered = sorted(tiers, key=lambda t: t.threshold_ht)
    current = ordered[0]
    for tier in ordered:
        if ytd_ht >= tier.threshold_ht:
            current = tier
    following = [t for t in ordered if t.threshold_ht > ytd_ht]
    nxt = following[0] if following else None
    to_next = (nxt.threshold_ht - ytd_ht) if nxt else ZERO
    return current, nxt, to_next


@dataclass(frozen=True, slots=True)
class CreditDecision:
    allowed: bool
    reason: str  # "within_limit" | "over_limit" | "no_credit"
    encours: Decimal
    credit_limit: Decimal
    headroom: Decimal


def credit_check(encours: Decimal, credit_limit: Decimal, order_ttc: Decimal) -> CreditDecision:
    """Can an order of `order_ttc` be added to what the customer already owes?"""
    headroom = credit_limit - encours
    if credit_limit <= ZERO:
        return CreditDecision(False, "no_credit", encours, credit_limit, headroom)
    if encours + order_ttc > credit_limit:
        return CreditDecision(False, "over_limit", encours, credit_limit, headroom)
    return CreditDecision(True, "within_limit", encours, credit_limit, headroom)


@dataclass(frozen=True, slots=True)
class AccountSummary:
    customer_id: str
    customer_name: str
    encours: Decimal
    credit_limit: Decimal
    payment_terms_days: int
    ytd_purchases_ht: Decimal
    tier: LoyaltyTier
    next_tier: LoyaltyTier | None
    to_next_tier_ht: Decimal

    def to_dict(self) -> dict:
        """The `comptoir account --json` shape of DESIGN.md."""
        return {
            "customer": self.customer_id,
            "encours": fmt(self.encours),
            "credit_limit": fmt(self.credit_limit),
            "payment_terms_days": self.payment_terms_days,
            "ytd_purchases_ht": fmt(self.ytd_purchases_ht),
            "tier": self.tier.name,
            "next_tier": self.next_tier.name if self.next_tier else None,
            "to_next_tier_ht": fmt(self.to_next_tier_ht),
        }
