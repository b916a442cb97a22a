"""Reservations, holds, alerts, order sums and cumulative limits on both databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from commerce.demo import load_demo
from commerce.errors import CommerceError, ErrorCode
from commerce.persistence import catalog_store, orders_store, stock_store
from commerce.persistence.database import transaction
from commerce.persistence.tables import ReservationRow, StockAlertRow, StockRow
from commerce.pricing import BasketLine
from commerce.services import account_summary, order_line_issues, price_for
from commerce.statuses import OrderStatus


@pytest.fixture
def demo(sessions, now):
    with transaction(sessions) as session:
        load_demo(session, now=now)
    return sessions


def set_stock(sessions, sku, on_hand, *, alert=0, safety=0, incoming=0):
    with transaction(sessions) as session:
        row = session.get(StockRow, sku)
        row.on_hand, row.reserved, row.preordered = on_hand, 0, 0
        row.alert_threshold, row.safety_stock, row.alert_level = alert, safety, 0
        row.incoming_qty = incoming
        row.incoming_date = date(2026, 12, 4) if incoming else None


def test_reserve_release_and_release_again(demo, now):
    set_stock(demo, "SOU-USB", 10)
    with transaction(demo) as session:
        res = stock_store.reserve(session, "SOU-USB", 4, now=now, reference="C-1")
        assert stock_store.figures(session, "SOU-USB").available == 6
        assert stock_store.release(session, res.id, now=now) is True
        assert stock_store.release(session, res.id, now=now) is False  # given back once only
        assert stock_store.figures(session, "SOU-USB").available == 10


def test_reserving_more_than_available_takes_nothing(demo, now):
    set_stock(demo, "SOU-USB", 3, incoming=5)
    with transaction(demo) as session:
        with pytest.raises(CommerceError) as error:
            stock_store.reserve(session, "SOU-USB", 4, now=now)
        assert error.value.code is ErrorCode.INSUFFICIENT_STOCK
        with pytest.raises(CommerceError):
            stock_store.reserve(session, "SOU-USB", 3, preorder_qty=6, now=now)
        figures = stock_store.figures(session, "SOU-USB")
        assert (figures.reserved, figures.preordered) == (0, 0)


def test_preorder_on_incoming_stock_and_backorder_of_preorderable(demo, now):
    set_stock(demo, "SOU-USB", 2, incoming=5)
    with transaction(demo) as session:
        stock_store.reserve(session, "SOU-USB", 2, preorder_qty=5, now=now)
        figures = stock_store.figures(session, "SOU-USB")
        assert (figures.available, figures.incoming_free) == (0, 0)
        stock_store.reserve(session, "SOU-USB", 0, preorder_qty=10, backorder=True, now=now)
        assert stock_store.figures(session, "SOU-USB").preordered == 15


def test_holds_expire_and_give_the_units_back(demo, now):
    set_stock(demo, "SOU-USB", 10)
    with transaction(demo) as session:
        hold = stock_store.reserve(session, "SOU-USB", 6, kind="hold", expires_at=now + timedelta(hours=48), now=now)
        firm = stock_store.reserve(session, "SOU-USB", 1, kind="hold", expires_at=now + timedelta(hours=1), now=now)
        assert stock_store.confirm_hold(session, firm.id)
    with transaction(demo) as session:
        assert stock_store.expire_holds(session, now=now + timedelta(hours=47)) == []
        expired = stock_store.expire_holds(session, now=now + timedelta(hours=48))
        assert [r.id for r in expired] == [hold.id]
        assert stock_store.figures(session, "SOU-USB").available == 9
        assert stock_store.confirm_hold(session, hold.id) is False  # too late to confirm


def test_alert_fires_once_per_crossing_and_rearms(demo, now):
    set_stock(demo, "SOU-USB", 30, alert=20, safety=5)
    with transaction(demo) as session:
        first = stock_store.reserve(session, "SOU-USB", 10, now=now)  # 20: below alert
        stock_store.reserve(session, "SOU-USB", 2, now=now)  # 18: still below, no new alert
        stock_store.reserve(session, "SOU-USB", 13, now=now)  # 5: below safety
        stock_store.release(session, first.id, now=now)  # 15: back to "below alert" (no alert)
        stock_store.reserve(session, "SOU-USB", 10, now=now)  # 5: below safety again
        levels = [a.level for a in session.scalars(
            select(StockAlertRow).where(StockAlertRow.sku == "SOU-USB").order_by(StockAlertRow.id))]
    assert levels == [1, 2, 2]


def test_order_sums_make_the_account(demo, now):
    with transaction(demo) as session:
        summary = account_summary(session, "ACME", now.date())
        assert summary.encours > 0
        assert summary.ytd_purchases_ht > summary.encours / 2
        basket = price_for(session, "ACME", [BasketLine("ECR-27", 10)], now.date())
        order = orders_store.create_order(session, basket, status="confirmed", now=now)
    with transaction(demo) as session:
        after = account_summary(session, "ACME", now.date())
        assert after.encours == summary.encours + basket.total_ttc
        assert after.ytd_purchases_ht == summary.ytd_purchases_ht + basket.total_ht
        orders_store.set_order_status(session, orders_store.get_order(session, order.number), "cancelled", now=now)
    with transaction(demo) as session:
        assert account_summary(session, "ACME", now.date()).encours == summary.encours


def test_tier_moves_with_purchases(demo, now):
    with transaction(demo) as session:
        before = account_summary(session, "MARTIN", now.date())
        assert before.tier.name == "Bronze" and before.to_next_tier_ht > 0


def test_document_numbers_are_sequential_per_year(demo, now):
    with transaction(demo) as session:
        numbers = [orders_store.next_number(session, "D", 2026) for _ in range(3)]
        assert numbers == ["D-2026-0001", "D-2026-0002", "D-2026-0003"]
        assert orders_store.next_number(session, "D", 2027) == "D-2027-0001"


def test_max_qty_is_cumulative_over_repeat_orders(demo, now):
    """ACME may order 50 boxes of GANT-NIT-M a month: two orders of 30 cannot get around it."""
    with transaction(demo) as session:
        customer = catalog_store.get_customer(session, "ACME")
        terms = catalog_store.terms_for(session, customer, now.date())
        assert order_line_issues(session, terms, [BasketLine("GANT-NIT-M", 30)]) == []
        basket = price_for(session, "ACME", [BasketLine("GANT-NIT-M", 30)], now.date())
        orders_store.create_order(session, basket, status=OrderStatus.CONFIRMED.value, now=now)
    with transaction(demo) as session:
        issues = order_line_issues(session, terms, [BasketLine("GANT-NIT-M", 30)])
        assert [(i.code, i.allowed) for i in issues] == [(ErrorCode.QUANTITY_LIMIT, 20)]
        # two lines in one basket count together too
        issues = order_line_issues(session, terms, [BasketLine("GANT-NIT-M", 15), BasketLine("GANT-NIT-M", 10)])
        assert [(i.code, i.allowed) for i in issues] == [(ErrorCode.QUANTITY_LIMIT, 5)]
    # next month, the allowance is back
    with transaction(demo) as session:
        december = catalog_store.terms_for(session, customer, date(2026, 12, 1))
        assert order_line_issues(session, december, [BasketLine("GANT-NIT-M", 50)]) == []


def test_order_checks_visibility_and_minimum_quantity(demo, now):
    with transaction(demo) as session:
        customer = catalog_store.get_customer(session, "BATIPRO")
        terms = catalog_store.terms_for(session, customer, now.date())
        issues = order_line_issues(session, terms, [BasketLine("ECR-24", 1), BasketLine("CART-EXP-M", 10),
                                                     BasketLine("GANT-NIT-L", 3)])
    assert [(i.sku, i.code, i.allowed) for i in issues] == [
        ("ECR-24", ErrorCode.UNKNOWN_PRODUCT, None),  # BATIPRO sees only its allow-listed categories
        ("CART-EXP-M", ErrorCode.BELOW_MIN_ORDER_QTY, 25),
    ]


def test_price_for_uses_the_conditions_of_the_given_day(demo, now):
    with transaction(demo) as session:
        promo = price_for(session, "LILAS", [BasketLine("CAF-MOU-1K", 2)], date(2026, 12, 31))
        after = price_for(session, "LILAS", [BasketLine("CAF-MOU-1K", 2)], date(2027, 1, 1))
    assert promo.lines[0].unit_price_ht == Decimal("11.82")  # 13.90 - 15 %
    assert after.lines[0].unit_price_ht == Decimal("13.90")
    assert promo.vat.per_rate[0].rate == Decimal("5.5")


def _reserve_one(sessions, now, index):
    try:
        with transaction(sessions) as session:
            stock_store.reserve(session, "SOU-USB", 1, now=now, reference=f"W-{index}")
        return True
    except CommerceError as error:
        assert error.code is ErrorCode.INSUFFICIENT_STOCK
        return False


def test_concurrent_reservations_never_oversell(demo, now, engine):
    """50 concurrent buyers for 20 units: exactly 20 served, none lost, none oversold."""
    set_stock(demo, "SOU-USB", 20)
    with ThreadPoolExecutor(max_workers=10) as pool:
        granted = list(pool.map(lambda i: _reserve_one(demo, now, i), range(50)))
    assert granted.count(True) == 20
    with transaction(demo) as session:
        figures = stock_store.figures(session, "SOU-USB")
        rows = session.scalars(select(ReservationRow).where(ReservationRow.sku == "SOU-USB")).all()
    assert (figures.reserved, figures.available) == (20, 0)
    assert sum(r.qty for r in rows) == 20 and len(rows) == 20
