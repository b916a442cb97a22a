"""Families met on laboratory-style catalogs: single items counted in sale units, codes said
again in brackets, tight negations, half cartons, sizes that look like litres, "2 each"."""

from __future__ import annotations

import pytest

from intents import CatalogEntry, Parser
from tests.unit.intents.conftest import lines

BENCH = [
    CatalogEntry("CUV-15-S50", "Cuvettes de mesure 1,5 ml PS, sachet de 50", "consommables", "sachet", 10,
                 ("cuvettes 1,5 ml", "1.5 ml cuvettes")),
    CatalogEntry("CUV-30-S50", "Cuvettes de mesure 3 ml PS, sachet de 50", "consommables", "sachet", 10,
                 ("cuvettes 3 ml", "3 ml cuvettes")),
    CatalogEntry("ANS-5-S100", "Anses d'ensemencement 5 µl stériles, sachet de 100", "microbiologie", "sachet", 4,
                 ("anses 5 µl", "5 µl loops")),
    CatalogEntry("CON-5-R48", "Cônes 5 ml non filtrés, rack de 48", "cônes", "rack", 6,
                 ("cônes 5 ml non filtrés", "5 ml tips racked")),
    CatalogEntry("CON-5-F-R48", "Cônes 5 ml filtrés, rack de 48", "cônes", "rack", 6,
                 ("cônes 5 ml filtrés", "5 ml filter tips")),
    CatalogEntry("SUR-VIN-M", "Surchaussures vinyle taille M, sachet de 100", "protection", "sachet", 10,
                 ("surchaussures M", "overshoes M")),
    CatalogEntry("SUR-VIN-L", "Surchaussures vinyle taille L, sachet de 100", "protection", "sachet", 10,
                 ("surchaussures L", "overshoes L")),
    CatalogEntry("ACE-1L", "Acétone technique, flacon 1 L", "solvants", "flacon", 5, ("acétone 1 L", "acetone 1 L")),
    CatalogEntry("CAS-COT-S", "Casaque coton taille S", "textile", "pièce", 1, ("casaque S", "cotton gown S")),
    CatalogEntry("CAS-COT-M", "Casaque coton taille M", "textile", "pièce", 1, ("casaque M", "cotton gown M")),
    CatalogEntry("CAS-COT-L", "Casaque coton taille L", "textile", "pièce", 1, ("casaque L", "cotton gown L")),
    CatalogEntry("LAM-18-100", "Lamelles 18 x 18 mm, boîte de 100", "microscopie", "boîte", 10,
                 ("lamelles 18 x 18", "coverslips 18 x 18 mm")),
]


@pytest.fixture(scope="module")
def bench():
    return Parser(BENCH)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a round thousand is a count, not a year
        ("Please order:\n- 2000 1.5 ml cuvettes\n- 4 bags of 5 µl loops", [("CUV-15-S50", 40), ("ANS-5-S100", 4)]),
        # "N x" single items, the code said again in brackets: one line, in sale units
        ("Order please:\n- 1,000 x 3 ml cuvettes (CUV-30-S50)\n- 200 x 5 µl loops (ANS-5-S100)",
         [("CUV-30-S50", 20), ("ANS-5-S100", 2)]),
        ("quote pls: cuvettes 3ml x 500", [("CUV-30-S50", 10)]),
        # a small count after "x" is a count of what we sell
        ("Merci de livrer cuvettes 3 ml x 4", [("CUV-30-S50", 4)]),
        ("Need 2 more cases of 5 ml filter tips asap", [("CON-5-F-R48", 12)]),
        ("2 boîtes de lamelles 18 x 18", [("LAM-18-100", 2)]),
    ],
)
def test_counts_in_sale_units(bench, text, expected):
    intent = bench.parse(text)
    assert lines(intent) == expected and not intent.clarify


@pytest.mark.parametrize("text", ["could I get 2 racks of 5 ml tips (unfiltered)?",
                                  "Please send 2 racks of 5 ml tips (non-filtered)",
                                  "Merci de livrer 2 racks de cônes 5 ml non filtrés"])
def test_a_tight_negation_speaks_against_the_product_that_has_the_word(bench, text):
    intent = bench.parse(text)
    assert lines(intent) == [("CON-5-R48", 2)] and not intent.clarify


def test_half_a_carton(bench):
    intent = bench.parse("Merci de livrer 3 cartons et demi de cônes 5 ml filtrés")
    assert lines(intent) == [("CON-5-F-R48", 21)] and not intent.clarify  # 3.5 x 6
    intent = bench.parse("Please deliver 2 cases and a half of 3 ml cuvettes")
    assert lines(intent) == [("CUV-30-S50", 25)] and not intent.clarify


def test_half_a_carton_that_does_not_make_whole_units_is_asked(bench):
    intent = bench.parse("Merci de livrer 1 carton et demi d'acétone 1 L")  # 7.5 bottles
    assert lines(intent) == [("ACE-1L", None)] and intent.clarify
    assert "combien de flacons" in intent.questions[0]


def test_a_size_letter_among_sizes_is_no_litre(bench):
    intent = bench.parse("can you send us 4 bags of vinyl overshoes M and 4 L, plus 2 bottles of acetone 1 L?")
    assert sorted(lines(intent)) == [("ACE-1L", 2), ("SUR-VIN-L", 4), ("SUR-VIN-M", 4)]


@pytest.mark.parametrize("text", [
    "new starters on Monday, they need cotton gowns: 2 each in S, M and L. Same address.",
    "Could you quote 6 cotton gowns (2 S, 2 M, 2 L)?",
])
def test_one_count_for_each_size(bench, text):
    assert sorted(lines(bench.parse(text))) == [("CAS-COT-L", 2), ("CAS-COT-M", 2), ("CAS-COT-S", 2)]
