"""Demo data: a French distributor of office, cleaning, safety and small IT supplies.

The CSV files beside this module are the same formats as `comptoir import`. A few past
orders make accounts meaningful (encours, year-to-date purchases, loyalty tiers).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.days import local_day
from commerce.importing import ImportReport, import_csv
from commerce.persistence import orders_store, stock_store
from commerce.persistence.catalog_store import get_customer, get_products, terms_for
from commerce.persistence.tables import OrderRow
from commerce.pricing import BasketLine, price_basket
from commerce.statuses import OrderStatus

DEMO_DIR = Path(__file__).parent
IMPORT_ORDER = ("catalog", "customers", "contacts", "stock", "conditions")

# (customer, days ago, status, lines)
PAST_ORDERS: tuple[tuple[str, int, OrderStatus, tuple[tuple[str, int], ...]], ...] = (
    ("ACME", 250, OrderStatus.PAID, (("PAP-A4-80", 400), ("ECR-24", 6), ("DEST-P4", 1))),
    ("ACME", 120, OrderStatus.PAID, (("CART-HP305-BK", 20), ("TON-HP26A", 8), ("PAP-A4-80", 300))),
    ("ACME", 40, OrderStatus.INVOICED, (("KBD-USB-AZ", 15), ("SOU-SF", 15), ("ECR-27", 4))),
    ("ACME", 6, OrderStatus.CONFIRMED, (("PAP-A4-80", 100), ("CLA-LEV-80", 40))),
    ("BATIPRO", 90, OrderStatus.PAID, (("CHAU-S3-42", 12), ("GANT-NIT-L", 60), ("CASQ-CHAN", 25))),
    ("BATIPRO", 20, OrderStatus.INVOICED, (("GIL-HV-XL", 40), ("LUN-PROT", 40), ("MASQ-FFP2-20", 10))),
    ("LILAS", 200, OrderStatus.PAID, (("GANT-NIT-M", 300), ("GEL-HA-500", 200), ("SAV-MAIN-5L", 30))),
    ("LILAS", 30, OrderStatus.INVOICED, (("GANT-NIT-S", 120), ("PAP-TOIL-96", 40), ("ESS-MAIN-20", 40))),
    ("MARTIN", 15, OrderStatus.CONFIRMED, (("SAC-100L", 10), ("NET-SOL-5L", 4), ("GOB-CART-50", 20))),
    ("HANSALOG", 60, OrderStatus.SHIPPED, (("CART-EXP-M", 500), ("RUB-ADH-50", 72), ("FILM-BUL-50", 10))),
)
PATH = [OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.INVOICED, OrderStatus.PAID]


def load_demo(session: Session, *, now: datetime) -> list[ImportReport]:
    """Import the demo CSVs (idempotent) and, once, the demo order history."""
    reports = [import_csv(session, kind, DEMO_DIR / f"{kind}.csv", now=now) for kind in IMPORT_ORDER]
    if session.execute(select(func.count()).select_from(OrderRow)).scalar_one() == 0:
        _past_orders(session, now)
    return reports


def _past_orders(session: Session, now: datetime) -> None:
    for customer_id, days_ago, status, lines in PAST_ORDERS:
        when = now - timedelta(days=days_ago)
        if when.year != now.year:  # keep the history inside this year's loyalty window
            when = now.replace(month=1, day=2)
        customer = get_customer(session, customer_id)
        terms = terms_for(session, customer, local_day(when))
        products = get_products(session, (sku for sku, _ in lines))
        basket = price_basket(terms, products, [BasketLine(sku, qty) for sku, qty in lines])
        order = orders_store.create_order(
            session, basket, status=OrderStatus.CONFIRMED.value, now=when, placed_by="demo"
        )
        if status is OrderStatus.CONFIRMED:  # not shipped yet: the goods are reserved
            for line in order.lines:
                stock_store.reserve_up_to(session, line.sku, line.qty, now=when, reference=order.number)
        for step in PATH[1 : PATH.index(status) + 1]:
            orders_store.set_order_status(session, order, step.value, now=when)
