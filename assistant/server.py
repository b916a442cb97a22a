"""`comptoir serve`: the HTTP API on the embedded defaults (more channels join it later)."""

from __future__ import annotations

import asyncio
import signal

from aiohttp import web
from rich.console import Console

from assistant.config import Settings
from assistant.database import open_database


def build_app(settings: Settings) -> web.Application:
    app = web.Application()
    db = open_database(settings.database_url)
    app["db"] = db

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get("/healthz", healthz)
    app.on_cleanup.append(lambda _app: _dispose(db))
    return app


async def _dispose(db) -> None:
    db.dispose()


def _split_listen(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host or "127.0.0.1", int(port)


async def _run(settings: Settings, out: Console) -> None:
    app = build_app(settings)
    runner = web.AppRunner(app)
    await runner.setup()
    host, port = _split_listen(settings.http_listen)
    site = web.TCPSite(runner, host, port)
    await site.start()
    out.print(f"Comptoir is running: http://{host}:{port}/healthz (HTTP API)")
    out.print("Only /healthz is served for now; press Ctrl+C to stop.")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def serve(settings: Settings, out: Console) -> int:
    asyncio.run(_run(settings, out))
    return 0
