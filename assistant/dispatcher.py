"""Delivers outbox rows through the channel that owns them, with retries and backoff."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from assistant import outbox
from assistant.clock import Clock
from assistant.database import Database
from assistant.messages import OutboundMessage
from commerce.persistence.database import transaction

log = logging.getLogger("comptoir.dispatcher")


class DeliveryError(Exception):
    """A channel could not deliver; `permanent` stops retries, `retry_after` sets the delay."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


Deliverer = Callable[[OutboundMessage], None]


class Dispatcher:
    def __init__(self, db: Database, clock: Clock, deliverers: Mapping[str, Deliverer],
                 on_permanent_failure: Callable[[OutboundMessage, str], None] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.deliverers = dict(deliverers)
        self.on_permanent_failure = on_permanent_failure

    def run_once(self, limit: int = 50) -> int:
        """Claim due messages, deliver them, record the outcome. Returns how many were sent."""
        if not self.deliverers:
            return 0
        with transaction(self.db.sessions) as session:
            batch = outbox.claim(session, now=self.clock.now(), channels=sorted(self.deliverers), limit=limit)
        sent = 0
        for message in batch:
            try:
                self.deliverers[message.channel](message)
            except DeliveryError as error:
                self._failed(message, str(error), permanent=error.permanent, retry_after=error.retry_after)
                continue
            except Exception as error:  # an unexpected failure is retried like a transient one
                log.exception("delivery of outbox %s failed", message.id)
                self._failed(message, f"{type(error).__name__}: {error}", permanent=False, retry_after=None)
                continue
            with transaction(self.db.sessions) as session:
                outbox.mark_sent(session, message.id, now=self.clock.now())
            sent += 1
        return sent

    def _failed(self, message: OutboundMessage, error: str, *, permanent: bool, retry_after: float | None) -> None:
        with transaction(self.db.sessions) as session:
            status = outbox.mark_failed(session, message.id, error, now=self.clock.now(), permanent=permanent,
                                        retry_after=retry_after)
        log.warning("outbox %s to %s via %s: %s (%s)", message.id, message.recipient, message.channel, error, status)
        if status == "failed" and self.on_permanent_failure is not None:
            self.on_permanent_failure(message, error)
