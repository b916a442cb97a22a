"""Customers and their contacts (plain values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from commerce.errors import CommerceError, ErrorCode
from commerce.vat import Regime, regime_for

# French law (art. L441-10 Code de commerce) caps payment terms at 60 days.
MAX_PAYMENT_TERMS_DAYS = 60


class Role(StrEnum):
    REQUESTER = "requester"
    BUYER = "buyer"
    APPROVER = "approver"
    SALES_REP = "sales_rep"


def check_payment_terms(days: int) -> int:
    if not 0 <= days <= MAX_PAYMENT_TERMS_DAYS:
        raise CommerceError(
            ErrorCode.BAD_PAYMENT_TERMS,
            f"payment terms must be between 0 and {MAX_PAYMENT_TERMS_DAYS} days, got {days}",
        )
    return days


@dataclass(frozen=True, slots=True)
class Customer:
    customer_id: str
    name: str
    segment: str = ""
    country: str = "FR"
    vat_number: str | None = None
    payment_terms_days: int = 30
    credit_limit: Decimal = Decimal("0.00")
    approval_threshold_ht: Decimal | None = None
    sales_rep_email: str | None = None
    approval_categories: tuple[str, ...] = ()

    @property
    def regime(self) -> Regime:
        return regime_for(self.country, self.vat_number)


@dataclass(frozen=True, slots=True)
class Contact:
    email: str
    name: str
    role: Role
    customer_id: str | None = None
    slack_user_id: str | None = None
    language: str = "fr"
    decision_weight: int | None = None
    budget_release_on: date | None = None
    projects: tuple[str, ...] = field(default=())
    notes: str = ""
