"""The approval page in a real headless Chromium: the director opens the signed link from the
email, sees the order, presses the button, and the order is confirmed (a GET decides nothing)."""

from __future__ import annotations

import asyncio
import shutil
import threading

import pytest
from sqlalchemy import select

from commerce.persistence.database import transaction
from commerce.persistence.tables import OrderRow
from tests.integration.test_email_channel import Mailbox, _pending_approval, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (make test installs it)")


class Site:
    """Our HTTP app on a loopback port, in its own thread and event loop, as `comptoir serve` runs it."""

    def __init__(self, assistant) -> None:
        from aiohttp import web

        from channels.http.app import build_app

        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._runner = web.AppRunner(build_app(assistant))
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


def test_the_director_approves_in_a_browser(engine, sessions, tmp_path):
    from playwright.sync_api import sync_playwright

    box = Mailbox(engine, sessions, tmp_path)
    site = Site(box.assistant)
    try:
        request, order = _pending_approval(box, sessions)
        body = request.get_body(("plain",)).get_content()
        link = next(line.split(": ", 1)[1] for line in body.splitlines() if "/approvals/" in line)
        url = f"http://127.0.0.1:{site.port}/approvals/" + link.rsplit("/approvals/", 1)[1]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                page.goto(url)
                assert order.number in page.title() and "PAP-A4-80" in page.content()
                # money written as the emails write it (Babel, French): "1 780,00 €", not "1780.00 €"
                assert f"{order.total_ht:.2f}".replace(".", ",")[-6:] in page.content() and "." not in \
                    page.inner_text("ul").split("—")[-1]
                with transaction(sessions) as session:  # opening the link decided nothing
                    assert session.get(OrderRow, order.id).status == "pending_approval"
                page.get_by_role("button", name="Valider la commande").click()
                page.wait_for_load_state()
                assert f"Commande {order.number} validée" in page.content()
                page.goto(url)  # the link is single-use: the page now says it was decided
                assert "validée" in page.content().lower() or "déjà" in page.content().lower()
            finally:
                browser.close()
        with transaction(sessions) as session:
            assert session.scalars(select(OrderRow.status).where(OrderRow.id == order.id)).one() == "confirmed"
    finally:
        site.close()
        box.close()
