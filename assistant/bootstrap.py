"""The composition root: one place that builds everything from one Settings.

It is the only module of `assistant` that knows the channels (the import contracts
allow exactly this), so the rest of the brain stays channel-neutral.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from urllib.parse import urlparse

from rich.console import Console

from assistant.clock import Clock, SystemClock
from assistant.config import DEFAULT_SECRET_KEY, Settings
from assistant.core import Assistant
from assistant.database import Database, open_database
from assistant.dispatcher import Dispatcher

log = logging.getLogger("comptoir")


@dataclass
class Components:
    settings: Settings
    db: Database
    assistant: Assistant
    dispatcher: Dispatcher


def build(settings: Settings, *, clock: Clock | None = None, db: Database | None = None) -> Components:
    from channels.email.outgoing import MaildirWriter, RelaySender

    clock = clock or SystemClock()
    db = db or open_database(settings.database_url)
    assistant = Assistant(db, settings=settings, clock=clock)
    sender, domain = settings.from_address, settings.mail_domain
    email = (RelaySender(settings.smtp_relay, sender=sender, domain=domain) if settings.smtp_relay
             else MaildirWriter(settings.maildir, sender=sender, domain=domain))
    deliverers = {"email": email}
    if settings.slack_enabled:
        from channels.slack.app import _api_base
        from channels.slack.delivery import SlackPoster

        deliverers["slack"] = SlackPoster(settings.slack_bot_token, _api_base(settings.slack_api_url))
    dispatcher = Dispatcher(db, clock, deliverers, on_permanent_failure=assistant.delivery_failed)
    return Components(settings, db, assistant, dispatcher)


def start_email(parts: Components):
    """The SMTP server of `comptoir serve` (stopped by the caller)."""
    from email.utils import parseaddr

    from channels.email.incoming import EmailChannel

    host, port = _listen(parts.settings.smtp_listen, 2525)
    channel = EmailChannel(
        parts.assistant, host=host, port=port, domains=parts.settings.mail_domains,
        our_addresses={parseaddr(parts.settings.from_address)[1].lower()},
        size_limit=parts.settings.smtp_max_size, trusted_authserv_id=parts.settings.trusted_authserv_id,
    )
    channel.start()
    return channel


def run_chat(settings: Settings, email: str) -> int:
    from channels.terminal import chat

    parts = build(settings)
    return chat(parts.assistant, email, after_each=parts.dispatcher.run_once)


def _listen(value: str, default_port: int) -> tuple[str, int]:
    parsed = urlparse(f"//{value}")
    return parsed.hostname or "127.0.0.1", parsed.port or default_port


async def _worker(name: str, interval: float, job) -> None:
    while True:
        try:
            await asyncio.to_thread(job)
        except Exception:  # a worker must survive one bad round
            log.exception("%s failed", name)
        await asyncio.sleep(interval)


async def _smtp_greets(host: str, port: int) -> bool:
    """The SMTP listener is up when it says 220 to a new connection."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        return (await reader.readline()).startswith(b"220")
    finally:
        writer.write(b"QUIT\r\n")
        writer.close()


async def _connected(socket_mode) -> bool:
    client = getattr(socket_mode, "client", None)
    return client is not None and await client.is_connected()


async def _serve(parts: Components, out: Console) -> None:
    from aiohttp import web

    from channels.http.app import CHECKS, build_app

    # Signals first: a stop asked while starting up still shuts down cleanly.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    app = build_app(parts.assistant)
    slack, socket_mode = None, None
    if parts.settings.slack_enabled:
        from channels.slack.app import SlackChannel

        slack = SlackChannel(parts.assistant, parts.settings)
        if parts.settings.slack_app_token:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            socket_mode = AsyncSocketModeHandler(slack.app, parts.settings.slack_app_token)
        else:
            slack.mount(app)
    # healthy only once every listener is up: until SMTP has started, /healthz says so
    smtp_host, smtp_port = _listen(parts.settings.smtp_listen, 2525)
    app[CHECKS]["smtp"] = lambda: _smtp_greets(smtp_host, smtp_port)
    if socket_mode is not None:
        app[CHECKS]["slack"] = lambda: _connected(socket_mode)
    runner = web.AppRunner(app)
    await runner.setup()
    host, port = _listen(parts.settings.http_listen, 8080)
    await web.TCPSite(runner, host, port).start()
    email = await asyncio.to_thread(start_email, parts)
    # Keep references: an unreferenced task can be garbage-collected mid-flight.
    tasks = {
        # what a crash left behind, holds that lapsed, retries that are due: at start, then often
        asyncio.create_task(_worker("inbox", 15.0, parts.assistant.process_pending)),
        asyncio.create_task(_worker("dispatcher", 1.0, parts.dispatcher.run_once)),
        asyncio.create_task(_worker("maintenance", 60.0, parts.assistant.maintenance)),
        asyncio.create_task(_worker("stock alerts", 30.0, parts.assistant.stock_alerts)),
    }
    if parts.settings.stock_drop_dir:
        from assistant.stock_drop import read_drop_folder

        drop = parts.settings.stock_drop_dir
        tasks.add(asyncio.create_task(_worker(
            "stock drop folder", parts.settings.stock_drop_minutes * 60,
            lambda: read_drop_folder(parts.assistant.db.sessions, drop, now=parts.assistant.clock.now()))))
    if socket_mode is not None:
        await socket_mode.connect_async()
    def say(line: str) -> None:
        out.print(line, soft_wrap=True, markup=False)  # one line each, also when the output is not a terminal

    say(f"Comptoir is running: HTTP API on http://{host}:{port} (/healthz, /readyz, approval links)")
    domains = ", ".join(parts.settings.mail_domains) or "any domain (set COMPTOIR_MAIL_DOMAINS to restrict)"
    say(f"SMTP on {smtp_host}:{smtp_port} for {domains}")
    say(f"ERP API on http://{host}:{port}/api/v1/ (document: /api/v1/openapi.json; "
        "a token: comptoir token create NAME)")
    if parts.settings.stock_drop_dir:
        say(f"Stock files dropped in {parts.settings.stock_drop_dir}/ are read every "
            f"{parts.settings.stock_drop_minutes:g} minutes")
    say(f"Outgoing mail goes to the Maildir {parts.settings.maildir}/ (no relay configured)"
              if not parts.settings.smtp_relay else f"Outgoing mail goes to {parts.settings.smtp_relay}")
    if slack is None:
        say("Slack is off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)")
    elif socket_mode is not None:
        say("Slack: Socket Mode (SLACK_APP_TOKEN set)")
    else:
        say(f"Slack: events, commands and interactivity on http://{host}:{port}/slack/events")
    say("Talk to it: comptoir chat --as claire.martin@acme-industries.fr   (Ctrl+C stops the service)")
    out.file.flush()
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if socket_mode is not None:
        await socket_mode.close_async()
    await asyncio.to_thread(email.stop)
    await runner.cleanup()


def serve(settings: Settings, out: Console) -> int:
    exposed = [a for a in (settings.http_listen, settings.smtp_listen) if not _loopback(a)]
    if settings.secret_key == DEFAULT_SECRET_KEY and exposed:
        Console(stderr=True).print(f"comptoir serve: refusing to listen on {', '.join(exposed)} with the public "
                                   "default signing key: set COMPTOIR_SECRET_KEY", markup=False)
        return 2
    parts = build(settings)
    try:
        asyncio.run(_serve(parts, out))
    except OSError as error:  # a port already taken, an address we cannot bind
        Console(stderr=True).print(f"comptoir serve: cannot listen: {error} "
                                   f"(HTTP {settings.http_listen}, SMTP {settings.smtp_listen})", markup=False)
        return 1
    finally:
        parts.db.dispose()
    return 0


def _loopback(address: str) -> bool:
    host = address.rpartition(":")[0].strip("[]") or address
    return host in ("localhost", "::1") or host.startswith("127.")
