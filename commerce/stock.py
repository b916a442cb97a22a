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

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def virtual(self) -> int:
        return self.available + self.incoming

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
    figures: StockFigures, qty: int, *, preorderable: bool
) -> Availability:
    """Ship what is available now; the rest on incoming stock, or backorder if pre-orderable."""
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
        preorder_date=figures.incoming_date if preorder else None,
        missing=qty - ship_now - preorder,
    )
