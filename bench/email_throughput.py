#!/usr/bin/env python
"""End-to-end email throughput: SMTP accepted -> understood -> reply written to the Maildir.

In the same run, a bare aiosmtpd sink (a handler that only answers 250) on the same
machine gives the baseline, so the ratio says what storing, understanding, pricing and
answering cost on top of speaking SMTP. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import smtplib
import socket
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from assistant.clock import SystemClock
from assistant.config import Settings
from assistant.core import Assistant
from assistant.dispatcher import Dispatcher
from assistant.tables import InboundRow
from bench._setup import demo_database
from channels.email.incoming import EmailChannel
from channels.email.outgoing import MaildirWriter

DOMAIN = "comptoir.test"
BODIES = [
    "Bonjour,\n\nMerci de nous livrer 10 cartouches HP 305 noir.\n\nCordialement,\nClaire Martin",
    "Avez-vous 200 ramettes A4 en stock ?\n\nClaire",
    "Bonjour, il nous faudrait 5 classeurs à levier 80 mm et 2 boîtes de pochettes perforées. Merci !",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def messages(count: int) -> list[bytes]:
    out = []
    for index in range(count):
        mail = EmailMessage()
        mail["From"], mail["To"] = "claire.martin@acme-industries.fr", f"commandes@{DOMAIN}"
        mail["Subject"], mail["Message-ID"] = f"Demande {index}", f"<bench-{index}@acme-industries.fr>"
        mail.set_content(BODIES[index % len(BODIES)])
        out.append(mail.as_bytes())
    return out


def send_all(port: int, data: list[bytes]) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for item in data:
            smtp.sendmail("claire.martin@acme-industries.fr", [f"commandes@{DOMAIN}"], item)
    return time.perf_counter() - start


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def bare_sink(data: list[bytes]) -> float:
    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        return len(data) / send_all(port, data)
    finally:
        controller.stop()


def end_to_end(data: list[bytes], kind: str) -> tuple[float, float]:
    with demo_database(kind) as db, tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url="bench", mail_domains=(DOMAIN,), from_address=f"Comptoir <c@{DOMAIN}>")
        assistant = Assistant(db, settings=settings, clock=SystemClock())
        port = free_port()
        channel = EmailChannel(assistant, host="127.0.0.1", port=port, domains=(DOMAIN,), our_addresses=set())
        writer = MaildirWriter(folder, sender=settings.from_address, domain=DOMAIN)
        dispatcher = Dispatcher(db, SystemClock(), {"email": writer})
        channel.start()
        try:
            start = time.perf_counter()
            accept_seconds = send_all(port, data)
            while True:
                with db.sessions() as session:
                    done = session.execute(select(func.count()).select_from(InboundRow)
                                           .where(InboundRow.status == "processed")).scalar_one()
                dispatcher.run_once(limit=500)
                if done >= len(data) and len(list((Path(folder) / "new").iterdir())) >= len(data):
                    break
                time.sleep(0.01)
            total = time.perf_counter() - start
        finally:
            channel.stop()
        return len(data) / accept_seconds, len(data) / total


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--messages", type=int, default=300)
    options.add_argument("--no-postgres", action="store_true")
    args = options.parse_args()
    data = messages(args.messages)
    sink = bare_sink(data)
    print(f"bare aiosmtpd sink:            {sink:8.1f} messages/s accepted")
    for kind in ["sqlite"] + ([] if args.no_postgres else ["postgresql"]):
        accepted, replied = end_to_end(data, kind)
        print(f"comptoir {kind:<11} accepted: {accepted:8.1f} messages/s ({sink / accepted:.1f}x the sink's cost)")
        print(f"comptoir {kind:<11} replied:  {replied:8.1f} messages/s end to end "
              f"(SMTP accepted -> reply in the Maildir), {sink / replied:.1f}x slower than the sink")


if __name__ == "__main__":
    main()
