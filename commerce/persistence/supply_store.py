"""Supplier orders: batches on their way with their ETA, received into stock.

The incoming figures of a product (`stock.incoming_qty`, `incoming_date`) are derived
from its open batches whenever a supplier order changes, so everything that reads stock
sees them; a flat stock file that says `incoming_qty` itself still wins until the next
supplier order of that product.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commerce.errors import CommerceError, ErrorCode, UnknownProduct
from commerce.persistence import stock_store
from commerce.persistence.stock_store import Allocation
from commerce.persistence.tables import StockRow, SupplyLineRow, SupplyOrderRow

OPEN, DRAFT, RECEIVED, CANCELLED = "open", "draft", "received", "cancelled"


@dataclass(frozen=True, slots=True)
class SupplyLine:
    sku: str
    qty: int
    eta: date | None = None


def get(session: Session, reference: str) -> SupplyOrderRow | None:
    return session.scalars(select(SupplyOrderRow).where(SupplyOrderRow.reference == reference)).first()


def create(session: Session, reference: str, lines: Sequence[SupplyLine], *, now: datetime,
           status: str = OPEN, origin: str = "erp") -> SupplyOrderRow:
    if not reference or not lines:
        raise CommerceError(ErrorCode.BAD_QUANTITY, "a supplier order needs a reference and lines")
    if get(session, reference) is not None:
        raise CommerceError(ErrorCode.DUPLICATE, f"supplier order {reference} already exists", reference=reference)
    for line in lines:
        if session.get(StockRow, line.sku) is None:
            raise UnknownProduct(line.sku)
        if line.qty <= 0:
            raise CommerceError(ErrorCode.BAD_QUANTITY, f"quantity must be positive for {line.sku}", sku=line.sku)
    row = SupplyOrderRow(reference=reference, status=status, origin=origin, created_at=now, updated_at=now,
                         lines=[SupplyLineRow(sku=ln.sku, qty=ln.qty, received_qty=0, eta=ln.eta) for ln in lines])
    session.add(row)
    session.flush()
    if status == OPEN:
        refresh_incoming(session, {ln.sku for ln in lines})
    return row


def confirm(session: Session, reference: str, *, now: datetime) -> SupplyOrderRow:
    """A draft (a restock suggestion taken) is sent to the supplier: its goods count as incoming."""
    row = get(session, reference)
    if row is None:
        raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"unknown supplier order {reference}", reference=reference)
    if row.status == OPEN:
        return row
    if row.status != DRAFT:
        raise CommerceError(ErrorCode.ILLEGAL_TRANSITION, f"supplier order {reference} is {row.status}",
                            current=row.status, target=OPEN)
    row.status, row.updated_at = OPEN, now
    session.flush()
    refresh_incoming(session, {ln.sku for ln in row.lines})
    return row


def receive(session: Session, reference: str, lines: Sequence[SupplyLine], *, now: datetime) -> list[Allocation]:
    """Goods arrived: on hand goes up, the batch goes down, and the units go to the oldest
    pre-orders first (their reservation now holds stock). Receiving more than is still
    expected of a product is refused, and then nothing is received."""
    row = get(session, reference)
    if row is None:
        raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"unknown supplier order {reference}", reference=reference)
    if row.status != OPEN:
        raise CommerceError(ErrorCode.ILLEGAL_TRANSITION, f"supplier order {reference} is {row.status}",
                            current=row.status, target=RECEIVED)
    allocations: list[Allocation] = []
    for line in lines:
        if line.qty <= 0:
            raise CommerceError(ErrorCode.BAD_QUANTITY, f"quantity must be positive for {line.sku}", sku=line.sku)
        batches = [b for b in row.lines if b.sku == line.sku and b.qty > b.received_qty]
        expected = sum(b.qty - b.received_qty for b in batches)
        if line.qty > expected:
            raise CommerceError(ErrorCode.BAD_QUANTITY,
                                f"{line.qty} of {line.sku} received, {expected} expected on {reference}",
                                sku=line.sku, expected=expected)
        left = line.qty
        for batch in sorted(batches, key=lambda b: (b.eta or date.max, b.id)):
            take = min(left, batch.qty - batch.received_qty)
            batch.received_qty += take
            left -= take
        session.execute(update(StockRow).where(StockRow.sku == line.sku)
                        .values(on_hand=StockRow.on_hand + line.qty).execution_options(synchronize_session=False))
        allocations += stock_store.serve_preorders(session, line.sku, line.qty)
    if all(b.received_qty >= b.qty for b in row.lines):
        row.status = RECEIVED
    row.updated_at = now
    session.flush()
    refresh_incoming(session, {ln.sku for ln in lines})
    for sku in sorted({ln.sku for ln in lines}):
        stock_store.check_alert(session, sku, now=now)
    return allocations


def refresh_incoming(session: Session, skus: Iterable[str]) -> None:
    skus = sorted(set(skus))
    batches = stock_store.open_batches(session, skus)
    for sku in skus:
        open_for = batches.get(sku, [])
        dates = [eta for eta, _ in open_for if eta is not None]
        session.execute(update(StockRow).where(StockRow.sku == sku).values(
            incoming_qty=sum(qty for _, qty in open_for), incoming_date=min(dates) if dates else None)
            .execution_options(synchronize_session=False))


def to_dict(row: SupplyOrderRow) -> dict:
    return {"reference": row.reference, "status": row.status, "origin": row.origin,
            "lines": [{"sku": ln.sku, "qty": ln.qty, "received": ln.received_qty,
                       "eta": ln.eta.isoformat() if ln.eta else None} for ln in row.lines]}
