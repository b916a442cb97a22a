#!/usr/bin/env python
"""Stock reservations per second on PostgreSQL, 8 concurrent workers against 1.

Each reservation is its own short transaction (`stock_store.reserve`, one conditional
UPDATE plus the reservation row and the alert check), as an order would do. Workers are
processes with their own connections, so the database, not the GIL, is what is measured.
Three runs in the same session: 1 worker (baseline), 8 workers over 200 SKUs, and 8
workers on one hot SKU (row-lock contention). Afterwards, for every SKU, reserved must
equal the units of the reservations granted: nothing oversold, nothing lost.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, select, text

from commerce.errors import CommerceError
from commerce.persistence import stock_store
from commerce.persistence.database import make_engine, session_factory, transaction, upgrade_schema
from commerce.persistence.tables import ProductRow, ReservationRow, StockRow

ADMIN = os.environ.get("COMPTOIR_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)


def worker(url: str, skus: list[str], seconds: float, seed: int, queue) -> None:
    engine = make_engine(url, pool_size=1)
    sessions = session_factory(engine)
    granted = refused = 0
    index = seed
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        sku = skus[index % len(skus)]
        index += 7
        try:
            with transaction(sessions) as session:
                stock_store.reserve(session, sku, 1, now=NOW, reference=f"W{seed}")
            granted += 1
        except CommerceError:
            refused += 1
    engine.dispose()
    queue.put((granted, refused))


def run(url: str, skus: list[str], workers: int, seconds: float) -> tuple[float, int, int]:
    queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=worker, args=(url, skus, seconds, n, queue)) for n in range(workers)]
    start = time.perf_counter()
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - start
    granted = sum(r[0] for r in results)
    return granted / elapsed, granted, sum(r[1] for r in results)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--seconds", type=float, default=8.0)
    options.add_argument("--workers", type=int, default=8)
    args = options.parse_args()
    name = f"comptoir_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    try:
        engine = make_engine(url)
        upgrade_schema(engine)
        skus = [f"S{index:04d}" for index in range(200)]
        with transaction(session_factory(engine)) as session:
            for sku in [*skus, "HOT"]:
                session.add(ProductRow(sku=sku, name=sku, category="c", unit="pièce", pack_size=1, price_ht=1,
                                       vat_rate=20, aliases="", preorderable=False, min_order_qty=1, active=True,
                                       updated_at=NOW))
            session.flush()
            for sku in skus:
                session.add(StockRow(sku=sku, on_hand=10**9, reserved=0, preordered=0, incoming_qty=0,
                                     alert_threshold=0, safety_stock=0, alert_level=0))
            # The hot SKU runs out during the run: refusals must be clean, and nothing oversold.
            session.add(StockRow(sku="HOT", on_hand=3000, reserved=0, preordered=0, incoming_qty=0,
                                 alert_threshold=100, safety_stock=10, alert_level=0))
        single, _, _ = run(url, skus, 1, args.seconds)
        many, _, _ = run(url, skus, args.workers, args.seconds)
        hot, hot_granted, hot_refused = run(url, ["HOT"], args.workers, args.seconds)
        print(f"1 worker:               {single:8.0f} reservations/s")
        print(f"{args.workers} workers, 200 SKUs:   {many:8.0f} reservations/s ({many / single:.1f}x one worker)")
        print(f"{args.workers} workers, one hot SKU: {hot:8.0f} reservations/s ({hot_granted} granted, "
              f"{hot_refused} refused once the 3,000 units were gone)")
        with transaction(session_factory(engine)) as session:
            units = dict(session.execute(select(ReservationRow.sku, func.sum(ReservationRow.qty))
                                         .group_by(ReservationRow.sku)).all())
            rows = {row.sku: row for row in session.scalars(select(StockRow))}
        mismatched = [sku for sku, row in rows.items() if row.reserved != (units.get(sku) or 0)]
        oversold = [sku for sku, row in rows.items() if row.reserved > row.on_hand]
        print(f"check: reserved == sum of granted reservations for {len(rows) - len(mismatched)}/{len(rows)} SKUs; "
              f"oversold SKUs: {len(oversold)}; HOT reserved {rows['HOT'].reserved} of {rows['HOT'].on_hand}")
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
