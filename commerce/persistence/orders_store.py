"""Orders, document numbers, and the sums that accounts and limits are made of."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from commerce.conditions import Condition
from commerce.days import day_bounds
from commerce.money import ZERO
from commerce.persistence.tables import InvoiceRow, OrderLineRow, OrderRow, ProductRow, SequenceRow
from commerce.pricing import PricedBasket
from commerce.statuses import (
    COMMITTED_STATUSES,
    OWED_STATUSES,
    PURCHASED_STATUSES,
    OrderStatus,
    order_transition,
)


def next_number(session: Session, prefix: str, year: int) -> str:
    """`C-2026-0001`, `D-2026-0142`: gapless per prefix and year, safe under concurrency."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(SequenceRow)
        .values(prefix=prefix, year=year, value=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    value = session.execute(
        update(SequenceRow)
        .where(SequenceRow.prefix == prefix, SequenceRow.year == year)
        .values(value=SequenceRow.value + 1)
        .returning(SequenceRow.value)
    ).scalar_one()
    return f"{prefix}-{year}-{value:04d}"


def create_order(
    session: Session,
    basket: PricedBasket,
    *,
    status: str,
    now: datetime,
    placed_by: str | None = None,
    on_behalf_by: str | None = None,
    preorder_qty: dict[str, int] | None = None,
) -> OrderRow:
    order = OrderRow(
        number=next_number(session, "C", now.year),
        customer_id=basket.customer_id,
        status=status,
        placed_by=placed_by,
        on_behalf_by=on_behalf_by,
        regime=basket.vat.regime.value,
        total_ht=basket.total_ht,
        total_vat=basket.total_vat,
        total_ttc=basket.total_ttc,
        created_at=now,
        updated_at=now,
    )
    for position, line in enumerate(basket.lines, start=1):
        order.lines.append(
            OrderLineRow(
                position=position,
                sku=line.sku,
                name=line.name,
                qty=line.qty,
                preorder_qty=(preorder_qty or {}).get(line.sku, 0),
                unit_price_ht=line.unit_price_ht,
                total_ht=line.total_ht,
                vat_rate=line.vat_rate,
                explain="\n".join(line.explain),
            )
        )
    session.add(order)
    session.flush()
    return order


def set_order_status(session: Session, order: OrderRow, target: str, *, now: datetime) -> bool:
    """Move an order through the transition table; guarded so the first mover wins."""
    if not order_transition(order.status, target):
        return False
    result = session.execute(
        update(OrderRow)
        .where(OrderRow.id == order.id, OrderRow.status == order.status)
        .values(status=target, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(order)
        return False
    session.refresh(order)
    return True


def get_order(session: Session, number: str) -> OrderRow | None:
    return session.scalars(select(OrderRow).where(OrderRow.number == number)).first()


def ordered_quantity(
    session: Session, customer_id: str, rule: Condition, window: tuple[date, date]
) -> int:
    """What this customer has already committed to, of the products a `max_qty` rule covers."""
    lo, hi = day_bounds(*window)
    query = (
        select(func.coalesce(func.sum(OrderLineRow.qty), 0))
        .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
        .where(
            OrderRow.customer_id == customer_id,
            OrderRow.status.in_([s.value for s in COMMITTED_STATUSES]),
            OrderRow.created_at >= lo,
            OrderRow.created_at <= hi,
        )
    )
    if rule.sku:
        query = query.where(OrderLineRow.sku == rule.sku)
    elif rule.category:
        query = query.join(ProductRow, ProductRow.sku == OrderLineRow.sku).where(
            ProductRow.category == rule.category
        )
    return int(session.execute(query).scalar_one())


def encours(session: Session, customer_id: str) -> Decimal:
    """What the customer owes now: orders confirmed and not yet paid, TTC, less what their
    invoices have already received or credited."""
    owed = session.execute(select(OrderRow.id, OrderRow.total_ttc).where(
        OrderRow.customer_id == customer_id, OrderRow.status.in_([s.value for s in OWED_STATUSES]))).all()
    total = sum((Decimal(ttc) for _, ttc in owed), ZERO)
    if owed:
        settled = session.execute(select(InvoiceRow.paid, InvoiceRow.credited).where(
            InvoiceRow.order_id.in_([order_id for order_id, _ in owed]))).all()
        total -= sum((Decimal(paid) + Decimal(credited) for paid, credited in settled), ZERO)
    return max(total, ZERO).quantize(Decimal("0.01"))


def credit_exposure(session: Session, customer_id: str, *, excluding: str | None = None) -> Decimal:
    """What the credit limit must cover: the encours and the orders waiting for approval (an
    approval confirms them without another look at credit unless it re-checks this figure)."""
    pending = _total(session, OrderRow.total_ttc, OrderRow.customer_id == customer_id,
                     OrderRow.status == OrderStatus.PENDING_APPROVAL.value,
                     *((OrderRow.number != excluding,) if excluding else ()))
    return encours(session, customer_id) + pending


def _total(session: Session, column, *where) -> Decimal:
    """A sum of money in Decimal, added here: the database's SUM may go through floats."""
    values = session.scalars(select(column).where(*where))
    return sum((Decimal(v) for v in values if v is not None), ZERO).quantize(Decimal("0.01"))


def purchases_ht(session: Session, customer_id: str, start: date, end: date) -> Decimal:
    lo, hi = day_bounds(start, end)
    return _total(session, OrderRow.total_ht, OrderRow.customer_id == customer_id,
                  OrderRow.status.in_([s.value for s in PURCHASED_STATUSES]),
                  OrderRow.created_at >= lo, OrderRow.created_at <= hi)
