"""Prospects who write to us: recorded as leads, scored by what they ask."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from commerce.persistence.tables import LeadRow


def record_lead(session: Session, email: str, *, points: int, message: str, now: datetime,
                name: str = "") -> LeadRow:
    email = email.strip().lower()
    lead = session.get(LeadRow, email)
    if lead is None:
        lead = LeadRow(email=email, name=name[:300], company=email.partition("@")[2], score=0, status="new",
                       first_seen_at=now, last_seen_at=now)
        session.add(lead)
    elif name and not lead.name:
        lead.name = name[:300]
    lead.score = (lead.score or 0) + points
    lead.last_message = message[:2000]
    lead.last_seen_at = now
    session.flush()
    return lead
