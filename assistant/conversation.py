"""Per-thread conversation state: what the last reply asked, until it expires."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from assistant.tables import ConversationRow


def load(session: Session, thread_key: str, *, now: datetime) -> dict[str, Any] | None:
    row = session.get(ConversationRow, thread_key)
    if row is None or row.state is None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    return dict(row.state)


def save(
    session: Session, thread_key: str, state: dict[str, Any] | None, *, participant: str,
    now: datetime, ttl_hours: float,
) -> None:
    row = session.get(ConversationRow, thread_key)
    if row is None:
        row = ConversationRow(thread_key=thread_key, participant=participant, updated_at=now)
        session.add(row)
    row.state = state
    row.participant = participant
    row.updated_at = now
    row.expires_at = now + timedelta(hours=ttl_hours) if state else None
    session.flush()


def clear(session: Session, thread_key: str, *, now: datetime) -> None:
    row = session.get(ConversationRow, thread_key)
    if row is not None:
        row.state, row.expires_at, row.updated_at = None, None, now
