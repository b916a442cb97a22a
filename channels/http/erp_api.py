"""/api/v1/: the JSON API of the distributor's ERP (routes only; the rules are in commerce,
the use cases in assistant.erp). Every route but the OpenAPI document needs a bearer token;
every write honours an Idempotency-Key."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from assistant.core import Assistant
from assistant.erp import UNAUTHORIZED, Erp, stock_json
from channels.http.openapi import document

log = logging.getLogger("comptoir.api")
ERP = web.AppKey("erp", Erp)
TOKEN = web.RequestKey("token", str)
MAX_KEY = 200


def _error(status: int, error: str, message: str) -> web.Response:
    return web.json_response({"error": error, "message": message}, status=status)


def _token(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@web.middleware
async def authenticated(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    """No token, no answer; the token itself is checked in the request's own transaction."""
    if request.path.startswith("/api/v1/") and request.path != "/api/v1/openapi.json":
        token = _token(request)
        if token is None:
            return _unauthorized()
        request[TOKEN] = token
    return await handler(request)


def _unauthorized() -> web.Response:
    response = web.json_response(UNAUTHORIZED, status=401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="comptoir"'
    return response


async def _body(request: web.Request) -> object:
    try:
        return await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPUnprocessableEntity(
            text=json.dumps({"error": "bad_request", "message": "the body is not JSON"}),
            content_type="application/json") from None


def _answer(result: tuple[int, dict]) -> web.Response:
    status, body = result
    return _unauthorized() if status == 401 else web.json_response(body, status=status)


def writes(action: Callable[[Erp, web.Request, object], Callable], *, audited: bool = True):
    """A write route: the body read, the Idempotency-Key checked, the action run in a thread."""
    async def route(request: web.Request) -> web.Response:
        erp = request.app[ERP]
        key = request.headers.get("Idempotency-Key")
        if key is not None and not (0 < len(key) <= MAX_KEY):
            return _error(422, "bad_request", f"Idempotency-Key must be 1 to {MAX_KEY} characters")
        body = await _body(request)
        result = await asyncio.to_thread(erp.call, request[TOKEN], action(erp, request, body), write=True, key=key,
                                         method=request.method, path=request.path, body=body, audited=audited)
        return _answer(result)
    return route


def reads(action: Callable[[Erp, web.Request], Callable]):
    async def route(request: web.Request) -> web.Response:
        erp = request.app[ERP]
        return _answer(await asyncio.to_thread(erp.call, request[TOKEN], action(erp, request)))
    return route


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document())


def _m(request: web.Request, name: str) -> str:
    return request.match_info[name]


def add_routes(app: web.Application, assistant: Assistant) -> None:
    app[ERP] = Erp(assistant)
    app.middlewares.append(authenticated)
    r = app.router
    r.add_get("/api/v1/openapi.json", openapi)
    r.add_put("/api/v1/stock/{sku}", writes(lambda e, q, b: lambda s: e.put_stock(s, _m(q, "sku"), b), audited=False))
    r.add_post("/api/v1/stock", writes(lambda e, q, b: lambda s: e.post_stock(s, b), audited=False))
    r.add_get("/api/v1/stock/{sku}", reads(lambda e, q: lambda s: (200, stock_json(s, _m(q, "sku")))))
    r.add_post("/api/v1/supply-orders", writes(lambda e, q, b: lambda s: e.post_supply_order(s, b)))
    r.add_get("/api/v1/supply-orders/{reference}",
              reads(lambda e, q: lambda s: e.get_supply_order(s, _m(q, "reference"))))
    r.add_post("/api/v1/supply-orders/{reference}/receipts",
               writes(lambda e, q, b: lambda s: e.post_receipt(s, _m(q, "reference"), b)))
    r.add_get("/api/v1/orders", reads(lambda e, q: lambda s: e.get_orders(
        s, q.query.get("status"), q.query.get("since"))))
    r.add_get("/api/v1/orders/{number}", reads(lambda e, q: lambda s: e.get_order(s, _m(q, "number"))))
    r.add_post("/api/v1/orders/{number}/shipments",
               writes(lambda e, q, b: lambda s: e.post_shipment(s, _m(q, "number"), b)))
    r.add_post("/api/v1/orders/{number}/invoices",
               writes(lambda e, q, b: lambda s: e.post_invoice(s, _m(q, "number"), b)))
    r.add_get("/api/v1/invoices/{number}", reads(lambda e, q: lambda s: e.get_invoice(s, _m(q, "number"))))
    r.add_post("/api/v1/invoices/{number}/payments",
               writes(lambda e, q, b: lambda s: e.post_payment(s, _m(q, "number"), b)))
    r.add_post("/api/v1/invoices/{number}/credit-notes",
               writes(lambda e, q, b: lambda s: e.post_credit_note(s, _m(q, "number"), b)))

