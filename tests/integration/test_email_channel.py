"""The email channel over real SMTP (aiosmtpd on loopback, smtplib as the sender)."""

from __future__ import annotations

import asyncio
import email
import smtplib
import socket
import time
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.dispatcher import Dispatcher
from assistant.tables import InboundRow, OutboxRow
from channels.email.incoming import EmailChannel
from channels.email.outgoing import MaildirWriter
from commerce.demo import load_demo
from commerce.persistence.database import transaction
from commerce.persistence.tables import OrderRow, StockRow
from tests.conftest import NOW
from tests.fakes import make_assistant

DOMAIN = "comptoir.test"
US = f"commandes@{DOMAIN}"
CLAIRE = "claire.martin@acme-industries.fr"
PIERRE = "pierre.durand@acme-industries.fr"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """A running SMTP channel, its Maildir, and helpers to talk to it like a mail client."""

    def __init__(self, engine, sessions, tmp_path: Path, *, start_worker: bool = True, size_limit=200_000):
        with transaction(sessions) as session:
            load_demo(session, now=NOW)
        self.assistant, self.clock = make_assistant(
            engine, NOW, mail_domains=(DOMAIN,), from_address=f"Comptoir <{US}>", maildir=str(tmp_path / "mail"))
        self.sessions = sessions
        self.port = free_port()
        self.channel = EmailChannel(self.assistant, host="127.0.0.1", port=self.port, domains=(DOMAIN,),
                                    our_addresses={US}, size_limit=size_limit)
        self.maildir = MaildirWriter(tmp_path / "mail", sender=f"Comptoir <{US}>", domain=DOMAIN)
        self.dispatcher = Dispatcher(self.assistant.db, self.clock, {"email": self.maildir})
        self.channel.controller.start()
        if start_worker:
            self.channel._worker.start()

    def close(self):
        self.channel.stop() if self.channel._worker.is_alive() else self.channel.controller.stop()

    def send(self, message: EmailMessage | bytes, *, sender: str = CLAIRE, to: str = US) -> None:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as smtp:
            data = message if isinstance(message, bytes) else message.as_bytes()
            smtp.sendmail(sender, [to], data)

    def wait_processed(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with transaction(self.sessions) as session:
                done = session.execute(select(func.count()).select_from(InboundRow)
                                       .where(InboundRow.status.in_(("processed", "failed", "ignored")))).scalar_one()
            if done >= count:
                return
            time.sleep(0.05)
        raise AssertionError(f"only {done} of {count} messages processed")

    def delivered(self) -> list[email.message.EmailMessage]:
        self.dispatcher.run_once()
        files = sorted((self.maildir.root / "new").iterdir(), key=lambda p: p.stat().st_mtime_ns)
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]


@pytest.fixture
def mailbox(engine, sessions, tmp_path):
    box = Mailbox(engine, sessions, tmp_path)
    yield box
    box.close()


def mail(text: str, *, subject: str = "Commande", sender: str = CLAIRE, reply_to: EmailMessage | None = None,
         **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = US
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="acme-industries.fr")
    if reply_to is not None:
        message["In-Reply-To"] = reply_to["Message-ID"]
        message["References"] = f"{reply_to.get('References', '')} {reply_to['Message-ID']}".strip()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


def test_order_clarification_and_answer_in_the_same_thread(mailbox, sessions):
    first = mail("Bonjour,\n\nMerci de nous livrer 12 boîtes de gants nitrile.\n\nCordialement,\nClaire Martin")
    mailbox.send(first)
    mailbox.wait_processed(1)
    [question] = mailbox.delivered()
    assert question["In-Reply-To"] == first["Message-ID"]
    assert question["Subject"] == "Re: Commande"
    assert question["Auto-Submitted"] == "auto-replied"
    assert "taille L" in question.get_body(("plain",)).get_content()
    assert question.get_body(("html",)) is not None
    answer = mail("Taille L svp\n\nLe lun. 23 nov. 2026 à 10:12, Comptoir a écrit :\n> lequel ?",
                  subject="Re: Commande", reply_to=question)
    mailbox.send(answer)
    mailbox.wait_processed(2)
    confirmation = mailbox.delivered()[-1]
    body = confirmation.get_body(("plain",)).get_content()
    assert "confirmée" in body and "GANT-NIT-L" in body
    assert first["Message-ID"] in confirmation["References"]


def test_the_same_message_delivered_twice_is_processed_once(mailbox, sessions):
    message = mail("Merci de nous livrer 10 cartouches HP 305 noir")
    mailbox.send(message)
    message["Received"] = "from relay2.example by mx.comptoir.test"  # relays add headers
    mailbox.send(message)
    mailbox.wait_processed(1)
    time.sleep(0.3)
    with transaction(sessions) as session:
        assert session.execute(select(func.count()).select_from(InboundRow)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(OrderRow)
                               .where(OrderRow.placed_by == CLAIRE)).scalar_one() == 1


@pytest.mark.parametrize(
    ("headers", "sender", "envelope"),
    [
        ({"Auto_Submitted": "auto-replied"}, CLAIRE, CLAIRE),
        ({"Precedence": "bulk"}, CLAIRE, CLAIRE),
        ({"List_Id": "<news.acme-industries.fr>"}, CLAIRE, CLAIRE),
        ({"X_Autoreply": "yes"}, CLAIRE, CLAIRE),
        ({}, "MAILER-DAEMON@acme-industries.fr", "MAILER-DAEMON@acme-industries.fr"),
        ({}, "no-reply@acme-industries.fr", "no-reply@acme-industries.fr"),
        ({}, CLAIRE, ""),  # null reverse path: a bounce
        ({"Subject": "Réponse automatique : absente du bureau"}, CLAIRE, CLAIRE),
        ({"Subject": "Out of Office: back on Monday"}, CLAIRE, CLAIRE),
        ({}, US, US),  # our own message coming back
    ],
)
def test_robots_are_recorded_and_never_answered(mailbox, sessions, headers, sender, envelope):
    headers = dict(headers)  # parameters are shared between the two databases
    subject = headers.pop("Subject", "Commande")
    message = mail("Merci de nous livrer 10 cartouches HP 305 noir", subject=subject, sender=sender, **headers)
    with smtplib.SMTP("127.0.0.1", mailbox.port, timeout=10) as smtp:
        smtp.sendmail(envelope, [US], message.as_bytes())
    mailbox.wait_processed(1)
    with transaction(sessions) as session:
        row = session.scalars(select(InboundRow)).one()
        assert row.status == "ignored" and row.error
        assert session.execute(select(func.count()).select_from(OutboxRow)).scalar_one() == 0


def test_smtp_codes_for_unknown_recipients_oversize_and_garbage(mailbox, sessions):
    with smtplib.SMTP("127.0.0.1", mailbox.port, timeout=10) as smtp:
        smtp.ehlo()
        smtp.mail(CLAIRE)
        code, _ = smtp.rcpt("someone@elsewhere.example")
        assert code == 550
    with pytest.raises(smtplib.SMTPException) as error:
        mailbox.send(mail("x" * 300_000))
    assert "552" in str(error.value)
    mailbox.send(b"\x00\xff\xfe garbage \r\n\r\n\x89PNG\x00 not a mail at all")
    mailbox.wait_processed(1)
    with transaction(sessions) as session:
        assert session.execute(select(func.count()).select_from(InboundRow)).scalar_one() == 1


def test_latin1_and_html_only_messages_are_understood(mailbox, sessions):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = CLAIRE, US, "=?iso-8859-1?q?Disponibilit=E9?="
    message.set_content("<html><body><p>Avez-vous 200 ramettes A4 en stock ?</p></body></html>", subtype="html",
                        charset="iso-8859-1")
    mailbox.send(message)
    mailbox.wait_processed(1)
    [answer] = mailbox.delivered()
    assert answer["Subject"] == "Re: Disponibilité"
    assert "PAP-A4-80" in answer.get_body(("plain",)).get_content()


def test_a_csv_attachment_is_read_as_the_order_lines(mailbox, sessions):
    with transaction(sessions) as session:
        session.get(StockRow, "CLA-LEV-80").on_hand = 500
    message = mail("Bonjour, voici notre commande en pièce jointe.")
    message.add_attachment(b"ref;qty\nCART-HP305-BK;4\nCLA-LEV-80;10\n", maintype="text", subtype="csv",
                           filename="commande.csv")
    mailbox.send(message)
    mailbox.wait_processed(1)
    with transaction(sessions) as session:
        order = session.scalars(select(OrderRow).where(OrderRow.placed_by == CLAIRE)).one()
        assert sorted((ln.sku, ln.qty) for ln in order.lines) == [("CART-HP305-BK", 4), ("CLA-LEV-80", 10)]


def test_a_csv_exported_by_french_excel_is_read(mailbox, sessions):
    with transaction(sessions) as session:
        session.get(StockRow, "CLA-LEV-80").on_hand = 500
    message = mail("Bonjour, ci-joint notre bon de commande.")
    csv_bytes = "Référence;Désignation;Quantité\r\nCART-HP305-BK;Toner HP 305 noir;4\r\nCLA-LEV-80;Classeur à levier;10\r\n"
    message.add_attachment(csv_bytes.encode("cp1252"), maintype="text", subtype="csv", filename="commande.csv")
    mailbox.send(message)
    mailbox.wait_processed(1)
    with transaction(sessions) as session:
        order = session.scalars(select(OrderRow).where(OrderRow.placed_by == CLAIRE)).one()
        assert sorted((ln.sku, ln.qty) for ln in order.lines) == [("CART-HP305-BK", 4), ("CLA-LEV-80", 10)]


def test_a_spreadsheet_that_cannot_be_read_gets_an_answer_that_says_so(mailbox, sessions):
    message = mail("Bonjour, voici notre commande en pièce jointe.")
    message.add_attachment(b"PK\x03\x04 not really a workbook", maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="commande.xlsx")
    mailbox.send(message)
    mailbox.wait_processed(1)
    texts = [m.get_body(("plain",)).get_content() for m in mailbox.delivered()]
    assert any("n'a pas pu être lue" in t for t in texts)


def _pending_approval(mailbox, sessions, **headers):
    with transaction(sessions) as session:
        session.get(StockRow, "PAP-A4-80").on_hand = 5000
    mailbox.send(mail("Merci de nous livrer 500 ramettes de papier A4 80g", **headers))
    mailbox.wait_processed(1)
    mails = mailbox.delivered()
    request = next(m for m in mails if m["To"] == PIERRE)
    with transaction(sessions) as session:
        order = session.scalars(select(OrderRow).where(OrderRow.status == "pending_approval")).one()
    return request, order


def test_approval_by_reply_to_the_approval_mail(mailbox, sessions):
    request, order = _pending_approval(mailbox, sessions)
    mailbox.send(mail("APPROUVÉ\n\n-- \nPierre Durand", subject=f"Re: {request['Subject']}", sender=PIERRE,
                      reply_to=request), sender=PIERRE)
    mailbox.wait_processed(2)
    with transaction(sessions) as session:
        assert session.get(OrderRow, order.id).status == "confirmed"


def test_approval_by_signed_link_over_http(mailbox, sessions):
    from aiohttp.test_utils import TestClient, TestServer

    from channels.http.app import build_app

    request, order = _pending_approval(mailbox, sessions)
    body = request.get_body(("plain",)).get_content()
    approve = next(line.split(": ", 1)[1] for line in body.splitlines() if "/approvals/" in line)
    path = "/approvals/" + approve.rsplit("/approvals/", 1)[1]

    async def scenario():
        async with TestClient(TestServer(build_app(mailbox.assistant))) as client:
            page = await client.get(path)
            assert page.status == 200 and "<form method='post'>" in await page.text()
            with transaction(sessions) as session:  # a GET (a link scanner) decides nothing
                assert session.get(OrderRow, order.id).status == "pending_approval"
            first = await client.post(path)
            second = await client.post(path)
            forged = await client.post(path[:-3] + "abc")
            return first.status, await first.text(), second.status, forged.status

    first_status, first_text, second_status, forged_status = asyncio.run(scenario())
    assert first_status == 200 and "validée" in first_text
    assert second_status == 409  # single use: the second click only shows who decided
    assert forged_status == 400
    with transaction(sessions) as session:
        assert session.get(OrderRow, order.id).status == "confirmed"


def test_a_crash_between_accept_and_processing_loses_nothing(engine, sessions, tmp_path):
    box = Mailbox(engine, sessions, tmp_path, start_worker=False)  # accepted, never processed
    try:
        box.send(mail("Merci de nous livrer 10 cartouches HP 305 noir"))
    finally:
        box.channel.controller.stop()
    with transaction(sessions) as session:
        assert session.scalars(select(InboundRow.status)).one() == "received"
    restarted, _ = make_assistant(engine, NOW, mail_domains=(DOMAIN,))
    assert restarted.process_pending() == 1
    with transaction(sessions) as session:
        assert session.scalars(select(InboundRow.status)).one() == "processed"
        assert session.execute(select(func.count()).select_from(OrderRow)
                               .where(OrderRow.placed_by == CLAIRE)).scalar_one() == 1


def test_unauthenticated_orders_are_confirmed_first_when_a_trusted_server_is_set(engine, sessions, tmp_path):
    box = Mailbox(engine, sessions, tmp_path)
    box.channel.handler.trusted_authserv_id = "mx.comptoir.test"
    try:
        box.send(mail("Merci de nous livrer 10 cartouches HP 305 noir", subject="Commande A"))
        box.wait_processed(1)
        [question] = box.delivered()
        assert "confirmer" in question.get_body(("plain",)).get_content()
        with transaction(sessions) as session:
            assert session.execute(select(func.count()).select_from(OrderRow)
                                   .where(OrderRow.placed_by == CLAIRE)).scalar_one() == 0
        box.send(mail("Merci de nous livrer 10 cartouches HP 305 noir", subject="Commande B",
                      Authentication_Results="mx.comptoir.test; dkim=pass header.d=acme-industries.fr; spf=pass"))
        box.wait_processed(2)
        with transaction(sessions) as session:
            assert session.execute(select(func.count()).select_from(OrderRow)
                                   .where(OrderRow.placed_by == CLAIRE)).scalar_one() == 1
        box.send(mail("oui", subject="Re: Commande A", reply_to=question))
        box.wait_processed(3)
        with transaction(sessions) as session:
            assert session.execute(select(func.count()).select_from(OrderRow)
                                   .where(OrderRow.placed_by == CLAIRE)).scalar_one() == 2
    finally:
        box.close()


def test_8bitmime_is_advertised_and_8bit_bodies_are_accepted(mailbox, sessions):
    with smtplib.SMTP("127.0.0.1", mailbox.port, timeout=10) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("8bitmime")
        raw = ("From: claire.martin@acme-industries.fr\r\nTo: commandes@comptoir.test\r\nSubject: Caf\u00e9\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
               "Avez-vous 200 ramettes A4 en stock ? Merci, Cl\u00e9mence\r\n").encode()
        smtp.sendmail(CLAIRE, [US], raw, mail_options=["BODY=8BITMIME"])
    mailbox.wait_processed(1)
    assert "PAP-A4-80" in mailbox.delivered()[0].get_body(("plain",)).get_content()


def test_a_noun_with_its_exact_sku_is_one_turn_and_two_requests_get_two_answers(mailbox, sessions):
    mailbox.send(mail("Bonjour,\n\nMerci de nous livrer 6 classeurs CLA-LEV-80.\n"
                      "Et au passage, quel est notre encours ?\n\nClaire"))
    mailbox.wait_processed(1)
    bodies = [m.get_body(("plain",)).get_content() for m in mailbox.delivered()]
    assert any("CLA-LEV-80" in b and ("confirmée" in b or "validation" in b) for b in bodies), bodies
    assert any("encours" in b.lower() for b in bodies) and len(bodies) == 2
    with transaction(sessions) as session:
        assert session.execute(select(func.count()).select_from(OrderRow)
                               .where(OrderRow.placed_by == CLAIRE)).scalar_one() == 1


def test_a_forged_approval_decides_nothing_and_the_approver_gets_signed_links(engine, sessions, tmp_path):
    box = Mailbox(engine, sessions, tmp_path)
    box.channel.handler.trusted_authserv_id = "mx.comptoir.test"
    authenticated = "mx.comptoir.test; dkim=pass header.d=acme-industries.fr; spf=pass"
    try:
        request, order = _pending_approval(box, sessions, Authentication_Results=authenticated)
        box.send(mail("APPROUVÉ", subject=f"Re: {request['Subject']}", sender=PIERRE, reply_to=request), sender=PIERRE)
        box.wait_processed(2)
        with transaction(sessions) as session:
            assert session.get(OrderRow, order.id).status == "pending_approval"
        answer = box.delivered()[-1]
        assert answer["To"] == PIERRE and "/approvals/" in answer.get_body(("plain",)).get_content()
        box.send(mail("APPROUVÉ", subject=f"Re: {request['Subject']}", sender=PIERRE, reply_to=request,
                      Authentication_Results="mx.comptoir.test; dkim=pass header.d=acme-industries.fr; spf=pass"),
                 sender=PIERRE)
        box.wait_processed(3)
        with transaction(sessions) as session:
            assert session.get(OrderRow, order.id).status == "confirmed"
    finally:
        box.close()


def test_healthz_is_down_when_the_database_or_a_listener_is(mailbox):
    from aiohttp.test_utils import TestClient, TestServer
    from sqlalchemy import create_engine

    from assistant.bootstrap import _smtp_greets
    from channels.http.app import CHECKS, build_app, database_check

    async def scenario():
        app = build_app(mailbox.assistant)
        app[CHECKS]["smtp"] = lambda: _smtp_greets("127.0.0.1", mailbox.port)
        async with TestClient(TestServer(app)) as client:
            up = await client.get("/healthz")
            up_body = await up.json()
            closed = free_port()  # the SMTP listener goes away: nothing listens there
            app[CHECKS]["smtp"] = lambda: _smtp_greets("127.0.0.1", closed)
            smtp_down = await client.get("/healthz")
            smtp_body = await smtp_down.json()
            # a database that no longer answers (nothing listens on that port)
            gone = create_engine("postgresql+psycopg://127.0.0.1:9/none", connect_args={"connect_timeout": 1})
            app[CHECKS]["database"] = database_check(gone)
            ready = await client.get("/readyz")
            ready_body = await ready.json()
            return up.status, up_body, smtp_down.status, smtp_body, ready.status, ready_body

    up, up_body, down, down_body, ready, ready_body = asyncio.run(scenario())
    assert (up, up_body) == (200, {"status": "ok"})
    assert (down, down_body) == (503, {"status": "unavailable", "down": ["smtp"]})
    assert ready == 503 and ready_body["checks"] == {"database": "down", "smtp": "down"}


@pytest.mark.parametrize("encoded", ["=?utf-8?q?Commande=E2=80=A8urgente?=", "=?utf-8?q?Commande=0D=0Aurgente?=",
                                     "=?utf-8?q?Commande=0Curgente?=", "=?utf-8?q?Commande=C2=85urgente?="])
def test_a_subject_that_decodes_to_a_line_break_still_gets_its_reply(mailbox, sessions, encoded):
    raw = (f"From: {CLAIRE}\r\nTo: {US}\r\nSubject: {encoded}\r\nMessage-ID: <break-1@acme-industries.fr>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Avez-vous 200 ramettes de papier A4 80g en stock ?\r\n").encode()
    mailbox.send(raw)
    mailbox.wait_processed(1)
    [reply] = mailbox.delivered()
    assert reply["Subject"] == "Re: Commande urgente"
    assert reply["In-Reply-To"] == "<break-1@acme-industries.fr>"
    assert "disponibles" in reply.get_body(("plain",)).get_content()


def test_a_message_of_a_thousand_nested_parts_is_still_answered(mailbox, sessions):
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\nAvez-vous 200 ramettes de papier A4 80g en stock ?\r\n"
    for level in range(1000):
        boundary = f"n{level}".encode()
        body = (b"Content-Type: multipart/mixed; boundary=" + boundary + b"\r\n\r\n--" + boundary + b"\r\n"
                + body + b"\r\n--" + boundary + b"--\r\n")
    raw = (f"From: {CLAIRE}\r\nTo: {US}\r\nSubject: Stock\r\nMessage-ID: <deep-1@acme-industries.fr>\r\n"
           "MIME-Version: 1.0\r\n").encode() + body
    mailbox.send(raw)
    mailbox.wait_processed(1)
    bodies = sorted(m.get_body(("plain",)).get_content() for m in mailbox.delivered())
    assert len(bodies) == 2 and any("disponibles" in b for b in bodies)
    assert any("n'a pas pu être lue" in b for b in bodies)  # and it says what could not be read
