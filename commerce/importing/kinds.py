"""What each CSV kind must contain, and how a row becomes table values.

A reader gets one row (a dict) and the `Known` context (SKUs, customers... already in the
database or earlier in the same file) and returns the values to store, or raises
ValueError with the reason that goes into the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from babel import Locale

from commerce.conditions import Condition, ConditionKind
from commerce.customers import MAX_PAYMENT_TERMS_DAYS, Role
from commerce.errors import CommerceError
from commerce.importing import fields as f
from commerce.vat import EU_COUNTRIES, FRANCE_FOR_VAT, parse_vat_rate, valid_eu_vat_number

COUNTRIES = frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())

HEADERS: dict[str, tuple[str, ...]] = {
    "catalog": ("sku", "name", "category", "unit", "pack_size", "price_ht", "vat_rate", "aliases",
                "preorderable", "min_order_qty", "active"),
    "stock": ("sku", "on_hand", "incoming_qty", "incoming_date", "alert_threshold", "safety_stock"),
    "customers": ("customer_id", "name", "segment", "country", "vat_number", "payment_terms_days",
                  "credit_limit", "approval_threshold_ht"),
    "contacts": ("email", "name", "customer_id", "role", "slack_user_id", "language"),
    "conditions": ("customer_id", "segment", "sku", "category", "kind", "value", "min_qty",
                   "starts_on", "ends_on", "best_price"),
    "tiers": ("name", "threshold_ht", "discount_pct", "benefit", "name_en", "benefit_en"),
}
# Columns a file may omit (the reader then uses its default).
OPTIONAL: dict[str, frozenset[str]] = {
    "catalog": frozenset({"aliases", "preorderable", "min_order_qty", "pack_size", "active"}),
    "stock": frozenset({"incoming_qty", "incoming_date", "alert_threshold", "safety_stock"}),
    "customers": frozenset({"segment", "vat_number", "approval_threshold_ht"}),
    "contacts": frozenset({"slack_user_id", "language", "customer_id"}),
    "conditions": frozenset({"min_qty", "starts_on", "ends_on", "value", "best_price"}),
    "tiers": frozenset({"discount_pct", "benefit", "name_en", "benefit_en"}),
}
KEYS = {"catalog": "sku", "stock": "sku", "customers": "customer_id", "contacts": "email", "tiers": "name"}
LANGUAGES = {"fr", "en"}


@dataclass
class Known:
    skus: set[str] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)
    slack_ids: dict[str, str] = field(default_factory=dict)  # slack id -> email
    segments: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def read_catalog(row: dict, known: Known, line: int) -> dict:
    sku = f.required(row, "sku")
    if any(ch.isspace() for ch in sku):
        raise ValueError(f"sku contains spaces: {sku!r}")
    try:
        vat_rate = parse_vat_rate(f.required(row, "vat_rate").rstrip("%").strip())
    except CommerceError as error:
        raise ValueError(str(error)) from None
    return dict(
        sku=sku,
        name=f.required(row, "name"),
        category=f.required(row, "category"),
        unit=f.text(row, "unit") or "pièce",
        pack_size=f.integer(row, "pack_size", default=1, minimum=1),
        price_ht=f.amount(row, "price_ht"),
        vat_rate=vat_rate,
        aliases="|".join(a.strip() for a in f.text(row, "aliases").split("|") if a.strip()),
        preorderable=f.boolean(row, "preorderable"),
        min_order_qty=f.integer(row, "min_order_qty", default=1, minimum=1),
        # a retired product (active = false) disappears for buyers; its orders and quotes stay
        active=f.boolean(row, "active") if f.text(row, "active") else True,
    )


def read_stock(row: dict, known: Known, line: int) -> dict:
    sku = f.required(row, "sku")
    if sku not in known.skus:
        raise ValueError(f"unknown SKU: {sku}")
    incoming_qty = f.integer(row, "incoming_qty", default=0)
    incoming_date = f.iso_date(row, "incoming_date")
    if incoming_qty and incoming_date is None:
        known.warnings.append((line, f"{sku}: incoming quantity without a date"))
    as_of = f.text(row, "as_of")
    snapshot = None
    if as_of:
        try:
            snapshot = datetime.fromisoformat(as_of)
        except ValueError:
            raise ValueError(f"as_of is not an ISO date-time: {as_of!r}") from None
        if snapshot.tzinfo is None:
            snapshot = snapshot.replace(tzinfo=UTC)
    return dict(
        sku=sku,
        on_hand=f.integer(row, "on_hand"),
        incoming_qty=incoming_qty,
        incoming_date=incoming_date if incoming_qty else None,
        alert_threshold=f.integer(row, "alert_threshold", default=0),
        safety_stock=f.integer(row, "safety_stock", default=0),
        as_of=snapshot,
    )


def read_customer(row: dict, known: Known, line: int) -> dict:
    customer_id = f.required(row, "customer_id")
    country = f.required(row, "country").upper()
    if country not in COUNTRIES:
        raise ValueError(f"country is not an ISO 3166 alpha-2 code: {country!r}")
    terms = f.integer(row, "payment_terms_days")
    if terms > MAX_PAYMENT_TERMS_DAYS:
        raise ValueError(
            f"payment_terms_days {terms} exceeds the legal maximum of {MAX_PAYMENT_TERMS_DAYS}"
        )
    vat_number = f.text(row, "vat_number").replace(" ", "") or None
    if vat_number and country in EU_COUNTRIES and not valid_eu_vat_number(vat_number, country):
        regime = "French VAT applies" if country not in FRANCE_FOR_VAT else "kept as is"
        known.warnings.append((line, f"{customer_id}: invalid VAT number {vat_number} ({regime})"))
    rep = f.text(row, "sales_rep_email").lower() or None
    if rep and not f.EMAIL.match(rep):
        raise ValueError(f"sales_rep_email is not an email address: {rep!r}")
    categories = "|".join(c.strip() for c in f.text(row, "approval_categories").split("|") if c.strip())
    return dict(
        customer_id=customer_id,
        name=f.required(row, "name"),
        segment=f.text(row, "segment"),
        country=country,
        vat_number=vat_number,
        payment_terms_days=terms,
        credit_limit=f.amount(row, "credit_limit"),
        approval_threshold_ht=f.amount(row, "approval_threshold_ht", optional=True),
        approval_categories=categories,
        sales_rep_email=rep,
    )


def read_contact(row: dict, known: Known, line: int) -> dict:
    email = f.email(row, "email")
    role_text = f.required(row, "role").lower()
    try:
        role = Role(role_text)
    except ValueError:
        raise ValueError(
            f"role must be one of {', '.join(r.value for r in Role)}: {role_text!r}"
        ) from None
    customer_id = f.text(row, "customer_id") or None
    if role is Role.SALES_REP:
        if customer_id:
            raise ValueError("a sales_rep has no customer_id")
    elif not customer_id:
        raise ValueError(f"a {role.value} needs a customer_id")
    elif customer_id not in known.customers:
        raise ValueError(f"unknown customer: {customer_id}")
    slack_id = f.text(row, "slack_user_id") or None
    if slack_id:
        owner = known.slack_ids.get(slack_id)
        if owner and owner != email:
            raise ValueError(f"slack_user_id {slack_id} already belongs to {owner}")
        known.slack_ids[slack_id] = email
    language = (f.text(row, "language") or "fr").lower()[:2]
    if language not in LANGUAGES:
        raise ValueError(f"language must be fr or en: {language!r}")
    weight = f.text(row, "decision_weight")
    return dict(
        email=email,
        name=f.required(row, "name"),
        customer_id=customer_id,
        role=role.value,
        slack_user_id=slack_id,
        language=language,
        decision_weight=f.integer(row, "decision_weight", default=0) if weight else None,
        budget_release_on=f.iso_date(row, "budget_release_on"),
        projects="|".join(p.strip() for p in f.text(row, "projects").split("|") if p.strip()),
        notes=f.text(row, "notes"),
    )


def read_condition(row: dict, known: Known, line: int) -> Condition:
    customer_id = f.text(row, "customer_id") or None
    segment = f.text(row, "segment") or None
    sku = f.text(row, "sku") or None
    category = f.text(row, "category") or None
    if customer_id and segment:
        raise ValueError("give customer_id or segment, not both")
    if sku and category:
        raise ValueError("give sku or category, not both")
    if customer_id and customer_id not in known.customers:
        raise ValueError(f"unknown customer: {customer_id}")
    if sku and sku not in known.skus:
        raise ValueError(f"unknown SKU: {sku}")
    # a rule for a segment or a category nobody has yet is kept (customers and products may come
    # later), but said: a typo would otherwise silently apply to nobody
    if segment and segment not in known.segments:
        known.warnings.append((line, f"no customer is in segment {segment!r} yet"))
    if category and category not in known.categories:
        known.warnings.append((line, f"no product is in category {category!r} yet"))
    kind_text = f.required(row, "kind").lower()
    try:
        kind = ConditionKind(kind_text)
    except ValueError:
        raise ValueError(
            f"kind must be one of {', '.join(k.value for k in ConditionKind)}: {kind_text!r}"
        ) from None
    value = None
    if kind is ConditionKind.PRICE_HT:
        value = f.amount(row, "value")
    elif kind is ConditionKind.DISCOUNT_PCT:
        value = f.amount({"value": f.text(row, "value").rstrip("%").strip()}, "value")
        if not 0 < value <= 100:
            raise ValueError(f"discount_pct must be between 0 and 100: {value}")
    elif kind is ConditionKind.MAX_QTY:
        value = f.integer(row, "value")
    starts_on, ends_on = f.iso_date(row, "starts_on"), f.iso_date(row, "ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValueError(f"ends_on {ends_on} is before starts_on {starts_on}")
    best_price = f.boolean(row, "best_price") if f.text(row, "best_price") else False
    if best_price and kind not in (ConditionKind.PRICE_HT, ConditionKind.DISCOUNT_PCT):
        raise ValueError(f"best_price is for price_ht and discount_pct rules, not {kind.value}")
    return Condition(
        kind=kind,
        value=Decimal(value) if value is not None else None,
        customer_id=customer_id,
        segment=segment,
        sku=sku,
        category=category,
        min_qty=f.integer(row, "min_qty", default=0),
        starts_on=starts_on,
        ends_on=ends_on,
        best_price=best_price,
    )


def read_tier(row: dict, known: Known, line: int) -> dict:
    """A rung of the loyalty ladder: from `threshold_ht` purchases HT in the year, `discount_pct`
    on every net price (0 when the benefit is not a discount), named in French and English."""
    discount = f.amount({"value": f.text(row, "discount_pct").rstrip("%").strip()}, "value", optional=True)
    if discount is not None and not 0 <= discount < 100:
        raise ValueError(f"discount_pct must be from 0 to 100 (excluded): {discount}")
    return dict(name=f.required(row, "name"), threshold_ht=f.amount(row, "threshold_ht"),
                discount_pct=discount if discount is not None else Decimal("0"), benefit=f.text(row, "benefit"),
                name_en=f.text(row, "name_en"), benefit_en=f.text(row, "benefit_en"))


READERS = {
    "catalog": read_catalog,
    "stock": read_stock,
    "customers": read_customer,
    "contacts": read_contact,
    "conditions": read_condition,
    "tiers": read_tier,
}
