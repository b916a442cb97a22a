"""Money is exact in storage, on SQLite (TEXT) as on PostgreSQL (NUMERIC); floats are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DataError, StatementError

from commerce.persistence.database import transaction, upgrade_schema
from commerce.persistence.tables import (
    ConditionRow,
    CustomerRow,
    Money,
    OrderLineRow,
    OrderRow,
    ProductRow,
    StockRow,
)

PREVIOUS_HEAD = "0002"  # the last migration before money was stored as TEXT on SQLite


def product(price: Decimal | float, *, vat: Decimal = Decimal("20"), now) -> ProductRow:
    return ProductRow(sku="PEN-BLUE", name="Blue pen", category="office", unit="pièce",
                      price_ht=price, vat_rate=vat, updated_at=now)


def customer(credit_limit: Decimal, *, now) -> CustomerRow:
    return CustomerRow(customer_id="ACME", name="Acme", credit_limit=credit_limit, updated_at=now)


def test_four_decimal_price_and_twelve_digit_amount_round_trip_exactly(sessions, now):
    with transaction(sessions) as session:
        session.add(product(Decimal("12.3456"), vat=Decimal("5.5"), now=now))
        session.add(customer(Decimal("123456789012.34"), now=now))
    with transaction(sessions) as session:
        row = session.get(ProductRow, "PEN-BLUE")
        limit = session.get(CustomerRow, "ACME").credit_limit
        assert [str(row.price_ht), str(row.vat_rate), str(limit)] == [
            "12.3456", "5.50", "123456789012.34"]
        assert all(type(v) is Decimal for v in (row.price_ht, row.vat_rate, limit))


def test_values_are_rounded_half_up_to_the_scale_as_postgresql_does(sessions, now):
    with transaction(sessions) as session:
        session.add(product(Decimal("0.00005"), now=now))
        session.add(customer(Decimal("-2.345"), now=now))
    with transaction(sessions) as session:
        assert session.get(ProductRow, "PEN-BLUE").price_ht == Decimal("0.0001")
        assert session.get(CustomerRow, "ACME").credit_limit == Decimal("-2.35")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_sqlite_keeps_the_decimal_string_not_a_float(engine, sessions, now):
    with transaction(sessions) as session:
        session.add(product(Decimal("12.3456"), now=now))
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT typeof(price_ht), price_ht, vat_rate FROM products")).one()
    assert tuple(stored) == ("text", "12.3456", "20.00")


def test_a_float_is_refused(sessions, now):
    with pytest.raises(StatementError) as error, transaction(sessions) as session:
        session.add(product(12.5, now=now))
    assert isinstance(error.value.orig, TypeError)
    assert "float is not money" in str(error.value)
    with transaction(sessions) as session:
        assert session.scalars(select(ProductRow)).all() == []


@pytest.mark.parametrize(("column", "value", "row"), [
    ("price_ht", "10000000000", lambda v, now: product(v, now=now)),  # NUMERIC(14, 4)
    ("vat_rate", "1000", lambda v, now: product(Decimal(1), vat=v, now=now)),  # NUMERIC(5, 2)
    ("credit_limit", "999999999999.995", lambda v, now: customer(v, now=now)),  # rounds over
], ids=["price_ht", "vat_rate", "credit_limit"])
def test_a_value_too_large_for_the_column_is_refused_and_shown(sessions, now, column, value, row):
    with pytest.raises(StatementError) as error, transaction(sessions) as session:
        session.add(row(Decimal(value), now=now))
    assert isinstance(error.value.orig, ValueError)
    assert f"{value} does not fit NUMERIC" in str(error.value)
    assert f"'{column}': Decimal('{value}')" in str(error.value)  # the statement's parameters


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_postgresql_itself_rounds_and_refuses_the_same_values(engine):
    cast = text("SELECT CAST(:v AS NUMERIC(14, 2))")
    for value in ["2.345", "-2.345", "0.005", "999999999999.99", "999999999999.995", "1E12"]:
        with engine.connect() as conn:
            try:
                ours = Money.process_bind_param(Decimal(value), engine.dialect)
            except ValueError:
                with pytest.raises(DataError):  # numeric field overflow
                    conn.execute(cast, {"v": value})
            else:
                assert conn.execute(cast, {"v": value}).scalar_one() == ours


def test_a_database_at_the_previous_migration_upgrades_to_the_same_decimals(empty_engine):
    upgrade_schema(empty_engine, revision=PREVIOUS_HEAD)
    at = "'2026-11-22 10:00:00'"
    # Plain SQL literals, as the old NUMERIC columns received them: SQLite keeps REAL/INTEGER.
    with empty_engine.begin() as conn:
        for statement in [
            "INSERT INTO products (sku, name, category, unit, pack_size, price_ht, vat_rate, aliases,"
            f" preorderable, min_order_qty, active, updated_at) VALUES ('PEN-BLUE', 'Blue pen',"
            f" 'office', 'pièce', 1, 12.3456, 20, '', false, 1, true, {at})",
            "INSERT INTO stock (sku, on_hand, reserved, preordered, incoming_qty, alert_threshold,"
            " safety_stock, alert_level) VALUES ('PEN-BLUE', 5, 0, 0, 0, 0, 0, 0)",
            "INSERT INTO customers (customer_id, name, segment, country, payment_terms_days,"
            " credit_limit, approval_threshold_ht, approval_categories, updated_at) VALUES ('ACME',"
            f" 'Acme', 'industry', 'FR', 30, 123456789012.34, NULL, '', {at})",
            "INSERT INTO conditions (customer_id, segment, sku, category, kind, value, min_qty)"
            " VALUES ('ACME', '', 'PEN-BLUE', '', 'price_ht', 9.995, 0)",
            # 4.935 is 4.93499999... as a float: read as its digits it rounds up, as PostgreSQL did.
            "INSERT INTO orders (id, number, customer_id, status, regime, total_ht, total_vat,"
            " total_ttc, created_at, updated_at) VALUES (1, 'C-2026-0001', 'ACME', 'confirmed',"
            f" 'domestic', 24.69, 4.935, 29.63, {at}, {at})",
            "INSERT INTO order_lines (id, order_id, position, sku, name, qty, preorder_qty,"
            " unit_price_ht, total_ht, vat_rate, \"explain\") VALUES (1, 1, 1, 'PEN-BLUE',"
            " 'Blue pen', 2, 0, 12.3456, 24.69, 20, '')",
        ]:
            conn.execute(text(statement))

    upgrade_schema(empty_engine)

    with empty_engine.connect() as conn:
        price, vat = conn.execute(select(ProductRow.price_ht, ProductRow.vat_rate)).one()
        limit = conn.execute(select(CustomerRow.credit_limit)).scalar_one()
        rule_value = conn.execute(select(ConditionRow.value)).scalar_one()
        totals = conn.execute(
            select(OrderRow.total_ht, OrderRow.total_vat, OrderRow.total_ttc)).one()
        line = conn.execute(select(OrderLineRow.unit_price_ht, OrderLineRow.total_ht)).one()
        assert conn.execute(select(StockRow.on_hand)).scalar_one() == 5  # referencing rows kept
        if empty_engine.dialect.name == "sqlite":
            stored = conn.execute(text("SELECT typeof(price_ht), price_ht, vat_rate FROM products"))
            assert tuple(stored.one()) == ("text", "12.3456", "20.00")  # the digits, at the scale
            assert conn.execute(text("SELECT total_vat FROM orders")).scalar_one() == "4.94"
    assert [str(v) for v in (price, vat, limit, rule_value)] == [
        "12.3456", "20.00", "123456789012.34", "9.9950"]
    assert [str(v) for v in (*totals, *line)] == ["24.69", "4.94", "29.63", "12.3456", "24.69"]
