"""Slack: signed requests to the real bolt endpoint in our aiohttp app; a fake Web API."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from assistant.dispatcher import Dispatcher
from channels.http.app import build_app
from channels.slack.app import SlackChannel
from channels.slack.delivery import SlackPoster
from commerce.demo import load_demo
from commerce.persistence.database import transaction
from commerce.persistence.tables import ApprovalRow, LeadRow, OrderRow, StockRow
from tests.conftest import NOW
from tests.fakes import FakeSlackAPI, make_assistant

SECRET = "test-signing-secret"
CLAIRE, PIERRE, JULIEN, SOPHIE = "U0ACMEBUY1", "U0ACMEAPP1", "U0ACMEREQ1", "U0REPSOPH1"


def signed(body: str, *, secret: str = SECRET, timestamp: int | None = None, content_type: str) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature,
            "Content-Type": content_type}


def event_body(user: str, text: str, *, event_id: str, channel: str = "D0CLAIRE", ts: str = "1700000001.000100",
               thread_ts: str | None = None) -> str:
    event = {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return json.dumps({"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()), "event": event})


def action_body(user: str, action_id: str, value: str, *, channel: str = "D0PIERRE", ts: str = "1700000009.000001") -> str:
    payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": "T1"}, "api_app_id": "A1",
               "token": "x", "trigger_id": "trig-1", "container": {"type": "message", "channel_id": channel,
                                                                   "message_ts": ts},
               "channel": {"id": channel}, "message": {"ts": ts, "blocks": [
                   {"type": "section", "text": {"type": "mrkdwn", "text": "order"}},
                   {"type": "actions", "elements": []}]},
               "actions": [{"action_id": action_id, "value": value, "type": "button", "block_id": "b1",
                            "action_ts": "1"}]}
    return urlencode({"payload": json.dumps(payload)})


def _reason_submission(view: dict, user: str, reason: str) -> str:
    payload = {"type": "view_submission", "user": {"id": user}, "team": {"id": "T1"},
               "api_app_id": "A1", "token": "x", "trigger_id": "t2",
               "view": {"id": "V1", "callback_id": view["callback_id"],
                        "private_metadata": view["private_metadata"], "type": "modal",
                        "state": {"values": {"reason": {"reason": {"type": "plain_text_input", "value": reason}}}}}}
    return urlencode({"payload": json.dumps(payload)})


class SlackRig:
    def __init__(self, api: FakeSlackAPI, engine, sessions):
        with transaction(sessions) as session:
            load_demo(session, now=NOW)
            session.get(StockRow, "PAP-A4-80").on_hand = 5000
        self.sessions = sessions
        self.api = api
        self.assistant, self.clock = make_assistant(
            engine, NOW, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=api.url,
            slack_leads_channel="C0LEADS", slack_purchasing_channel="C0PURCHASE")
        self.dispatcher = Dispatcher(self.assistant.db, self.clock,
                                     {"slack": SlackPoster("xoxb-test", api.url)})

    async def client(self) -> TestClient:
        app = build_app(self.assistant)
        self.channel = SlackChannel(self.assistant, self.assistant.settings)
        self.channel.mount(app)
        client = TestClient(TestServer(app))
        await client.start_server()
        return client

    async def post(self, client, body: str, *, form: bool = False, headers: dict | None = None, **sign):
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        return await client.post("/slack/events", data=body.encode(),
                                 headers={**signed(body, content_type=content_type, **sign), **(headers or {})})

    async def settle(self) -> None:
        await self.channel._drain()
        await asyncio.to_thread(self.dispatcher.run_once)

    def posted(self, channel: str | None = None) -> list[dict]:
        calls = self.api.calls_to("chat.postMessage")
        return [c for c in calls if channel is None or c.get("channel") == channel]

    def count(self, table, *where) -> int:
        with transaction(self.sessions) as session:
            return session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


@pytest.fixture
def rig(engine, sessions):
    with FakeSlackAPI(emails={"U0NEWBIE1": "unknown@elsewhere.example"}) as api:
        yield SlackRig(api, engine, sessions)


def run(coroutine):
    return asyncio.run(coroutine)


def test_buyer_orders_in_a_dm_with_a_clarification_in_the_thread(rig):
    async def scenario():
        client = await rig.client()
        try:
            response = await rig.post(client, event_body(CLAIRE, "Il nous faut 12 boîtes de gants nitrile",
                                                         event_id="Ev1"))
            assert response.status == 200
            await rig.settle()
            question = rig.posted("D0CLAIRE")[-1]
            assert question["thread_ts"] == "1700000001.000100" and "taille L" in question["text"]
            await rig.post(client, event_body(CLAIRE, "taille L", event_id="Ev2", ts="1700000002.000100",
                                               thread_ts="1700000001.000100"))
            await rig.settle()
            assert "confirmée" in rig.posted("D0CLAIRE")[-1]["text"]
        finally:
            await client.close()

    run(scenario())
    assert rig.count(OrderRow, OrderRow.placed_by == "claire.martin@acme-industries.fr") == 1


def test_a_slack_retry_of_the_same_event_never_makes_a_second_order(rig):
    async def scenario():
        client = await rig.client()
        try:
            body = event_body(CLAIRE, "Merci de nous livrer 10 cartouches HP 305 noir", event_id="EvSame")
            first = await rig.post(client, body)
            retry = await rig.post(client, body, headers={"X-Slack-Retry-Num": "1",
                                                          "X-Slack-Retry-Reason": "http_timeout"})
            assert first.status == retry.status == 200
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert rig.count(OrderRow, OrderRow.placed_by == "claire.martin@acme-industries.fr") == 1


@pytest.mark.parametrize("forgery", ["bad_secret", "replayed"])
def test_forged_or_replayed_requests_get_401_and_do_nothing(rig, forgery):
    async def scenario():
        client = await rig.client()
        try:
            body = event_body(CLAIRE, "Merci de nous livrer 10 cartouches HP 305 noir", event_id="EvForged")
            sign = {"secret": "wrong"} if forgery == "bad_secret" else {"timestamp": int(time.time()) - 600}
            response = await rig.post(client, body, **sign)
            await rig.settle()
            return response.status
        finally:
            await client.close()

    assert run(scenario()) == 401
    from assistant.tables import InboundRow

    assert rig.count(InboundRow) == 0 and rig.posted() == []


@pytest.mark.parametrize("body", ['{"type": "event_callback", "event": ', "not json at all", ""])
def test_an_unsigned_request_with_a_broken_body_is_a_401_not_a_500(rig, body):
    async def scenario():
        client = await rig.client()
        try:
            response = await client.post("/slack/events", data=body.encode(),
                                         headers={"Content-Type": "application/json"})
            return response.status, response.headers.get("Server"), await response.text()
        finally:
            await client.close()

    status, server, text = run(scenario())
    assert status == 401 and "Traceback" not in text
    assert server is None  # no version to fingerprint


def _pending_order(rig, client):
    async def go():
        await rig.post(client, event_body(CLAIRE, "Merci de nous livrer 500 ramettes de papier A4 80g",
                                          event_id="EvBig"))
        await rig.settle()
        with transaction(rig.sessions) as session:
            return session.scalars(select(ApprovalRow)).one().id
    return go()


def test_the_director_approves_with_a_button_and_the_message_is_updated(rig):
    async def scenario():
        client = await rig.client()
        try:
            approval_id = await _pending_order(rig, client)
            request = rig.posted(PIERRE)[-1]
            buttons = next(b for b in request["blocks"] if b["type"] == "actions")["elements"]
            assert [b["action_id"] for b in buttons] == ["approve_order", "reject_order"]
            assert buttons[0]["value"] == str(approval_id)
            response = await rig.post(client, action_body(PIERRE, "approve_order", str(approval_id)), form=True)
            assert response.status == 200
            await rig.settle()
            # a double click changes nothing
            await rig.post(client, action_body(PIERRE, "approve_order", str(approval_id)), form=True)
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert rig.count(OrderRow, OrderRow.status == "confirmed", OrderRow.placed_by == "claire.martin@acme-industries.fr") == 1
    updates = rig.api.calls_to("chat.update")
    assert updates and "Validée par pierre.durand@acme-industries.fr" in updates[0]["text"]
    assert not [b for b in updates[0]["blocks"] if b["type"] == "actions"]
    assert any("validée" in m["text"] for m in rig.posted(CLAIRE))  # the requester is told


def test_someone_else_clicking_gets_an_ephemeral_refusal_and_nothing_changes(rig):
    async def scenario():
        client = await rig.client()
        try:
            approval_id = await _pending_order(rig, client)
            await rig.post(client, action_body(JULIEN, "approve_order", str(approval_id)), form=True)
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert rig.count(OrderRow, OrderRow.status == "pending_approval") == 1
    [ephemeral] = rig.api.calls_to("chat.postEphemeral")
    assert ephemeral["user"] == JULIEN and "valideur désigné" in ephemeral["text"]
    assert rig.api.calls_to("chat.update") == []


def test_reject_opens_a_modal_and_the_reason_reaches_the_requester(rig):
    async def scenario():
        client = await rig.client()
        try:
            approval_id = await _pending_order(rig, client)
            await rig.post(client, action_body(PIERRE, "reject_order", str(approval_id)), form=True)
            await rig.settle()
            [opened] = rig.api.calls_to("views.open")
            response = await rig.post(client, _reason_submission(opened["view"], PIERRE, "budget gelé"), form=True)
            assert response.status == 200
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert rig.count(OrderRow, OrderRow.status == "rejected") == 1
    assert any("budget gelé" in m["text"] for m in rig.posted(CLAIRE))


def test_lead_alert_with_a_claim_button_claimed_once(rig):
    async def scenario():
        client = await rig.client()
        try:
            from assistant.messages import InboundMessage

            for index in range(2):
                await asyncio.to_thread(rig.assistant.handle, InboundMessage(
                    "email", "acheteur@prospect.example", f"lead-{index}", "email:lead",
                    "Merci de nous livrer 50 ramettes A4", NOW))
            await rig.settle()
            [alert] = rig.posted("C0LEADS")
            button = next(b for b in alert["blocks"] if b["type"] == "actions")["elements"][0]
            assert button["action_id"] == "claim_lead"
            # a customer's buyer is no sales rep: refused, and the lead stays free
            await rig.post(client, action_body(CLAIRE, "claim_lead", button["value"], channel="C0LEADS"), form=True)
            await rig.post(client, action_body(SOPHIE, "claim_lead", button["value"], channel="C0LEADS"), form=True)
            await rig.post(client, action_body("U0REPMARC1", "claim_lead", button["value"], channel="C0LEADS"),
                           form=True)
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    with transaction(rig.sessions) as session:
        assert session.get(LeadRow, "acheteur@prospect.example").claimed_by == "sophie.bernard@comptoir-distribution.fr"
    buyer, rep = rig.api.calls_to("chat.postEphemeral")
    assert buyer["user"] == CLAIRE and "commerciaux" in buyer["text"]
    assert rep["user"] == "U0REPMARC1" and "déjà pris par Sophie Bernard" in rep["text"]
    [update] = rig.api.calls_to("chat.update")
    assert "Sophie Bernard" in update["text"]


def test_order_on_behalf_by_slash_command_beyond_authority_is_refused(rig):
    async def scenario():
        client = await rig.client()
        try:
            body = urlencode({"command": "/comptoir", "text": "commande pour ACME : 20 PAP-A4-80, remise 25 %",
                              "user_id": SOPHIE, "channel_id": "C0SALES", "trigger_id": "trig-9",
                              "response_url": "http://127.0.0.1/unused", "team_id": "T1", "token": "x"})
            response = await rig.post(client, body, form=True)
            assert response.status == 200
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert rig.count(OrderRow, OrderRow.on_behalf_by.is_not(None)) == 0
    assert any("délégation" in m["text"] for m in rig.posted(SOPHIE))


def test_unknown_slack_users_are_told_who_to_ask(rig):
    async def scenario():
        client = await rig.client()
        try:
            await rig.post(client, event_body("U0NEWBIE1", "Bonjour, 10 ramettes A4 svp", event_id="EvNew",
                                              channel="D0NEW"))
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert "commercial" in rig.posted("D0NEW")[-1]["text"]


def test_rate_limited_posts_are_retried_from_the_outbox(rig):
    rig.api.rate_limit["chat.postMessage"] = 1

    async def scenario():
        client = await rig.client()
        try:
            await rig.post(client, event_body(CLAIRE, "Quel est notre encours ?", event_id="EvRate"))
            await rig.settle()  # first delivery: 429
        finally:
            await client.close()

    run(scenario())
    from assistant.tables import OutboxRow

    with transaction(rig.sessions) as session:
        row = session.scalars(select(OutboxRow)).one()
        assert (row.status, row.attempts, row.last_error) == ("pending", 1, "rate limited")
    rig.clock.advance(seconds=2)
    assert rig.dispatcher.run_once() == 1
    assert len(rig.posted("D0CLAIRE")) == 2  # the 429 attempt, then the delivery


def test_stock_alerts_go_to_the_purchasing_channel_once_per_crossing(rig):
    from assistant.messages import InboundMessage

    with transaction(rig.sessions) as session:
        row = session.get(StockRow, "SOU-SF")
        row.on_hand, row.reserved, row.alert_threshold, row.safety_stock, row.alert_level = 30, 0, 20, 5, 0
    for index, qty in enumerate((12, 2)):  # 18 left: below the alert threshold once, then still below
        rig.assistant.handle(InboundMessage("test", "claire.martin@acme-industries.fr", f"a{index}", f"t{index}",
                                            f"Merci de nous livrer {qty} souris sans fil", NOW))
        rig.assistant.stock_alerts()
    rig.dispatcher.run_once()
    alerts = [a for a in rig.posted("C0PURCHASE") if "(SOU-SF)" in a["text"]]
    assert len(alerts) == 1 and "Seuil d'alerte atteint : 18" in alerts[0]["text"]


def test_a_noun_with_its_exact_sku_is_one_turn_in_slack(rig):
    async def scenario():
        client = await rig.client()
        try:
            await rig.post(client, event_body(CLAIRE, "merci de nous livrer 6 classeurs CLA-LEV-80", event_id="Ev9"))
            await rig.settle()
            answer = rig.posted("D0CLAIRE")[-1]["text"]
            assert "CLA-LEV-80" in answer and "lequel" not in answer and "quantité" not in answer
        finally:
            await client.close()

    run(scenario())
    assert rig.count(OrderRow, OrderRow.placed_by == "claire.martin@acme-industries.fr") == 1


def test_reject_after_approve_opens_no_reason_window_and_shows_who_decided(rig):
    async def scenario():
        client = await rig.client()
        try:
            approval_id = await _pending_order(rig, client)
            await rig.post(client, action_body(PIERRE, "approve_order", str(approval_id)), form=True)
            await rig.settle()
            await rig.post(client, action_body(PIERRE, "reject_order", str(approval_id)), form=True)
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert rig.api.calls_to("views.open") == []
    assert rig.count(OrderRow, OrderRow.status == "confirmed", OrderRow.placed_by == "claire.martin@acme-industries.fr") == 1
    updates = rig.api.calls_to("chat.update")
    assert updates and all(u["text"].startswith("Validée par pierre.durand@acme-industries.fr") for u in updates)
    assert all("motif" not in u["text"] and not [b for b in u["blocks"] if b["type"] == "actions"] for u in updates)
    [told] = rig.api.calls_to("chat.postEphemeral")
    assert told["user"] == PIERRE and "already decided" in told["text"]


def test_a_reason_submitted_after_the_order_was_approved_elsewhere_changes_nothing(rig):
    async def scenario():
        client = await rig.client()
        try:
            approval_id = await _pending_order(rig, client)
            await rig.post(client, action_body(PIERRE, "reject_order", str(approval_id)), form=True)
            await rig.settle()
            [opened] = rig.api.calls_to("views.open")
            # meanwhile the director approves from the signed email link
            await asyncio.to_thread(rig.assistant.decide_approval, approval_id, approve=True,
                                    by="pierre.durand@acme-industries.fr", via="link")
            await rig.post(client, _reason_submission(opened["view"], PIERRE, "budget gelé"), form=True)
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert rig.count(OrderRow, OrderRow.status == "confirmed", OrderRow.placed_by == "claire.martin@acme-industries.fr") == 1
    [update] = rig.api.calls_to("chat.update")
    assert update["text"].startswith("Validée par") and "budget gelé" not in update["text"]
    assert not any("budget gelé" in m["text"] for m in rig.posted(CLAIRE))


def test_someone_else_clicking_reject_gets_no_reason_window(rig):
    async def scenario():
        client = await rig.client()
        try:
            approval_id = await _pending_order(rig, client)
            await rig.post(client, action_body(JULIEN, "reject_order", str(approval_id)), form=True)
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    assert rig.api.calls_to("views.open") == [] and rig.count(OrderRow, OrderRow.status == "pending_approval") == 1
    [ephemeral] = rig.api.calls_to("chat.postEphemeral")
    assert ephemeral["user"] == JULIEN and "valideur désigné" in ephemeral["text"]


def mention_body(user: str, text: str, *, event_id: str, channel: str = "C0ACHATS") -> str:
    event = {"type": "app_mention", "user": user, "text": f"<@U0BOT> {text}", "ts": "1700000002.000100",
             "channel": channel}
    return json.dumps({"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()), "event": event})


@pytest.mark.parametrize(("question", "answer"), [("Quel est notre encours ?", "€"),
                                                  ("Avez-vous 200 ramettes A4 en stock ?", "disponibles")])
def test_asked_in_a_shared_channel_the_answer_goes_to_the_person_only(rig, question, answer):
    async def scenario():
        client = await rig.client()
        try:
            response = await rig.post(client, mention_body(CLAIRE, question, event_id="EvPublic"))
            assert response.status == 200
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    [in_channel] = rig.posted("C0ACHATS")
    assert "message privé" in in_channel["text"] and in_channel["thread_ts"] == "1700000002.000100"
    assert "€" not in in_channel["text"] and "ACME" not in in_channel["text"].upper()
    [private] = rig.posted(CLAIRE)
    assert answer in private["text"]


def test_in_a_direct_message_the_answer_stays_in_the_conversation(rig):
    async def scenario():
        client = await rig.client()
        try:
            await rig.post(client, event_body(CLAIRE, "Quel est notre encours ?", event_id="EvDm"))
            await rig.settle()
        finally:
            await client.close()

    run(scenario())
    [answer] = rig.posted()
    assert answer["channel"] == "D0CLAIRE" and "privé" not in answer["text"]
