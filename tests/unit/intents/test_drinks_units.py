"""Sale units that tell products apart (a keg is not a bottle), cartons named by the catalog
("casier de 24"), bottles counted in packs: a drinks catalog of our own invention."""

from __future__ import annotations

import pytest

from intents import CatalogEntry, Parser
from tests.unit.intents.conftest import lines

DRINKS = [
    CatalogEntry("BTL-AMB-33", "Bière ambrée Brasserie du Port, bouteille 33 cl", "bières", "bouteille", 24,
                 ("ambrée", "ambrée 33", "amber ale bottle")),
    CatalogEntry("KEG-AMB-20", "Fût bière ambrée Brasserie du Port 20 L", "fûts", "fût", 1,
                 ("fût d'ambrée", "amber keg", "ambrée pression")),
    CatalogEntry("KEG-BLO-30", "Fût bière blonde Brasserie du Port 30 L", "fûts", "fût", 1,
                 ("fût de blonde", "blonde keg")),
    CatalogEntry("BTL-BLO-33", "Bière blonde Brasserie du Port, bouteille 33 cl", "bières", "bouteille", 24,
                 ("blonde", "blonde 33", "blonde ale bottle")),
    CatalogEntry("LIM-33C", "Limonade artisanale, canette 33 cl (pack de 24)", "softs", "canette", 24,
                 ("limonade", "lemonade can")),
    CatalogEntry("JUS-POM-25", "Jus de pomme, bouteille verre 25 cl (casier de 24)", "softs", "bouteille", 24,
                 ("jus de pomme 25", "apple juice 25cl")),
    CatalogEntry("EAU-PET-150", "Eau de source 1,5 L PET, pack de 6", "eaux", "pack", 1,
                 ("eau de source 1,5 L", "spring water 1.5L")),
]


@pytest.fixture(scope="module")
def drinks():
    return Parser(DRINKS)


@pytest.mark.parametrize(("text", "expected"), [
    ("Salut, tu peux nous mettre 2 fûts d'ambrée pour jeudi ?", [("KEG-AMB-20", 2)]),
    ("Pouvez-vous livrer 4 fûts d'ambrée et 1 fût de blonde ?", [("KEG-AMB-20", 4), ("KEG-BLO-30", 1)]),
    ("Merci de livrer 2 cartons d'ambrée", [("BTL-AMB-33", 48)]),
    ("can we get 3 amber kegs and 2 crates of amber ale bottles?", [("BTL-AMB-33", 48), ("KEG-AMB-20", 3)]),
])
def test_the_count_word_says_which_product_is_sold_that_way(drinks, text, expected):
    intent = drinks.parse(text)
    assert sorted(lines(intent)) == sorted(expected) and not intent.clarify


@pytest.mark.parametrize(("text", "expected"), [
    ("Pouvez-vous ajouter 2 casiers de jus de pomme 25 cl ?", [("JUS-POM-25", 48)]),  # the catalog's own carton
    ("Hello ! 5 packs de limonade stp", [("LIM-33C", 120)]),  # "pack de 24" of a can
    ("Merci de livrer 120 bouteilles d'eau de source 1,5 L", [("EAU-PET-150", 20)]),  # bottles of a 6-pack
])
def test_cartons_and_packs_as_the_catalog_names_them(drinks, text, expected):
    intent = drinks.parse(text)
    assert lines(intent) == expected and not intent.clarify


@pytest.mark.parametrize("text", [
    "Merci de livrer 4 fûts d'ambrée et 2 de blonde",
    "can you ship 4 amber kegs and 2 of blonde next week?",
])
def test_an_elided_count_word_names_the_product_sold_that_way(drinks, text):
    assert sorted(lines(drinks.parse(text))) == [("KEG-AMB-20", 4), ("KEG-BLO-30", 2)]


def test_a_count_in_brackets_that_contradicts_the_cartons_is_asked(drinks):
    intent = drinks.parse("Please send 1 carton of blonde 33 and 2 cartons of ambrée 33 (40 bottles) to the bar")
    # the bracket says the ambrée again (48 bottles, or 40?); the blonde's carton is 24 bottles
    assert intent.clarify and [(line.sku, line.qty) for line in intent.lines] == [("BTL-BLO-33", 24),
                                                                                  ("BTL-AMB-33", None)]
    assert lines(drinks.parse("Merci de livrer 2 cartons d'ambrée (48 bouteilles)")) == [("BTL-AMB-33", 48)]


@pytest.mark.parametrize(("text", "qty"), [("Merci de livrer septante bouteilles d'ambrée", 70),
                                           ("nonante-six bouteilles d'ambrée svp", 96)])
def test_belgian_and_swiss_number_words(drinks, text, qty):
    assert lines(drinks.parse(text)) == [("BTL-AMB-33", qty)]
