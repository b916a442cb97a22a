"""Shared fixtures: a real SQLite file and a real PostgreSQL database per test run.

PostgreSQL runs at 127.0.0.1:5432 (trust auth). The suite creates its own database
`comptoir_test_<pid>_<random>` from the `test` maintenance database and drops it at
the end, so it never shares state with anyone's data under var/.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from assistant.database import upgrade_assistant_schema
from assistant.tables import Base as AssistantBase
from commerce.persistence.database import make_engine, session_factory, upgrade_schema
from commerce.persistence.tables import Base

PG_ADMIN_URL = os.environ.get(
    "COMPTOIR_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def _admin_engine():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


@contextmanager
def _scratch_pg_database() -> Iterator[str]:
    """A PostgreSQL database of our own, dropped afterwards (plain `postgresql://` URL)."""
    name = f"comptoir_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # pragma: no cover - only when PostgreSQL is down
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is required by the suite: {error}")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL database of our own for this run (plain `postgresql://` URL)."""
    with _scratch_pg_database() as url:
        yield url


@pytest.fixture(scope="session")
def pg_engine(pg_url):
    engine = make_engine(pg_url)
    upgrade_schema(engine)
    upgrade_assistant_schema(engine)
    yield engine
    engine.dispose()


def _truncate(engine) -> None:
    tables = [*Base.metadata.sorted_tables, *AssistantBase.metadata.sorted_tables]
    names = ", ".join(f'"{t.name}"' for t in tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """Each persistence test runs on a fresh SQLite file and on a clean PostgreSQL db."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'comptoir.db'}")
        upgrade_schema(eng)
        upgrade_assistant_schema(eng)
        yield eng
        eng.dispose()
    else:
        pg = request.getfixturevalue("pg_engine")
        _truncate(pg)
        yield pg


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    """A database with no tables yet, on each backend: for tests that run the migrations."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield eng
        eng.dispose()
        return
    with _scratch_pg_database() as url:
        eng = make_engine(url)
        yield eng
        eng.dispose()


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture
def now() -> datetime:
    return NOW
