"""Products as the rules see them (plain values, no persistence)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    category: str
    unit: str
    pack_size: int
    price_ht: Decimal
    vat_rate: Decimal
    aliases: tuple[str, ...] = ()
    preorderable: bool = False
    min_order_qty: int = 1
    active: bool = True
