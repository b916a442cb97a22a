"""What the dialogue keeps of a parsed request, before it asks or acts."""

from __future__ import annotations

from assistant.routing import _lines_state
from intents import Intent, IntentKind, IntentLine


def test_an_order_the_parser_is_unsure_of_goes_through_the_confirmation():
    unsure = Intent(IntentKind.PLACE_ORDER, (IntentLine("SOU-SF", 3, "3 souris"),), clarify=True, confirm=True)
    assert [(ln["sku"], ln["qty"], ln["approximate"]) for ln in _lines_state(unsure)] == [("SOU-SF", 3, True)]
    sure = Intent(IntentKind.PLACE_ORDER, (IntentLine("SOU-SF", 3, "3 souris"),))
    assert not _lines_state(sure)[0]["approximate"]


def test_an_approximate_figure_is_proposed_as_said():
    intent = Intent(IntentKind.PLACE_ORDER, (IntentLine("CLA-LEV-80", None, "une trentaine de classeurs",
                                                        issue="approximate", said=30),), clarify=True)
    [line] = _lines_state(intent)
    assert (line["qty"], line["approximate"], line["issue"]) == (30, True, None)


def test_an_answer_picks_among_the_products_asked_about():
    from assistant.routing import chosen
    from intents import CatalogEntry

    medium = CatalogEntry("GANT-NIT-M", "Gants nitrile taille M", "epi", "boîte", 10)
    large = CatalogEntry("GANT-NIT-L", "Gants nitrile taille L", "epi", "boîte", 10)
    assert chosen("taille L", [medium, large]) == "GANT-NIT-L"
    assert chosen("oui", [medium, large]) is None  # a yes to two products picks neither
    # "do you mean X?": a yes takes it, a no does not
    assert chosen("Oui, c'est ça", [large]) == "GANT-NIT-L"
    assert chosen("yes please", [large]) == "GANT-NIT-L"
    assert chosen("non", [large]) is None


def test_a_single_product_proposed_is_asked_as_a_yes_or_no():
    from intents import CatalogEntry, Parser

    parser = Parser([CatalogEntry("SPEC-OVER", "Surlunettes de sécurité incolores", "epi", "pièce", 10),
                     CatalogEntry("VEST-C2", "Gilet haute visibilité classe 2 orange", "epi", "pièce", 10),
                     CatalogEntry("CONE-50", "Cône de signalisation 50 cm", "site", "pièce", 20)])
    intent = parser.parse("Merci de livrer 40 surlunettes")
    [line] = intent.lines
    assert line.sku is None and line.candidates == ("SPEC-OVER",)
    assert "s'agit-il de « Surlunettes de sécurité incolores » (SPEC-OVER) ?" in intent.questions[0]
