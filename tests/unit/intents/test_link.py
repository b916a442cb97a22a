"""Stage 3, linking: mentions to products, from the catalog's own structure (trade catalog)."""

from __future__ import annotations

import pytest

from intents import CatalogEntry, Parser
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


PADS = [
    CatalogEntry("PAD-F", "Plaquettes de frein avant Peugeot 208", "freinage", "jeu", 1,
                 ("jeu plaquettes 208 avant", "front pads 208")),
    CatalogEntry("PAD-R", "Plaquettes de frein arrière Peugeot 208", "freinage", "jeu", 1,
                 ("plaquettes AR 208", "rear pads 208")),
    CatalogEntry("TP-ROLL", "Papier toilette 2 plis – colis de 96 rouleaux", "hygiène", "colis", 1, ()),
    CatalogEntry("TP-FOLD", "Papier toilette plié feuille à feuille 2 plis – colis de 40 paquets", "hygiène",
                 "colis", 1, ()),
    CatalogEntry("TOW-1", "Essuie-mains enchevêtrés 1 pli vert – colis de 4000", "hygiène", "colis", 1, ()),
    CatalogEntry("TOW-2", "Essuie-mains enchevêtrés 2 plis blanc – colis de 3200", "hygiène", "colis", 1, ()),
    CatalogEntry("BP-AUTO", "Tensiomètre électronique automatique de bras", "diagnostic", "pièce", 1,
                 ("tensiomètre électronique",)),
    CatalogEntry("BP-MAN", "Tensiomètre manuel anéroïde", "diagnostic", "pièce", 1, ("tensiomètre manuel",)),
    CatalogEntry("TH-EL", "Thermomètre électronique flexible", "diagnostic", "pièce", 1, ()),
    CatalogEntry("TH-IR", "Thermomètre infrarouge sans contact", "diagnostic", "pièce", 1, ()),
    CatalogEntry("OIL-30-5", "Engine oil 5W30 C3 – 5 L can", "oils", "can", 1, ("5W30 C3 5L",)),
    CatalogEntry("OIL-40-5", "Engine oil 5W40 – 5 L can", "oils", "can", 1, ("5W40 oil 5L can",)),
    CatalogEntry("OIL-30-1", "Engine oil 5W30 C3 – 1 L can", "oils", "can", 1, ("5W30 1L",)),
    CatalogEntry("BARROW", "Wheelbarrow 90 L galvanised", "tools", "piece", 1, ("wheelbarrow",)),
]


@pytest.fixture(scope="module")
def pads():
    from intents import Parser

    return Parser(PADS)


def test_an_aliass_word_order_does_not_tell_front_from_rear(pads):
    intent = pads.parse("Tu peux me mettre des plaquettes 208 stp, 2 jeux")
    assert intent.clarify and [(line.sku, set(line.candidates)) for line in intent.lines] == [(None, {"PAD-F", "PAD-R"})]
    assert lines(pads.parse("Tu peux me mettre des plaquettes avant 208 stp, 2 jeux")) == [("PAD-F", 2)]


def test_the_names_own_word_order_names_the_plain_variant(pads):
    intent = pads.parse("Merci de nous chiffrer : papier toilette 2 plis : 100 colis")
    assert lines(intent) == [("TP-ROLL", 100)]


def test_a_plural_and_its_singular_are_one_word_when_the_catalog_says_both(pads):
    assert lines(pads.parse("5 colis d'essuie-mains enchevêtrés 2 pli svp")) == [("TOW-2", 5)]
    assert lines(pads.parse("5 colis d'essuie-mains enchevêtrés 1 plis svp")) == [("TOW-1", 5)]
    # "le pli" names the attribute, not its value: both have one, so it is still a question
    intent = pads.parse("5 colis essuie-mains enchevêtrés pour le lycée. Elle confirme le pli par mail.")
    assert intent.clarify and {c for line in intent.lines for c in line.candidates} == {"TOW-1", "TOW-2"}


def test_a_word_after_a_line_counted_apart_describes_that_line_only(pads):
    intent = pads.parse("Pour l'aile B : 6 tensiomètres et 6 thermomètres électroniques.")
    assert intent.clarify
    assert [(line.sku, set(line.candidates), line.qty) for line in intent.lines] == [
        (None, {"BP-AUTO", "BP-MAN"}, 6), ("TH-EL", set(), 6)]


def test_a_clause_that_restates_the_product_counts_it(pads):
    intent = pads.parse("Please process:\n1. 5W30 C3 engine oil, 5 L cans – 10\n2. 5W40 oil 5 L – 2")
    assert lines(intent) == [("OIL-30-5", 10), ("OIL-40-5", 2)] and not intent.clarify


@pytest.mark.parametrize("text", [
    "Further to quote D-2026-0224, please accept this email as our order for all items, with the exception "
    "of the two wheelbarrows, which we no longer need.",
    "Further to quote D-2026-0224, please take this as our order for everything except the 2 wheelbarrows.",
])
def test_an_excluded_line_is_taken_away_even_with_its_count(pads, text):
    intent = pads.parse(text)
    assert intent.ref == "D-2026-0224" and all(line.sku != "BARROW" for line in intent.lines)


FLOURS = [
    CatalogEntry("FAR-T65-25", "Farine tradition T65 – sac 25 kg", "farines", "sac", 40, ("tradi", "T65 25kg")),
    CatalogEntry("FAR-T55-25", "Farine T55 – sac 25 kg", "farines", "sac", 40, ("T55", "T55 25kg")),
    CatalogEntry("FAR-T55-05", "Farine T55 – sac 5 kg", "farines", "sac", 4, ("T55 5kg", "petit sac T55")),
]


@pytest.fixture(scope="module")
def flours():
    from intents import Parser

    return Parser(FLOURS)


def test_a_name_that_says_the_code_again_in_a_table_row_is_one_line(flours):
    intent = flours.parse("Réf.        | Désignation         | Qté\nFAR-T65-25  | Tradition T65 25 kg | 40\n"
                          "FAR-T55-25  | T55 25 kg           | 20")
    assert lines(intent) == [("FAR-T65-25", 40), ("FAR-T55-25", 20)] and not intent.clarify


def test_a_word_across_a_colon_from_the_product_does_not_name_it(flours):
    # "Petite correction :" is no "petit sac T55"
    assert [line.sku for line in flours.parse("Petite correction : il faut 30 sacs de T55").lines] == ["FAR-T55-25"]


CHOCOLATES = [
    CatalogEntry("CHO-55", "Chocolat de couverture noir 55 % – sac 5 kg", "chocolat", "sac", 4, ("dark 55%", "noir 55")),
    CatalogEntry("CHO-70", "Chocolat de couverture noir 70 % – sac 5 kg", "chocolat", "sac", 4, ("dark 70%", "noir 70")),
    CatalogEntry("CHO-LAIT", "Chocolat de couverture au lait 35 % – sac 5 kg", "chocolat", "sac", 4, ("milk 35%",)),
    CatalogEntry("PRALINE", "Praliné noisettes 50 % – seau 5 kg", "fruits secs", "seau", 1, ("praliné",)),
]


@pytest.fixture(scope="module")
def chocolates():
    from intents import Parser

    return Parser(CHOCOLATES)


@pytest.mark.parametrize(("text", "expected"), [
    ("Tu peux me donner un prix pour 50 kg de 70 % ?", [("CHO-70", 10)]),  # the one 70 % product, 5 kg bags
    ("can we ship 6 cartons of 55% and 3 cartons of 70% next week?", [("CHO-55", 24), ("CHO-70", 12)]),
    ("order for thursday: 3 bags dark 70 and 1 praliné", [("CHO-70", 3), ("PRALINE", 1)]),  # "dark 70" = "dark 70%"
])
def test_a_measure_only_one_product_has_names_it(chocolates, text, expected):
    intent = chocolates.parse(text)
    assert lines(intent) == expected and not intent.clarify


def test_a_discount_rate_names_no_product(chocolates):
    intent = chocolates.parse("commande pour ACME : 2 sacs de praliné, remise 35 %")
    assert lines(intent) == [("PRALINE", 2)] and intent.discount_pct == 35


def test_order_for_a_day_is_not_an_order_on_behalf(chocolates):
    assert chocolates.parse("order for thursday: 3 bags dark 70").on_behalf_of is None
    assert chocolates.parse("commande pour ACME : 3 sacs dark 70").on_behalf_of == "ACME"


PASTRY = [
    CatalogEntry("LOG-BOX", "Boîte à bûche avec fenêtre 35x11x11 cm – paquet de 25", "emballages", "paquet", 4,
                 ("boîte à bûche", "log cake box")),
    CatalogEntry("EGG-5L", "Œufs entiers liquides – poche 5 L", "œufs", "poche", 2, ("œufs entiers 5 L",)),
    CatalogEntry("PIPING", "Poches à douille jetables 53 cm – boîte de 100", "ustensiles", "boîte", 10, ()),
    CatalogEntry("ALM-BL", "Poudre d'amande blanche – sac 1 kg", "fruits secs", "sac", 10, ("blanched almond flour",)),
    CatalogEntry("ALM-BR", "Poudre d'amande brute – sac 1 kg", "fruits secs", "sac", 10, ("natural almond flour",)),
]


@pytest.fixture(scope="module")
def pastry():
    from intents import Parser

    return Parser(PASTRY)


def test_a_count_that_points_back_at_the_items_named_is_converted(pastry):
    # 400 boxes, sold by the pack of 25
    assert lines(pastry.parse("il vous reste des boîtes à bûche ? il m'en faut 400 avant le 5/12")) == [("LOG-BOX", 16)]


def test_a_singular_and_its_plural_in_es_are_one_word(pastry):
    assert lines(pastry.parse("Merci de livrer 3 poches d'œufs entiers")) == [("EGG-5L", 3)]
    assert lines(pastry.parse("Merci de livrer 2 boîtes de poches à douille 53 cm")) == [("PIPING", 2)]


def test_a_clause_after_a_bracket_that_restates_the_product_counts_it(pastry):
    intent = pastry.parse("Item | Qty\nAlmond flour (blanched) 1 kg | 10")
    assert lines(intent) == [("ALM-BL", 10)] and not intent.clarify


PPE = [
    CatalogEntry("MSK-P2", "Masque P2 sans valve (boîte de 20)", "respiratoire", "boîte", 10, ("P2 sans valve", "P2 no valve")),
    CatalogEntry("MSK-P2V", "Masque P2 avec valve (boîte de 10)", "respiratoire", "boîte", 10, ("P2 valve", "P2 valved")),
    CatalogEntry("HLM-WH", "Casque de chantier blanc", "tête", "pièce", 20, ("white hard hat",)),
    CatalogEntry("HLM-YE", "Casque de chantier jaune", "tête", "pièce", 20, ("yellow hard hat",)),
    CatalogEntry("SGN-HLM", "Panneau port du casque obligatoire", "signalisation", "pièce", 10, ("hard hat sign",)),
    CatalogEntry("EYE-BTL", "Flacon de solution rince-œil 500 ml", "secours", "flacon", 12, ("rince-œil 500 ml",)),
    CatalogEntry("EYE-STA", "Station murale rince-œil", "secours", "pièce", 1, ("station rince-œil",)),
    CatalogEntry("GOG-01", "Lunettes étanches ventilées", "oculaire", "pièce", 10, ("safety goggles",)),
    CatalogEntry("JKT-M", "Veste de pluie classe 3 taille M", "vêtements", "pièce", 10, ("veste pluie M",)),
    CatalogEntry("JKT-L", "Veste de pluie classe 3 taille L", "vêtements", "pièce", 10, ("veste pluie L",)),
    CatalogEntry("JKT-XL", "Veste de pluie classe 3 taille XL", "vêtements", "pièce", 10, ("veste pluie XL",)),
    CatalogEntry("PLG-50", "Bouchons d'oreille à cordon (boîte de 50 paires)", "auditive", "boîte", 10,
                 ("corded earplugs",)),
]


@pytest.fixture(scope="module")
def ppe():
    from intents import Parser

    return Parser(PPE)


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de livrer 3 boîtes de masques P2 sans valve", [("MSK-P2", 3)]),
    ("please send 3 boxes of P2 masks without valve", [("MSK-P2", 3)]),
    ("Merci de livrer 3 boîtes de masques P2 à valve", [("MSK-P2V", 3)]),
])
def test_what_a_product_has_not_tells_it_from_the_one_that_has_it(ppe, text, expected):
    intent = ppe.parse(text)
    assert lines(intent) == expected and not intent.clarify


@pytest.mark.parametrize("text", [
    "Merci de livrer 12 vestes de pluie classe 3 : 4 en M, 5 en L, 3 en XL",
    "Merci de livrer 12 vestes de pluie classe 3 (4 en M, 5 en L et 3 en XL)",
    "Merci de livrer :\n- vestes de pluie classe 3 : 4 en taille M, 5 en L et 3 en XL",
])
def test_a_total_shared_over_sizes_is_one_line_per_size(ppe, text):
    intent = ppe.parse(text)
    assert sorted(lines(intent)) == [("JKT-L", 5), ("JKT-M", 4), ("JKT-XL", 3)] and not intent.clarify


def test_a_share_that_does_not_add_up_is_not_spread(ppe):
    intent = ppe.parse("Merci de livrer 10 vestes de pluie classe 3 : 4 en M, 5 en L, 3 en XL")
    assert ("JKT-M", 4) not in lines(intent) or intent.clarify


def test_a_figure_said_twice_is_the_count_where_it_is_not_the_attribute(ppe):
    intent = ppe.parse("Merci de livrer 3 vestes de pluie classe 3 en XL")
    assert lines(intent) == [("JKT-XL", 3)] and not intent.clarify


@pytest.mark.parametrize(("text", "candidates"), [
    ("need 8 hard hats for the new techs", {"HLM-WH", "HLM-YE", "SGN-HLM"}),  # colour unsaid; the sign is a rival
    ("Peux-tu m'envoyer 2 rince-œil pour l'atelier", {"EYE-BTL", "EYE-STA"}),  # bottle or wall station
])
def test_a_product_named_only_by_its_modifier_is_a_question_when_another_shares_it(ppe, text, candidates):
    intent = ppe.parse(text)
    assert intent.clarify and not [line for line in intent.lines if line.sku]
    assert candidates <= set(intent.lines[0].candidates)


def test_the_noun_an_alias_ends_with_names_it_when_counted(ppe):
    intent = ppe.parse("can you add 4 pairs of goggles to today's order?")
    assert lines(intent) == [("GOG-01", 4)] and not intent.clarify


def test_single_items_in_the_unit_a_box_holds_are_converted_to_boxes(ppe):
    assert lines(ppe.parse("can you supply 200 pairs of corded earplugs from stock?")) == [("PLG-50", 4)]


def test_a_count_before_an_exact_code_counts_sale_units(ppe):
    intent = ppe.parse("Order pls: 4 x MSK-P2V, 2 x EYE-BTL")
    assert lines(intent) == [("MSK-P2V", 4), ("EYE-BTL", 2)] and not intent.clarify


@pytest.mark.parametrize(("text", "expected"), [
    # the length as the name writes it (2,50 m), without its unit, after "de"
    ("Bonjour, pourriez-vous me livrer 3 plaques BA13 de 2,50 et 5 de 3 m ?", [("BA13-250", 3), ("BA13-300", 5)]),
    ("Il me faut 4 disques de 125", [("DIS-125", 4)]),
])
def test_a_measure_said_as_its_name_writes_it_tells_the_variant(trade, text, expected):
    intent = trade.parse(text)
    assert lines(intent) == expected and not intent.clarify


def test_a_figure_before_what_it_counts_is_no_measure(trade):
    # 230 is a disc's diameter, and here how many: "… et 230 disques" counts discs
    intent = trade.parse("Merci de livrer 2 tubes PVC 300 et 230 disques diamant 125")
    assert ("DIS-125", 230) in lines(intent)


MOVING = [
    CatalogEntry("BOX-MOVE", "Carton de déménagement double cannelure – paquet de 10", "cartons", "paquet", 20,
                 ("carton de déménagement", "carton livres")),
    CatalogEntry("BOX-WARD", "Carton penderie avec barre", "cartons", "pièce", 10, ("carton penderie",)),
    CatalogEntry("TAPE-PVC", "Ruban adhésif PVC brun 48 mm x 66 m", "adhésifs", "rouleau", 36, ("scotch PVC",)),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de livrer 200 cartons de déménagement", [("BOX-MOVE", 20)]),  # counted by the carton, sold by 10
    ("Merci de livrer 30 cartons penderie", [("BOX-WARD", 30)]),
    ("Merci de livrer 2 cartons de scotch PVC", [("TAPE-PVC", 72)]),  # a carton of tape is 36 rolls
])
def test_a_count_word_that_opens_the_products_name_is_the_product(text, expected):
    intent = Parser(MOVING).parse(text)
    assert lines(intent) == expected and not intent.clarify


def test_the_figure_of_another_measure_said_alone_is_that_variant(trade):
    intent = trade.parse("Avez-vous des disques diamant 125 mm ? et des 230 ?")
    assert [line.sku for line in intent.lines] == ["DIS-125", "DIS-230"]
    assert ("DIS-125", 230) not in lines(intent)
