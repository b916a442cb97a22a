"""Posting outbox rows to Slack (Web API), with rate limits turned into retries."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.dispatcher import DeliveryError
from assistant.messages import OutboundMessage
from channels.slack.blocks import blocks_for

PERMANENT = {"channel_not_found", "not_in_channel", "is_archived", "user_not_found", "invalid_auth",
             "account_inactive", "msg_too_long", "no_text", "invalid_blocks"}


class SlackPoster:
    def __init__(self, token: str, base_url: str) -> None:
        self.client = WebClient(token=token, base_url=base_url)

    def __call__(self, message: OutboundMessage) -> None:
        try:
            self.client.chat_postMessage(
                channel=message.recipient,
                text=f"{message.subject}\n{message.text}",
                blocks=blocks_for(message),
                thread_ts=message.payload.get("thread_ts"),
            )
        except SlackApiError as error:
            response = error.response
            if response.status_code == 429:
                retry_after = float(response.headers.get("Retry-After", 30))
                raise DeliveryError("rate limited", retry_after=retry_after) from error
            code = response.get("error") if hasattr(response, "get") else str(response)
            raise DeliveryError(f"slack error: {code}", permanent=code in PERMANENT) from error
        except OSError as error:
            raise DeliveryError(f"slack unreachable: {error}") from error
