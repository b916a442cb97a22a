"""Outbox delivery: retries with backoff, permanent failures reach the rep, shared work, relay."""

from __future__ import annotations

import socket
import threading

from aiosmtpd.controller import Controller
from sqlalchemy import select

from assistant import outbox
from assistant.dispatcher import DeliveryError, Dispatcher
from assistant.messages import OutboundMessage
from assistant.tables import OutboxRow
from channels.email.outgoing import RelaySender
from commerce.demo import load_demo
from commerce.persistence.database import transaction
from tests.conftest import NOW
from tests.fakes import make_assistant


def add_rows(sessions, count, recipient="claire.martin@acme-industries.fr"):
    with transaction(sessions) as session:
        for index in range(count):
            outbox.enqueue(session, key=f"k{index}", channel="email", recipient=recipient, kind="test", language="fr",
                           subject=f"s{index}", text="hello", now=NOW)


def test_failures_are_retried_with_backoff_then_delivered(engine, sessions):
    assistant, clock = make_assistant(engine, NOW)
    add_rows(sessions, 1)
    attempts = []

    def flaky(message: OutboundMessage) -> None:
        attempts.append(clock.now())
        if len(attempts) < 3:
            raise DeliveryError("relay unavailable")

    dispatcher = Dispatcher(assistant.db, clock, {"email": flaky})
    assert dispatcher.run_once() == 0
    assert dispatcher.run_once() == 0  # not due yet: backoff
    clock.advance(seconds=31)
    assert dispatcher.run_once() == 0
    clock.advance(seconds=61)
    assert dispatcher.run_once() == 1
    assert len(attempts) == 3
    with transaction(sessions) as session:
        row = session.scalars(select(OutboxRow)).one()
        assert (row.status, row.attempts) == ("sent", 3)


def test_a_permanent_failure_is_recorded_and_the_account_rep_alerted(engine, sessions):
    with transaction(sessions) as session:
        load_demo(session, now=NOW)
    assistant, clock = make_assistant(engine, NOW)
    add_rows(sessions, 1)

    def bounce(message: OutboundMessage) -> None:
        raise DeliveryError("550 mailbox unavailable", permanent=True)

    Dispatcher(assistant.db, clock, {"email": bounce}, on_permanent_failure=assistant.delivery_failed).run_once()
    with transaction(sessions) as session:
        rows = list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))
    assert rows[0].status == "failed" and "550" in rows[0].last_error
    assert rows[1].recipient == "sophie.bernard@comptoir-distribution.fr"
    assert "claire.martin@acme-industries.fr" in rows[1].subject


def test_two_dispatchers_share_the_work_without_sending_twice(engine, sessions):
    assistant, clock = make_assistant(engine, NOW)
    add_rows(sessions, 60)
    delivered: list[str] = []
    lock = threading.Lock()

    def record(message: OutboundMessage) -> None:
        with lock:
            delivered.append(message.idempotency_key)

    dispatchers = [Dispatcher(assistant.db, clock, {"email": record}) for _ in range(2)]
    threads = [threading.Thread(target=lambda d=d: [d.run_once(limit=7) for _ in range(10)]) for d in dispatchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(delivered) == sorted(f"k{index}" for index in range(60))  # each exactly once


def test_a_lease_expires_so_a_crashed_worker_does_not_lose_messages(engine, sessions):
    assistant, clock = make_assistant(engine, NOW)
    add_rows(sessions, 3)
    with transaction(sessions) as session:
        claimed = outbox.claim(session, now=clock.now(), channels=["email"])  # a worker dies after claiming
    assert len(claimed) == 3
    delivered = []
    dispatcher = Dispatcher(assistant.db, clock, {"email": lambda m: delivered.append(m.id)})
    assert dispatcher.run_once() == 0
    clock.advance(seconds=outbox.LEASE.total_seconds() + 1)
    assert dispatcher.run_once() == 3 and len(delivered) == 3


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.original_content or envelope.content))
        return "250 OK"


def test_relay_delivery_over_real_smtp():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        sender = RelaySender(f"smtp://127.0.0.1:{port}", sender="Comptoir <c@comptoir.test>", domain="comptoir.test")
        message = OutboundMessage(id=1, channel="email", recipient="claire@acme.fr", thread_key=None, kind="t",
                                  language="fr", subject="Commande C-2026-0001 confirmée", text="Bonjour",
                                  html=None, payload={"in_reply_to": "<x@acme.fr>"}, idempotency_key="k1",
                                  message_id="<abc@comptoir.test>")
        sender(message)
    finally:
        controller.stop()
    [(recipients, data)] = sink.messages
    assert recipients == ["claire@acme.fr"]
    assert b"Message-ID: <abc@comptoir.test>" in data and b"In-Reply-To: <x@acme.fr>" in data
    assert b"Auto-Submitted: auto-replied" in data and b"text/html" in data
