#!/usr/bin/env python
"""ERP stock snapshots over HTTP: `PUT /api/v1/stock/{sku}` from concurrent clients.

Each client sends absolute snapshots with a rising sequence, with a bearer token and an
Idempotency-Key, as an ERP would. The clients run in a process of their own (as the ERP
would be), so that they do not take the server's interpreter. In the same run and the same server, `GET /healthz`
(one `SELECT 1` per request, same concurrency) is the baseline: the figure to read is the
ratio. Prints throughput and p50/p99; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import ClientSession, web
from sqlalchemy import select

from assistant import api_tokens
from assistant.clock import SystemClock
from assistant.config import Settings
from assistant.core import Assistant
from bench._setup import demo_database
from channels.http.app import build_app
from commerce.persistence.database import transaction
from commerce.persistence.tables import StockRow


async def load(total: int, clients: int, request) -> tuple[list[float], float]:
    latencies: list[float] = []
    counter = iter(range(total))

    async def client(session: ClientSession) -> None:
        for index in counter:
            start = time.perf_counter()
            status = await request(session, index)
            if status not in (200, 409):
                raise SystemExit(f"HTTP {status} on request {index}")
            latencies.append(time.perf_counter() - start)

    async with ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        return latencies, time.perf_counter() - started


def _line(name: str, latencies: list[float], elapsed: float) -> float:
    ordered = sorted(latencies)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    rate = len(latencies) / elapsed
    print(f"{name:<26}: {rate:7.0f} req/s   p50 {statistics.median(latencies) * 1000:6.1f} ms   "
          f"p99 {p99 * 1000:6.1f} ms   ({len(latencies)} requests)")
    return rate


def _client_process(base: str, token: str, skus: list[str], total: int, clients: int, queue) -> None:
    """The ERP side: the baseline, then the snapshots; latencies back through the queue."""
    start = datetime.now(UTC) - timedelta(hours=1)
    sequence = itertools.count(1)
    stale: list[int] = []

    async def put(session: ClientSession, index: int) -> int:
        seq = next(sequence)
        body = {"on_hand": 1000 + index % 50, "as_of": (start + timedelta(milliseconds=seq)).isoformat(),
                "sequence": seq}
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"put-{seq}"}
        async with session.put(f"{base}/api/v1/stock/{skus[index % len(skus)]}", json=body,
                               headers=headers) as response:
            await response.read()
            if response.status == 409:  # two snapshots of one SKU overtook each other: the older is refused
                stale.append(seq)
            return response.status

    async def health(session: ClientSession, _index: int) -> int:
        async with session.get(f"{base}/healthz") as response:
            await response.read()
            return response.status

    async def scenario() -> list:
        await load(40, clients, put)  # warm-up: connections, caches
        health_run = await load(total, clients, health)
        stale.clear()
        return [health_run, await load(total, clients, put), len(stale)]

    try:
        queue.put(asyncio.run(scenario()))
    except BaseException as error:  # the server side must not wait forever for a dead client
        queue.put(error if isinstance(error, Exception) else RuntimeError(str(error)))
        raise


async def run(kind: str, total: int, clients: int) -> None:
    with demo_database(kind) as db:
        with transaction(db.sessions) as session:
            token = api_tokens.create(session, "bench", now=datetime.now(UTC))
            skus = list(session.scalars(select(StockRow.sku)))
        assistant = Assistant(db, settings=Settings(database_url="bench", secret_key="bench"), clock=SystemClock())
        runner = web.AppRunner(build_app(assistant))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        erp = context.Process(target=_client_process, args=(base, token, skus, total, clients, queue))
        erp.start()
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(None, queue.get)
        if isinstance(result, BaseException):
            raise SystemExit(f"the clients stopped: {result}")
        health, puts, stale = result
        await loop.run_in_executor(None, erp.join)
        base_rate = _line(f"{kind} GET /healthz", *health)
        put_rate = _line(f"{kind} PUT /api/v1/stock", *puts)
        print(f"{kind}: stock PUT at {put_rate / base_rate:.2f}x the /healthz baseline, {clients} clients "
              f"({stale} snapshots overtaken by a newer one of the same SKU, refused with 409 as they must be)")
        await runner.cleanup()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--requests", type=int, default=2000)
    options.add_argument("--clients", type=int, default=4)
    options.add_argument("--db", choices=("postgresql", "sqlite", "both"), default="both")
    args = options.parse_args()
    for kind in (("postgresql", "sqlite") if args.db == "both" else (args.db,)):
        asyncio.run(run(kind, args.requests, args.clients))


if __name__ == "__main__":
    main()
