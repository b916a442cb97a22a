"""Slack: bolt's AsyncApp mounted in our aiohttp application at /slack/events.

Every listener acknowledges first and works after (Slack wants an answer within 3 s):
parsing and pricing run in a worker thread, never on the event loop. Events are stored
with their event_id as the dedupe key, so a Slack retry (X-Slack-Retry-Num) is a no-op
even while the first delivery is still being processed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from assistant.config import Settings
from assistant.core import Assistant
from assistant.messages import InboundMessage
from channels.slack.blocks import decided_blocks
from channels.slack.directory import SlackDirectory

log = logging.getLogger("comptoir.slack")

SLASH_HELP = {
    "fr": ("Commandes : `/comptoir stock SKU`, `/comptoir encours`, `/comptoir devis 3 écrans 27 pouces`, "
           "`/comptoir commande 10 cartouches HP 305 noir`, `/comptoir commande pour ACME : 20 PAP-A4-80, remise 5 %`."),
    "en": ("Commands: `/comptoir stock SKU`, `/comptoir encours`, `/comptoir devis 3 27-inch monitors`, "
           "`/comptoir commande 10 HP 305 black cartridges`."),
}
UNKNOWN_USER = {
    "fr": "Je ne vous connais pas encore : demandez à votre commercial de rattacher votre compte Slack à votre adresse.",
    "en": "I don't know you yet: please ask your sales rep to link your Slack account to your email address.",
}


class SlackChannel:
    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.settings = settings
        self.client = AsyncWebClient(token=settings.slack_bot_token,
                                     base_url=_api_base(settings.slack_api_url))
        self.directory = SlackDirectory(assistant, self.client)
        self.app = AsyncApp(signing_secret=settings.slack_signing_secret, client=self.client,
                            process_before_response=False)
        self._tasks: set[asyncio.Task] = set()
        self._register()

    # -- mounting ------------------------------------------------------------------------
    def mount(self, app: web.Application) -> None:
        app.router.add_post("/slack/events", self.handle_http)
        app.on_shutdown.append(self._drain)

    async def handle_http(self, request: web.Request) -> web.Response:
        # the signature first, on the raw bytes: an unsigned request is a 401 whatever its body
        body = await request.read()
        if not self._signed(body, request.headers):
            return web.Response(status=401, text="invalid signature")
        bolt_request = await to_bolt_request(request)
        bolt_response = await self.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    def _signed(self, body: bytes, headers) -> bool:
        secret = self.settings.slack_signing_secret
        timestamp, signature = headers.get("X-Slack-Request-Timestamp"), headers.get("X-Slack-Signature")
        if not (secret and timestamp and signature and timestamp.isdigit()):
            return False
        return SignatureVerifier(secret).is_valid(body=body, timestamp=timestamp, signature=signature)

    def spawn(self, coroutine) -> None:
        # Keep a reference: an unreferenced task can be collected before it finishes.
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, _app=None) -> None:
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=30)

    # -- listeners -----------------------------------------------------------------------
    def _register(self) -> None:
        app = self.app

        @app.event("message")
        async def on_message(event, body, ack):
            await ack()
            if event.get("bot_id") or event.get("subtype") not in (None, "file_share"):
                return  # our own messages, edits, joins: never answered
            if event.get("channel_type") != "im":
                return
            self.spawn(self._inbound(event, body))

        @app.event("app_mention")
        async def on_mention(event, body, ack):
            await ack()
            self.spawn(self._inbound(event, body))

        @app.command("/comptoir")
        async def on_command(command, ack, respond):
            text = (command.get("text") or "").strip()
            if not text or text.lower() in ("help", "aide", "?"):
                await ack(SLASH_HELP["fr"] + "\n" + SLASH_HELP["en"])
                return
            await ack()
            self.spawn(self._slash(command, text))

        @app.action("approve_order")
        async def on_approve(ack, body, action):
            await ack()
            self.spawn(self._decide(body, action, approve=True, reason=None))

        @app.action("reject_order")
        async def on_reject(ack, body, action, client):
            await ack()
            self.spawn(self._ask_reason(body, action, client))

        @app.view("reject_reason")
        async def on_reason(ack, body, view):
            await ack()
            reason = view["state"]["values"]["reason"]["reason"].get("value")
            meta = _meta(view.get("private_metadata"))
            fake_action = {"value": meta.get("approval_id")}
            body = {**body, "container": {"channel_id": meta.get("channel"), "message_ts": meta.get("ts")}}
            self.spawn(self._decide(body, fake_action, approve=False, reason=reason))

        @app.action("claim_lead")
        async def on_claim(ack, body, action):
            await ack()
            self.spawn(self._claim(body, action))

    # -- work after the ack --------------------------------------------------------------
    async def _inbound(self, event: dict, body: dict) -> None:
        user = event.get("user")
        email = await self.directory.email_of(user)
        channel = event.get("channel")
        if email is None:
            await self.client.chat_postMessage(channel=channel, text=UNKNOWN_USER["fr"] + "\n" + UNKNOWN_USER["en"],
                                               thread_ts=event.get("thread_ts") or event.get("ts"))
            return
        thread_ts = event.get("thread_ts") or event.get("ts")
        thread_key = f"slack:{channel}" if event.get("channel_type") == "im" else f"slack:{channel}:{thread_ts}"
        text = _strip_mention(event.get("text") or "")
        message = InboundMessage(
            channel="slack", sender=user, sender_email=email,
            external_id=body.get("event_id") or f"{channel}:{event.get('ts')}",
            thread_key=thread_key, text=text, received_at=datetime.now(UTC),
            headers={"slack-channel": channel, "slack-thread-ts": thread_ts, "slack-user": user,
                     # a mention in a channel others read (an IM or a DM channel is private)
                     "slack-public": event.get("channel_type") != "im" and not str(channel).startswith("D")},
        )
        await asyncio.to_thread(self.assistant.handle, message)

    async def _slash(self, command: dict, text: str) -> None:
        user = command.get("user_id")
        email = await self.directory.email_of(user)
        if email is None:
            await self.client.chat_postEphemeral(channel=command.get("channel_id"), user=user,
                                                 text=UNKNOWN_USER["fr"])
            return
        words = text.split(maxsplit=1)
        verb, rest = words[0].lower(), (words[1] if len(words) > 1 else "")
        phrase = {
            "stock": f"Avez-vous {rest} en stock ?",
            "encours": "Quel est notre encours ?",
            "devis": f"Merci de me faire un devis pour {rest}",
            "commande": f"Commande {rest}",
        }.get(verb, text)
        message = InboundMessage(
            channel="slack", sender=user, sender_email=email,
            external_id=f"slash:{command.get('trigger_id') or command.get('command_ts') or text}",
            thread_key=f"slack:{user}", text=phrase, received_at=datetime.now(UTC),
            headers={"slack-channel": user},
        )
        await asyncio.to_thread(self.assistant.handle, message)

    async def _ask_reason(self, body: dict, action: dict, client) -> None:
        # the reason window opens only on what this person may still decide
        if await self._still_open(body, action):
            await client.views_open(trigger_id=body["trigger_id"], view=_reason_modal(action.get("value"), body))

    async def _still_open(self, body: dict, action: dict) -> bool:
        user = body.get("user", {}).get("id")
        channel = (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id")
        try:
            approval_id = int(action.get("value"))
        except (TypeError, ValueError):
            return False
        email = await self.directory.email_of(user)
        if email is None:
            await self.client.chat_postEphemeral(channel=channel, user=user, text=UNKNOWN_USER["fr"])
            return False
        outcome = await asyncio.to_thread(self.assistant.approval_state, approval_id, by=email, via="slack")
        if outcome.outcome == "pending":
            return True
        await self._show(body, channel, user, outcome)
        return False

    async def _show(self, body: dict, channel: str | None, user: str | None, outcome) -> None:
        """A refusal to the clicker alone, or the decided state on the message, with no buttons left."""
        if outcome.outcome == "not_allowed":
            await self.client.chat_postEphemeral(
                channel=channel, user=user,
                text=f"Seul le valideur désigné peut décider de la commande {outcome.order_number}. "
                     f"/ Only the designated approver can decide on order {outcome.order_number}.")
            return
        message = (body.get("message") or {})
        ts = (body.get("container") or {}).get("message_ts") or message.get("ts")
        if outcome.outcome not in ("approved", "rejected", "already_decided") or not (channel and ts):
            return
        verb = {"approved": "Validée", "rejected": "Refusée", "expired": "Expirée"}.get(outcome.status or "",
                                                                                        outcome.status)
        when = outcome.decided_at.strftime("%d/%m/%Y %H:%M UTC") if outcome.decided_at else ""
        note = f"{verb} par {outcome.decided_by} le {when}" + (f" — motif : {outcome.reason}" if outcome.reason else "")
        await self.client.chat_update(channel=channel, ts=ts, text=note,
                                      blocks=decided_blocks(message.get("blocks") or [], note))
        if outcome.outcome == "already_decided":
            await self.client.chat_postEphemeral(channel=channel, user=user,
                                                 text=f"Déjà décidé / already decided: {note}")

    async def _decide(self, body: dict, action: dict, *, approve: bool, reason: str | None) -> None:
        user = body.get("user", {}).get("id")
        email = await self.directory.email_of(user)
        channel = (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id")
        try:
            approval_id = int(action.get("value"))
        except (TypeError, ValueError):
            return
        if email is None:
            await self.client.chat_postEphemeral(channel=channel, user=user, text=UNKNOWN_USER["fr"])
            return
        outcome = await asyncio.to_thread(self.assistant.decide_approval, approval_id, approve=approve, by=email,
                                          via="slack", reason=reason)
        await self._show(body, channel, user, outcome)

    async def _claim(self, body: dict, action: dict) -> None:
        user = body.get("user", {}).get("id")
        email = await self.directory.email_of(user)
        channel = (body.get("container") or {}).get("channel_id")
        ts = (body.get("container") or {}).get("message_ts")
        lead = action.get("value") or ""
        outcome = await asyncio.to_thread(self.assistant.claim_lead, lead, by=email or user)
        refusal = {
            "refused": "Seuls les commerciaux peuvent prendre un prospect en charge.",
            "unknown": "Ce prospect n'existe plus.",
            "taken": f"Ce prospect est déjà pris par {outcome.holder_name}.",
        }.get(outcome.status)
        if refusal:
            await self.client.chat_postEphemeral(channel=channel, user=user, text=refusal)
            return
        note = f"Pris en charge par {outcome.holder_name}"
        await self.client.chat_update(channel=channel, ts=ts, text=note,
                                      blocks=decided_blocks((body.get("message") or {}).get("blocks") or [], note))


def _api_base(url: str | None) -> str:
    if not url:
        return "https://slack.com/api/"
    return url if url.endswith("/") else url + "/"


def _strip_mention(text: str) -> str:
    import re

    return re.sub(r"<@[A-Z0-9]+>\s*", "", text).strip()


def _reason_modal(approval_id: Any, body: dict) -> dict:
    import json

    container = body.get("container") or {}
    meta = json.dumps({"approval_id": approval_id, "channel": container.get("channel_id"),
                       "ts": container.get("message_ts")})
    return {
        "type": "modal", "callback_id": "reject_reason", "private_metadata": meta,
        "title": {"type": "plain_text", "text": "Refus / Rejection"},
        "submit": {"type": "plain_text", "text": "Refuser / Reject"},
        "blocks": [{
            "type": "input", "block_id": "reason",
            "label": {"type": "plain_text", "text": "Motif / Reason"},
            "element": {"type": "plain_text_input", "action_id": "reason", "multiline": True},
        }],
    }


def _meta(text: str | None) -> dict:
    import json

    try:
        return json.loads(text or "{}")
    except ValueError:
        return {}
