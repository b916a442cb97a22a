"""Rows <-> domain values."""

from __future__ import annotations

from decimal import Decimal

from commerce.catalog import Product
from commerce.conditions import Condition, ConditionKind
from commerce.customers import Contact, Customer, Role
from commerce.persistence.tables import ConditionRow, ContactRow, CustomerRow, ProductRow, StockRow
from commerce.stock import StockFigures


def split_pipes(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split("|") if part.strip())


def product_from_row(row: ProductRow) -> Product:
    return Product(
        sku=row.sku,
        name=row.name,
        category=row.category,
        unit=row.unit,
        pack_size=row.pack_size,
        price_ht=Decimal(row.price_ht),
        vat_rate=Decimal(row.vat_rate).normalize(),
        aliases=split_pipes(row.aliases),
        preorderable=row.preorderable,
        min_order_qty=row.min_order_qty,
        active=row.active,
    )


def customer_from_row(row: CustomerRow) -> Customer:
    return Customer(
        customer_id=row.customer_id,
        name=row.name,
        segment=row.segment,
        country=row.country,
        vat_number=row.vat_number,
        payment_terms_days=row.payment_terms_days,
        credit_limit=Decimal(row.credit_limit),
        approval_threshold_ht=(
            Decimal(row.approval_threshold_ht) if row.approval_threshold_ht is not None else None
        ),
        sales_rep_email=row.sales_rep_email,
        approval_categories=split_pipes(row.approval_categories),
    )


def contact_from_row(row: ContactRow) -> Contact:
    return Contact(
        email=row.email,
        name=row.name,
        role=Role(row.role),
        customer_id=row.customer_id,
        slack_user_id=row.slack_user_id,
        language=row.language,
        decision_weight=row.decision_weight,
        budget_release_on=row.budget_release_on,
        projects=split_pipes(row.projects),
        notes=row.notes,
    )


def condition_from_row(row: ConditionRow) -> Condition:
    return Condition(
        kind=ConditionKind(row.kind),
        value=Decimal(row.value) if row.value is not None else None,
        customer_id=row.customer_id or None,
        segment=row.segment or None,
        sku=row.sku or None,
        category=row.category or None,
        min_qty=row.min_qty,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        rule_id=row.id,
        best_price=bool(row.best_price),
    )


def figures_from_row(row: StockRow) -> StockFigures:
    return StockFigures(
        sku=row.sku,
        on_hand=row.on_hand,
        reserved=row.reserved,
        incoming=row.incoming_qty,
        incoming_date=row.incoming_date,
        alert_threshold=row.alert_threshold,
        safety_stock=row.safety_stock,
        preordered=row.preordered,
    )
