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
