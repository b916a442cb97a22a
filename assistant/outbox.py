"""The transactional outbox: rows written with the work, delivered later, at least once.

Workers claim due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL so several `comptoir
serve` processes share the work; SQLite has one writer anyway) and mark them for a lease;
a delivery failure schedules a retry with exponential backoff until `MAX_ATTEMPTS`.
The idempotency key is stable, so a redelivery carries the same Message-ID / key.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from assistant.messages import OutboundMessage
from assistant.tables import OutboxRow

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=2)


def enqueue(
    session: Session,
    *,
    key: str,
    channel: str,
    recipient: str,
    kind: str,
    language: str,
    subject: str,
    text: str,
    now: datetime,
    thread_key: str | None = None,
    payload: dict[str, Any] | None = None,
    html: str | None = None,
    in_reply_to: int | None = None,
    message_id: str | None = None,
) -> OutboxRow:
    """Add a message unless one with the same key exists (then return that one)."""
    existing = session.scalars(select(OutboxRow).where(OutboxRow.idempotency_key == key)).first()
    if existing is not None:
        return existing
    row = OutboxRow(
        idempotency_key=key,
        message_id=message_id,
        channel=channel,
        recipient=recipient,
        thread_key=thread_key,
        in_reply_to=in_reply_to,
        kind=kind,
        language=language,
        subject=subject,
        body_text=text,
        body_html=html,
        payload=payload or {},
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def make_message_id(key: str, domain: str) -> str:
    """A stable Message-ID per outbox row: a retried delivery is the same message."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def by_message_ids(session: Session, message_ids: list[str]) -> OutboxRow | None:
    """The latest of our messages among these ids (a reply's In-Reply-To / References)."""
    if not message_ids:
        return None
    return session.scalars(
        select(OutboxRow).where(OutboxRow.message_id.in_(message_ids)).order_by(OutboxRow.id.desc())
    ).first()


def to_message(row: OutboxRow) -> OutboundMessage:
    return OutboundMessage(
        id=row.id,
        channel=row.channel,
        recipient=row.recipient,
        thread_key=row.thread_key,
        kind=row.kind,
        language=row.language,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        payload=dict(row.payload or {}),
        idempotency_key=row.idempotency_key,
        attempts=row.attempts,
        message_id=row.message_id,
    )


def claim(session: Session, *, now: datetime, channels: list[str], limit: int = 20) -> list[OutboundMessage]:
    """Lease up to `limit` due rows for these channels; the caller commits the claim."""
    query = (
        select(OutboxRow)
        .where(
            OutboxRow.status == "pending",
            OutboxRow.channel.in_(channels),
            OutboxRow.next_attempt_at <= now,
            or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now),
        )
        .order_by(OutboxRow.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    claimed = []
    for row in rows:
        # The lease is taken with a conditional update, so two workers never hold the same
        # row even where there is no row lock to skip (SQLite).
        taken = session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == row.id, OutboxRow.status == "pending",
                   or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now))
            .values(claimed_until=now + LEASE)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            claimed.append(to_message(row))
    return claimed


def mark_sent(session: Session, message_id: int, *, now: datetime) -> None:
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == message_id)
        .values(status="sent", sent_at=now, claimed_until=None, attempts=OutboxRow.attempts + 1)
    )


def mark_failed(
    session: Session, message_id: int, error: str, *, now: datetime, permanent: bool = False,
    retry_after: float | None = None,
) -> str:
    """Schedule a retry (30 s, 1 min, 2 min... capped at 1 h) or give up; returns the status."""
    row = session.get(OutboxRow, message_id)
    attempts = row.attempts + 1
    if permanent or attempts >= MAX_ATTEMPTS:
        status, next_at = "failed", row.next_attempt_at
    else:
        delay = retry_after if retry_after is not None else min(3600, 30 * 2 ** (attempts - 1))
        status, next_at = "pending", now + timedelta(seconds=delay)
    row.attempts, row.status, row.next_attempt_at = attempts, status, next_at
    row.claimed_until, row.last_error = None, error[:2000]
    session.flush()
    return status


def pending_for(session: Session, *, channel: str, thread_key: str | None = None,
                recipient: str | None = None) -> list[OutboxRow]:
    query = select(OutboxRow).where(OutboxRow.channel == channel, OutboxRow.status == "pending")
    if thread_key is not None:
        query = query.where(OutboxRow.thread_key == thread_key)
    if recipient is not None:
        query = query.where(OutboxRow.recipient == recipient)
    return list(session.scalars(query.order_by(OutboxRow.id)))
