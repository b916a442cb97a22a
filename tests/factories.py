"""Readable test data: products, customers and conditions with names that explain them."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from commerce.catalog import Product
from commerce.conditions import Condition, ConditionKind
from commerce.customers import Customer


def product(sku: str = "PEN-BLUE", *, price: str = "10.00", vat: str = "20", category: str = "office",
            **kwargs) -> Product:
    return Product(
        sku=sku,
        name=kwargs.pop("name", sku.title()),
        category=category,
        unit=kwargs.pop("unit", "pièce"),
        pack_size=kwargs.pop("pack_size", 1),
        price_ht=Decimal(price),
        vat_rate=Decimal(vat),
        **kwargs,
    )


def customer(customer_id: str = "ACME", *, segment: str = "industry", country: str = "FR",
             vat_number: str | None = None, **kwargs) -> Customer:
    return Customer(customer_id=customer_id, name=kwargs.pop("name", customer_id.title()),
                    segment=segment, country=country, vat_number=vat_number, **kwargs)


def rule(kind: str, value: str | int | None = None, *, customer: str | None = None,
         segment: str | None = None, sku: str | None = None, category: str | None = None,
         min_qty: int = 0, starts: str | None = None, ends: str | None = None,
         best_price: bool = False) -> Condition:
    return Condition(
        kind=ConditionKind(kind),
        value=Decimal(str(value)) if value is not None else None,
        customer_id=customer,
        segment=segment,
        sku=sku,
        category=category,
        min_qty=min_qty,
        starts_on=date.fromisoformat(starts) if starts else None,
        ends_on=date.fromisoformat(ends) if ends else None,
        best_price=best_price,
    )


CATALOG_HEADER = "sku,name,category,unit,pack_size,price_ht,vat_rate,aliases,preorderable,min_order_qty"


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
