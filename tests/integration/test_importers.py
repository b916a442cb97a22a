"""CSV importers on SQLite and PostgreSQL: idempotence, whole-file rejection, reports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from commerce.demo import DEMO_DIR
from commerce.importing import ImportRejected, import_csv
from commerce.persistence import catalog_store, stock_store
from commerce.persistence.database import transaction
from commerce.persistence.tables import ConditionRow, ProductRow
from tests.factories import CATALOG_HEADER, write_csv

CONDITIONS_HEADER = "customer_id,segment,sku,category,kind,value,min_qty,starts_on,ends_on"


def load(sessions, now, kinds=("catalog", "customers", "contacts", "stock", "conditions")):
    with transaction(sessions) as session:
        return [import_csv(session, kind, DEMO_DIR / f"{kind}.csv", now=now) for kind in kinds]


def count(sessions, table) -> int:
    with transaction(sessions) as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_demo_files_import_and_reimport_changes_nothing(sessions, now):
    first = load(sessions, now)
    assert [r.inserted for r in first if r.kind != "stock"] == [75, 7, 15, 25]
    again = load(sessions, now + timedelta(minutes=1))
    assert all(r.inserted == 0 for r in again)
    assert all(r.updated == 0 for r in again if r.kind != "stock")
    assert count(sessions, ProductRow) == 75
    assert count(sessions, ConditionRow) == 25


def test_reimport_updates_changed_rows(sessions, now, tmp_path):
    load(sessions, now, ("catalog",))
    path = write_csv(tmp_path / "c.csv", CATALOG_HEADER,
                     ["PAP-A4-80,Ramette A4 80 g,papier,ramette,5,4.35,20,ramette A4,false,1"])
    with transaction(sessions) as session:
        report = import_csv(session, "catalog", path, now=now)
    assert (report.inserted, report.updated) == (0, 1)
    with transaction(sessions) as session:
        assert catalog_store.get_product(session, "PAP-A4-80").price_ht == Decimal("4.35")


def test_a_file_with_bad_rows_is_rejected_whole_with_every_bad_row(sessions, now, tmp_path):
    path = write_csv(tmp_path / "c.csv", CATALOG_HEADER, [
        "GOOD-1,Good one,office,pièce,1,1.00,20,,false,1",
        "BAD-PRICE,Bad price,office,pièce,1,abc,20,,false,1",
        "BAD-VAT,Bad VAT,office,pièce,1,1.00,19.6,,false,1",
        ",No SKU,office,pièce,1,1.00,20,,false,1",
        "GOOD-1,Duplicate,office,pièce,1,1.00,20,,false,1",
        "BAD-BOOL,Bad bool,office,pièce,1,1.00,20,,maybe,1",
        "GOOD-2,Good two,office,pièce,1,2.00,5.5,,true,1",
    ])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "catalog", path, now=now)
    errors = {e.line: e.reason for e in rejected.value.report.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "price_ht is not an amount" in errors[3]
    assert "unknown VAT rate" in errors[4]
    assert "sku is empty" in errors[5]
    assert "duplicate sku GOOD-1 (line 2)" in errors[6]
    assert "preorderable" in errors[7]
    assert count(sessions, ProductRow) == 0


def test_skip_bad_imports_the_good_rows_and_reports_the_rest(sessions, now, tmp_path):
    path = write_csv(tmp_path / "c.csv", CATALOG_HEADER, [
        "GOOD-1,Good one,office,pièce,1,1.00,20,,false,1",
        "BAD-PRICE,Bad price,office,pièce,1,-3,20,,false,1",
        "GOOD-2,Good two,office,pièce,1,2.00,5.5,,true,1",
    ])
    with transaction(sessions) as session:
        report = import_csv(session, "catalog", path, now=now, skip_bad=True)
    assert report.inserted == 2
    assert [(e.line, e.reason) for e in report.errors] == [(3, "price_ht is negative: -3")]


def test_missing_columns_reject_the_file(sessions, now, tmp_path):
    path = write_csv(tmp_path / "c.csv", "sku,name", ["A,B"])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "catalog", path, now=now)
    assert "missing column(s): category" in rejected.value.report.errors[0].reason


def test_stock_rows_with_unknown_skus_are_reported(sessions, now, tmp_path):
    load(sessions, now, ("catalog",))
    path = write_csv(tmp_path / "s.csv", "sku,on_hand,incoming_qty,incoming_date,alert_threshold,safety_stock",
                     ["PAP-A4-80,10,0,,2,1", "NOPE-1,5,0,,0,0", "PAP-A3-80,x,0,,0,0"])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "stock", path, now=now)
    assert [(e.line, e.reason) for e in rejected.value.report.errors] == [
        (3, "unknown SKU: NOPE-1"), (4, "on_hand is not a whole number: 'x'")]


def test_customers_terms_over_sixty_days_are_refused_and_bad_vat_numbers_warned(sessions, now, tmp_path):
    header = "customer_id,name,segment,country,vat_number,payment_terms_days,credit_limit,approval_threshold_ht"
    path = write_csv(tmp_path / "cu.csv", header, [
        "C1,One,retail,FR,,90,1000,",
        "C2,Two,retail,BE,BE0428759490,30,1000,",
        "C3,Three,retail,XX,,30,1000,",
    ])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "customers", path, now=now)
    report = rejected.value.report
    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "payment_terms_days 90 exceeds the legal maximum of 60"),
        (4, "country is not an ISO 3166 alpha-2 code: 'XX'")]
    assert report.warnings[0].line == 3 and "invalid VAT number" in report.warnings[0].reason


def test_contacts_need_a_known_customer_except_sales_reps(sessions, now, tmp_path):
    load(sessions, now, ("catalog", "customers"))
    path = write_csv(tmp_path / "co.csv", "email,name,customer_id,role,slack_user_id,language", [
        "a@acme.fr,A,ACME,buyer,U1,fr",
        "b@x.fr,B,NOPE,buyer,,fr",
        "rep@us.fr,Rep,,sales_rep,U2,fr",
        "c@acme.fr,C,ACME,boss,,fr",
        "d@acme.fr,D,ACME,approver,U1,en",
        "not-an-email,E,ACME,buyer,,fr",
    ])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "contacts", path, now=now)
    lines = {e.line: e.reason for e in rejected.value.report.errors}
    assert lines[3] == "unknown customer: NOPE"
    assert lines[5].startswith("role must be one of")
    assert lines[6] == "slack_user_id U1 already belongs to a@acme.fr"
    assert "not an email" in lines[7]
    assert 2 not in lines and 4 not in lines


def test_conflicting_conditions_are_refused_at_import(sessions, now, tmp_path):
    load(sessions, now, ("catalog", "customers", "conditions"))
    path = write_csv(tmp_path / "cond.csv", CONDITIONS_HEADER, [
        "BATIPRO,,GANT-NIT-M,,price_ht,6.50,,,",
        "BATIPRO,,GANT-NIT-M,,price_ht,6.90,,,",
        ",,CAF-MOU-1K,,discount_pct,20,,2026-12-15,2027-01-15",  # overlaps the running promo
        ",,CAF-MOU-1K,,discount_pct,20,,2027-01-01,2027-01-31",  # after it: fine
    ])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "conditions", path, now=now)
    errors = rejected.value.report.errors
    assert sorted({e.line for e in errors}) == [2, 3, 4]
    assert any("conflicts with line 3" in e.reason for e in errors if e.line == 2)
    assert any("conflicts with an existing rule" in e.reason for e in errors if e.line == 4)
    assert count(sessions, ConditionRow) == 25


def test_reimporting_a_condition_with_a_new_value_updates_it(sessions, now, tmp_path):
    load(sessions, now, ("catalog", "customers", "conditions"))
    path = write_csv(tmp_path / "cond.csv", CONDITIONS_HEADER, ["ACME,,,papier,discount_pct,12,,,"])
    with transaction(sessions) as session:
        report = import_csv(session, "conditions", path, now=now)
    assert (report.inserted, report.updated) == (0, 1)


def test_a_replayed_older_stock_snapshot_does_not_overwrite_newer_stock(sessions, now, tmp_path):
    load(sessions, now, ("catalog",))
    header = "sku,on_hand,incoming_qty,incoming_date,alert_threshold,safety_stock,as_of"
    new = write_csv(tmp_path / "new.csv", header, ["PAP-A4-80,80,0,,10,5,2026-11-22T09:00:00+00:00"])
    old = write_csv(tmp_path / "old.csv", header, ["PAP-A4-80,500,0,,10,5,2026-11-22T08:00:00+00:00"])
    with transaction(sessions) as session:
        import_csv(session, "stock", new, now=now)
    with transaction(sessions) as session:
        report = import_csv(session, "stock", old, now=now)
    assert report.unchanged == 1
    with transaction(sessions) as session:
        assert stock_store.figures(session, "PAP-A4-80").on_hand == 80


def test_a_file_that_is_not_utf8_gets_a_clear_error(sessions, now, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((CATALOG_HEADER + "\nX,Caf\xe9,food,pièce,1,1.00,5.5,,false,1\n").encode("latin-1"))
    from commerce.errors import CommerceError

    with pytest.raises(CommerceError, match="not UTF-8"), transaction(sessions) as session:
        import_csv(session, "catalog", path, now=now)


def test_a_file_of_some_columns_changes_those_only(sessions, now, tmp_path):
    load(sessions, now, ("catalog",))
    with transaction(sessions) as session:
        before = catalog_store.get_product(session, "PAP-A4-80")
    path = write_csv(tmp_path / "prices.csv", "sku,price_ht", ["PAP-A4-80,4.35"])
    with transaction(sessions) as session:
        report = import_csv(session, "catalog", path, now=now)
    assert (report.inserted, report.updated) == (0, 1)
    with transaction(sessions) as session:
        after = catalog_store.get_product(session, "PAP-A4-80")
    assert after.price_ht == Decimal("4.35")
    assert (after.name, after.category, after.pack_size, after.aliases, after.min_order_qty, after.unit,
            after.preorderable, after.vat_rate) == (before.name, before.category, before.pack_size, before.aliases,
                                                    before.min_order_qty, before.unit, before.preorderable,
                                                    before.vat_rate)
    assert before.pack_size > 1 and before.aliases  # the demo product has something to lose


def test_a_new_row_in_a_partial_file_is_a_line_error(sessions, now, tmp_path):
    load(sessions, now, ("catalog",))
    path = write_csv(tmp_path / "prices.csv", "sku,price_ht", ["PAP-A4-80,4.35", "NEW-1,2.00"])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "catalog", path, now=now)
    [error] = rejected.value.report.errors
    assert error.line == 3 and "new sku NEW-1" in error.reason and "name" in error.reason


@pytest.mark.parametrize(("row", "reason"), [
    (f"LONG-1,{'x' * 400},office,pièce,1,1.00,20,,false,1", "name is longer than 300 characters"),
    ("BIG-1,Big,office,pièce,1,12345678901.00,20,,false,1", "price_ht is too large"),
    ("FINE-1,Fine,office,pièce,1,1.23456,20,,false,1", "price_ht has more than 4 decimals"),
    ("PACK-1,Pack,office,pièce,99999999999,1.00,20,,false,1", "pack_size is too large"),
    ("COMMA-1,Comma,office,pièce,1,\"1,234\",20,,false,1", "looks like a thousands separator"),
])
def test_a_value_beyond_its_column_is_a_line_error_on_both_databases(sessions, now, tmp_path, row, reason):
    path = write_csv(tmp_path / "c.csv", CATALOG_HEADER, ["GOOD-1,Good one,office,pièce,1,1.00,20,,false,1", row])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "catalog", path, now=now)
    [error] = rejected.value.report.errors
    assert error.line == 3 and reason in error.reason
    assert count(sessions, ProductRow) == 0


def test_a_decimal_comma_is_still_a_decimal(sessions, now, tmp_path):
    path = write_csv(tmp_path / "c.csv", CATALOG_HEADER, ["DEC-1,Decimal,office,pièce,1,\"0,125\",20,,false,1",
                                                          "DEC-2,Decimal,office,pièce,1,\"12,5\",20,,false,1"])
    with transaction(sessions) as session:
        import_csv(session, "catalog", path, now=now)
        assert catalog_store.get_product(session, "DEC-1").price_ht == Decimal("0.125")
        assert catalog_store.get_product(session, "DEC-2").price_ht == Decimal("12.5")


def test_a_retired_product_disappears_for_buyers_and_keeps_its_row(sessions, now, tmp_path):
    load(sessions, now, ("catalog",))
    path = write_csv(tmp_path / "retire.csv", "sku,name,category,price_ht,vat_rate,active",
                     ["PAP-A4-80,Ramette A4 80 g,papier,3.38,20,false"])
    with transaction(sessions) as session:
        import_csv(session, "catalog", path, now=now)
        assert "PAP-A4-80" not in {p.sku for p in catalog_store.all_products(session)}
        assert catalog_store.get_product(session, "PAP-A4-80").active is False


def test_conditions_for_an_unknown_segment_or_category_are_reported(sessions, now, tmp_path):
    load(sessions, now, ("catalog", "customers"))
    path = write_csv(tmp_path / "cond.csv", CONDITIONS_HEADER, [
        ",industrei,,,discount_pct,5,,,",  # a typo of "industrie"
        ",,,papeterie-fine,discount_pct,3,,,",
    ])
    with transaction(sessions) as session:
        report = import_csv(session, "conditions", path, now=now)
    warned = {w.line: w.reason for w in report.warnings}
    assert "segment 'industrei'" in warned[2] and "category 'papeterie-fine'" in warned[3]


def test_a_best_price_rule_is_imported_and_applied(sessions, now, tmp_path):
    load(sessions, now, ("catalog", "customers"))
    path = write_csv(tmp_path / "cond.csv", CONDITIONS_HEADER + ",best_price", [
        "ACME,,PAP-A4-80,,price_ht,4.00,,,,",
        ",industrie,PAP-A4-80,,price_ht,3.50,,,,true",
    ])
    with transaction(sessions) as session:
        import_csv(session, "conditions", path, now=now)
        customer = catalog_store.get_customer(session, "ACME")
        price = catalog_store.terms_for(session, customer, now.date()).unit_price(
            catalog_store.get_product(session, "PAP-A4-80"), 1)
    assert price.unit_price_ht == Decimal("3.50") and "best price" in price.explain[-1]
    bad = write_csv(tmp_path / "bad.csv", CONDITIONS_HEADER + ",best_price", [",industrie,,,hidden,,,,,true"])
    with pytest.raises(ImportRejected) as rejected, transaction(sessions) as session:
        import_csv(session, "conditions", bad, now=now)
    assert "best_price is for price_ht and discount_pct rules" in rejected.value.report.errors[0].reason
