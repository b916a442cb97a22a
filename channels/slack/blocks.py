"""Outbox rows rendered for Slack: mrkdwn text, and Block Kit with buttons when needed."""

from __future__ import annotations

from typing import Any

from assistant.messages import OutboundMessage

LABELS = {
    "fr": {"approve": "Valider", "reject": "Refuser", "claim": "Je prends ce prospect"},
    "en": {"approve": "Approve", "reject": "Reject", "claim": "I'll take this lead"},
}
ACTION_IDS = {"approve": "approve_order", "reject": "reject_order", "claim": "claim_lead"}


def to_mrkdwn(text: str) -> str:
    # Slack treats &, < and > as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def blocks_for(message: OutboundMessage) -> list[dict[str, Any]]:
    text = to_mrkdwn(message.text)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{to_mrkdwn(message.subject)}*"}}
    ]
    # Slack caps a section at 3,000 characters: long documents are split.
    for start in range(0, len(text), 2900):
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[start : start + 2900]}})
    labels = LABELS.get(message.language, LABELS["en"])
    buttons = []
    for action in message.payload.get("actions", []):
        kind = action.get("kind")
        if kind not in ACTION_IDS:
            continue
        button = {"type": "button", "action_id": ACTION_IDS[kind], "value": str(action.get("value") or ""),
                  "text": {"type": "plain_text", "text": labels[kind]}}
        if kind == "approve":
            button["style"] = "primary"
        elif kind == "reject":
            button["style"] = "danger"
        buttons.append(button)
    if buttons:
        blocks.append({"type": "actions", "block_id": f"outbox-{message.id}", "elements": buttons})
    return blocks


def decided_blocks(original: list[dict], note: str) -> list[dict]:
    """The original message without its buttons, plus who decided and when."""
    kept = [b for b in original if b.get("type") != "actions"]
    return [*kept, {"type": "context", "elements": [{"type": "mrkdwn", "text": to_mrkdwn(note)}]}]
