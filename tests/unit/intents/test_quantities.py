"""Stage 4, quantities: figures read against the product they belong to (trade catalog)."""

from __future__ import annotations

import pytest

from tests.unit.intents.conftest import lines


def _parser(rows):
    """A parser on a small catalog of our own: (sku, name, category, unit, pack size, aliases) rows."""
    from intents import CatalogEntry, Parser

    return Parser([CatalogEntry(sku, name, category, unit, pack, aliases)
                   for sku, name, category, unit, pack, aliases in rows])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Merci de livrer 2 cartons de vis placo 25", [("VIS-3525", 20)]),  # cartons x pack size
        ("Merci de livrer 300 seringues 5 ml", [("SER-5ML", 3)]),  # single items of a box of 100
        ("Il nous faut 300 m de câble 3G1,5", [("CAB-3G15", 3)]),  # metres into 100 m coils
        ("Il nous faut 14,4 m² de faïence 30x60", [("CAR-3060", 10)]),  # m² into 1,44 m² boxes
        ("10 of each: 5W30 5L, 5W40 5L", [("HUI-5W30-5L", 10), ("HUI-5W40-5L", 10)]),
        ("Il nous faut 20 sacs d'engrais 15-15-15. Et aussi 4 batteries 95 Ah.",
         [("ENG-151515", 20), ("BAT-95AH", 4)]),
    ],
)
def test_unit_arithmetic(trade, text, expected):
    intent = trade.parse(text)
    assert lines(intent) == expected
    assert not intent.clarify


def test_single_items_that_do_not_make_whole_boxes_are_asked(trade):
    intent = trade.parse("Merci de livrer 250 seringues 5 ml")
    assert lines(intent) == [("SER-5ML", None)] and intent.lines[0].issue == "not_whole"
    assert intent.clarify


def test_for_each_of_our_sites(trade):
    intent = trade.parse("Pour chacun de nos 3 sites : 2 batteries 60 Ah et 1 bidon de 5W30")
    assert lines(intent) == [("BAT-60AH", 6), ("HUI-5W30-5L", 3)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il nous faut des batteries 60 Ah. Disons 4 pour commencer.", [("BAT-60AH", 4)]),
        ("Merci de livrer 30 sacs d'engrais 15-15-15... non, 40", [("ENG-151515", 40)]),
        ("Please deliver 20 cans of 5W30 5L, actually make it 25 because the minimum is 4.", [("HUI-5W30-5L", 25)]),
        ("Annulez les 2 batteries 60 Ah et livrez plutôt 2 batteries 95 Ah.", [("BAT-95AH", 2)]),
        ("Merci de livrer 10 bidons de 5W30 et 2 batteries 60 Ah. Finalement, supprimez les 2 batteries.",
         [("HUI-5W30-5L", 10)]),
    ],
)
def test_figures_in_another_sentence_corrections_and_removals(trade, text, expected):
    assert lines(trade.parse(text)) == expected


def test_the_quoted_draft_changed_by_the_new_text(trade):
    text = ("Même commande que ci-dessous mais 12 au lieu de 8 pour les batteries, et sans le ciment.\n\n"
            "Le 2 déc. 2026 à 09:00, Marc <marc@garage.fr> a écrit :\n"
            "> Merci de livrer 8 batteries 60 Ah, 10 sacs de ciment gris et 4 bidons de 5W30.")
    intent = trade.parse(text)
    assert intent.kind.value == "place_order"
    assert sorted(lines(intent)) == [("BAT-60AH", 12), ("HUI-5W30-5L", 4)]


def test_an_approximate_figure_gives_no_quantity_but_a_question(trade):
    intent = trade.parse("Il nous faudrait une dizaine de batteries 60 Ah")
    line = intent.lines[0]
    assert (line.sku, line.qty, line.issue, line.said) == ("BAT-60AH", None, "approximate", 10)
    assert intent.clarify


def test_a_total_split_over_variants(trade):
    intent = trade.parse("Il nous faut 20 sacs d'engrais 15-15-15 et 20-10-10, répartis moitié-moitié")
    assert lines(intent) == [("ENG-151515", 10), ("ENG-201010", 10)] and not intent.clarify


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de livrer 5 disques diamant : 2 de 125 et 3 de 230", [("DIS-125", 2), ("DIS-230", 3)]),
    ("Merci de livrer 2 disques diamant, 1 de 125 et 1 de 230", [("DIS-125", 1), ("DIS-230", 1)]),
    ("Merci de livrer 4 tubes PVC, 2 de 300 et 2 de 200", [("TUB-200", 2), ("TUB-300", 2)]),
])
def test_a_total_split_by_the_figure_of_each_variant(trade, text, expected):
    # "2 de 125": a count, then the family's figure that tells the variant
    intent = trade.parse(text)
    assert sorted(lines(intent)) == expected and not intent.clarify


def test_two_variants_in_brackets_after_one_count_are_asked_about(trade):
    # "2 disques (125 et 230)": one of each, or two of each? Not two of the first.
    intent = trade.parse("Merci de livrer 2 disques diamant (125 et 230)")
    assert intent.clarify and {line.sku for line in intent.lines} == {"DIS-125", "DIS-230"}
    assert ("DIS-125", 2) not in lines(intent)
    one = trade.parse("Merci de livrer 4 disques diamant (les 230)")
    assert lines(one) == [("DIS-230", 4)] and not one.clarify


@pytest.mark.parametrize("text", [
    "Merci de livrer 5 disques diamant : 2 de 125 et 2 de 230",
    "Merci de livrer 5 disques diamant : 2 en 125 et 2 en 230",
])
def test_a_split_that_does_not_add_up_is_asked_about(trade, text):
    # 2 + 2 is not 5: neither 5 of each nor 2 of each is what was written
    intent = trade.parse(text)
    assert intent.clarify
    assert ("DIS-125", 5) not in lines(intent) and ("DIS-230", 5) not in lines(intent)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pourriez-vous nous livrer 2 chariots de lavage double seau ?", [("CHA-2X25", 2)]),  # 2 is a count
        ("Il vous reste des disques 125 ? Il m'en faudrait 5", [("DIS-125", 5)]),  # 125 is the size
    ],
)
def test_a_figure_before_the_noun_counts_it_unless_the_catalog_names_it(trade, text, expected):
    assert lines(trade.parse(text)) == expected


def test_a_variant_said_alone_keeps_the_unit_of_the_line_before(trade):
    intent = trade.parse("Merci de livrer 10 boîtes de gants nitrile taille M et 5 taille L")
    assert lines(intent) == [("GANT-NIT-M", 10), ("GANT-NIT-L", 5)] and not intent.clarify


def test_one_figure_for_two_variants_is_asked_not_given_to_the_first(trade):
    intent = trade.parse("Merci de livrer 6 boîtes de gants nitrile (taille M et L)")
    assert lines(intent) == [("GANT-NIT-M", None), ("GANT-NIT-L", None)] and intent.clarify
    other = trade.parse("Merci de livrer 2 bidons de 5W30 et du 5W40")  # the first figure is the first's
    assert lines(other) == [("HUI-5W30-5L", 2), ("HUI-5W40-5L", None)] and other.clarify


def test_a_restatement_after_i_e_is_checked(trade):
    intent = trade.parse("Please send 8 cans of 5W30 5L, i.e. 3 cartons")  # cartons of 4
    assert lines(intent) == [("HUI-5W30-5L", None)] and intent.lines[0].issue == "contradictory"


@pytest.mark.parametrize(("text", "expected"), [
    ("Petite correction : pas 3 boîtes de gants nitrile taille L mais 4", [("GANT-NIT-L", 4)]),
    ("il nous faut non pas 20 mais 25 boîtes de gants nitrile taille L", [("GANT-NIT-L", 25)]),
])
def test_not_this_figure_but_that_one_is_the_second(trade, text, expected):
    intent = trade.parse(text)
    assert lines(intent) == expected and not intent.clarify


@pytest.mark.parametrize("text", [
    "Merci de livrer :\n- 4 batteries 95 Ah (à la place des 4 batteries 60 Ah)\n- 2 disques 125",
    "Commande :\n- 4 batteries 95 Ah, en remplacement des 4 batteries 60 Ah\n- 2 disques 125",
])
def test_what_a_line_replaces_is_not_ordered(trade, text):
    assert lines(trade.parse(text)) == [("BAT-95AH", 4), ("DIS-125", 2)]


def test_square_metres_typed_without_the_exponent(trade):
    intent = trade.parse("morning! 14.4 m2 of the 30x60 faience pls")
    assert lines(intent) == [("CAR-3060", 10)] and not intent.clarify


@pytest.mark.parametrize(("text", "qty"), [
    ("Vous avez du ciment gris en ce moment ? Il m'en faut 15 sacs pour couler une dalle samedi.", 15),
    ("Do you have the 30x60 faience in stock? We would need 40 boxes for the Clisson job. If not, when is your "
     "next delivery?", 40),
])
def test_a_stock_question_takes_its_count_from_the_next_sentence(trade, text, qty):
    intent = trade.parse(text)
    assert intent.kind.value == "check_stock" and [line.qty for line in intent.lines] == [qty]


def test_a_figure_that_counts_nothing_is_not_a_quantity(trade):
    intent = trade.parse("Hello,\n\nDo you stock the 60 Ah batteries? We're a garage in Dublin 4.\n\nThanks")
    assert [line.qty for line in intent.lines] == [None]


TOOLS = [
    ("BRW-90", "Brouette de chantier 90 L", "outillage", "pièce", 1, ("brouette", "wheelbarrow")),
    ("BKT-12", "Seau de maçon caoutchouc 12 L", "outillage", "pièce", 10, ("seau de maçon", "bucket")),
    ("SAB-04", "Sable 0/4 – big bag 1 t", "granulats", "big bag", 1, ("sable 0/4",)),
]


@pytest.fixture(scope="module")
def tools():
    return _parser(TOOLS)


def test_a_count_word_that_is_the_product_itself_in_a_list(tools):
    intent = tools.parse("Can you do us a price on 6 wheelbarrows and 20 buckets for the new site crew?")
    assert lines(intent) == [("BRW-90", 6), ("BKT-12", 20)] and not intent.clarify


FILMS = [
    ("FM-17", "Film étirable manuel 17 µ 450 mm", "films", "rouleau", 6, ("film manuel 17 µ",)),
    ("FM-23", "Film étirable manuel 23 µ 450 mm", "films", "rouleau", 6, ("film manuel 23 µ",)),
    ("DV-50", "Dévidoir pistolet pour ruban 50 mm", "outillage", "pièce", 10, ("dévidoir scotch",)),
]


@pytest.fixture(scope="module")
def films():
    return _parser(FILMS)


@pytest.mark.parametrize("said", ["23µ", "23 µ", "23 µm", "23µm", "23 microns"])
def test_a_thickness_in_micrometres_tells_the_films_apart_glued_or_not(films, said):
    intent = films.parse(f"Merci de livrer 6 rouleaux de film manuel {said}")
    assert lines(intent) == [("FM-23", 6)] and not intent.clarify


def test_a_count_word_of_one_line_of_a_list_does_not_count_the_next(films):
    # "une douzaine" is twelve dévidoirs, not twelve of the cartons said on the line above
    intent = films.parse("Bonjour,\n\n3 cartons de film manuel 17 µ\nune douzaine de dévidoirs\n\nMarc")
    assert lines(intent) == [("FM-17", 18), ("DV-50", 12)] and not intent.clarify


TRUNKING = [
    ("GT-60", "Goulotte PVC 60x45 – barre de 2 m", "goulottes", "barre", 10, ("goulotte 60x45", "trunking 60x45")),
    ("CG-60", "Coude plat pour goulotte 60x45", "goulottes", "pièce", 10, ("coude goulotte 60x45", "elbow 60x45")),
    ("PR-MINI", "Mini pompe de relevage condensats", "pompes", "pièce", 1, ("mini pompe", "mini pump")),
    ("CL-35", "Climatiseur mural 3,5 kW", "climatisation", "pièce", 1, ("clim 3,5 kW", "3.5 kW wall unit")),
    ("SM-450", "Support mural 450 mm", "supports", "pièce", 1, ("wall bracket 450",)),
]


@pytest.fixture(scope="module")
def trunking():
    return _parser(TRUNKING)


@pytest.mark.parametrize("text", ["rajoute 30 m de goulotte 60x45 sur la commande de jeudi stp",
                                  "Merci de livrer 30 m de goulotte 60x45"])
def test_metres_after_any_verb_are_bars_of_the_product_not_its_elbow(trunking, text):
    # a length that is not the product's own (2 m bars) is how much of it, not a rival's attribute
    assert lines(trunking.parse(text)) == [("GT-60", 15)]


def test_a_mini_in_a_product_name_does_not_make_the_next_figure_approximate(trunking):
    intent = trunking.parse("Could you add 2 mini pumps and 10 m of 60x45 trunking to our order? same delivery")
    assert lines(intent) == [("PR-MINI", 2), ("GT-60", 5)] and not intent.clarify


def test_a_change_that_cannot_be_placed_on_the_quoted_lines_is_asked_never_ordered_as_quoted(trunking):
    quoted = ("Further to your quote D-2026-0341, please go ahead, with one change: the wall units go from 6 to 8, "
              "and the mini pumps to match. Trunking as quoted.\n\nOliver\n\n> From: Comptoir\n> Subject: Quote D-2026-0341\n>\n"
              "> 6 x CL-35      789.00\n> 6 x SM-450      29.90\n> 6 x PR-MINI     89.00\n> 20 x GT-60     14.90\n")
    intent = trunking.parse(quoted)
    assert intent.clarify
    assert ("CL-35", 6) not in lines(intent) and ("PR-MINI", 6) not in lines(intent)
    assert ("GT-60", 20) in lines(intent)


COILS = [
    ("CU-38-25", "Tube cuivre frigorifique 3/8\" – couronne 25 m", "cuivre", "couronne", 1, ("cuivre 3/8 25 m", "3/8 copper coil 25 m")),
    ("CU-38-50", "Tube cuivre frigorifique 3/8\" – couronne 50 m", "cuivre", "couronne", 1, ("cuivre 3/8 50 m", "3/8 copper coil 50 m")),
    ("CU-14-25", "Tube cuivre frigorifique 1/4\" – couronne 25 m", "cuivre", "couronne", 1, ("cuivre 1/4 25 m", "1/4 copper coil 25 m")),
    ("CU-14-50", "Tube cuivre frigorifique 1/4\" – couronne 50 m", "cuivre", "couronne", 1, ("cuivre 1/4 50 m", "1/4 copper coil 50 m")),
    ("BA-4X25", "Bâche polyane 4 x 25 m", "protection", "rouleau", 1, ("polyane 4 x 25",)),
    ("BA-4X5", "Bâche polyane 4 x 5 m", "protection", "rouleau", 1, ("polyane 4 x 5",)),
]


@pytest.fixture(scope="module")
def coils():
    return _parser(COILS)


def test_a_count_times_a_length_is_that_many_coils_of_that_length(coils):
    intent = coils.parse("3 x 50 m de 3/8 et 2 x 25 m de 1/4 svp, on passe demain")
    assert lines(intent) == [("CU-38-50", 3), ("CU-14-25", 2)] and not intent.clarify


def test_a_spaced_sheet_size_still_tells_the_sheets_apart(coils):
    intent = coils.parse("Merci de livrer 2 bâches polyane 4 x 25 m")
    assert lines(intent) == [("BA-4X25", 2)] and not intent.clarify


def test_a_length_after_and_is_an_amount_of_the_next_product_not_its_attribute(coils):
    intent = coils.parse("Il nous faut 50 m de cuivre 3/8 en 25 m et 100 m de 1/4 en 25 m")
    assert lines(intent) == [("CU-38-25", 2), ("CU-14-25", 4)] and not intent.clarify


BIKES = [
    ("CH-20", "Chambre à air 20 pouces Schrader", "chambres", "pièce", 10, ("inner tube 20 inch",)),
    ("FE-AR", "Feu arrière USB", "éclairage", "pièce", 1, ("USB rear light",)),
    ("BOX-120", "Caisse de livraison isotherme 120 L", "cargo", "pièce", 1, ("caisse de livraison", "delivery box")),
]


@pytest.fixture(scope="module")
def bikes():
    return _parser(BIKES)


def test_half_a_carton_is_half_of_its_pack(bikes):
    intent = bikes.parse("Could you add a dozen USB rear lights and half a carton of inner tubes 20 inch?")
    assert lines(intent) == [("FE-AR", 12), ("CH-20", 5)] and not intent.clarify


def test_a_figure_that_ends_the_line_above_does_not_count_a_word_of_the_next_one(bikes):
    intent = bikes.parse("Please deliver:\n\nSKU | Description | Qty\nFE-AR | USB rear light | 40\n\n"
                         "Delivery to Hangar 3, 12 rue des Docks – the dock opens at 7:00.")
    assert lines(intent) == [("FE-AR", 40)] and not intent.clarify


def test_a_figure_that_numbers_a_named_place_is_no_quantity(bikes):
    intent = bikes.parse("Could you add 12 USB rear lights and some inner tubes 20 inch to Friday's delivery to Hangar 3?")
    assert ("CH-20", 3) not in lines(intent) and ("FE-AR", 12) in lines(intent) and intent.clarify


CHOCOLATES = [
    ("CH-N70", "Chocolat de couverture noir 70 % – sac 5 kg", "chocolat", "sac", 4, ("noir 70", "dark 70%")),
    ("CH-N55", "Chocolat de couverture noir 55 % – sac 5 kg", "chocolat", "sac", 4, ("noir 55", "dark 55%")),
    ("CH-B33", "Chocolat de couverture blanc 33 % – sac 5 kg", "chocolat", "sac", 4, ("chocolat blanc", "white chocolate")),
    ("FO-07", "Fondant pâtissier blanc 7 kg", "sucres", "seau", 1, ("fondant",)),
    ("OE-BL", "Blancs d'œufs liquides 1 L", "ovoproduits", "brique", 6, ("blancs d'oeufs", "egg whites")),
]


@pytest.fixture(scope="module")
def chocolates():
    return _parser(CHOCOLATES)


@pytest.mark.parametrize(("text", "white"), [("order for friday: 3 bags dark 70, 2 white and 1 fondant", 2),
                                             ("order for friday: 3 bags dark 70, 2 white... sorry make it 4 white, "
                                              "and 1 fondant", 4)])
def test_a_colour_said_alone_after_a_product_is_its_sibling_of_that_colour(chocolates, text, white):
    intent = chocolates.parse(text)
    assert sorted(lines(intent)) == sorted([("CH-N70", 3), ("CH-B33", white), ("FO-07", 1)]) and not intent.clarify


BOXES = [
    ("BT-24", "Boîte pâtissière blanche 24x24x8 – paquet de 50", "emballages", "paquet", 5, ("boîte 24x24",)),
    ("BT-BU", "Boîte à bûche avec fenêtre – paquet de 25", "emballages", "paquet", 5, ("boîte bûche",)),
    ("SM-26", "Plateau carton or rond Ø 26 cm (semelle) – paquet de 100", "emballages", "paquet", 5,
     ("semelle or 26", "plateau or Ø26")),
    ("SM-20", "Plateau carton or rond Ø 20 cm (semelle) – paquet de 100", "emballages", "paquet", 5,
     ("semelle or 20", "plateau or Ø20")),
]


@pytest.fixture(scope="module")
def boxes():
    return _parser(BOXES)


def test_a_quote_taken_with_one_line_changed_keeps_the_other_quoted_lines(boxes):
    intent = boxes.parse("Bonjour,\n\nOn prend, mais avec 8 paquets de boîtes 24x24 au lieu de 6.\n\nLucie\n\n"
                         "> Le 20 nov. 2026 à 09:31, Comptoir a écrit :\n> Voici notre devis D-2026-0488 :\n"
                         "> BT-24 Boîte pâtissière 24x24x8 – 6 paquets\n> SM-26 Semelle or Ø 26 – 4 paquets\n"
                         "> BT-BU Boîte à bûche – 24 paquets\n")
    assert sorted(lines(intent)) == [("BT-24", 8), ("BT-BU", 24), ("SM-26", 4)] and not intent.clarify
    assert intent.ref == "D-2026-0488"


LABWARE = [
    ("GN-M", "Gants nitrile taille M, boîte de 100", "protection", "boîte", 10, ("gants nitrile M", "nitrile gloves M")),
    ("GN-L", "Gants nitrile taille L, boîte de 100", "protection", "boîte", 10, ("gants nitrile L", "nitrile gloves L")),
    ("BL-10", "Blouses visiteur jetables, sachet de 10", "protection", "sachet", 1, ("visitor coats",)),
    ("CV-12", "Cryotubes 1,2 ml, sachet de 50", "stockage", "sachet", 10, ("cryovials 1.2 ml",)),
    ("CV-20", "Cryotubes 2 ml, sachet de 50", "stockage", "sachet", 10, ("cryovials 2 ml",)),
]
QUOTED_GLOVES = ("\n\nRachel\n\n> Quotation D-2026-0736\n> GN-M   Nitrile gloves M (box of 100)      20   6.90\n"
                 "> GN-L   Nitrile gloves L (box of 100)      20   6.90\n> BL-10  Visitor coats (bag of 10)  5   9.50\n")


@pytest.fixture(scope="module")
def labware():
    return _parser(LABWARE)


def test_the_rest_of_a_table_row_describes_the_code_that_opens_it(labware):
    intent = labware.parse("Please send:\n\nCV-20   Cryovials 2 ml, bag of 50        10\nBL-10   Visitor coats      5\n")
    assert lines(intent) == [("CV-20", 10), ("BL-10", 5)] and not intent.clarify


def test_a_change_to_one_quoted_line_told_by_its_words_keeps_the_others(labware):
    intent = labware.parse("Following your quote D-2026-0736, please go ahead with the order, but with 30 boxes of "
                           "the M gloves instead of 20. Everything else as quoted." + QUOTED_GLOVES)
    assert intent.kind.value == "place_order"
    assert sorted(lines(intent)) == [("BL-10", 5), ("GN-L", 20), ("GN-M", 30)] and not intent.clarify


def test_a_change_that_fits_two_quoted_lines_is_asked(labware):
    intent = labware.parse("Following your quote D-2026-0736, please go ahead, but with 30 boxes of gloves instead "
                           "of 20. Everything else as quoted." + QUOTED_GLOVES)
    assert intent.clarify and ("GN-M", 20) not in lines(intent) and ("GN-L", 20) not in lines(intent)


PALLETS = [
    ("PAL-EUR", "Palette EUR 1200x800 occasion", "palettes", "pièce", 1, ("EUR pallet used", "palette europe")),
    ("PAL-US", "Palette US 1200x1000 occasion", "palettes", "pièce", 1, ("US pallet used",)),
]


@pytest.fixture(scope="module")
def pallets():
    return _parser(PALLETS)


def test_a_currency_word_the_catalog_names_products_by_is_no_price(pallets):
    intent = pallets.parse("order for tomorrow AM pls: 40 EUR pallets used + 10 pallets 1200x1000, dock 3")
    assert lines(intent) == [("PAL-EUR", 40), ("PAL-US", 10)] and not intent.clarify


def test_a_price_per_pallet_in_euros_stays_a_price(pallets):
    intent = pallets.parse("We can pay 40 EUR per pallet for 10 pallets 1200x1000, dock 3")
    assert ("PAL-EUR", 40) not in lines(intent) and ("PAL-US", 40) not in lines(intent)


HELMETS = [
    ("CSQ-BL", "Casque de chantier blanc", "tête", "pièce", 1, ("casque blanc", "white hard hat")),
    ("CSQ-JA", "Casque de chantier jaune", "tête", "pièce", 1, ("casque jaune", "yellow hard hat")),
    ("CSQ-RG", "Casque de chantier rouge", "tête", "pièce", 1, ("casque rouge", "red hard hat")),
]


@pytest.fixture(scope="module")
def helmets():
    return _parser(HELMETS)


@pytest.mark.parametrize("text", ["Merci de livrer 30 casques de chantier, moitié blancs (encadrement) moitié jaunes",
                                  "Please send 30 hard hats, half white and half yellow"])
def test_a_total_in_two_halves_is_half_of_each(helmets, text):
    intent = helmets.parse(text)
    assert sorted(lines(intent)) == [("CSQ-BL", 15), ("CSQ-JA", 15)] and not intent.clarify


def test_an_odd_total_in_halves_is_asked(helmets):
    intent = helmets.parse("Merci de livrer 31 casques de chantier, moitié blancs moitié jaunes")
    assert intent.clarify and ("CSQ-BL", 15) not in lines(intent)


GLOVES = [
    ("GD-10", "Gant docker cuir fleur taille 10", "gants", "paire", 12, ("gant docker", "leather rigger gloves")),
    ("LO-500", "Flacon lave-oeil 500 ml", "secours", "flacon", 10, ("lave-oeil 500 ml",)),
]


@pytest.fixture(scope="module")
def gloves():
    return _parser(GLOVES)


def test_what_a_packet_holds_said_in_brackets_counts_the_sale_units(gloves):
    intent = gloves.parse("Bonjour,\n\n- 3 paquets de gants docker (par 12 paires)\n- 10 flacons lave-oeil 500 ml\n")
    assert lines(intent) == [("GD-10", 36), ("LO-500", 10)] and not intent.clarify


def test_a_total_said_again_in_brackets_is_not_a_packet_content(gloves):
    intent = gloves.parse("Bonjour,\n\n- 3 paquets de gants docker (soit 36 paires)\n")
    assert ("GD-10", 108) not in lines(intent) and ("GD-10", 3) not in lines(intent)


def test_a_count_of_each_of_the_products_a_name_fits_is_a_line_for_each(chocolates):
    intent = chocolates.parse("Hi, could you quote 5 bags of each of your dark couvertures, delivered to Geneva?")
    assert sorted(lines(intent)) == [("CH-N55", 5), ("CH-N70", 5)] and not intent.clarify


def test_a_quoted_line_taken_away_by_a_word_of_its_name_goes(boxes):
    intent = boxes.parse("Bonjour,\n\nOn prend, mais avec 8 paquets de boîtes 24x24 au lieu de 6, et sans les "
                         "semelles.\n\nLucie\n\n> Le 20 nov. 2026 à 09:31, Comptoir a écrit :\n> Voici notre devis "
                         "D-2026-0488 :\n> BT-24 Boîte pâtissière 24x24x8 – 6 paquets\n> SM-26 Semelle or Ø 26 – 4 "
                         "paquets\n> BT-BU Boîte à bûche – 24 paquets\n")
    assert sorted(lines(intent)) == [("BT-24", 8), ("BT-BU", 24)] and not intent.clarify


def test_a_product_counted_in_words_does_not_borrow_the_figure_of_the_clause_before(labware):
    intent = labware.parse("OK pour les 10 racks de machins stériles et le carton de cryotubes 2 ml, merci")
    assert ("CV-20", 10) not in lines(intent) and ("CV-20", 100) not in lines(intent)


CLOTHS = [
    ("LV-R", "Lavette microfibre 40 x 40 cm rouge – paquet de 10", "microfibres", "paquet", 10,
     ("lavette rouge", "microfibre rouge")),
    ("LV-B", "Lavette microfibre 40 x 40 cm bleue – paquet de 10", "microfibres", "paquet", 10,
     ("lavette bleue", "microfibre bleue")),
    ("SU-450", "Support mural 450 mm – la paire", "supports", "paire", 1, ("wall bracket 450", "450 wall brackets")),
    ("PA-4", "Plots antivibratiles – jeu de 4", "supports", "jeu", 1, ("anti-vibration pads",)),
]


@pytest.fixture(scope="module")
def cloths():
    return _parser(CLOTHS)


def test_a_count_word_elided_before_a_colour_is_the_one_said_before(cloths):
    intent = cloths.parse("tu peux me faire un prix sur les lavettes microfibre ? 20 paquets rouges et 20 bleues")
    assert sorted(lines(intent)) == [("LV-B", 20), ("LV-R", 20)] and not intent.clarify


def test_the_count_word_of_another_product_is_not_carried_over(cloths):
    intent = cloths.parse("Hi! Order for the Utrecht job: 10 pairs of 450 wall brackets, 40 anti-vibration pads. Thx")
    assert ("PA-4", 40) not in lines(intent)


def test_the_same_again_in_another_colour_is_as_many_of_that_one(cloths):
    intent = cloths.parse("Bonjour, combien me coûteraient 20 paquets de lavettes rouges ? Et les mêmes en bleue ?")
    assert sorted(lines(intent)) == [("LV-B", 20), ("LV-R", 20)] and not intent.clarify


def test_annule_et_remplace_supersedes_a_message_it_cancels_nothing(cloths):
    intent = cloths.parse("Annule et remplace mon message de ce matin : 8 paquets de lavettes rouges (et non 6) "
                          "+ 3 paquets de lavettes bleues")
    assert intent.kind.value == "place_order"
    assert sorted(lines(intent)) == [("LV-B", 3), ("LV-R", 8)] and not intent.clarify


def test_variants_first_then_a_count_with_its_unit_for_each(cloths):
    intent = cloths.parse("t'as encore des lavettes microfibre ? rouge et bleue, 2 paquets de chaque")
    assert sorted(lines(intent)) == [("LV-B", 2), ("LV-R", 2)] and not intent.clarify


def test_a_word_that_is_an_english_stop_word_once_unaccented_still_names_a_product():
    drinks = _parser([("THE-100", "Thé assortiment – boîte de 100 sachets", "boissons", "boîte", 1, ("thé",)),
                      ("CAF-1K", "Café en grains 1 kg", "boissons", "sachet", 1, ("café en grains",))])
    intent = drinks.parse("thé x6 et café en grains x6")
    assert lines(intent) == [("THE-100", 6), ("CAF-1K", 6)] and not intent.clarify
    assert lines(drinks.parse("please send 2 bags of the café en grains")) == [("CAF-1K", 2)]  # "the" is no tea


def test_a_dozen_of_something_we_do_not_sell_in_a_list_is_asked_about(films):
    intent = films.parse("Merci de livrer :\n- 2 cartons de film manuel 17 µ\n- une douzaine de bidules zorglub\n")
    assert ("FM-17", 12) in lines(intent) and intent.clarify


MICROFIBRE = [
    ("CLO-MF-RED", "Microfibre cloth red 40x40 cm", "cleaning", "piece", 1, ()),
    ("CLO-MF-BLU", "Microfibre cloth blue 40x40 cm", "cleaning", "piece", 1, ()),
    ("CLO-MF-GRN", "Microfibre cloth green 40x40 cm", "cleaning", "piece", 1, ()),
]


@pytest.mark.parametrize(("text", "expected"), [
    ("Please send microfibre cloths, red and blue, 10 each", [("CLO-MF-BLU", 10), ("CLO-MF-RED", 10)]),
    ("Please send red, green and blue microfibre cloths, 4 each",
     [("CLO-MF-BLU", 4), ("CLO-MF-GRN", 4), ("CLO-MF-RED", 4)]),
])
def test_variants_then_a_count_for_each_leave_the_family_word_out(text, expected):
    # "cloths" is what every colour is of (the catalog says so), not a colour to count
    intent = _parser(MICROFIBRE).parse(text)
    assert sorted(lines(intent)) == expected and not intent.clarify


def test_each_products_count_in_brackets_is_its_own(trade):
    # the second bracket counts the syringes, it does not restate the needles' count
    intent = trade.parse("Merci de livrer des aiguilles 23G (8 boîtes) et des seringues 5 ml (2 boîtes)")
    assert lines(intent) == [("AIG-23G", 8), ("SER-5ML", 2)] and not intent.clarify
    restated = trade.parse("Merci de livrer 300 seringues 5 ml (soit 4 boîtes)")
    assert restated.clarify  # 300 syringes are 3 boxes, not 4: which is it?


@pytest.mark.parametrize("text", [
    "Avez-vous des batteries 95 Ah en stock ? Il nous en faudrait 6 maintenant.",
    "Merci de livrer 6 batteries 95 Ah seulement",
])
def test_a_count_followed_by_when_or_only_still_counts_the_product(trade, text):
    # "6 maintenant": six of them now, not six of something called "maintenant"
    assert lines(trade.parse(text)) == [("BAT-95AH", 6)]


def test_a_first_order_is_no_count(trade):
    intent = trade.parse("Bonjour, nous souhaitons passer une première commande : 4 batteries 95 Ah")
    assert lines(intent) == [("BAT-95AH", 4)]


def test_bars_of_something_are_counted_not_a_pressure():
    trunking = _parser([("TRK-8060", "Trunking 80x60 mm, 2 m bar", "trunking", "bar", 10, ()),
                        ("PMP-6B", "Pressure pump 6 bar", "pumps", "piece", 1, ())])
    intent = trunking.parse("Please send 30 bars of 80x60 trunking and a pressure pump 6 bar")
    assert lines(intent) == [("TRK-8060", 30), ("PMP-6B", 1)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de livrer mardi 4 sacs de ciment gris", [("CIM-35", 4)]),  # four bags, on Tuesday
    ("Merci de livrer mardi 12 : 4 sacs de ciment gris", [("CIM-35", 4)]),  # Tuesday the 12th
])
def test_a_day_then_a_count_of_something_is_no_date(trade, text, expected):
    assert lines(trade.parse(text)) == expected


EGGS = [
    ("OEU-1L", "Œufs entiers liquides – brique 1 L", "œufs", "brique", 12, ("brique œufs 1 L",)),
    ("OEU-5L", "Œufs entiers liquides – poche 5 L", "œufs", "poche", 2, ("poche œufs 5 L",)),
]


@pytest.mark.parametrize("text", [
    "Merci de livrer des œufs entiers liquides : 150 L en poches de 5 L",
    "Merci de livrer :\n- œufs entiers liquides : 150 L en poches de 5 L\n- 2 briques d'œufs entiers liquides",
])
def test_the_container_said_after_an_unsure_product_tells_which_and_how_many(text):
    intent = _parser(EGGS).parse(text)
    assert ("OEU-5L", 30) in lines(intent) and not intent.clarify


CHOCOLATE = [
    ("CHO-70", "Chocolat noir 70 % – sac 5 kg", "chocolat", "sac", 4, ("noir 70",)),
    ("CHO-55", "Chocolat noir 55 % – sac 5 kg", "chocolat", "sac", 4, ("noir 55",)),
]


def test_a_list_line_of_a_bare_figure_is_the_variant_of_the_line_before():
    intent = _parser(CHOCOLATE).parse("Pour samedi :\nChocolat noir 70 % : 3 sacs\n55 : 2 sacs")
    assert lines(intent) == [("CHO-70", 3), ("CHO-55", 2)] and not intent.clarify
    # said in a sentence, the figure is no new line
    other = _parser(CHOCOLATE).parse("Avez-vous le chocolat noir 55 % ? Il m'en faut 4 sacs, le 70 ne va pas")
    assert ("CHO-70", None) not in lines(other) and ("CHO-55", 4) in lines(other)


@pytest.mark.parametrize("text", [
    "Merci de livrer des gants nitrile du M au L, 2 boîtes de chaque",
    "Merci de livrer des gants nitrile M à L : 2 boîtes de chaque",
])
def test_a_range_of_sizes_is_every_size_between(trade, text):
    intent = trade.parse(text)
    assert sorted(lines(intent)) == [("GANT-NIT-L", 2), ("GANT-NIT-M", 2)] and not intent.clarify


def test_a_size_range_is_read_only_between_sizes():
    from intents.splits import expand_splits

    assert expand_splits("tailles S to XL") == "tailles S, M, L and XL"
    assert expand_splits("PL-S to M") == "PL-S to M"  # a code's letter is no size
    assert expand_splits("de S à S") == "de S à S"


def test_a_bare_count_of_the_single_items_named_before_is_in_whole_boxes(trade):
    # syringes are sold by the box of 100: "il m'en faudrait 300" is three boxes
    intent = trade.parse("Avez-vous des seringues 5 ml ? Il m'en faudrait 300")
    assert lines(intent) == [("SER-5ML", 3)]
    boxes = trade.parse("Avez-vous des seringues 5 ml ? Il m'en faudrait 300 boîtes")
    assert lines(boxes) == [("SER-5ML", 300)]  # the boxes are said


def test_a_class_or_a_price_never_reaches_the_figure_of_the_next_line():
    vests = _parser([("VEST-C2", "Gilet haute visibilité classe 2 orange", "epi", "pièce", 10, ()),
                     ("SPEC-OVER", "Surlunettes de sécurité incolores", "epi", "pièce", 10, ("surlunettes",)),
                     ("CONE-50", "Cône de signalisation 50 cm", "site", "pièce", 20, ())])
    intent = vests.parse("Merci de livrer :\n- 100 gilets orange classe 2\n- 40 surlunettes\n- 20 cônes de signalisation")
    assert lines(intent) == [("VEST-C2", 100), ("SPEC-OVER", 40), ("CONE-50", 20)]
    priced = vests.parse("Merci de livrer :\n- 40 surlunettes à 12\n- 20 cônes de signalisation")
    assert ("CONE-50", 20) in lines(priced)


@pytest.mark.parametrize("text", [
    "Merci de livrer (9 rue du Port, 33000) du ciment gris",
    "Merci de livrer du ciment gris au 9 rue du Parlement Saint-Pierre, 33000 ; 4 batteries 60 Ah",
])
def test_the_postcode_that_ends_an_address_counts_nothing(trade, text):
    intent = trade.parse(text)  # it ordered 33,000 bags of cement
    assert all(line.qty != 33000 for line in intent.lines)


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de livrer des seringues 5 ml, contrat 2026 n 55123", None),  # a number, not 55,123 boxes
    ("Merci de livrer 12000 seringues 5 ml", 120),  # counted: 12,000 syringes are 120 boxes
    ("Merci de livrer des seringues 5 ml : 12000", 120),
])
def test_five_bare_digits_count_only_what_they_are_said_to_count(trade, text, expected):
    assert [line.qty for line in trade.parse(text).lines] == [expected]


QUOTED_ORDER = "\n\n> 10 x GANT-NIT-L Gants nitrile taille L\n> 10 x GANT-NIT-M Gants nitrile taille M\n> 4 x CIM-35 Ciment gris"


def test_doubling_a_quoted_line_named_by_one_word(trade):
    intent = trade.parse("Même commande que ci-dessous mais doublez le ciment." + QUOTED_ORDER)
    assert sorted(lines(intent)) == [("CIM-35", 8), ("GANT-NIT-L", 10), ("GANT-NIT-M", 10)] and not intent.clarify


def test_doubling_what_several_quoted_lines_are_is_asked_never_left_as_it_was(trade):
    intent = trade.parse("Même commande que ci-dessous mais doublez les gants." + QUOTED_ORDER)
    assert intent.clarify
    assert ("GANT-NIT-L", 10) not in lines(intent) and ("GANT-NIT-M", 10) not in lines(intent)


def test_the_rest_of_a_total_is_what_the_other_parts_leave(trade):
    intent = trade.parse("Merci de livrer 30 boîtes de gants nitrile : 10 en M et le reste en L")
    assert sorted(lines(intent)) == [("GANT-NIT-L", 20), ("GANT-NIT-M", 10)] and not intent.clarify
    over = trade.parse("Merci de livrer 10 boîtes de gants nitrile : 12 en M et le reste en L")
    assert over.clarify and ("GANT-NIT-M", 10) not in lines(over)  # 12 of 10, and the rest: to be asked


def test_counts_of_the_next_sentence_go_to_the_products_in_their_order():
    shop = _parser([("PED-M520", "Pédales automatiques SPD M520 (la paire)", "pédales", "paire", 1, ("M520 pedals",)),
                    ("SAD-155", "Selle sport 155 mm", "selles", "pièce", 1, ("155 mm sport saddle",)),
                    ("SAD-143", "Selle sport 143 mm", "selles", "pièce", 1, ("143 mm sport saddle",))])
    intent = shop.parse("Do you have the M520 pedals and the 155 mm sport saddle in stock? "
                        "We're looking at 10 pairs and 5 saddles.")
    assert lines(intent) == [("PED-M520", 10), ("SAD-155", 5)]
    crossed = shop.parse("Do you have the M520 pedals and the 155 mm sport saddle in stock? "
                         "We're looking at 5 saddles and 10 pairs.")
    assert ("PED-M520", 5) not in lines(crossed)  # a count that names another product is not taken in order


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de livrer des batteries 60 Ah : 10, 12 pardon", [("BAT-60AH", 12)]),
    ("Merci de livrer des batteries 60 Ah : 10 (12 plutôt)", [("BAT-60AH", 12)]),
    # the product said again after the correction, by the variant word only
    ("Merci de livrer :\n2 boîtes de gants nitrile M\n1 boîte de L... non finalement mettez 2 boîtes de L aussi",
     [("GANT-NIT-M", 2), ("GANT-NIT-L", 2)]),
])
def test_a_figure_taken_back_is_the_one_that_counts(trade, text, expected):
    intent = trade.parse(text)
    assert lines(intent) == expected and not intent.clarify


def test_a_quantity_column_counts_in_the_unit_its_header_says(trade):
    text = ("Bonjour, merci de livrer :\n\nCode      | Produit              | Qté (cartons)\n"
            "VIS-3525  | Vis placo 25         | 2\nCIM-35    | Ciment gris          | 5\n")
    assert lines(trade.parse(text)) == [("VIS-3525", 20), ("CIM-35", 200)]  # cartons of 10 boxes, of 40 bags


def test_column_units_leave_other_tables_alone():
    from intents.splits import column_units

    plain = "Code | Qty\nVIS-3525 | 2"
    assert column_units(plain) == plain
    assert column_units("Code | Qty (boxes)\nVIS-3525 | 2\n\nsee you | 3") == "Code | Qty (boxes)\nVIS-3525 | 2 boxes \n\nsee you | 3"


def test_one_per_person_is_no_count(trade):
    intent = trade.parse("Six nouveaux techniciens, un par personne : 6 batteries 95 Ah")
    assert lines(intent) == [("BAT-95AH", 6)]
