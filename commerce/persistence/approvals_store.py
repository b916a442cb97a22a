"""Approval requests: the designated approver decides, and only the first decision counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commerce.approvals import ApprovalStatus
from commerce.persistence.tables import ApprovalRow


def create(
    session: Session,
    *,
    order_number: str,
    customer_id: str,
    approver_email: str,
    requested_by: str,
    reasons: tuple[str, ...],
    now: datetime,
    remind_at: datetime | None,
    expires_at: datetime,
) -> ApprovalRow:
    row = ApprovalRow(
        order_number=order_number,
        customer_id=customer_id,
        approver_email=approver_email.lower(),
        requested_by=requested_by,
        reasons="|".join(reasons),
        status=ApprovalStatus.PENDING.value,
        created_at=now,
        remind_at=remind_at,
        reminders_sent=0,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row


def get(session: Session, approval_id: int) -> ApprovalRow | None:
    return session.get(ApprovalRow, approval_id, populate_existing=True)


def for_order(session: Session, order_number: str) -> ApprovalRow | None:
    return session.scalars(select(ApprovalRow).where(ApprovalRow.order_number == order_number)).first()


def pending_for_approver(session: Session, email: str) -> list[ApprovalRow]:
    return list(
        session.scalars(
            select(ApprovalRow)
            .where(ApprovalRow.approver_email == email.lower(), ApprovalRow.status == "pending")
            .order_by(ApprovalRow.id)
        )
    )


def settle(
    session: Session,
    approval_id: int,
    status: ApprovalStatus,
    *,
    by: str,
    via: str,
    now: datetime,
    reason: str | None = None,
) -> bool:
    """Move a pending request to its outcome; False when someone decided first."""
    result = session.execute(
        update(ApprovalRow)
        .where(ApprovalRow.id == approval_id, ApprovalRow.status == ApprovalStatus.PENDING.value)
        .values(status=status.value, decided_by=by, decided_via=via, decided_at=now, reason=reason)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def due_reminders(session: Session, *, now: datetime) -> list[ApprovalRow]:
    return list(
        session.scalars(
            select(ApprovalRow).where(
                ApprovalRow.status == "pending",
                ApprovalRow.remind_at.is_not(None),
                ApprovalRow.remind_at <= now,
                ApprovalRow.expires_at > now,
            )
        )
    )


def due_expiries(session: Session, *, now: datetime) -> list[ApprovalRow]:
    return list(
        session.scalars(
            select(ApprovalRow).where(ApprovalRow.status == "pending", ApprovalRow.expires_at <= now)
        )
    )
