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


class FakeSlackAPI:
    """A fake Slack Web API on loopback that records calls (Slack's servers are outside our walls).

    Runs in its own thread and event loop, so both the async bolt client and the sync
    WebClient of the dispatcher talk to it over real HTTP.
    """

    def __init__(self, emails: dict[str, str] | None = None) -> None:
        import threading

        self.calls: list[tuple[str, dict]] = []
        self.emails = emails or {}
        self.rate_limit: dict[str, int] = {}  # method -> how many 429s to answer first
        self._ts = itertools.count(1)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.url = ""

    def __enter__(self) -> FakeSlackAPI:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def calls_to(self, method: str) -> list[dict]:
        return [params for name, params in self.calls if name == method]

    def _run(self) -> None:
        import asyncio
        import socket

        from aiohttp import web

        async def handler(request: web.Request) -> web.Response:
            import json

            method = request.match_info["method"]
            if request.method == "GET":
                params = dict(request.query)
            elif request.content_type == "application/json":
                params = await request.json()
            else:
                params = dict(await request.post())
            for key in ("blocks", "view"):
                if isinstance(params.get(key), str):
                    params[key] = json.loads(params[key])
            self.calls.append((method, params))
            if self.rate_limit.get(method):
                self.rate_limit[method] -= 1
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": "1"})
            if method == "auth.test":
                return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1",
                                          "user": "comptoir", "team": "Comptoir"})
            if method == "users.info":
                user = params.get("user")
                if user not in self.emails:
                    return web.json_response({"ok": False, "error": "user_not_found"})
                return web.json_response({"ok": True, "user": {"id": user, "profile": {"email": self.emails[user]}}})
            if method == "chat.postMessage":
                return web.json_response({"ok": True, "channel": params.get("channel"),
                                          "ts": f"1700000000.{next(self._ts):06d}"})
            return web.json_response({"ok": True})

        async def main() -> None:
            app = web.Application()
            app.router.add_post("/api/{method}", handler)
            app.router.add_get("/api/{method}", handler)
            runner = web.AppRunner(app)
            await runner.setup()
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            sock.close()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            self.url = f"http://127.0.0.1:{port}/api/"
            self._stop = asyncio.Event()
            self._loop = asyncio.get_running_loop()
            self._ready.set()
            await self._stop.wait()
            await runner.cleanup()

        asyncio.run(main())
