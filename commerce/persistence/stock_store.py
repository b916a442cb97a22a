"""Stock reservations that never oversell, holds that expire, alerts once per crossing.

Every change to `reserved` is one conditional UPDATE (`... WHERE on_hand - reserved >=
:qty`): the database decides, so two concurrent orders cannot both take the last unit
(PostgreSQL re-checks the condition after waiting for the row lock; SQLite serialises
writers). Reservations move active -> released | consumed | expired with the same
guard, so releasing twice gives the units back once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from commerce.errors import CommerceError, ErrorCode, UnknownProduct
from commerce.persistence.mapping import figures_from_row
from commerce.persistence.tables import (
    ReservationRow,
    StockAlertRow,
    StockRow,
    SupplyLineRow,
    SupplyOrderRow,
)
from commerce.stock import StockFigures, restock_suggestion

ACTIVE = "active"


@dataclass(frozen=True, slots=True)
class Reservation:
    id: int
    sku: str
    qty: int
    preorder_qty: int
    kind: str
    expires_at: datetime | None
    reference: str | None = None


def figures(session: Session, sku: str) -> StockFigures:
    row = session.get(StockRow, sku, populate_existing=True)
    if row is None:
        raise UnknownProduct(sku)
    figures = figures_from_row(row)
    if figures.incoming <= 0:
        return figures  # nothing on its way: no batches to read
    batches = open_batches(session, [sku]).get(sku)
    # batches describe the incoming figure only while it is theirs (a flat file may say otherwise)
    if batches and sum(qty for _, qty in batches) == figures.incoming:
        figures = replace(figures, batches=tuple(batches))
    return figures


def open_batches(session: Session, skus: Iterable[str]) -> dict[str, list[tuple[date | None, int]]]:
    """Per product, what is still to come from open supplier orders, earliest ETA first."""
    skus = list(skus)
    rows = session.execute(
        select(SupplyLineRow.sku, SupplyLineRow.eta, SupplyLineRow.qty - SupplyLineRow.received_qty)
        .join(SupplyOrderRow, SupplyOrderRow.id == SupplyLineRow.supply_order_id)
        .where(SupplyOrderRow.status == "open", SupplyLineRow.sku.in_(skus),
               SupplyLineRow.qty > SupplyLineRow.received_qty)).all()
    batches: dict[str, list[tuple[date | None, int]]] = {}
    for sku, eta, qty in rows:
        batches.setdefault(sku, []).append((eta, int(qty)))
    for values in batches.values():
        values.sort(key=lambda b: b[0] or date.max)
    return batches




@dataclass(frozen=True, slots=True)
class Allocation:
    """Units that arrived and went to a pre-order: the buyer who waits for them is told."""

    reference: str | None  # the customer order
    sku: str
    qty: int


def serve_preorders(session: Session, sku: str, arrived: int) -> list[Allocation]:
    """Units that came in go to the waiting pre-orders, oldest first: moved from pre-ordered
    to reserved, so they can ship. Returns who got what (their buyers are to be told)."""
    waiting = session.scalars(
        select(ReservationRow).where(ReservationRow.sku == sku, ReservationRow.status == ACTIVE,
                                     ReservationRow.preorder_qty > 0)
        .order_by(ReservationRow.created_at, ReservationRow.id).with_for_update()).all()
    served: list[Allocation] = []
    for reservation in waiting:
        if arrived <= 0:
            break
        take = min(arrived, reservation.preorder_qty)
        reservation.preorder_qty -= take
        reservation.qty += take
        arrived -= take
        session.execute(update(StockRow).where(StockRow.sku == sku)
                        .values(reserved=StockRow.reserved + take, preordered=StockRow.preordered - take)
                        .execution_options(synchronize_session=False))
        served.append(Allocation(reservation.reference, sku, take))
    session.flush()
    return served


def _take_now(session: Session, sku: str, qty: int) -> bool:
    if qty == 0:
        return True
    result = session.execute(
        update(StockRow)
        .where(StockRow.sku == sku, StockRow.on_hand - StockRow.reserved >= qty)
        .values(reserved=StockRow.reserved + qty)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _take_incoming(session: Session, sku: str, qty: int, *, backorder: bool) -> bool:
    if qty == 0:
        return True
    query = update(StockRow).where(StockRow.sku == sku)
    if not backorder:
        query = query.where(StockRow.incoming_qty - StockRow.preordered >= qty)
    result = session.execute(
        query.values(preordered=StockRow.preordered + qty).execution_options(
            synchronize_session=False
        )
    )
    return result.rowcount == 1


def reserve(
    session: Session,
    sku: str,
    qty: int,
    *,
    now: datetime,
    kind: str = "order",
    reference: str | None = None,
    expires_at: datetime | None = None,
    preorder_qty: int = 0,
    backorder: bool = False,
) -> Reservation:
    """Reserve `qty` from stock on hand and `preorder_qty` from incoming stock, or nothing.

    `backorder` lets a pre-orderable product be promised beyond the incoming quantity.
    Raises INSUFFICIENT_STOCK when either part cannot be had; nothing is then taken.
    """
    if qty < 0 or preorder_qty < 0 or qty + preorder_qty == 0:
        raise CommerceError(ErrorCode.BAD_QUANTITY, f"nothing to reserve for {sku}")
    if session.get(StockRow, sku) is None:
        raise UnknownProduct(sku)
    if not _take_now(session, sku, qty):
        raise CommerceError(ErrorCode.INSUFFICIENT_STOCK, f"not enough stock for {sku}", sku=sku)
    if not _take_incoming(session, sku, preorder_qty, backorder=backorder):
        _give_back(session, sku, qty, 0)
        raise CommerceError(
            ErrorCode.INSUFFICIENT_STOCK, f"not enough incoming stock for {sku}", sku=sku
        )
    row = ReservationRow(
        sku=sku,
        qty=qty,
        preorder_qty=preorder_qty,
        kind=kind,
        status=ACTIVE,
        reference=reference,
        expires_at=expires_at,
        created_at=now,
    )
    session.add(row)
    session.flush()
    check_alert(session, sku, now=now)
    return Reservation(row.id, sku, qty, preorder_qty, kind, expires_at)


def reserve_up_to(session: Session, sku: str, qty: int, *, now: datetime, **kwargs) -> Reservation | None:
    """Reserve as much of `qty` as is available now (0 -> None). Retries if outrun."""
    for _ in range(20):
        available = figures(session, sku).available
        take = min(qty, available)
        if take <= 0:
            return None
        try:
            return reserve(session, sku, take, now=now, **kwargs)
        except CommerceError as error:
            if error.code is not ErrorCode.INSUFFICIENT_STOCK:
                raise
    return None


def _give_back(session: Session, sku: str, qty: int, preorder_qty: int) -> None:
    session.execute(
        update(StockRow)
        .where(StockRow.sku == sku)
        .values(reserved=StockRow.reserved - qty, preordered=StockRow.preordered - preorder_qty)
        .execution_options(synchronize_session=False)
    )


def _close(session: Session, reservation_id: int, status: str) -> ReservationRow | None:
    """Move an active reservation to `status`; None if it was not active (already done)."""
    result = session.execute(
        update(ReservationRow)
        .where(ReservationRow.id == reservation_id, ReservationRow.status == ACTIVE)
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return session.get(ReservationRow, reservation_id, populate_existing=True)


def release(session: Session, reservation_id: int, *, now: datetime, status: str = "released") -> bool:
    row = _close(session, reservation_id, status)
    if row is None:
        return False
    _give_back(session, row.sku, row.qty, row.preorder_qty)
    check_alert(session, row.sku, now=now)
    return True


def confirm_hold(session: Session, reservation_id: int) -> bool:
    """A hold becomes a firm order reservation (no expiry) if it is still active."""
    result = session.execute(
        update(ReservationRow)
        .where(ReservationRow.id == reservation_id, ReservationRow.status == ACTIVE)
        .values(kind="order", expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def expire_holds(session: Session, *, now: datetime) -> list[Reservation]:
    """Release every hold whose expiry has passed; returns those this call released."""
    due = session.scalars(
        select(ReservationRow).where(
            ReservationRow.status == ACTIVE,
            ReservationRow.kind == "hold",
            ReservationRow.expires_at <= now,
        )
    ).all()
    released = []
    for row in due:
        if release(session, row.id, now=now, status="expired"):
            released.append(Reservation(row.id, row.sku, row.qty, row.preorder_qty, row.kind, row.expires_at,
                                        row.reference))
    return released


def check_alert(session: Session, sku: str, *, now: datetime) -> StockAlertRow | None:
    """Record an alert when availability crosses a threshold downwards, once per crossing.

    The stored level is moved with a conditional update, so concurrent reservations that
    cross together record one alert; going back up re-arms it.
    """
    current = figures(session, sku)
    stored = session.execute(select(StockRow.alert_level).where(StockRow.sku == sku)).scalar_one()
    level = current.level
    if level == stored:
        return None
    moved = session.execute(
        update(StockRow)
        .where(StockRow.sku == sku, StockRow.alert_level == stored)
        .values(alert_level=int(level))
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1 or level <= stored:
        return None
    alert = StockAlertRow(sku=sku, level=int(level), available=current.available, created_at=now)
    session.add(alert)
    session.flush()
    return alert


def pending_alerts(session: Session) -> list[StockAlertRow]:
    return list(
        session.scalars(
            select(StockAlertRow).where(StockAlertRow.notified_at.is_(None)).order_by(StockAlertRow.id)
        )
    )


def apply_snapshots(session: Session, records: list[dict], *, now: datetime) -> tuple[int, list[str]]:
    """ERP stock snapshots for many SKUs at once: one read and one batch of updates per 1,000
    rows (locked on PostgreSQL while compared), alerts computed from the rows read. Each row
    follows `apply_snapshot`: taken unless a newer (or the same) snapshot is already held.
    Returns how many were taken and the SKUs whose snapshot was older."""
    taken, stale = 0, []
    for start in range(0, len(records), SNAPSHOT_CHUNK):
        chunk = records[start:start + SNAPSHOT_CHUNK]
        query = select(StockRow).where(StockRow.sku.in_([r["sku"] for r in chunk])).with_for_update()
        rows = {row.sku: row for row in session.scalars(query)}
        changes, alerts = [], []
        for record in chunk:
            row, as_of = rows.get(record["sku"]), record["as_of"]
            if row is None:
                apply_snapshot(session, now=now, **record)
                taken += 1
                continue
            if row.snapshot_at is not None and row.snapshot_at >= as_of:
                stale.append(row.sku)
                continue
            after = StockFigures(sku=row.sku, on_hand=record["on_hand"], reserved=row.reserved,
                                 incoming=record["incoming_qty"], incoming_date=record["incoming_date"],
                                 alert_threshold=record["alert_threshold"], safety_stock=record["safety_stock"],
                                 preordered=row.preordered)
            level = int(after.level)
            if level > row.alert_level:  # crossing downwards records an alert, once; going up re-arms
                alerts.append({"sku": row.sku, "level": level, "available": after.available, "created_at": now})
            changes.append({"sku": row.sku, "on_hand": record["on_hand"], "incoming_qty": record["incoming_qty"],
                            "incoming_date": record["incoming_date"], "alert_threshold": record["alert_threshold"],
                            "safety_stock": record["safety_stock"], "snapshot_at": as_of, "alert_level": level})
            taken += 1
        if changes:
            session.execute(update(StockRow), changes)  # by primary key, one executemany
        if alerts:
            session.execute(insert(StockAlertRow), alerts)
    return taken, stale


SNAPSHOT_CHUNK = 1000


def apply_snapshot(
    session: Session,
    sku: str,
    *,
    on_hand: int,
    incoming_qty: int,
    incoming_date: date | None,
    alert_threshold: int,
    safety_stock: int,
    as_of: datetime,
    now: datetime,
) -> bool:
    """Take an ERP stock snapshot unless we already hold a newer (or the same) one."""
    row = session.get(StockRow, sku)
    values = dict(
        on_hand=on_hand,
        incoming_qty=incoming_qty,
        incoming_date=incoming_date,
        alert_threshold=alert_threshold,
        safety_stock=safety_stock,
        snapshot_at=as_of,
    )
    if row is None:
        session.add(StockRow(sku=sku, reserved=0, preordered=0, alert_level=0, **values))
        session.flush()
        check_alert(session, sku, now=now)
        return True
    result = session.execute(
        update(StockRow)
        .where(
            StockRow.sku == sku,
            (StockRow.snapshot_at.is_(None)) | (StockRow.snapshot_at < as_of),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    check_alert(session, sku, now=now)
    return True



FUTURE_TOLERANCE = timedelta(days=1)


def put_snapshot(
    session: Session,
    sku: str,
    *,
    on_hand: int,
    as_of: datetime,
    now: datetime,
    sequence: int | None = None,
    alert_threshold: int | None = None,
    safety_stock: int | None = None,
) -> StockFigures:
    """The ERP says how much of `sku` it holds, as of a moment (and its own sequence number).

    An older snapshot than the one held, or the same one again, is refused (STALE_SNAPSHOT):
    by sequence when both carry one, by time otherwise. A snapshot dated more than a day
    ahead is a clock or a typing error, refused too (BAD_DATE). Reservations stay: available
    is the new on hand less what our orders hold.
    """
    if as_of.tzinfo is None:
        raise CommerceError(ErrorCode.BAD_DATE, "as_of needs a time zone")
    if as_of > now + FUTURE_TOLERANCE:
        raise CommerceError(ErrorCode.BAD_DATE, f"snapshot of {sku} is dated in the future ({as_of.isoformat()})",
                            sku=sku)
    if on_hand < 0 or (alert_threshold is not None and alert_threshold < 0) or (
            safety_stock is not None and safety_stock < 0):
        raise CommerceError(ErrorCode.BAD_QUANTITY, f"stock figures of {sku} cannot be negative", sku=sku)
    # One conditional UPDATE takes a newer snapshot and returns the row: the database
    # decides, so two snapshots racing cannot both win, and the common case is one statement.
    newer_time = StockRow.snapshot_at.is_(None) | (StockRow.snapshot_at < as_of)
    newer = newer_time if sequence is None else (
        (StockRow.snapshot_seq.is_(None) & newer_time) | (StockRow.snapshot_seq < sequence))
    values = {"on_hand": on_hand, "snapshot_at": as_of}
    for name, value in (("snapshot_seq", sequence), ("alert_threshold", alert_threshold),
                        ("safety_stock", safety_stock)):
        if value is not None:
            values[name] = value
    row = session.execute(
        update(StockRow).where(StockRow.sku == sku, newer).values(**values)
        .returning(StockRow.on_hand, StockRow.reserved, StockRow.incoming_qty, StockRow.incoming_date,
                   StockRow.alert_threshold, StockRow.safety_stock, StockRow.preordered, StockRow.alert_level)
        .execution_options(synchronize_session=False)).first()
    if row is None:
        held = session.execute(select(StockRow.snapshot_at, StockRow.snapshot_seq).where(StockRow.sku == sku)).first()
        if held is None:
            raise UnknownProduct(sku)
        raise CommerceError(ErrorCode.STALE_SNAPSHOT, f"a newer snapshot of {sku} is already held", sku=sku,
                            held_as_of=held.snapshot_at.isoformat() if held.snapshot_at else None,
                            held_sequence=held.snapshot_seq)
    after = StockFigures(sku=sku, on_hand=row.on_hand, reserved=row.reserved, incoming=row.incoming_qty,
                         incoming_date=row.incoming_date, alert_threshold=row.alert_threshold,
                         safety_stock=row.safety_stock, preordered=row.preordered)
    level = int(after.level)
    if level != row.alert_level:
        moved = session.execute(update(StockRow).where(StockRow.sku == sku, StockRow.alert_level == row.alert_level)
                                .values(alert_level=level).execution_options(synchronize_session=False))
        if moved.rowcount == 1 and level > row.alert_level:  # downwards: an alert, once; upwards re-arms
            session.execute(insert(StockAlertRow).values(sku=sku, level=level, available=after.available,
                                                         created_at=now))
    return after  # the figures of the `stock --json` shape (batches only date pre-orders)


def consume(session: Session, reference: str, sku: str, qty: int, *, now: datetime) -> None:
    """`qty` of `sku` leave for order `reference`: its reservations are consumed (in part when
    the shipment is partial), on hand goes down. Goods beyond what the order holds come from
    available stock, or the shipment is refused (INSUFFICIENT_STOCK)."""
    left = qty
    held = session.scalars(select(ReservationRow).where(
        ReservationRow.reference == reference, ReservationRow.sku == sku, ReservationRow.status == ACTIVE,
        ReservationRow.qty > 0).order_by(ReservationRow.id).with_for_update()).all()
    for reservation in held:
        if left == 0:
            break
        take = min(left, reservation.qty)
        reservation.qty -= take
        if reservation.qty == 0 and reservation.preorder_qty == 0:
            reservation.status = "consumed"
        session.execute(update(StockRow).where(StockRow.sku == sku)
                        .values(on_hand=StockRow.on_hand - take, reserved=StockRow.reserved - take)
                        .execution_options(synchronize_session=False))
        left -= take
    session.flush()
    if left:
        taken = session.execute(update(StockRow).where(StockRow.sku == sku, StockRow.on_hand - StockRow.reserved >= left)
                                .values(on_hand=StockRow.on_hand - left).execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            raise CommerceError(ErrorCode.INSUFFICIENT_STOCK, f"not enough stock of {sku} to ship {qty}", sku=sku)
    check_alert(session, sku, now=now)


def suggested_restock(session: Session, sku: str) -> int:
    """What to order from the supplier for `sku` now (see commerce.stock.restock_suggestion)."""
    return restock_suggestion(figures(session, sku), session.get(StockRow, sku).reorder_qty)


def restock(session: Session, sku: str, qty: int, *, now: datetime) -> None:
    """Goods come back (a return): on hand goes up."""
    session.execute(update(StockRow).where(StockRow.sku == sku).values(on_hand=StockRow.on_hand + qty)
                    .execution_options(synchronize_session=False))
    check_alert(session, sku, now=now)
