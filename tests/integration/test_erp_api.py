"""The ERP API over real HTTP, on SQLite and PostgreSQL: every request and every response
of these tests is validated against the OpenAPI document the server serves."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from aiohttp import web
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from sqlalchemy import select

from assistant import api_tokens
from channels.http.app import build_app
from commerce.demo import load_demo
from commerce.persistence import stock_store
from commerce.persistence.database import transaction
from commerce.persistence.tables import OrderRow, ReservationRow
from tests.conftest import NOW
from tests.e2e.conftest import CLAIRE, set_stock
from tests.fakes import Conversation, make_assistant


class Server:
    """`build_app` served on a loopback port from its own thread and event loop."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()

        async def main() -> None:
            runner = web.AppRunner(build_app(self.assistant))
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop.wait()
            await runner.cleanup()

        self._loop.run_until_complete(main())

    def __enter__(self) -> Server:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


class Client:
    """Plain HTTP calls; each request and response checked against the served document."""

    def __init__(self, port: int, token: str | None) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.spec: OpenAPI | None = None
        self.checked = 0

    def call(self, method: str, path: str, body: object = None, *, key: str | None = None,
             token: str | None = "default", query: dict | None = None) -> tuple[int, dict]:
        token = self.token if token == "default" else token
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        data = json.dumps(body).encode() if body is not None else None
        url = self.base + path + (f"?{urlencode(query)}" if query else "")
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        answer = json.loads(raw)
        if path != "/api/v1/openapi.json" and token and status != 401:
            self._validate(method, path, query, headers, data, status, raw)
        return status, answer

    def _validate(self, method, path, query, headers, data, status, raw) -> None:
        if self.spec is None:
            with urllib.request.urlopen(self.base + "/api/v1/openapi.json", timeout=20) as response:
                self.spec = OpenAPI.from_dict(json.loads(response.read()))
        request = MockRequest(self.base, method.lower(), path, args=query or {}, headers=headers, data=data)
        if status != 422:  # a malformed body is what 422 answers: the request cannot match the schema
            self.spec.validate_request(request)
        self.spec.validate_response(request, MockResponse(raw, status_code=status))
        self.checked += 1


@pytest.fixture
def erp(engine, sessions):
    with transaction(sessions) as session:
        load_demo(session, now=NOW)
        token = api_tokens.create(session, "erp-test", now=NOW)
    assistant, clock = make_assistant(engine, NOW)
    with Server(assistant) as server:
        client = Client(server.port, token)
        client.chat = Conversation(assistant, clock)
        client.sessions = sessions
        yield client
    assert client.checked > 0 or client.spec is None


def figures(sessions, sku):
    with transaction(sessions) as session:
        return stock_store.figures(session, sku)


def order_claire(erp, text: str = "Bonjour, merci de nous livrer 10 cartouches HP 305 noir.") -> str:
    reply = erp.chat.say(CLAIRE, text)
    if "oui" in reply.lower() and "confirm" in reply.lower() and "C-2026-" not in reply:
        reply = erp.chat.say(CLAIRE, "oui")
    with transaction(erp.sessions) as session:
        order = session.scalars(select(OrderRow).where(OrderRow.placed_by == CLAIRE).order_by(OrderRow.id.desc())).first()
        assert order is not None, reply
        return order.number


def test_the_document_is_public_and_everything_else_needs_a_valid_token(erp):
    status, document = erp.call("GET", "/api/v1/openapi.json", token=None)
    assert status == 200 and document["openapi"].startswith("3.1")
    OpenAPI.from_dict(document)  # a valid OpenAPI document
    for method, path, body in [("GET", "/api/v1/orders", None), ("PUT", "/api/v1/stock/PAP-A4-80", {}),
                               ("POST", "/api/v1/stock", {}), ("POST", "/api/v1/supply-orders", {}),
                               ("GET", "/api/v1/stock/PAP-A4-80", None),
                               ("POST", "/api/v1/orders/C-2026-0001/shipments", {}),
                               ("POST", "/api/v1/invoices/F-1/payments", {})]:
        assert erp.call(method, path, body, token=None)[0] == 401
        assert erp.call(method, path, body, token="cpt_not-a-token")[0] == 401
    assert erp.call("GET", "/api/v1/orders")[0] == 200


def test_a_revoked_token_is_refused_at_once(erp):
    with transaction(erp.sessions) as session:
        api_tokens.revoke(session, "erp-test", now=NOW)
    assert erp.call("GET", "/api/v1/orders")[0] == 401


def test_stock_snapshots_newer_win_stale_and_future_are_refused(erp):
    status, stock = erp.call("PUT", "/api/v1/stock/PAP-A4-80",
                             {"on_hand": 900, "as_of": "2026-11-22T12:00:00+01:00", "sequence": 10})
    assert status == 200 and stock["on_hand"] == 900 and stock["sku"] == "PAP-A4-80"
    assert set(stock) == {"sku", "on_hand", "reserved", "available", "incoming", "incoming_date", "virtual"}
    # an older sequence never overwrites, even with a later time; the same one replayed neither
    status, error = erp.call("PUT", "/api/v1/stock/PAP-A4-80",
                             {"on_hand": 5, "as_of": "2026-11-22T13:30:00+01:00", "sequence": 9})
    assert status == 409 and error["error"] == "stale_snapshot"
    assert erp.call("PUT", "/api/v1/stock/PAP-A4-80",
                    {"on_hand": 5, "as_of": "2026-11-22T12:00:00+01:00", "sequence": 10})[0] == 409
    # without sequence: by time
    assert erp.call("PUT", "/api/v1/stock/PAP-A3-80", {"on_hand": 7, "as_of": "2026-11-22T11:00:00Z"})[0] == 200
    assert erp.call("PUT", "/api/v1/stock/PAP-A3-80", {"on_hand": 1, "as_of": "2026-11-22T10:59:59Z"})[0] == 409
    # more than a day ahead of our clock is refused, not obeyed
    status, error = erp.call("PUT", "/api/v1/stock/PAP-A3-80", {"on_hand": 1, "as_of": "2026-11-23T10:00:01Z"})
    assert status == 422 and error["error"] == "bad_date"
    assert figures(erp.sessions, "PAP-A4-80").on_hand == 900 and figures(erp.sessions, "PAP-A3-80").on_hand == 7
    assert erp.call("PUT", "/api/v1/stock/NOPE", {"on_hand": 1, "as_of": "2026-11-22T11:00:00Z"})[0] == 404
    assert erp.call("PUT", "/api/v1/stock/PAP-A3-80", {"on_hand": -1, "as_of": "2026-11-22T12:00:00Z"})[0] == 422
    assert erp.call("PUT", "/api/v1/stock/PAP-A3-80", {"on_hand": 3, "as_of": "yesterday"})[0] == 422


def test_a_snapshot_keeps_our_reservations(erp):
    number = order_claire(erp)
    reserved = figures(erp.sessions, "CART-HP305-BK").reserved
    assert reserved >= 10 and number
    status, stock = erp.call("PUT", "/api/v1/stock/CART-HP305-BK", {"on_hand": 50, "as_of": "2026-11-22T11:00:00Z"})
    assert status == 200 and (stock["on_hand"], stock["reserved"], stock["available"]) == (50, reserved, 50 - reserved)


def test_bulk_snapshots_each_taken_or_refused(erp):
    status, answer = erp.call("POST", "/api/v1/stock", {"snapshots": [
        {"sku": "PAP-A4-80", "on_hand": 10, "as_of": "2026-11-22T11:00:00Z"},
        {"sku": "NOPE", "on_hand": 10, "as_of": "2026-11-22T11:00:00Z"},
        {"sku": "PAP-A3-80", "on_hand": 20, "as_of": "2026-11-22T11:00:00Z", "alert_threshold": 5}]})
    assert status == 200 and (answer["taken"], answer["refused"]) == (2, 1)
    assert [r["status"] for r in answer["results"]] == ["taken", "unknown", "taken"]
    status, answer = erp.call("POST", "/api/v1/stock", {"snapshots": [
        {"sku": "PAP-A4-80", "on_hand": 99, "as_of": "2026-11-22T10:30:00Z"}]})
    assert answer["results"][0]["status"] == "stale" and figures(erp.sessions, "PAP-A4-80").on_hand == 10


def test_an_idempotency_key_replays_the_answer_and_refuses_another_body(erp):
    body = {"reference": "PO-77", "lines": [{"sku": "PAP-A4-80", "qty": 40, "eta": "2026-12-15"}]}
    first = erp.call("POST", "/api/v1/supply-orders", body, key="k-1")
    again = erp.call("POST", "/api/v1/supply-orders", body, key="k-1")
    assert first == again and first[0] == 201
    status, error = erp.call("POST", "/api/v1/supply-orders", {**body, "reference": "PO-78"}, key="k-1")
    assert status == 409 and error["error"] == "idempotency_key_reused"
    # without the key the same request is a new one, refused as a duplicate reference
    assert erp.call("POST", "/api/v1/supply-orders", body)[0] == 409
    # a replayed receipt receives once
    before = figures(erp.sessions, "PAP-A4-80").on_hand
    receipt = {"lines": [{"sku": "PAP-A4-80", "qty": 15}]}
    assert erp.call("POST", "/api/v1/supply-orders/PO-77/receipts", receipt, key="r-1")[0] == 200
    assert erp.call("POST", "/api/v1/supply-orders/PO-77/receipts", receipt, key="r-1")[0] == 200
    assert figures(erp.sessions, "PAP-A4-80").on_hand == before + 15


def test_supplier_batches_set_incoming_and_preorders_get_the_covering_eta(erp):
    set_stock(erp.sessions, "SOU-SF", 4)
    assert erp.call("POST", "/api/v1/supply-orders", {"reference": "PO-1", "lines": [
        {"sku": "SOU-SF", "qty": 5, "eta": "2026-12-04"}, {"sku": "SOU-SF", "qty": 20, "eta": "2026-12-18"}]})[0] == 201
    stock = figures(erp.sessions, "SOU-SF")
    assert (stock.incoming, stock.incoming_date, stock.virtual) == (25, date(2026, 12, 4), 29)
    # 4 now and 6 pre-ordered: the 6th incoming unit comes with the second batch
    reply = erp.chat.say(CLAIRE, "Commande de 10 souris sans fil")
    assert "6 en précommande" in reply and "18 décembre 2026" in reply and "4 décembre" not in reply, reply
    assert "confirmée" in erp.chat.say(CLAIRE, "oui")
    stock = figures(erp.sessions, "SOU-SF")
    assert (stock.available, stock.preordered) == (0, 6)
    assert erp.call("POST", "/api/v1/supply-orders/PO-1/receipts", {"lines": [{"sku": "SOU-SF", "qty": 30}]})[0] == 422
    status, answer = erp.call("POST", "/api/v1/supply-orders/PO-1/receipts", {"lines": [{"sku": "SOU-SF", "qty": 5}]})
    assert status == 200 and answer["preorders_served"][0]["qty"] == 5
    stock = figures(erp.sessions, "SOU-SF")
    assert (stock.on_hand, stock.reserved, stock.preordered, stock.incoming) == (9, 9, 1, 20)
    # the buyer who was told "we will come back to you" is told
    [mail] = [m for m in erp.chat.mail_to(CLAIRE) if m.kind == "preorder_arrived"]
    assert "Souris sans fil" in mail.body_text and "5 x" in mail.body_text
    assert erp.call("POST", "/api/v1/supply-orders", {"reference": "PO-2", "lines": [
        {"sku": "SOU-SF", "qty": 1, "eta": "2026-11-01"}]})[0] == 422  # an ETA in the past


def test_order_to_cash_with_partial_shipment_partial_payment_and_a_credit_note(erp):
    number = order_claire(erp)
    status, pulled = erp.call("GET", "/api/v1/orders", query={"status": "confirmed", "since": "2026-11-22T00:00:00Z"})
    assert status == 200
    [order] = [o for o in pulled["orders"] if o["number"] == number]
    assert order["customer"] == "ACME" and order["lines"][0] == {**order["lines"][0], "sku": "CART-HP305-BK", "qty": 10,
                                                                 "unit_price_ht": "12.50", "total_ht": "125.00"}
    assert (order["total_ht"], order["total_ttc"]) == ("125.00", "150.00")
    before = figures(erp.sessions, "CART-HP305-BK")
    # an invoice before anything left is an illegal move
    assert erp.call("POST", f"/api/v1/orders/{number}/invoices", {"number": "F-0", "issued_on": "2026-11-22"})[0] == 409
    status, shipped = erp.call("POST", f"/api/v1/orders/{number}/shipments",
                               {"lines": [{"sku": "CART-HP305-BK", "qty": 4}], "carrier": "Geodis", "tracking": "GX1"})
    assert status == 201 and shipped["status"] == "partially_shipped"
    after = figures(erp.sessions, "CART-HP305-BK")
    assert (after.on_hand, after.reserved, after.available) == (before.on_hand - 4, before.reserved - 4,
                                                                before.available)
    assert erp.call("POST", f"/api/v1/orders/{number}/shipments",
                    {"lines": [{"sku": "CART-HP305-BK", "qty": 7}]})[0] == 422  # 6 left to ship
    reply = erp.chat.say(CLAIRE, f"Où en est la commande {number} ?")
    assert "expédiée en partie" in reply and "Geodis" in reply and "GX1" in reply, reply
    status, shipped = erp.call("POST", f"/api/v1/orders/{number}/shipments",
                               {"lines": [{"sku": "CART-HP305-BK", "qty": 6}], "carrier": "Geodis", "tracking": "GX2"})
    assert shipped["status"] == "shipped"
    assert figures(erp.sessions, "CART-HP305-BK").reserved == before.reserved - 10
    with transaction(erp.sessions) as session:
        active = session.scalars(select(ReservationRow).where(ReservationRow.reference == number,
                                                              ReservationRow.status == "active")).all()
        assert active == []
    assert erp.call("POST", f"/api/v1/orders/{number}/shipments",
                    {"lines": [{"sku": "CART-HP305-BK", "qty": 1}]})[0] == 409  # nothing left: illegal
    status, invoice = erp.call("POST", f"/api/v1/orders/{number}/invoices",
                               {"number": "F-2026-0001", "issued_on": "2026-11-22"})
    assert status == 201 and invoice["total_ttc"] == "150.00" and invoice["due_on"] == "2026-12-22"  # ACME: 30 days
    encours_before = _encours(erp)
    status, paid = erp.call("POST", "/api/v1/invoices/F-2026-0001/payments", {"amount": "100.00", "paid_on": "2026-12-01"})
    assert status == 201 and (paid["paid"], paid["balance"], paid["status"]) == ("100.00", "50.00", "open")
    assert _encours(erp) == encours_before - Decimal("100.00")
    reply = erp.chat.say(CLAIRE, "Quel est notre encours ?")
    assert "F-2026-0001" in reply and "50,00" in reply, reply
    assert erp.call("POST", "/api/v1/invoices/F-2026-0001/payments", {"amount": "50.01"})[0] == 409  # more than due
    # two cartridges come back: 25.00 HT + VAT = 30.00 credited, and they are on hand again
    on_hand = figures(erp.sessions, "CART-HP305-BK").on_hand
    status, credited = erp.call("POST", "/api/v1/invoices/F-2026-0001/credit-notes",
                                {"number": "A-2026-0001", "lines": [{"sku": "CART-HP305-BK", "qty": 2}],
                                 "reason": "cartouches abîmées"})
    assert status == 201 and credited["credit_note"]["total_ttc"] == "30.00" and credited["balance"] == "20.00"
    assert figures(erp.sessions, "CART-HP305-BK").on_hand == on_hand + 2
    status, paid = erp.call("POST", "/api/v1/invoices/F-2026-0001/payments", {"amount": "20.00"})
    assert paid["status"] == "paid"
    assert erp.call("GET", f"/api/v1/orders/{number}")[1]["status"] == "paid"
    assert _encours(erp) == encours_before - Decimal("150.00")


def _encours(erp) -> Decimal:
    from commerce.persistence.orders_store import encours

    with transaction(erp.sessions) as session:
        return encours(session, "ACME")


def test_illegal_moves_are_409_with_the_reason(erp):
    number = order_claire(erp)
    assert erp.chat.say(CLAIRE, f"Merci d'annuler la commande {number}")
    with transaction(erp.sessions) as session:
        assert session.scalars(select(OrderRow.status).where(OrderRow.number == number)).one() == "cancelled"
    status, error = erp.call("POST", f"/api/v1/orders/{number}/shipments", {"lines": [{"sku": "CART-HP305-BK", "qty": 1}]})
    assert status == 409 and error["error"] == "illegal_transition" and "cancelled" in error["message"]
    assert erp.call("POST", "/api/v1/orders/C-1999-0001/shipments", {"lines": [{"sku": "X", "qty": 1}]})[0] == 404
    assert erp.call("POST", "/api/v1/invoices/F-NONE/payments", {"amount": "1.00"})[0] == 404
    assert erp.call("POST", "/api/v1/orders/C-1999-0001/shipments", {"lines": []})[0] == 422


def test_restock_alert_suggests_and_turns_into_a_draft_supplier_order(erp):
    from assistant.erp import alert_rows, order_from_alert
    from commerce.persistence import supply_store

    erp.call("PUT", "/api/v1/stock/PAP-A4-100", {"on_hand": 2, "as_of": "2026-11-22T11:00:00Z", "alert_threshold": 8,
                                                 "safety_stock": 3, "reorder_qty": 25})
    with transaction(erp.sessions) as session:
        [alert] = [a for a in alert_rows(session) if a["sku"] == "PAP-A4-100"]
        assert alert["level"] == "safety" and alert["suggested"] == 25  # the lot beats the 7 missing
        draft = order_from_alert(session, alert["id"], now=NOW, eta=NOW.date() + timedelta(days=10))
        assert draft["status"] == "draft" and draft["lines"][0]["qty"] == 25
        assert figures(erp.sessions, "PAP-A4-100").incoming == 0  # a draft is not on its way yet
        supply_store.confirm(session, draft["reference"], now=NOW)
    assert figures(erp.sessions, "PAP-A4-100").incoming == 25


def test_restock_alerts_reach_purchasing_by_mail_with_the_suggestion(engine, sessions):
    with transaction(sessions) as session:
        load_demo(session, now=NOW)
    assistant, _clock = make_assistant(engine, NOW, purchasing_email="achats@comptoir-distribution.fr")
    sent = assistant.stock_alerts()
    assert sent > 0 and assistant.stock_alerts() == 0  # once per crossing
    chat = Conversation(assistant, _clock)
    mails = chat.mail_to("achats@comptoir-distribution.fr")
    assert len(mails) == sent and all(m.kind == "stock_alert" for m in mails)
    set_stock(sessions, "PAP-A4-100", 50)
    with transaction(sessions) as session:
        stock_store.put_snapshot(session, "PAP-A4-100", on_hand=4, as_of=NOW + timedelta(hours=1), now=NOW,
                                 alert_threshold=8, safety_stock=3)
    assert assistant.stock_alerts() == 1
    [mail] = [m for m in chat.mail_to("achats@comptoir-distribution.fr") if "PAP-A4-100" in m.subject]
    assert "Quantité suggérée : 5" in mail.body_text and "comptoir alerts order" in mail.body_text  # back above 8


def test_the_drop_folder_imports_settled_files_and_sets_bad_ones_aside(engine, sessions, tmp_path):
    from assistant.stock_drop import read_drop_folder

    with transaction(sessions) as session:
        load_demo(session, now=NOW)
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "stock-1.csv").write_text("sku,on_hand,as_of\nPAP-A4-80,777,2026-11-22T12:00:00+00:00\n", encoding="utf-8")
    (drop / "stock-2.csv").write_text("sku,on_hand,as_of\nPAP-A3-80,12,2026-11-22T12:00:00+00:00\nNOPE,1,\n",
                                      encoding="utf-8")
    (drop / "notes.txt").write_text("not a stock file", encoding="utf-8")
    assert read_drop_folder(sessions, drop, now=NOW, settle=0) == {"done": 1, "failed": 1}
    assert figures(sessions, "PAP-A4-80").on_hand == 777 and figures(sessions, "PAP-A3-80").on_hand == 12
    assert [p.name.split("-", 1)[1] for p in (drop / "done").iterdir()] == ["stock-1.csv"]
    [errors] = list((drop / "failed").glob("*.errors.txt"))
    assert "line 3" in errors.read_text(encoding="utf-8")
    assert (drop / "notes.txt").exists() and not list(drop.glob("*.csv"))
    assert read_drop_folder(sessions, drop, now=NOW, settle=0) == {"done": 0, "failed": 0}


def test_a_backorder_is_served_when_the_erp_says_the_goods_are_in(erp):
    set_stock(erp.sessions, "CHAU-S3-40", 0)
    reply = erp.chat.say(CLAIRE, "Commande de 3 paires de chaussures de sécurité S3 pointure 40")
    if "C-2026-" not in reply:
        reply = erp.chat.say(CLAIRE, "oui")
    assert "précommande" in reply, reply
    assert figures(erp.sessions, "CHAU-S3-40").preordered == 3
    status, stock = erp.call("PUT", "/api/v1/stock/CHAU-S3-40", {"on_hand": 2, "as_of": "2026-11-22T11:00:00Z"})
    assert status == 200 and stock["on_hand"] == 2
    after = figures(erp.sessions, "CHAU-S3-40")
    assert (after.on_hand, after.reserved, after.preordered, after.available) == (2, 2, 1, 0)
    [mail] = [m for m in erp.chat.mail_to(CLAIRE) if m.kind == "preorder_arrived"]
    assert "2 x Chaussures de sécurité S3 pointure 40" in mail.body_text
