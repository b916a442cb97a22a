"""Opening the database named by the settings, with every schema brought up to date."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from commerce.persistence.database import make_engine, session_factory, upgrade_schema

MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


def upgrade_assistant_schema(engine: Engine) -> None:
    """The assistant's tables live beside commerce's, with their own migration history."""
    upgrade_schema(engine, MIGRATIONS)


def open_database(url: str, *, upgrade: bool = True) -> Database:
    engine = make_engine(url)
    if upgrade:
        upgrade_schema(engine)
        upgrade_assistant_schema(engine)
    return Database(engine, session_factory(engine))
