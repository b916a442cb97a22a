"""Headers we write cannot be broken by what a sender wrote (issue: replies that could never be delivered)."""

from __future__ import annotations

import email
from email import policy

import pytest

from assistant.dispatcher import DeliveryError
from assistant.messages import OutboundMessage
from channels.email import headers
from channels.email.outgoing import build_email

BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x00", "\u200e"]


def outbound(**overrides) -> OutboundMessage:
    fields = dict(id=1, channel="email", recipient="claire.martin@acme-industries.fr", thread_key="t", kind="help",
                  language="fr", subject="Re: Commande", text="Bonjour", html=None, payload={},
                  idempotency_key="k-1", message_id="<k-1@comptoir.example>")
    fields.update(overrides)
    return OutboundMessage(**fields)


def parsed(message: OutboundMessage) -> email.message.EmailMessage:
    data = build_email(message, sender="Comptoir <comptoir@comptoir.example>", domain="comptoir.example").as_bytes()
    return email.message_from_bytes(data, policy=policy.default)


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_a_subject_with_any_line_break_is_written_on_one_line(brk):
    mail = parsed(outbound(subject=f"Re: Commande{brk}Bcc: everyone@evil.example{brk}"))
    assert mail["Subject"] == "Re: Commande Bcc: everyone@evil.example"
    assert mail["Bcc"] is None and mail.get_all("To") == ["claire.martin@acme-industries.fr"]


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_threading_headers_keep_only_well_formed_ids(brk):
    mail = parsed(outbound(payload={"in_reply_to": f"<a1@buyer.example>{brk}X-Evil: 1",
                                    "references": f"<r0@buyer.example> junk{brk}<a1@buyer.example>{brk}"}))
    assert mail["In-Reply-To"] == "<a1@buyer.example>"
    assert mail["References"] == "<r0@buyer.example> <a1@buyer.example>"
    assert mail["X-Evil"] is None


def test_threading_without_a_valid_id_is_left_out_and_references_are_capped():
    assert parsed(outbound(payload={"in_reply_to": "not an id"}))["In-Reply-To"] is None
    many = " ".join(f"<m{i}@x.example>" for i in range(50))
    mail = parsed(outbound(payload={"in_reply_to": "<m49@x.example>", "references": many}))
    assert len(mail["References"].split()) == headers.MAX_IDS and "<m49@x.example>" in mail["References"]


def test_a_very_long_subject_is_cut_not_refused():
    assert len(parsed(outbound(subject="Re: " + "commande " * 5000))["Subject"]) <= headers.MAX_TEXT


def test_a_recipient_that_is_no_address_is_a_permanent_failure_not_a_retry_loop():
    with pytest.raises(DeliveryError) as error:
        build_email(outbound(recipient="claire\r\nBcc: x@evil.example"), sender="c@comptoir.example",
                    domain="comptoir.example")
    assert error.value.permanent
