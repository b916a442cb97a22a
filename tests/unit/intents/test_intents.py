"""Stages 5 and 6, classify and decide: what the buyer wants, with the shipped model (trade catalog)."""

from __future__ import annotations

import pytest

from intents import IntentKind
from tests.unit.intents.conftest import lines


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # follow-ups, complaints and cancellations that name a product are not orders
        ("Les pneus 205/55 R16 commandés mardi sont-ils partis ?", "order_status"),
        ("Il manque un carton de vis 3,5x25 dans la livraison d'hier.", "order_status"),
        ("Finalement plus besoin des 2 batteries 60 Ah, merci.", "none"),
        # newsletters, promotions and meeting requests full of products and figures
        ("PROMO DU MOIS : -20 % sur les batteries 60 Ah et 95 Ah, 5W30 à 29 € le bidon ! "
         "Pour vous désinscrire cliquez ici.", "none"),
        ("Bonjour, seriez-vous disponible mardi pour un rendez-vous ? Nous voudrions vous présenter "
         "nos 3 gammes de batteries.", "none"),
        # price requests with quantities
        ("Quel serait votre prix pour 30 sacs de ciment gris ?", "request_quote"),
        ("Could you price 12 boxes of 23G needles?", "request_quote"),
        # acceptances without the word
        ("Go ahead as quoted, thanks.", "accept_quote"),
        ("C'est bon pour nous, vous pouvez lancer.", "accept_quote"),
        # account questions as statements, invoices or debt
        ("Pouvez-vous m'envoyer un relevé de compte ?", "check_encours"),
        ("Are any of our invoices overdue?", "check_encours"),
        # chasing our offer is not asking for a new one
        ("Quand aurons-nous votre offre pour les pneus ?", "quote_status"),
    ],
)
def test_what_the_buyer_wants(trade, text, kind):
    intent = trade.parse(text)
    assert intent.kind.value == kind
    if kind not in ("request_quote",):
        assert intent.lines == () or kind == "check_stock"


def test_a_secondary_request_does_not_take_over_the_main_one(trade):
    intent = trade.parse("Merci de livrer 10 bidons de 5W30. Au fait, où en est notre solde ?")
    assert (intent.kind, intent.secondary) == (IntentKind.PLACE_ORDER, IntentKind.CHECK_ENCOURS)
    assert lines(intent) == [("HUI-5W30-5L", 10)]


def test_an_acceptance_that_does_not_say_which_quote_asks_which(trade):
    intent = trade.parse("Go ahead as quoted, thanks.")
    assert intent.clarify and intent.ref is None and "quote" in intent.questions[0].lower()
    named = trade.parse("Bon pour commande.\n\nLe 1 déc. 2026, Comptoir a écrit :\n> Voici le devis D-2026-0042.")
    assert named.kind is IntentKind.ACCEPT_QUOTE and named.ref == "D-2026-0042" and not named.clarify


def test_a_quote_named_by_its_partial_number(trade):
    intent = trade.parse("Bonjour, où en est notre devis 0042 ?")
    assert intent.kind is IntentKind.QUOTE_STATUS


def test_a_price_question_is_never_an_order_and_asks_nothing_when_clear(trade):
    intent = trade.parse("Quel serait votre prix pour 30 sacs de ciment gris ?")
    assert lines(intent) == [("CIM-35", 30)] and not intent.clarify


def test_a_stock_question_needs_no_quantity(trade):
    intent = trade.parse("Avez-vous des batteries 60 Ah disponibles ?")
    assert intent.kind is IntentKind.CHECK_STOCK and lines(intent) == [("BAT-60AH", None)]
    assert not intent.clarify


def test_an_approval_above_a_forwarded_list_orders_the_list(trade):
    text = ("Approved – please process.\n\n---------- Forwarded message ---------\n"
            "From: Marc Petit <marc@garage-petit.fr>\nDate: Tue, 17 Nov 2026 at 08:55\nSubject: besoin atelier\n\n"
            "Peux-tu valider :\n- 2 batteries 60 Ah\n- 4 bidons de 5W30")
    intent = trade.parse(text)
    assert intent.kind is IntentKind.PLACE_ORDER
    assert lines(intent) == [("BAT-60AH", 2), ("HUI-5W30-5L", 4)] and not intent.clarify


def test_an_order_the_model_hesitates_on_is_confirmed_before_it_is_placed():
    from intents.classify import train
    from intents.pipeline import ORDER_MARGIN, Parser
    from tests.unit.intents.conftest import TRADE

    # a model that has barely seen anything: its two likeliest intents are close
    barely = Parser(TRADE, intent_model=None)
    examples = [(barely.analyse("Merci de livrer 2 batteries 60 Ah").abstract, "place_order"),
                (barely.analyse("Quel prix pour 2 batteries 60 Ah ?").abstract, "request_quote")]
    parser = Parser(TRADE, intent_model=train(examples, seed=1, epochs=1))
    text = "Merci de livrer 2 batteries 60 Ah"
    probabilities = sorted(parser.model.probabilities(parser.analyse(text).abstract).values(), reverse=True)
    intent = parser.parse(text)
    assert intent.kind is IntentKind.PLACE_ORDER and probabilities[0] - probabilities[1] < ORDER_MARGIN
    assert intent.confirm and intent.clarify and "confirm" in intent.questions[-1]
    assert lines(intent) == [("BAT-60AH", 2)]  # the lines are kept, to be confirmed
    sure = Parser(TRADE).parse(text)  # the shipped model is sure of it
    assert not sure.confirm and not sure.clarify


def test_reading_new_words_does_not_grow_the_model_vocabulary(trade):
    model = trade.model
    before = len(model.nlp.vocab.strings)
    for n in range(50):
        trade.parse(f"Merci de livrer 2 batteries 60 Ah au chantier Zorglub{n} de Trifouillis{n}")
    assert len(model.nlp.vocab.strings) == before


def test_a_disclaimer_about_mail_received_in_error_is_no_newsletter(parser):
    text = ("Bonjour,\n\npouvez-vous nous adresser une offre de prix pour 20 ramettes de papier A4 80g ?\n\n"
            "Cordialement,\nNadia\n\n--\nCe message est confidentiel. Si vous recevez ce message par erreur, "
            "merci de le détruire.")
    assert parser.parse(text).kind is IntentKind.REQUEST_QUOTE
    newsletter = ("Nos promotions de novembre : 20 ramettes de papier A4 80g à 3 €.\n"
                  "Vous recevez ce message car vous êtes inscrit à notre lettre d'information.")
    assert parser.parse(newsletter).kind is IntentKind.NONE


def test_an_order_from_someone_without_an_account_asks_for_the_account_first(parser):
    text = "Bonjour, nous souhaitons commander 10 ramettes de papier A4 80g."
    known = parser.parse(text, sender_known=True)
    assert known.kind is IntentKind.PLACE_ORDER and not known.clarify
    prospect = parser.parse(text, sender_known=False)
    assert prospect.kind is IntentKind.PLACE_ORDER and prospect.clarify and prospect.lines == known.lines
    assert any("compte" in q for q in prospect.questions)
    assert not parser.parse(text).clarify  # no contact list: nothing is assumed


@pytest.mark.parametrize(("text", "kind"), [
    ("We will need 40 batteries 60 Ah and 200 boxes of nitrile gloves L in March. This is not an order.", "none"),
    ("Please plan 10 batteries 60 Ah for next month. Not an order yet, just for your planning.", "none"),
    ("Pour info, il nous faudra 30 sacs de ciment gris en janvier. Ce n'est pas une commande.", "none"),
    ("Could you hold 10 batteries 60 Ah for us? Don't ship anything yet.", "check_stock"),
])
def test_a_message_that_says_it_is_no_order_places_none(trade, text, kind):
    intent = trade.parse(text)
    assert intent.kind.value == kind
