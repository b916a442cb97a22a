"""What the distributor's ERP does through the API: stock, supplier orders, the order life
cycle to cash. One transaction per request; the people concerned are told in it (a buyer
whose pre-order arrived, a buyer whose goods left).

Requests come as decoded JSON; a field that is missing or of the wrong kind raises
BadRequest with the field's name, commerce refusals raise CommerceError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import api_tokens, audit
from assistant.context import Speaker
from assistant.messages import Reply
from commerce.days import local_day
from commerce.errors import CommerceError, ErrorCode
from commerce.persistence import catalog_store, fulfilment_store, stock_store, supply_store
from commerce.persistence.database import transaction
from commerce.persistence.orders_store import get_order
from commerce.persistence.tables import InvoiceRow, OrderRow, StockAlertRow, StockRow
from commerce.statuses import OrderStatus

UNAUTHORIZED = {"error": "unauthorized", "message": "a valid bearer token is required (comptoir token create NAME)"}


class BadRequest(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


# -- reading a request body ------------------------------------------------------------
def _field(body: dict, name: str, kind: type | tuple, *, required: bool = True, default: Any = None) -> Any:
    if not isinstance(body, dict):
        raise BadRequest("body", "a JSON object is expected")
    if name not in body or body[name] is None:
        if required:
            raise BadRequest(name, "is required")
        return default
    value = body[name]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise BadRequest(name, "must be an integer")
    if kind is not int and not isinstance(value, kind):
        raise BadRequest(name, f"must be {'a string' if kind is str else 'a list' if kind is list else 'valid'}")
    return value


def _moment(body: dict, name: str) -> datetime:
    text = _field(body, name, str)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(name, "must be an ISO 8601 date-time") from None
    if value.tzinfo is None:
        raise BadRequest(name, "must carry a time zone (2026-12-01T10:00:00+01:00)")
    return value


def _day(body: dict, name: str, *, required: bool = True) -> date | None:
    text = _field(body, name, str, required=required)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(name, "must be a date (2026-12-15)") from None


def _count(body: dict, name: str, *, required: bool = True, default: int | None = None) -> int | None:
    value = _field(body, name, int, required=required, default=default)
    if value is not None and value < 0:
        raise BadRequest(name, "cannot be negative")
    return value


def _lines(body: dict, *, eta: bool = False) -> list[dict]:
    lines = _field(body, "lines", list)
    if not lines:
        raise BadRequest("lines", "needs at least one line")
    read = []
    for i, line in enumerate(lines):
        if not isinstance(line, dict):
            raise BadRequest(f"lines[{i}]", "must be an object")
        sku = _field(line, "sku", str)
        qty = _field(line, "qty", int)
        if qty <= 0:
            raise BadRequest(f"lines[{i}].qty", "must be positive")
        read.append({"sku": sku, "qty": qty, "eta": _day(line, "eta", required=False) if eta else None})
    return read


# -- answers ---------------------------------------------------------------------------
def stock_json(session: Session, sku: str) -> dict:
    return stock_store.figures(session, sku).to_dict()


def order_json(session: Session, order: OrderRow) -> dict:
    return {
        "number": order.number, "customer": order.customer_id, "status": order.status,
        "placed_at": order.created_at.isoformat(),
        "lines": [{"sku": ln.sku, "name": ln.name, "qty": ln.qty, "shipped": ln.shipped_qty,
                   "invoiced": ln.invoiced_qty, "unit_price_ht": f"{ln.unit_price_ht:.2f}",
                   "total_ht": f"{ln.total_ht:.2f}"} for ln in order.lines],
        "total_ht": f"{order.total_ht:.2f}", "total_vat": f"{order.total_vat:.2f}",
        "total_ttc": f"{order.total_ttc:.2f}",
        "shipments": [{"carrier": s.carrier, "tracking": s.tracking, "shipped_at": s.shipped_at.isoformat(),
                       "lines": [{"sku": ln.sku, "qty": ln.qty} for ln in s.lines]}
                      for s in fulfilment_store.shipments(session, order.id)],
    }


class Erp:
    """The use cases behind /api/v1/. Each public method runs one transaction."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant

    @property
    def _now(self) -> datetime:
        return self.assistant.clock.now()

    # -- authentication and idempotency --------------------------------------------------
    def authenticate(self, token: str) -> str | None:
        with transaction(self.assistant.db.sessions) as session:
            return api_tokens.authenticate(session, token, now=self._now)

    def call(self, token: str, action: Callable[[Session], tuple[int, dict]], *, write: bool = False,
             key: str | None = None, method: str = "GET", path: str = "", body: Any = None,
             audited: bool = True) -> tuple[int, dict]:
        """One request in one transaction: the token checked, the action run, and for a write
        with an Idempotency-Key its answer kept beside it: the same key and request replay it,
        the key with another request is a 409. Audited writes leave an audit line (stock
        snapshots do not: the ERP sends thousands, and their idempotency rows keep them)."""
        digest = api_tokens.request_hash(method, path, body) if key else ""
        replaying = False
        for _ in range(2):
            with transaction(self.assistant.db.sessions) as session:
                integration = api_tokens.authenticate(session, token, now=self._now)
                if integration is None:
                    return 401, UNAUTHORIZED
                if replaying:
                    seen = api_tokens.replay(session, integration, key, digest)
                    if seen is None:  # pragma: no cover - the twin rolled back meanwhile
                        replaying = False
                    elif seen.conflict:
                        return 409, {"error": "idempotency_key_reused",
                                     "message": "this Idempotency-Key was used with another request"}
                    else:
                        return seen.status, seen.body
                try:
                    status, answer = action(session)
                except CommerceError as error:
                    session.rollback()  # nothing of a refused request stays
                    status, answer = error_answer(error)
                except BadRequest as error:
                    session.rollback()
                    status, answer = 422, {"error": "bad_request", "field": error.field, "message": str(error)}
                if not write:
                    return status, answer
                # The key is claimed after the work, in the same transaction: the common case costs
                # one INSERT; a key already used (before, or by a concurrent twin) undoes this work
                # and answers what the first request was answered.
                if key and not api_tokens.remember(session, integration, key, digest, status, answer, now=self._now):
                    session.rollback()
                    replaying = True
                    continue
                if status < 300 and audited:
                    audit.record(session, at=self._now, actor=f"api:{integration}", action=f"api_{method.lower()}",
                                 reference=path[-60:], status=status)
                return status, answer
        raise RuntimeError("idempotency key raced twice")  # pragma: no cover

    # -- stock ---------------------------------------------------------------------------
    def put_stock(self, session: Session, sku: str, body: dict) -> tuple[int, dict]:
        self._snapshot(session, sku, body)
        return 200, stock_json(session, sku)

    def _snapshot(self, session: Session, sku: str, body: dict) -> None:
        """Take a snapshot; units it shows free go to waiting pre-orders, whose buyers are told."""
        after = stock_store.put_snapshot(
            session, sku, on_hand=_count(body, "on_hand"), as_of=_moment(body, "as_of"), now=self._now,
            sequence=_count(body, "sequence", required=False),
            alert_threshold=_count(body, "alert_threshold", required=False),
            safety_stock=_count(body, "safety_stock", required=False))
        reorder = _count(body, "reorder_qty", required=False)
        if reorder is not None:
            session.get(StockRow, sku).reorder_qty = reorder
        if after.preordered > 0 and after.available > 0:
            self._tell_preorders_arrived(
                session, stock_store.serve_preorders(session, sku, min(after.available, after.preordered)))

    def post_stock(self, session: Session, body: dict) -> tuple[int, dict]:
        """Many snapshots: each one is taken or refused on its own (a stale row is no error)."""
        snapshots = _field(body, "snapshots", list)
        results = []
        for i, snapshot in enumerate(snapshots):
            sku = _field(snapshot, "sku", str) if isinstance(snapshot, dict) else None
            if sku is None:
                raise BadRequest(f"snapshots[{i}]", "must be an object with a sku")
            try:
                with session.begin_nested():
                    self._snapshot(session, sku, snapshot)
                results.append({"sku": sku, "status": "taken", "stock": stock_json(session, sku)})
            except CommerceError as error:
                results.append({"sku": sku, "status": _STATUS_WORD.get(error.code, "refused"),
                                "error": error.code.value, "message": str(error)})
            except BadRequest as error:
                results.append({"sku": sku, "status": "refused", "error": "bad_request", "message": str(error)})
        taken = sum(1 for r in results if r["status"] == "taken")
        return 200, {"taken": taken, "refused": len(results) - taken, "results": results}

    # -- supplier orders -----------------------------------------------------------------
    def post_supply_order(self, session: Session, body: dict) -> tuple[int, dict]:
        reference = _field(body, "reference", str).strip()
        if not reference or len(reference) > 64:
            raise BadRequest("reference", "must be 1 to 64 characters")
        lines = [supply_store.SupplyLine(ln["sku"], ln["qty"], ln["eta"]) for ln in _lines(body, eta=True)]
        today = local_day(self._now)
        for line in lines:
            if line.eta is not None and line.eta < today:
                raise BadRequest("lines.eta", f"{line.eta.isoformat()} is in the past")
        row = supply_store.create(session, reference, lines, now=self._now)
        return 201, supply_store.to_dict(row)

    def get_supply_order(self, session: Session, reference: str) -> tuple[int, dict]:
        row = supply_store.get(session, reference)
        if row is None:
            raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"unknown supplier order {reference}")
        return 200, supply_store.to_dict(row)

    def post_receipt(self, session: Session, reference: str, body: dict) -> tuple[int, dict]:
        lines = [supply_store.SupplyLine(ln["sku"], ln["qty"]) for ln in _lines(body)]
        allocations = supply_store.receive(session, reference, lines, now=self._now)
        self._tell_preorders_arrived(session, allocations)
        return 200, {**supply_store.to_dict(supply_store.get(session, reference)),
                     "stock": [stock_json(session, sku) for sku in sorted({ln.sku for ln in lines})],
                     "preorders_served": [{"order": a.reference, "sku": a.sku, "qty": a.qty} for a in allocations]}

    def _tell_preorders_arrived(self, session: Session, allocations: list[stock_store.Allocation]) -> None:
        """Every buyer told 'we will come back to you' hears that the goods are in."""
        by_order: dict[str, list[stock_store.Allocation]] = {}
        for allocation in allocations:
            if allocation.reference:
                by_order.setdefault(allocation.reference, []).append(allocation)
        speaker = Speaker(session, self.assistant.renderer, self.assistant.settings, self._now,
                          key_prefix="preorder-arrived")
        for number, served in by_order.items():
            order = get_order(session, number)
            contact = catalog_store.get_contact(session, order.placed_by) if order and order.placed_by else None
            if contact is None:
                continue
            names = {ln.sku: ln.name for ln in order.lines}
            speaker.notify(contact, Reply("preorder_arrived", {
                "name": contact.name, "number": number,
                "lines": [{"sku": a.sku, "name": names.get(a.sku, a.sku), "qty": a.qty} for a in served]}),
                kind="preorder_arrived", key=f"preorder-arrived:{number}:{self._now.isoformat()}:"
                                             f"{'|'.join(f'{a.sku}={a.qty}' for a in served)}")

    # -- orders to cash --------------------------------------------------------------------
    def get_orders(self, session: Session, status: str | None, since: str | None) -> tuple[int, dict]:
        query = select(OrderRow).order_by(OrderRow.created_at, OrderRow.id)
        if status:
            try:
                query = query.where(OrderRow.status == OrderStatus(status).value)
            except ValueError:
                raise BadRequest("status", f"one of {', '.join(s.value for s in OrderStatus)}") from None
        if since:
            # an unencoded "+01:00" in a query string arrives as " 01:00"
            query = query.where(OrderRow.updated_at >= _moment({"since": re.sub(r" (\d{2}:?\d{2})$", r"+\1", since)}, "since"))
        orders = session.scalars(query.limit(1000)).all()
        return 200, {"orders": [order_json(session, order) for order in orders]}

    def get_order(self, session: Session, number: str) -> tuple[int, dict]:
        order = get_order(session, number)
        if order is None:
            raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"unknown order {number}")
        return 200, order_json(session, order)

    def post_shipment(self, session: Session, number: str, body: dict) -> tuple[int, dict]:
        lines = [fulfilment_store.Quantity(ln["sku"], ln["qty"]) for ln in _lines(body)]
        carrier = _field(body, "carrier", str, required=False, default="")[:100]
        tracking = _field(body, "tracking", str, required=False, default="")[:100]
        fulfilment_store.ship(session, number, lines, carrier=carrier, tracking=tracking, now=self._now)
        order = get_order(session, number)
        self._tell_shipped(session, order, lines, carrier, tracking)
        return 201, order_json(session, order)

    def _tell_shipped(self, session: Session, order: OrderRow, lines, carrier: str, tracking: str) -> None:
        contact = catalog_store.get_contact(session, order.placed_by) if order.placed_by else None
        if contact is None:
            return
        names = {ln.sku: ln.name for ln in order.lines}
        speaker = Speaker(session, self.assistant.renderer, self.assistant.settings, self._now, key_prefix="shipped")
        speaker.notify(contact, Reply("order_shipped", {
            "name": contact.name, "number": order.number, "carrier": carrier, "tracking": tracking,
            "complete": order.status == OrderStatus.SHIPPED.value, "shipped_at": self._now,
            "lines": [{"sku": q.sku, "name": names.get(q.sku, q.sku), "qty": q.qty} for q in lines]}),
            kind="order_shipped", key=f"shipped:{order.number}:{self._now.isoformat()}:{tracking}")

    def post_invoice(self, session: Session, order_number: str, body: dict) -> tuple[int, dict]:
        number = _field(body, "number", str).strip()
        if not number or len(number) > 40:
            raise BadRequest("number", "must be 1 to 40 characters")
        issued_on = _day(body, "issued_on", required=False) or local_day(self._now)
        row = fulfilment_store.invoice(session, order_number, number, issued_on=issued_on, now=self._now)
        return 201, fulfilment_store.invoice_to_dict(row, order_number)

    def get_invoice(self, session: Session, number: str) -> tuple[int, dict]:
        row = fulfilment_store.get_invoice(session, number)
        if row is None:
            raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"unknown invoice {number}")
        return 200, fulfilment_store.invoice_to_dict(row, session.get(OrderRow, row.order_id).number)

    def post_payment(self, session: Session, invoice_number: str, body: dict) -> tuple[int, dict]:
        amount = _field(body, "amount", str)
        paid_on = _day(body, "paid_on", required=False) or local_day(self._now)
        reference = _field(body, "reference", str, required=False, default="")[:100]
        fulfilment_store.pay(session, invoice_number, amount, paid_on=paid_on, now=self._now, reference=reference)
        return self._invoice_answer(session, invoice_number, 201)

    def post_credit_note(self, session: Session, invoice_number: str, body: dict) -> tuple[int, dict]:
        number = _field(body, "number", str).strip()
        returned = [fulfilment_store.Quantity(ln["sku"], ln["qty"]) for ln in _lines(body)] \
            if body.get("lines") else []
        amount = _field(body, "amount_ttc", str, required=False)
        issued_on = _day(body, "issued_on", required=False) or local_day(self._now)
        note = fulfilment_store.credit(session, invoice_number, number, issued_on=issued_on, now=self._now,
                                       returned=returned, amount_ttc=amount,
                                       reason=_field(body, "reason", str, required=False, default=""))
        status, answer = self._invoice_answer(session, invoice_number, 201)
        return status, {**answer, "credit_note": {"number": note.number, "total_ht": f"{note.total_ht:.2f}",
                                                  "total_vat": f"{note.total_vat:.2f}",
                                                  "total_ttc": f"{note.total_ttc:.2f}",
                                                  "returned": [{"sku": q.sku, "qty": q.qty} for q in returned]}}

    def _invoice_answer(self, session: Session, number: str, status: int) -> tuple[int, dict]:
        row = session.scalars(select(InvoiceRow).where(InvoiceRow.number == number)).one()
        return status, fulfilment_store.invoice_to_dict(row, session.get(OrderRow, row.order_id).number)


# -- restock alerts (CLI and workers) ---------------------------------------------------------
def alert_rows(session: Session, *, include_done: bool = False) -> list[dict]:
    query = select(StockAlertRow).order_by(StockAlertRow.id)
    rows = session.scalars(query).all()
    listed = []
    for alert in rows:
        figures = stock_store.figures(session, alert.sku)
        ordered = supply_store.get(session, f"R-{alert.id}")
        if ordered is not None and not include_done:
            continue
        listed.append({"id": alert.id, "sku": alert.sku, "level": "safety" if alert.level == 2 else "alert",
                       "available_then": alert.available, "available": figures.available,
                       "incoming": figures.incoming, "preordered": figures.preordered,
                       "suggested": stock_store.suggested_restock(session, alert.sku),
                       "created_at": alert.created_at.isoformat(),
                       "supply_order": ordered.reference if ordered else None})
    return listed


def order_from_alert(session: Session, alert_id: int, *, now: datetime, qty: int | None = None,
                     eta: date | None = None) -> dict:
    """The suggestion of an alert becomes a draft supplier order `R-<alert id>` (once)."""
    alert = session.get(StockAlertRow, alert_id)
    if alert is None:
        raise CommerceError(ErrorCode.UNKNOWN_DOCUMENT, f"no stock alert {alert_id}")
    reference = f"R-{alert_id}"
    existing = supply_store.get(session, reference)
    if existing is not None:
        return supply_store.to_dict(existing)
    qty = qty or stock_store.suggested_restock(session, alert.sku)
    if qty <= 0:
        raise CommerceError(ErrorCode.BAD_QUANTITY, f"incoming stock already covers {alert.sku}: nothing to order")
    row = supply_store.create(session, reference, [supply_store.SupplyLine(alert.sku, qty, eta)], now=now,
                              status=supply_store.DRAFT, origin="alert")
    return supply_store.to_dict(row)


_STATUS_WORD = {ErrorCode.STALE_SNAPSHOT: "stale", ErrorCode.UNKNOWN_PRODUCT: "unknown"}
_HTTP = {
    ErrorCode.UNKNOWN_PRODUCT: 404, ErrorCode.UNKNOWN_DOCUMENT: 404, ErrorCode.UNKNOWN_CUSTOMER: 404,
    ErrorCode.STALE_SNAPSHOT: 409, ErrorCode.ILLEGAL_TRANSITION: 409, ErrorCode.DUPLICATE: 409,
    ErrorCode.INSUFFICIENT_STOCK: 409, ErrorCode.OVERPAYMENT: 409,
}


def error_answer(error: CommerceError) -> tuple[int, dict]:
    """A refusal as the API says it: 404 unknown, 409 against the state, 422 malformed."""
    details = {k: v for k, v in error.details.items() if isinstance(v, str | int | None)}
    return _HTTP.get(error.code, 422), {"error": error.code.value, "message": str(error), **details}
