"""Nothing accepted is lost: leases taken back after a crash, retries with backoff, a dead letter
the admin sees and retries, and one honest answer to the person (issue 11, items 1 and 2)."""

from __future__ import annotations

import shutil
from datetime import timedelta

from sqlalchemy import select, update

from assistant.core import LEASE, MAX_ATTEMPTS, RETRY_DELAYS
from assistant.messages import InboundMessage
from assistant.rendering import TEMPLATES, Renderer
from assistant.tables import InboundRow, OutboxRow
from commerce.demo import load_demo
from commerce.persistence.database import transaction
from tests.conftest import NOW
from tests.fakes import make_assistant

CLAIRE = "claire.martin@acme-industries.fr"


def _setup(engine, sessions, tmp_path):
    with transaction(sessions) as session:
        load_demo(session, now=NOW)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    assistant, clock = make_assistant(engine, NOW)
    assistant.renderer = Renderer(templates)
    return assistant, clock, templates


def _stock_question(assistant, external_id="m-1") -> int:
    return assistant.receive(InboundMessage("email", CLAIRE, external_id, f"email:{external_id}",
                                            "Avez-vous 200 ramettes de papier A4 80g en stock ?", NOW,
                                            sender_email=CLAIRE, subject="Stock"))


def _row(sessions, inbound_id):
    with transaction(sessions) as session:
        return session.get(InboundRow, inbound_id)


def _replies(sessions, kind=None):
    with transaction(sessions) as session:
        query = select(OutboxRow.kind).where(OutboxRow.recipient == CLAIRE)
        return [k for k in session.scalars(query) if kind is None or k == kind]


def test_a_message_held_by_a_dead_worker_is_taken_back_when_its_lease_lapses(engine, sessions, tmp_path):
    assistant, clock, _ = _setup(engine, sessions, tmp_path)
    inbound_id = _stock_question(assistant)
    with transaction(sessions) as session:  # a worker claimed it, then was killed (kill -9)
        session.execute(update(InboundRow).where(InboundRow.id == inbound_id)
                        .values(status="processing", attempts=1, processed_at=NOW, lease_until=NOW + LEASE))
    assert assistant.process_pending() == 0  # the hold is still live: another server may be working
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert assistant.process_pending() == 1  # a running server takes it back, no restart needed
    assert _row(sessions, inbound_id).status == "processed"
    assert _replies(sessions) == ["stock_answer"]


def test_a_failing_message_is_retried_with_backoff_then_dead_lettered_with_one_answer(engine, sessions, tmp_path):
    assistant, clock, templates = _setup(engine, sessions, tmp_path)
    (templates / "fr" / "stock_answer.txt").unlink()  # the answer cannot be written: a real failure
    inbound_id = _stock_question(assistant)
    assert assistant.process(inbound_id).status == "failed"
    row = _row(sessions, inbound_id)
    assert row.attempts == 1 and row.next_attempt_at == NOW + RETRY_DELAYS[0] and "stock_answer" in row.error
    assert _replies(sessions) == ["technical_problem"]  # "it will be retried; nothing is lost"
    assert assistant.process_pending() == 0  # not before its time
    for delay in RETRY_DELAYS:
        clock.advance(seconds=delay.total_seconds())
        assert assistant.process_pending() == 1
    row = _row(sessions, inbound_id)
    assert row.status == "dead" and row.attempts == MAX_ATTEMPTS and row.next_attempt_at is None
    assert sorted(_replies(sessions)) == ["message_dead", "technical_problem"]  # never one per retry
    clock.advance(days=1)
    assert assistant.process_pending() == 0  # given up on: only the admin takes it again
    shutil.copy(TEMPLATES / "fr" / "stock_answer.txt", templates / "fr" / "stock_answer.txt")  # the admin fixes it
    assert assistant.retry_failed(inbound_id) == 1
    assert assistant.process_pending() == 1
    assert _row(sessions, inbound_id).status == "processed"
    assert _replies(sessions, "stock_answer") == ["stock_answer"]


def test_retry_all_takes_every_failed_message_again(engine, sessions, tmp_path):
    assistant, clock, templates = _setup(engine, sessions, tmp_path)
    (templates / "fr" / "stock_answer.txt").unlink()
    ids = [_stock_question(assistant, f"m-{n}") for n in range(3)]
    for inbound_id in ids:
        assistant.process(inbound_id)
    shutil.copy(TEMPLATES / "fr" / "stock_answer.txt", templates / "fr" / "stock_answer.txt")
    assert assistant.retry_failed() == 3 and assistant.process_pending() == 3
    assert {_row(sessions, i).status for i in ids} == {"processed"}
    clock.advance(seconds=timedelta(hours=1).total_seconds())
    assert assistant.process_pending() == 0
