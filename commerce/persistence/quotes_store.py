"""Quotes: numbered, priced with the customer's conditions, valid for a period."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commerce.persistence.orders_store import next_number
from commerce.persistence.tables import QuoteLineRow, QuoteRow
from commerce.pricing import PricedBasket
from commerce.statuses import quote_transition


def create_quote(
    session: Session,
    basket: PricedBasket,
    *,
    requested_by: str,
    status: str,
    valid_until: date,
    now: datetime,
    review_reason: str | None = None,
) -> QuoteRow:
    quote = QuoteRow(
        number=next_number(session, "D", now.year),
        customer_id=basket.customer_id,
        requested_by=requested_by,
        status=status,
        review_reason=review_reason,
        regime=basket.vat.regime.value,
        total_ht=basket.total_ht,
        total_vat=basket.total_vat,
        total_ttc=basket.total_ttc,
        valid_until=valid_until,
        created_at=now,
        updated_at=now,
    )
    for position, line in enumerate(basket.lines, start=1):
        quote.lines.append(
            QuoteLineRow(
                position=position,
                sku=line.sku,
                name=line.name,
                qty=line.qty,
                unit_price_ht=line.unit_price_ht,
                total_ht=line.total_ht,
                vat_rate=line.vat_rate,
                explain="\n".join(line.explain),
            )
        )
    session.add(quote)
    session.flush()
    return quote


def get_quote(session: Session, number: str) -> QuoteRow | None:
    return session.scalars(select(QuoteRow).where(QuoteRow.number == number.upper())).first()


def latest_quote(session: Session, customer_id: str) -> QuoteRow | None:
    return session.scalars(
        select(QuoteRow).where(QuoteRow.customer_id == customer_id).order_by(QuoteRow.id.desc())
    ).first()


def set_quote_status(session: Session, quote: QuoteRow, target: str, *, now: datetime) -> bool:
    if not quote_transition(quote.status, target):
        return False
    result = session.execute(
        update(QuoteRow)
        .where(QuoteRow.id == quote.id, QuoteRow.status == quote.status)
        .values(status=target, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(quote)
    return result.rowcount == 1
