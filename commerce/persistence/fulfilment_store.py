"""From a confirmed order to cash: shipments, invoices, payments and credit notes.

Each step moves the order through the status table (an illegal move raises
IllegalTransition); partial shipments and partial payments are first-class: an order is
`partially_shipped` until its last unit leaves, `invoiced` once all of it is invoiced,
`paid` when its invoices are settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.errors import CommerceError, ErrorCode, IllegalTransition
from commerce.money import ZERO, line_total, round_cent, to_decimal
from commerce.persistence import stock_store
from commerce.persistence.orders_store import get_order, set_order_status
from commerce.persistence.tables import (
    CreditNoteRow,
    CustomerRow,
    InvoiceRow,
    OrderRow,
    PaymentRow,
    ShipmentLineRow,
    ShipmentRow,
)
from commerce.statuses import SHIPPABLE_STATUSES, OrderStatus
from commerce.vat import Regime, summarize


@dataclass(frozen=True, slots=True)
class Quantity:
    sku: str
    qty: int


def _order(session: Session, number: str) -> OrderRow:
    order = get_order(session, number)
    if order is None:
        raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"unknown order {number}", reference=number)
    return order


def ship(session: Session, number: str, lines: Sequence[Quantity], *, carrier: str, tracking: str,
         now: datetime) -> ShipmentRow:
    """Goods leave for order `number`: the reservation is consumed, on hand goes down."""
    order = _order(session, number)
    if OrderStatus(order.status) not in SHIPPABLE_STATUSES:
        raise IllegalTransition("order", order.status, OrderStatus.SHIPPED.value)
    by_sku = {line.sku: line for line in order.lines}
    wanted: dict[str, int] = {}
    for item in lines:
        if item.qty <= 0:
            raise CommerceError(ErrorCode.BAD_QUANTITY, f"quantity must be positive for {item.sku}", sku=item.sku)
        wanted[item.sku] = wanted.get(item.sku, 0) + item.qty
    if not wanted:
        raise CommerceError(ErrorCode.BAD_QUANTITY, "a shipment needs lines")
    for sku, qty in wanted.items():
        line = by_sku.get(sku)
        if line is None:
            raise CommerceError(ErrorCode.UNKNOWN_PRODUCT, f"{sku} is not on order {number}", sku=sku)
        if qty > line.qty - line.shipped_qty:
            raise CommerceError(ErrorCode.BAD_QUANTITY,
                                f"{qty} of {sku} shipped, {line.qty - line.shipped_qty} left to ship on {number}",
                                sku=sku, left=line.qty - line.shipped_qty)
    shipment = ShipmentRow(order_id=order.id, carrier=carrier, tracking=tracking, shipped_at=now)
    for sku, qty in wanted.items():
        stock_store.consume(session, number, sku, qty, now=now)
        by_sku[sku].shipped_qty += qty
        shipment.lines.append(ShipmentLineRow(sku=sku, qty=qty))
    session.add(shipment)
    session.flush()
    done = all(line.shipped_qty >= line.qty for line in order.lines)
    set_order_status(session, order, OrderStatus.SHIPPED.value if done else OrderStatus.PARTIALLY_SHIPPED.value,
                     now=now)
    return shipment


def shipments(session: Session, order_id: int) -> list[ShipmentRow]:
    return list(session.scalars(select(ShipmentRow).where(ShipmentRow.order_id == order_id)
                                .order_by(ShipmentRow.id)))


def invoice(session: Session, order_number: str, number: str, *, issued_on: date, now: datetime) -> InvoiceRow:
    """Invoice what has been shipped and not yet invoiced; due after the customer's payment terms."""
    order = _order(session, order_number)
    if not number or get_invoice(session, number) is not None:
        raise CommerceError(ErrorCode.DUPLICATE, f"invoice {number} already exists", reference=number)
    if order.status not in (OrderStatus.PARTIALLY_SHIPPED.value, OrderStatus.SHIPPED.value):
        raise IllegalTransition("order", order.status, OrderStatus.INVOICED.value)
    parts = [(line, line.shipped_qty - line.invoiced_qty) for line in order.lines
             if line.shipped_qty > line.invoiced_qty]
    if not parts:
        raise CommerceError(ErrorCode.ILLEGAL_TRANSITION, f"nothing shipped on {order_number} is left to invoice",
                            current=order.status, target=OrderStatus.INVOICED.value)
    whole = all(qty == line.qty for line, qty in parts) and len(parts) == len(order.lines)
    if whole:  # the order as priced, to the cent
        ht, vat, ttc = order.total_ht, order.total_vat, order.total_ttc
    else:
        summary = summarize([(line_total(line.unit_price_ht, qty), line.vat_rate) for line, qty in parts],
                            Regime(order.regime))
        ht, vat, ttc = summary.total_ht, summary.total_vat, summary.total_ttc
    customer = session.get(CustomerRow, order.customer_id)
    row = InvoiceRow(number=number, order_id=order.id, customer_id=order.customer_id, issued_on=issued_on,
                     due_on=issued_on + timedelta(days=customer.payment_terms_days), total_ht=ht, total_vat=vat,
                     total_ttc=ttc, paid=ZERO, credited=ZERO, status="open", created_at=now)
    for line, qty in parts:
        line.invoiced_qty += qty
    session.add(row)
    session.flush()
    if order.status == OrderStatus.SHIPPED.value and all(ln.invoiced_qty >= ln.qty for ln in order.lines):
        set_order_status(session, order, OrderStatus.INVOICED.value, now=now)
    return row


def get_invoice(session: Session, number: str) -> InvoiceRow | None:
    return session.scalars(select(InvoiceRow).where(InvoiceRow.number == number)).first()


def _invoice(session: Session, number: str) -> InvoiceRow:
    row = get_invoice(session, number)
    if row is None:
        raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"unknown invoice {number}", reference=number)
    return row


def balance(invoice: InvoiceRow) -> Decimal:
    """What is still due on an invoice."""
    return invoice.total_ttc - invoice.paid - invoice.credited


def pay(session: Session, invoice_number: str, amount: Decimal | str, *, paid_on: date, now: datetime,
        reference: str = "") -> PaymentRow:
    """Money received on an invoice, in part or in full; never more than is due."""
    row = session.scalars(select(InvoiceRow).where(InvoiceRow.number == invoice_number).with_for_update()).first()
    if row is None:
        raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"unknown invoice {invoice_number}", reference=invoice_number)
    value = to_decimal(amount)
    if value <= ZERO or value != round_cent(value):
        raise CommerceError(ErrorCode.BAD_AMOUNT, f"not a payment amount: {amount}")
    due = balance(row)
    if value > due:
        raise CommerceError(ErrorCode.OVERPAYMENT, f"{value} paid on {invoice_number}, {due} is due",
                            due=f"{due:.2f}")
    payment = PaymentRow(invoice_id=row.id, amount=value, paid_on=paid_on, reference=reference, created_at=now)
    session.add(payment)
    row.paid = row.paid + value
    session.flush()
    _settle(session, row, now=now)
    return payment


def credit(session: Session, invoice_number: str, number: str, *, issued_on: date, now: datetime,
           returned: Sequence[Quantity] = (), amount_ttc: Decimal | str | None = None,
           reason: str = "") -> CreditNoteRow:
    """A credit note: goods returned (priced as invoiced, back into stock) or an amount, or both.
    It lowers what is due; more than was invoiced cannot be credited."""
    row = _invoice(session, invoice_number)
    if not number or session.scalars(select(CreditNoteRow).where(CreditNoteRow.number == number)).first():
        raise CommerceError(ErrorCode.DUPLICATE, f"credit note {number} already exists", reference=number)
    order = session.get(OrderRow, row.order_id)
    by_sku = {line.sku: line for line in order.lines}
    parts = []
    for item in returned:
        line = by_sku.get(item.sku)
        if line is None or item.qty <= 0 or item.qty > line.invoiced_qty:
            raise CommerceError(ErrorCode.BAD_QUANTITY, f"{item.qty} of {item.sku} cannot be returned on "
                                f"{invoice_number}", sku=item.sku)
        parts.append((line_total(line.unit_price_ht, item.qty), line.vat_rate))
    if parts:
        summary = summarize(parts, Regime(order.regime))
        ht, vat, ttc = summary.total_ht, summary.total_vat, summary.total_ttc
    else:
        ht = vat = ttc = ZERO
    if amount_ttc is not None:
        extra = to_decimal(amount_ttc)
        if extra <= ZERO:
            raise CommerceError(ErrorCode.BAD_AMOUNT, f"not a credit amount: {amount_ttc}")
        ratio = (row.total_ht / row.total_ttc) if row.total_ttc else Decimal(1)
        extra_ht = round_cent(extra * ratio)
        ht, vat, ttc = ht + extra_ht, vat + (extra - extra_ht), ttc + extra
    if ttc <= ZERO:
        raise CommerceError(ErrorCode.BAD_AMOUNT, "a credit note needs returned goods or an amount")
    if ttc > row.total_ttc - row.credited:
        raise CommerceError(ErrorCode.OVERPAYMENT, f"{ttc} credited on {invoice_number}, "
                            f"{row.total_ttc - row.credited} was invoiced and not credited")
    note = CreditNoteRow(number=number, invoice_id=row.id, issued_on=issued_on, total_ht=ht, total_vat=vat,
                         total_ttc=ttc, returned="|".join(f"{i.sku}={i.qty}" for i in returned), reason=reason,
                         created_at=now)
    session.add(note)
    for item in returned:
        stock_store.restock(session, item.sku, item.qty, now=now)
    row.credited = row.credited + ttc
    session.flush()
    _settle(session, row, now=now)
    return note


def refund_due(invoice: InvoiceRow) -> Decimal:
    """Money we owe back when a credit note comes after the payment."""
    return max(ZERO, -balance(invoice))


def _settle(session: Session, row: InvoiceRow, *, now: datetime) -> None:
    if balance(row) <= ZERO and row.status != "paid":
        row.status = "paid"
        session.flush()
    order = session.get(OrderRow, row.order_id)
    if order.status != OrderStatus.INVOICED.value:
        return
    invoices = session.scalars(select(InvoiceRow).where(InvoiceRow.order_id == order.id)).all()
    if all(inv.status == "paid" for inv in invoices):
        set_order_status(session, order, OrderStatus.PAID.value, now=now)


def open_invoices(session: Session, customer_id: str) -> list[InvoiceRow]:
    return list(session.scalars(select(InvoiceRow).where(InvoiceRow.customer_id == customer_id,
                                                         InvoiceRow.status == "open")
                                .order_by(InvoiceRow.due_on, InvoiceRow.id)))


def invoice_to_dict(row: InvoiceRow, order_number: str) -> dict:
    return {"number": row.number, "order": order_number, "issued_on": row.issued_on.isoformat(),
            "due_on": row.due_on.isoformat(), "total_ht": f"{row.total_ht:.2f}", "total_vat": f"{row.total_vat:.2f}",
            "total_ttc": f"{row.total_ttc:.2f}", "paid": f"{row.paid:.2f}", "credited": f"{row.credited:.2f}",
            "balance": f"{max(ZERO, balance(row)):.2f}", "refund_due": f"{refund_due(row):.2f}",
            "status": row.status}
