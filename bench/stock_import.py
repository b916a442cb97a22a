#!/usr/bin/env python
"""`comptoir import stock` of 100,000 rows, on SQLite and PostgreSQL (issue 12's scale target: < 10 s).

A catalog of N products is imported first (its time printed too), then a stock file of N
rows, then the same file again one hour later (every row taken again), each through the
importer the CLI uses, in batches of 1,000 rows per transaction. The same-run baseline is a
plain executemany INSERT of N rows of the same width into a scratch table of the same
database: the ratio says what the importer costs beyond writing the rows. Asserts nothing.

    bench/stock_import.py [--rows 100000] [--db sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    catalog, stock = folder / "catalog.csv", folder / "stock.csv"
    with catalog.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["sku", "name", "category", "unit", "pack_size", "price_ht", "vat_rate", "aliases", "preorderable",
                    "min_order_qty"])
        for i in range(rows):
            w.writerow([f"SKU-{i:06d}", f"Article {i}", f"cat{i % 50}", "pièce", 1, f"{1 + i % 97}.{i % 100:02d}", 20,
                        "", "false", 1])
    with stock.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["sku", "on_hand", "incoming_qty", "incoming_date", "alert_threshold", "safety_stock"])
        for i in range(rows):
            w.writerow([f"SKU-{i:06d}", i % 500, (i % 7) * 10, "2026-12-15" if i % 7 else "", 20, 5])
    return catalog, stock


def baseline(db, rows: int) -> float:
    from sqlalchemy import text

    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_rows (sku VARCHAR(64) PRIMARY KEY, a INTEGER, b INTEGER, "
                          "c DATE, d INTEGER, e INTEGER)"))
    values = [{"sku": f"SKU-{i:06d}", "a": i % 500, "b": 10, "c": None, "d": 20, "e": 5} for i in range(rows)]
    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO bench_rows VALUES (:sku, :a, :b, :c, :d, :e)"), values)
    return time.perf_counter() - t0


def run(kind: str, rows: int, folder: Path) -> None:
    from bench._setup import NOW, empty_database
    from commerce.importing import import_csv
    from commerce.persistence.database import transaction

    catalog, stock = write_files(folder, rows)
    with empty_database(kind) as db:
        t0 = time.perf_counter()
        with transaction(db.sessions) as session:
            import_csv(session, "catalog", catalog, now=NOW)
        catalog_s = time.perf_counter() - t0
        timings = []
        for hour in (1, 2):
            t0 = time.perf_counter()
            with transaction(db.sessions) as session:
                report = import_csv(session, "stock", stock, now=NOW + timedelta(hours=hour), commit_batches=True)
            timings.append(time.perf_counter() - t0)
            assert report.updated == rows, report
        base = baseline(db, rows)
        print(f"{kind:10} {rows} rows: catalog {catalog_s:6.1f} s | stock {timings[0]:5.1f} s, again {timings[1]:5.1f} s "
              f"(target < 10 s) | baseline INSERT {base:4.2f} s -> stock import = {timings[0] / base:4.1f}x baseline")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_argument("--rows", type=int, default=100_000)
    options.add_argument("--db", default="sqlite,postgresql")
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.db.split(","):
            run(kind, args.rows, Path(folder))


if __name__ == "__main__":
    main()
