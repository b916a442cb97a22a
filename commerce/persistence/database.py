"""Engines and sessions from a plain database URL; schema upgrades with Alembic.

`sqlite:///var/comptoir.db` and `postgresql://user@host:port/db` are accepted as they
are written; we pick the drivers (psycopg 3 for PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "commerce_alembic_version"


def normalize_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL and a busy timeout: concurrent writers wait instead of "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work: commits when the block ends normally, rolls back otherwise."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upgrade_schema(engine: Engine, migrations: Path = MIGRATIONS, *, revision: str = "head") -> None:
    """Create or upgrade tables to a migration (the latest by default) of a migrations folder
    (commerce's by default)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations))
    with engine.connect() as connection, _migrating(connection):
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def _migrating(connection: Connection) -> Iterator[None]:
    """One transaction for a whole upgrade; on SQLite, with foreign keys off meanwhile."""
    if not is_sqlite(connection.engine):
        with connection.begin():
            yield
        return
    # SQLite changes a column's type by copying the table and dropping the old one; with
    # foreign keys on, that drop refuses, or cascades to the rows pointing at the table.
    # The pragma is ignored inside a transaction, hence before it.
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        with connection.begin():
            # The driver would open the transaction only at the first write, after the first
            # CREATE TABLE: a failed upgrade must leave nothing behind.
            connection.exec_driver_sql("BEGIN")
            yield
            if connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("the upgrade left rows whose foreign key points nowhere")
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
