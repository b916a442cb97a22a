"""Stock figures and alert levels (pure). Reservation itself is in persistence.stock_store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum


class AlertLevel(IntEnum):
    OK = 0
    BELOW_ALERT = 1  # available at or under the alert threshold: time to reorder
    BELOW_SAFETY = 2  # at or under the safety stock: the reserve is being eaten


@dataclass(frozen=True, slots=True)
class StockFigures:
    sku: str
    on_hand: int
    reserved: int
    incoming: int
    incoming_date: date | None
    alert_threshold: int = 0
    safety_stock: int = 0
    preordered: int = 0
    # Open supplier batches (ETA, quantity still to come), earliest first; empty when the
    # incoming figure comes from a flat file that gives one quantity and one date.
    batches: tuple[tuple[date | None, int], ...] = ()

    def eta_covering(self, units: int, *, today: date | None = None) -> date | None:
        """When the `units`-th incoming unit arrives: the ETA of the batch that covers it
        (pre-orders are served in ETA order). None when no batch covers it or its ETA has
        passed without the goods (a late delivery has no date we can promise)."""
        if not self.batches:
            eta = self.incoming_date if units <= self.incoming else None
        else:
            eta, covered = None, 0
            for batch_eta, qty in self.batches:
                covered += qty
                if covered >= units:
                    eta = batch_eta
                    break
        if eta is not None and today is not None and eta < today:
            return None
        return eta

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def virtual(self) -> int:
        """What can still be promised: available now, plus incoming not already pre-ordered."""
        return self.available + self.incoming - self.preordered

    @property
    def incoming_free(self) -> int:
        """Incoming units not yet promised to a pre-order."""
        return max(0, self.incoming - self.preordered)

    @property
    def level(self) -> AlertLevel:
        return alert_level(self.available, self.alert_threshold, self.safety_stock)

    def to_dict(self) -> dict:
        """The `comptoir stock --json` shape of DESIGN.md."""
        return {
            "sku": self.sku,
            "on_hand": self.on_hand,
            "reserved": self.reserved,
            "available": self.available,
            "incoming": self.incoming,
            "incoming_date": self.incoming_date.isoformat() if self.incoming_date else None,
            "virtual": self.virtual,
        }


def alert_level(available: int, alert_threshold: int, safety_stock: int) -> AlertLevel:
    if safety_stock > 0 and available <= safety_stock:
        return AlertLevel.BELOW_SAFETY
    if alert_threshold > 0 and available <= alert_threshold:
        return AlertLevel.BELOW_ALERT
    return AlertLevel.OK


@dataclass(frozen=True, slots=True)
class Availability:
    """What a request for `qty` can get: now from stock, later from incoming, or not at all."""

    sku: str
    requested: int
    ship_now: int
    preorder: int
    preorder_date: date | None
    missing: int

    @property
    def complete(self) -> bool:
        return self.missing == 0


def split_availability(
    figures: StockFigures, qty: int, *, preorderable: bool, today: date | None = None
) -> Availability:
    """Ship what is available now; the rest on incoming stock, or backorder if pre-orderable.
    The date promised is the ETA of the batch that covers the last unit pre-ordered."""
    ship_now = max(0, min(qty, figures.available))
    rest = qty - ship_now
    from_incoming = min(rest, figures.incoming_free)
    backorder = rest - from_incoming if preorderable else 0
    preorder = from_incoming + backorder
    return Availability(
        sku=figures.sku,
        requested=qty,
        ship_now=ship_now,
        preorder=preorder,
        preorder_date=(figures.eta_covering(figures.preordered + from_incoming, today=today)
                       if from_incoming else None) if preorder else None,
        missing=qty - ship_now - preorder,
    )


def restock_suggestion(figures: StockFigures, reorder_qty: int = 0) -> int:
    """What to order from the supplier after an alert: enough for the position (available and
    incoming, less what is promised to pre-orders) to climb back above the alert threshold
    and the safety stock, and at least the supplier's usual lot. 0 when incoming covers it."""
    position = figures.available + figures.incoming - figures.preordered
    target = max(figures.alert_threshold + 1 if figures.alert_threshold else 0, figures.safety_stock)
    shortfall = target - position
    return max(shortfall, reorder_qty) if shortfall > 0 else 0
