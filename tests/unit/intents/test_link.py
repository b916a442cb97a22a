"""Stage 3, linking: mentions to products, from the catalog's own structure (trade catalog)."""

from __future__ import annotations

import pytest

from intents.index import CatalogIndex
from tests.unit.intents.conftest import TRADE, lines


@pytest.mark.parametrize(
    "text",
    [
        "Merci de nous livrer 6 plaquettes de frein PLQ-208-AV",  # noun + exact SKU: one mention
        "merci de livrer 6 plaquettes plq 208 av",  # any case, spaced
        "Merci de livrer 6 plaquettes de frein 208-AV",  # a unique trailing part of the SKU
        "PLQ-208-AV | Plaquettes de frein avant Clio IV | 6",  # a table row
    ],
)
def test_a_sku_wins_and_absorbs_the_noun_phrase_around_it(trade, text):
    intent = trade.parse(text)
    assert lines(intent) == [("PLQ-208-AV", 6)]
    assert not intent.clarify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Merci de livrer 2 palettes de BA13 2m50", [("BA13-250", 80)]),
        ("Il me faut 3 boîtes de vis 3,5x25", [("VIS-3525", 3)]),
        ("Pouvez-vous livrer 4 pneus 205/55 R16 ?", [("PNE-2055516", 4)]),
        ("Commande : 3 bidons de 5W30", [("HUI-5W30-5L", 3)]),
        ("Merci de livrer 5 boîtes d'aiguilles 23G", [("AIG-23G", 5)]),
        ("10 sacs d'engrais 15-15-15 svp", [("ENG-151515", 10)]),
        ("Il nous faut 2 batteries 60 Ah", [("BAT-60AH", 2)]),
        ("3 boîtes de gants nitrile taille L", [("GANT-NIT-L", 3)]),
        ("Commande de 4 tubes Ø300", [("TUB-300", 4)]),
    ],
)
def test_numbers_of_the_product_tell_its_variant_and_are_not_quantities(trade, text, expected):
    intent = trade.parse(text)
    assert lines(intent) == expected
    assert not intent.clarify


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("Merci de livrer 2 batteries", {"BAT-60AH", "BAT-95AH"}),
        ("Il nous faut 10 sacs d'engrais NPK", {"ENG-151515", "ENG-201010"}),
        ("Commande : 4 pneus été", {"PNE-2055516", "PNE-1956515"}),
    ],
)
def test_a_mention_is_certain_only_when_one_product_clearly_beats_the_others(trade, text, candidates):
    intent = trade.parse(text)
    [line] = intent.lines
    assert line.sku is None and set(line.candidates) == candidates
    assert intent.clarify and intent.questions


def test_a_neighbouring_word_that_matches_another_product_weakly_is_no_question(trade):
    # "plâtre" and "plaque" also name the screws; the line is still clear (over-asking, family 11)
    intent = trade.parse("Merci de livrer 2 palettes de plaques de plâtre BA13 3 m pour le chantier")
    assert lines(intent) == [("BA13-300", 80)] and not intent.clarify


def test_a_thing_we_do_not_sell_in_a_list_is_asked_about_not_dropped(trade):
    intent = trade.parse("Commande :\n- 2 batteries 60 Ah\n- 3 tronçonneuses thermiques")
    assert lines(intent)[0] == ("BAT-60AH", 2)
    assert intent.lines[1].sku is None and intent.clarify


def test_the_index_reads_attributes_from_names_and_aliases():
    index = CatalogIndex(TRADE)
    product = index.products["CAR-3060"]
    assert product.content["area"] == pytest.approx(1.44)
    assert index.products["SER-5ML"].per_unit == 100
    assert "c:ba13" in index.products["BA13-250"].lead
    assert index.by_code["plq208av"] == "PLQ-208-AV"


def test_a_bracket_that_says_which_one_resolves_the_mention_before_it(trade):
    intent = trade.parse("Merci de chiffrer 3 disques diamant (les 230)")
    assert lines(intent) == [("DIS-230", 3)] and not intent.clarify


def test_variants_said_one_after_the_other_each_read_against_the_one_before(trade):
    intent = trade.parse("on est à sec de batteries, mets-en 2 en 60 Ah et 1 en 95 Ah stp")
    assert lines(intent) == [("BAT-60AH", 2), ("BAT-95AH", 1)] and not intent.clarify
