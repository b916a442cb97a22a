"""Slack user -> contact: by slack_user_id, else by the email users.info gives; cached."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from assistant.core import Assistant
from commerce.persistence import catalog_store
from commerce.persistence.database import transaction

log = logging.getLogger("comptoir.slack")


class SlackDirectory:
    def __init__(self, assistant: Assistant, client: AsyncWebClient) -> None:
        self.assistant = assistant
        self.client = client
        self._cache: dict[str, str | None] = {}

    async def email_of(self, user_id: str | None) -> str | None:
        if not user_id:
            return None
        if user_id in self._cache:
            return self._cache[user_id]
        email = await asyncio.to_thread(self._by_slack_id, user_id)
        if email is None:
            try:
                info = await self.client.users_info(user=user_id)
                profile_email = ((info.get("user") or {}).get("profile") or {}).get("email")
            except SlackApiError as error:
                data = error.response.data if isinstance(error.response.data, dict) else {}
                if data.get("error") != "user_not_found":
                    log.warning("users.info failed for %s: %s", user_id, data.get("error") or error)
                    return None  # not cached: Slack may answer next time
                profile_email = None
            if profile_email:
                email = await asyncio.to_thread(self._by_email, profile_email)
        self._cache[user_id] = email
        return email

    def _by_slack_id(self, user_id: str) -> str | None:
        with transaction(self.assistant.db.sessions) as session:
            contact = catalog_store.contact_by_slack_id(session, user_id)
            return contact.email if contact else None

    def _by_email(self, email: str) -> str | None:
        with transaction(self.assistant.db.sessions) as session:
            contact = catalog_store.get_contact(session, email)
            return contact.email if contact else None
