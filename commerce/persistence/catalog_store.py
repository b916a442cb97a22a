"""Reading the catalog, customers, contacts and conditions; ending and deleting a condition."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from commerce.accounts import DEFAULT_TIERS, LoyaltyTier, tier_for
from commerce.catalog import Product
from commerce.conditions import Condition, CustomerTerms
from commerce.customers import Contact, Customer
from commerce.errors import CommerceError, ErrorCode, UnknownCustomer, UnknownProduct
from commerce.persistence.mapping import (
    condition_from_row,
    contact_from_row,
    customer_from_row,
    product_from_row,
)
from commerce.persistence.tables import (
    ConditionRow,
    ContactRow,
    CustomerRow,
    LoyaltyTierRow,
    ProductRow,
)


def get_product(session: Session, sku: str) -> Product:
    row = session.get(ProductRow, sku)
    if row is None:
        raise UnknownProduct(sku)
    return product_from_row(row)


def get_products(session: Session, skus: Iterable[str]) -> dict[str, Product]:
    wanted = sorted(set(skus))
    found: dict[str, Product] = {}
    for start in range(0, len(wanted), 500):  # stay under bind-parameter limits
        chunk = wanted[start : start + 500]
        for row in session.scalars(select(ProductRow).where(ProductRow.sku.in_(chunk))):
            found[row.sku] = product_from_row(row)
    return found


def all_products(session: Session, *, active_only: bool = True) -> list[Product]:
    query = select(ProductRow).order_by(ProductRow.sku)
    if active_only:
        query = query.where(ProductRow.active.is_(True))
    return [product_from_row(row) for row in session.scalars(query)]


def catalog_version(session: Session) -> tuple:
    """Changes whenever the catalog does: lets the parser index be rebuilt only then."""
    return tuple(session.execute(select(func.count(), func.max(ProductRow.updated_at))).one())


def get_customer(session: Session, customer_id: str) -> Customer:
    row = session.get(CustomerRow, customer_id)
    if row is None:
        raise UnknownCustomer(customer_id)
    return customer_from_row(row)


def find_customer(session: Session, text: str) -> Customer | None:
    """A customer by id or by name, case-insensitively (for "commande pour ACME")."""
    needle = text.strip()
    if not needle:
        return None
    row = session.get(CustomerRow, needle) or session.scalars(
        select(CustomerRow).where(
            or_(
                func.lower(CustomerRow.customer_id) == needle.lower(),
                func.lower(CustomerRow.name) == needle.lower(),
            )
        )
    ).first()
    return customer_from_row(row) if row else None


def get_contact(session: Session, email: str) -> Contact | None:
    row = session.get(ContactRow, email.strip().lower())
    return contact_from_row(row) if row else None


def contact_by_slack_id(session: Session, slack_user_id: str) -> Contact | None:
    row = session.scalars(select(ContactRow).where(ContactRow.slack_user_id == slack_user_id)).first()
    return contact_from_row(row) if row else None


def contacts_of(session: Session, customer_id: str, role: str | None = None) -> list[Contact]:
    query = select(ContactRow).where(ContactRow.customer_id == customer_id)
    if role:
        query = query.where(ContactRow.role == role)
    return [contact_from_row(row) for row in session.scalars(query.order_by(ContactRow.email))]


def conditions_for(session: Session, customer: Customer) -> list[Condition]:
    """Rules that may target this customer (its own, its segment's, everyone's)."""
    query = select(ConditionRow).where(
        or_(
            ConditionRow.customer_id == customer.customer_id,
            (ConditionRow.customer_id == "") & (ConditionRow.segment == customer.segment),
            (ConditionRow.customer_id == "") & (ConditionRow.segment == ""),
        )
    )
    return [condition_from_row(row) for row in session.scalars(query)]


def all_conditions(session: Session) -> list[Condition]:
    return [condition_from_row(row) for row in session.scalars(select(ConditionRow))]


def list_conditions(session: Session, customer_id: str | None = None) -> list[Condition]:
    """The rules, by id; with a customer, those that target it (its own, its segment's, everyone's)."""
    rules = [condition_from_row(row) for row in session.scalars(select(ConditionRow).order_by(ConditionRow.id))]
    if customer_id is None:
        return rules
    customer = get_customer(session, customer_id)
    return [rule for rule in rules if rule.targets(customer)]


def end_condition(session: Session, rule_id: int, on: date) -> Condition:
    """The rule applies up to `on` included, then no more (its history stays readable)."""
    row = _condition_row(session, rule_id)
    if row.starts_on is not None and on < row.starts_on:
        raise CommerceError(ErrorCode.BAD_DATE, f"rule {rule_id} starts on {row.starts_on}: it cannot end on {on}")
    if row.ends_on is None or on < row.ends_on:
        row.ends_on = on
    session.flush()
    return condition_from_row(row)


def delete_condition(session: Session, rule_id: int) -> Condition:
    row = _condition_row(session, rule_id)
    rule = condition_from_row(row)
    session.delete(row)
    session.flush()
    return rule


def _condition_row(session: Session, rule_id: int) -> ConditionRow:
    row = session.get(ConditionRow, rule_id)
    if row is None:
        raise CommerceError(ErrorCode.UNKNOWN_CONDITION, f"no condition #{rule_id}")
    return row


def loyalty_tiers(session: Session) -> tuple[LoyaltyTier, ...]:
    """The distributor's ladder, lowest first; the default one until a ladder is imported."""
    rows = session.scalars(select(LoyaltyTierRow).order_by(LoyaltyTierRow.threshold_ht)).all()
    if not rows:
        return DEFAULT_TIERS
    tiers = [LoyaltyTier(r.name, Decimal(r.threshold_ht), r.benefit, Decimal(r.discount_pct), r.name_en, r.benefit_en)
             for r in rows]
    return tuple(sorted(tiers, key=lambda t: t.threshold_ht))  # in Decimal: text on SQLite does not sort


def terms_for(session: Session, customer: Customer, day: date) -> CustomerTerms:
    """The customer's conditions of `day`, and the loyalty tier its purchases of the year reached."""
    from commerce.persistence import orders_store

    ytd = orders_store.purchases_ht(session, customer.customer_id, date(day.year, 1, 1), day)
    tier, _, _ = tier_for(ytd, loyalty_tiers(session))
    return CustomerTerms(customer, conditions_for(session, customer), day, loyalty=tier)


def sales_reps(session: Session) -> list[Contact]:
    query = select(ContactRow).where(ContactRow.role == "sales_rep").order_by(ContactRow.email)
    return [contact_from_row(row) for row in session.scalars(query)]
