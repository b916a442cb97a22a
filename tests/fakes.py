"""Test helpers that drive the real assistant like a channel would (no mocks of our stack)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from assistant.clock import FixedClock
from assistant.config import Settings
from assistant.core import Assistant, HandleResult
from assistant.database import Database
from assistant.messages import InboundMessage
from assistant.tables import OutboxRow
from commerce.persistence.database import session_factory, transaction

_ids = itertools.count(1)


@dataclass
class Conversation:
    """Sends messages as a channel would and reads what the assistant wrote back."""

    assistant: Assistant
    clock: FixedClock
    channel: str = "test"
    results: list[HandleResult] = field(default_factory=list)

    def say(self, sender: str, text: str, *, thread: str | None = None, external_id: str | None = None,
            subject: str = "") -> str:
        thread = thread or f"{self.channel}:{sender}"
        message = InboundMessage(channel=self.channel, sender=sender, external_id=external_id or f"m{next(_ids)}",
                                 thread_key=thread, text=text, received_at=self.clock.now(), subject=subject)
        self.results.append(self.assistant.handle(message))
        rows = self.assistant.outbox_for(channel=self.channel, thread_key=thread)
        return "\n".join(row.body_text for row in rows)

    def mail_to(self, recipient: str) -> list[OutboxRow]:
        with transaction(self.assistant.db.sessions) as session:
            return list(session.scalars(
                select(OutboxRow).where(OutboxRow.recipient == recipient.lower()).order_by(OutboxRow.id)))


def make_assistant(engine, start: datetime, **overrides) -> tuple[Assistant, FixedClock]:
    clock = FixedClock(start)
    settings = Settings(database_url=str(engine.url), secret_key="test-secret", **overrides)
    db = Database(engine, session_factory(engine))
    return Assistant(db, settings=settings, clock=clock), clock
