"""The audit trail: one row per request and decision, in the same transaction as the work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.tables import AuditRow


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    reference: str | None = None,
    customer_id: str | None = None,
    **details: Any,
) -> None:
    session.add(
        AuditRow(at=at, actor=actor, action=action, reference=reference, customer_id=customer_id,
                 details={k: _plain(v) for k, v in details.items()})
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def trail(session: Session, reference: str) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).where(AuditRow.reference == reference).order_by(AuditRow.id)))
