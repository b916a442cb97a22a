#!/usr/bin/env python
"""Slack ack latency: signed event requests from 20 concurrent senders.

Slack gives an app 3 seconds to acknowledge. Every listener acks first and does the work
(parsing, pricing, storing) afterwards in a worker thread, so the ack must stay fast
while the assistant is busy. In the same run, the /healthz endpoint of the same server
under the same load is the baseline. Prints p50/p99; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import ClientSession, web

from assistant.clock import SystemClock
from assistant.config import Settings
from assistant.core import Assistant
from bench._setup import demo_database
from channels.http.app import build_app
from channels.slack.app import SlackChannel

SECRET = "bench-secret"
USERS = ["U0ACMEBUY1", "U0BATIBUY1", "U0HANSBUY1", "U0BRUXBUY1"]
TEXTS = ["Merci de nous livrer 10 cartouches HP 305 noir", "Avez-vous 200 ramettes A4 en stock ?",
         "Quel est notre encours ?", "Please deliver 20 boxes of nitrile gloves size M"]


def signed_event(index: int) -> tuple[bytes, dict]:
    event = {"type": "message", "channel_type": "im", "user": USERS[index % len(USERS)],
             "text": TEXTS[index % len(TEXTS)], "ts": f"1700000000.{index:06d}", "channel": f"D{index % 4}"}
    body = json.dumps({"type": "event_callback", "event_id": f"Ev{index}", "team_id": "T1", "api_app_id": "A1",
                       "event": event, "event_time": int(time.time())})
    timestamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return body.encode(), {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature,
                           "Content-Type": "application/json"}


async def load(url: str, total: int, senders: int, make) -> list[float]:
    latencies: list[float] = []
    counter = iter(range(total))

    async def sender(session: ClientSession) -> None:
        for index in counter:
            body, headers = make(index)
            start = time.perf_counter()
            async with session.post(url, data=body, headers=headers) if body is not None else session.get(url) as r:
                await r.read()
                if r.status != 200:
                    raise SystemExit(f"HTTP {r.status}")
            latencies.append(time.perf_counter() - start)

    async with ClientSession() as session:
        await asyncio.gather(*(sender(session) for _ in range(senders)))
    return latencies


async def fake_slack_api() -> tuple[web.AppRunner, str]:
    async def ok(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "B1", "team_id": "T1"})
        return web.json_response({"ok": True, "ts": "1.1"})

    app = web.Application()
    app.router.add_post("/api/{method}", ok)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}/api/"


async def main_async(args) -> None:
    with demo_database("sqlite") as db:
        api_runner, api_url = await fake_slack_api()
        settings = Settings(database_url="bench", slack_bot_token="xoxb-bench", slack_signing_secret=SECRET,
                            slack_api_url=api_url)
        assistant = Assistant(db, settings=settings, clock=SystemClock())
        app = build_app(assistant)
        slack = SlackChannel(assistant, settings)
        slack.mount(app)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        await load(f"{base}/slack/events", 8, 2, signed_event)  # warm-up: parser, catalog, bolt auth
        await slack._drain()
        health = await load(f"{base}/healthz", args.events, args.senders, lambda i: (None, {}))
        acks = await load(f"{base}/slack/events", args.events, args.senders, lambda i: signed_event(i + 100))
        drain_start = time.perf_counter()
        await slack._drain()
        drained = time.perf_counter() - drain_start
        for name, values in (("healthz baseline", health), ("slack event ack", acks)):
            ordered = sorted(values)
            p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
            print(f"{name:<17}: p50 {statistics.median(values) * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms   "
                  f"({len(values)} requests, {args.senders} concurrent senders)")
        print(f"work finished {drained:.1f} s after the last ack (done after the ack, as Slack requires)")
        await runner.cleanup()
        await api_runner.cleanup()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--events", type=int, default=400)
    options.add_argument("--senders", type=int, default=20)
    asyncio.run(main_async(options.parse_args()))


if __name__ == "__main__":
    main()
