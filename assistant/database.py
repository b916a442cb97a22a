"""Opening the database named by the settings, with its schema brought up to date."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from commerce.persistence.database import make_engine, session_factory, upgrade_schema


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, upgrade: bool = True) -> Database:
    engine = make_engine(url)
    if upgrade:
        upgrade_schema(engine)
    return Database(engine, session_factory(engine))
