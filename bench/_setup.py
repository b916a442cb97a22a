"""Shared bench plumbing: throwaway databases with the demo data (SQLite file or PostgreSQL)."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from assistant.database import Database, open_database
from commerce.demo import load_demo
from commerce.persistence.database import transaction
from commerce.persistence.tables import StockRow

PG_ADMIN = os.environ.get("COMPTOIR_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@contextmanager
def demo_database(kind: str) -> Iterator[Database]:
    """A fresh database of `kind` ("sqlite" or "postgresql") with the demo data and deep stock."""
    with empty_database(kind) as db:
        _fill(db)
        yield db


@contextmanager
def empty_database(kind: str) -> Iterator[Database]:
    """A fresh database of `kind` with the schema and no data."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            db = open_database(f"sqlite:///{folder}/bench.db")
            try:
                yield db
            finally:
                db.dispose()
        return
    name = f"comptoir_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = open_database(f"postgresql://postgres@127.0.0.1:5432/{name}")
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fill(db: Database) -> None:
    with transaction(db.sessions) as session:
        load_demo(session, now=NOW)
        for row in session.query(StockRow):
            row.on_hand = 10_000_000  # benches measure throughput, not running out of stock
