#!/usr/bin/env python
"""Pricing and import at catalog scale.

Generates (deterministically) a 50,000-product catalog, 200 customers in 10 segments and
2,000 condition rules (fixed prices, discounts by SKU, category and for everyone,
quantity breaks, dated promotions, visibility rules, limits), imports them into a fresh
SQLite database, then prices a 500-line basket for a customer with many applicable rules
through `commerce.services.price_for` (load products and conditions, resolve, price,
VAT), next to two baselines measured in the same run: only loading the 500 products, and
pricing in memory with a prebuilt strategy. Also times importing a 100,000-line catalog.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from commerce.importing import import_csv
from commerce.persistence import catalog_store
from commerce.persistence.database import make_engine, session_factory, transaction, upgrade_schema
from commerce.pricing import BasketLine, price_basket
from commerce.services import price_for

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)
DAY = date(2026, 11, 22)


def write_catalog(path: Path, count: int, categories: int) -> list[str]:
    rnd = random.Random(1)
    skus = []
    with path.open("w", encoding="utf-8") as out:
        out.write("sku,name,category,unit,pack_size,price_ht,vat_rate,aliases,preorderable,min_order_qty\n")
        for index in range(count):
            sku = f"P{index:06d}"
            skus.append(sku)
            price = f"{rnd.uniform(0.2, 900):.2f}"
            vat = rnd.choice(["20", "20", "20", "10", "5.5", "2.1"])
            out.write(f"{sku},Produit {index} modèle {rnd.randint(1, 999)},cat{index % categories},pièce,"
                      f"{rnd.choice([1, 5, 10, 12, 50])},{price},{vat},alias {index}|ref{index},false,1\n")
    return skus


def write_customers(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("customer_id,name,segment,country,vat_number,payment_terms_days,credit_limit,approval_threshold_ht\n")
        for index in range(count):
            out.write(f"C{index:04d},Client {index},seg{index % 10},FR,,30,50000,\n")


def write_conditions(path: Path, skus: list[str], rules: int, categories: int) -> None:
    rnd = random.Random(2)
    seen: set[tuple] = set()
    rows = []
    while len(rows) < rules:
        who = rnd.choice(["customer", "customer", "segment", "all"])
        customer = "C0000" if who == "customer" and rnd.random() < 0.5 else (
            f"C{rnd.randrange(200):04d}" if who == "customer" else "")
        segment = f"seg{rnd.randrange(10)}" if who == "segment" else ""
        what = rnd.choice(["sku", "sku", "category", "all"])
        sku = rnd.choice(skus[:5000]) if what == "sku" else ""
        category = f"cat{rnd.randrange(categories)}" if what == "category" else ""
        kind = rnd.choice(["price_ht", "discount_pct", "discount_pct", "hidden", "max_qty"])
        if kind == "price_ht" and not sku:
            kind = "discount_pct"
        min_qty = rnd.choice([0, 0, 0, 10, 50]) if kind in ("price_ht", "discount_pct") else 0
        dated = rnd.random() < 0.15
        starts, ends = ("2026-11-01", "2026-12-31") if dated else ("", "")
        key = (customer, segment, sku, category, "vis" if kind in ("hidden",) else kind, min_qty, dated)
        if key in seen or (kind == "hidden" and not (customer and sku)):
            continue
        seen.add(key)
        value = {"price_ht": f"{rnd.uniform(0.5, 500):.2f}", "discount_pct": str(rnd.choice([2, 3, 5, 8, 10, 15])),
                 "max_qty": str(rnd.choice([100, 500, 1000])), "hidden": ""}[kind]
        rows.append(f"{customer},{segment},{sku},{category},{kind},{value},{min_qty or ''},{starts},{ends}")
    path.write_text("customer_id,segment,sku,category,kind,value,min_qty,starts_on,ends_on\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")


def timed_import(sessions, kind: str, path: Path) -> float:
    start = time.perf_counter()
    with transaction(sessions) as session:
        import_csv(session, kind, path, now=NOW)
    return time.perf_counter() - start


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--products", type=int, default=50_000)
    options.add_argument("--rules", type=int, default=2_000)
    options.add_argument("--lines", type=int, default=500)
    options.add_argument("--runs", type=int, default=30)
    options.add_argument("--big-import", type=int, default=100_000)
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        skus = write_catalog(work / "catalog.csv", args.products, 300)
        write_customers(work / "customers.csv", 200)
        write_conditions(work / "conditions.csv", skus, args.rules, 300)
        engine = make_engine(f"sqlite:///{work / 'bench.db'}")
        upgrade_schema(engine)
        sessions = session_factory(engine)
        seconds = timed_import(sessions, "catalog", work / "catalog.csv")
        print(f"import {args.products:,} products: {seconds:.1f} s ({args.products / seconds:,.0f} rows/s)")
        timed_import(sessions, "customers", work / "customers.csv")
        seconds = timed_import(sessions, "conditions", work / "conditions.csv")
        print(f"import {args.rules:,} condition rules (with conflict checks): {seconds:.2f} s")

        rnd = random.Random(3)
        with transaction(sessions) as session:
            customer = catalog_store.get_customer(session, "C0000")
            terms = catalog_store.terms_for(session, customer, DAY)
            visible = [s for s in rnd.sample(skus[:5000], 2000)
                       if terms.visibility(catalog_store.get_product(session, s)).allowed]
        basket = [BasketLine(sku, rnd.choice([1, 5, 12, 60])) for sku in visible[: args.lines]]
        applicable = len(catalog_store.conditions_for(sessions(), customer))

        def measure(job) -> list[float]:
            job()
            values = []
            for _ in range(args.runs):
                start = time.perf_counter()
                job()
                values.append((time.perf_counter() - start) * 1000)
            return values

        def full():
            with transaction(sessions) as session:
                price_for(session, "C0000", basket, DAY)

        def load_only():
            with transaction(sessions) as session:
                catalog_store.get_products(session, (line.sku for line in basket))

        with transaction(sessions) as session:
            products = catalog_store.get_products(session, (line.sku for line in basket))
            terms = catalog_store.terms_for(session, customer, DAY)

        def in_memory():
            price_basket(terms, products, basket)

        results = {"price_for (load + resolve + price + VAT)": measure(full),
                   "baseline: load the 500 products": measure(load_only),
                   "in memory: price_basket with prebuilt terms": measure(in_memory)}
        print(f"{len(basket)}-line basket, customer C0000 with {applicable} applicable rules of {args.rules:,}:")
        for name, values in results.items():
            ordered = sorted(values)
            print(f"  {name:<46} median {statistics.median(values):7.2f} ms   "
                  f"p95 {ordered[int(len(ordered) * 0.95) - 1]:7.2f} ms")
        base = statistics.median(results["baseline: load the 500 products"])
        print(f"  pricing costs {statistics.median(results['price_for (load + resolve + price + VAT)']) / base:.1f}x "
              f"loading the products (target: under 50 ms for the whole basket)")
        engine.dispose()

        if args.big_import:
            write_catalog(work / "big.csv", args.big_import, 500)
            big = make_engine(f"sqlite:///{work / 'big.db'}")
            upgrade_schema(big)
            seconds = timed_import(session_factory(big), "catalog", work / "big.csv")
            print(f"import {args.big_import:,}-line catalog into a fresh database: {seconds:.1f} s "
                  f"({args.big_import / seconds:,.0f} rows/s; target under 60 s)")
            big.dispose()


if __name__ == "__main__":
    main()
