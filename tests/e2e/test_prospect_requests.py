"""A prospect (no account) can write anything: every intent gets an answer, none crashes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.tables import InboundRow
from commerce.persistence.database import transaction

STRANGER = "achats@nouvelle-boite.fr"


@pytest.mark.parametrize(
    "text",
    [
        "Avez-vous 50 ramettes A4 en stock ?",
        "Avez-vous des tronçonneuses et 50 ramettes A4 en stock ?",  # one product we do not sell
        "Avez-vous des cartouches HP 305 en stock ?",  # an ambiguous one
        "Merci de nous livrer 50 ramettes A4",
        "Pouvez-vous nous faire un devis pour 3 écrans 27 pouces et 2 tronçonneuses ?",
        "Quel est notre encours ?",
        "Où en est le devis D-2026-0142 ?",
        "Bon pour accord sur le devis D-2026-0142",
        "Any news on my order C-2026-0042?",
        "Merci !",
    ],
)
def test_every_request_from_a_prospect_is_answered_or_deliberately_ignored(chat, sessions, text):
    reply = chat.say(STRANGER, text)
    with transaction(sessions) as session:
        statuses = session.scalars(select(InboundRow.status)).all()
    assert statuses and all(s in ("processed", "ignored") for s in statuses), statuses
    if text != "Merci !":
        assert reply.strip()


def test_a_prospect_asking_about_an_ambiguous_product_is_asked_which_then_answered(chat, sessions):
    question = chat.say(STRANGER, "Avez-vous des cartouches HP 305 en stock ?")
    assert "lequel" in question and "HP 305 noir" in question
    answer = chat.say(STRANGER, "la noire")
    assert "CART-HP305-BK" in answer and "commercial" in answer


def test_a_lead_alert_names_the_prospect_from_the_from_header_and_keeps_the_request(chat, sessions):
    from assistant.messages import InboundMessage

    message = InboundMessage(channel="email", sender="julie@nouvelle-boite.fr", external_id="lead-1",
                             thread_key="email:julie", received_at=chat.clock.now(), subject="Première commande",
                             text="Bonjour, merci de nous livrer 40 ramettes A4 80g. Julie",
                             headers={"sender-name": "Julie Moreau"})
    chat.assistant.handle(message)
    [alert] = [m for m in chat.mail_to("marc.lefebvre@comptoir-distribution.fr") if "prospect" in m.subject.lower()]
    assert "Julie Moreau (julie@nouvelle-boite.fr)" in alert.body_text
    assert "Première commande" in alert.body_text and "40 ramettes" in alert.body_text
