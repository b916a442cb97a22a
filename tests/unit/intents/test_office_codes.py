"""Model codes written with a glued X ('26X'), a word only one product has in a clause that takes
it away ('sauf le Chromebox'), sizes said in words the catalog writes as a sign ('27 pouces' of
27"), a correction that names a product again by one of its words: an office-supplies catalog of
our own invention."""

from __future__ import annotations

import pytest

from intents import CatalogEntry, Parser
from tests.unit.intents.conftest import lines

OFFICE = [
    CatalogEntry("TN-26A", "Toner laser 26A noir (CF226A)", "toners", "pièce", 1, ("26A noir", "toner 26A")),
    CatalogEntry("TN-26X", "Toner laser 26X noir haute capacité (CF226X)", "toners", "pièce", 1,
                 ("26X noir", "toner 26X", "26X XL")),
    CatalogEntry("GLV-100", "Gants vinyle boîte de 100", "hygiène", "boîte", 1, ("gants vinyle",)),
    CatalogEntry("CBX-G3", "Mini PC Chromebox G3 8 Go", "postes", "pièce", 1, ("Chromebox",)),
    CatalogEntry("HDD-2TO", "Disque dur externe 2 To USB 3.0", "stockage", "pièce", 1, ("disque externe 2 To",)),
    CatalogEntry("KEY-32", "Clé USB 32 Go (lot de 5)", "stockage", "lot", 1, ("clé USB 32 Go",)),
    CatalogEntry("MON-27-FHD", 'Moniteur 27" Full HD', "écrans", "pièce", 1, ("moniteur 27 Full HD",)),
    CatalogEntry("MON-27-4K", 'Moniteur 27" 4K UHD', "écrans", "pièce", 1, ("moniteur 27 4K", "27 4K")),
    CatalogEntry("HS-USBC", "Micro-casque Voxa 40 USB-C stéréo", "audio", "pièce", 1, ("Voxa 40 USB-C", "USB-C headset")),
    CatalogEntry("PC-1M", "Cordon réseau Cat6 1 m bleu (sachet de 10)", "câbles", "sachet", 10, ("cordon Cat6 1 m",)),
    CatalogEntry("PC-3M", "Cordon réseau Cat6 3 m bleu (sachet de 10)", "câbles", "sachet", 10, ("cordon Cat6 3 m",)),
    CatalogEntry("RK-42U", "Baie serveur 42U 600x1000 mm", "baies", "pièce", 1, ("baie 42U",)),
    CatalogEntry("RK-24U", "Baie serveur 24U 600x600 mm", "baies", "pièce", 1, ("baie 24U",)),
    CatalogEntry("NB-E14", "Portable Lenvo E14 Gen 5 8 Go 256 Go", "portables", "pièce", 1, ("E14 Gen 5",)),
    CatalogEntry("NB-E16", "Portable Lenvo E16 Gen 2 16 Go 512 Go", "portables", "pièce", 1, ("E16 Gen 2",)),
    CatalogEntry("TN-32-C", "Toner laser 32A cyan", "toners", "pièce", 1, ("32A cyan",)),
    CatalogEntry("TN-32-M", "Toner laser 32A magenta", "toners", "pièce", 1, ("32A magenta",)),
    CatalogEntry("TN-32-Y", "Toner laser 32A jaune", "toners", "pièce", 1, ("32A jaune", "32A yellow")),
    CatalogEntry("MPC-M2", "Mini PC puce M2 16 Go", "postes", "pièce", 1, ("Mini PC M2",)),
    CatalogEntry("HS-MONO", "Micro-casque Voxa 40 USB-A mono", "audio", "pièce", 1, ("Voxa 40 mono", "mono headset")),
]


@pytest.fixture(scope="module")
def office():
    return Parser(OFFICE)


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de nous livrer 2 toners 26X noir", [("TN-26X", 2)]),
    ("26X noir : 3", [("TN-26X", 3)]),
    ("Toners : 26A noir x 4, 26X : 1", [("TN-26A", 4), ("TN-26X", 1)]),
    ("il nous faut gants vinyle x10", [("GLV-100", 10)]),  # a glued x the catalog has no code for still counts
    ("can you send one 42U rack?", [("RK-42U", 1)]),  # U after a figure of the catalog's: no count of units
    ("2 baies serveur 24U svp", [("RK-24U", 2)]),
])
def test_a_figure_with_a_glued_x_that_the_catalog_names_is_a_model_code(office, text, expected):
    intent = office.parse(text)
    assert sorted(lines(intent)) == sorted(expected) and not intent.clarify


def test_a_model_code_is_never_a_quantity(office):
    intent = office.parse("vous avez du toner 26X en stock ?")
    assert intent.kind.value == "check_stock" and lines(intent) == [("TN-26X", None)]


def test_a_word_only_one_product_has_takes_that_line_out_of_the_quoted_list(office):
    text = ("Validé sauf le Chromebox, hors budget. Merci de traiter le reste.\n\n"
            "> De : Paul\n> Je demande :\n> - 2 disques externes 2 To\n> - 1 Chromebox\n> - 3 lots de clés USB 32 Go\n")
    intent = office.parse(text)
    assert intent.kind.value == "place_order"
    assert sorted(lines(intent)) == [("HDD-2TO", 2), ("KEY-32", 3)]


def test_a_size_said_in_words_is_the_size_the_catalog_writes_as_a_sign(office):
    intent = office.parse("il nous faudrait un moniteur 27 pouces pour le poste de Léa")
    assert intent.clarify and intent.lines[0].sku is None
    assert set(intent.lines[0].candidates) == {"MON-27-FHD", "MON-27-4K"}
    assert lines(office.parse("Merci de livrer 2 moniteurs 27 pouces 4K")) == [("MON-27-4K", 2)]


def test_a_correction_names_the_product_said_before_by_one_of_its_words(office):
    text = "Please order 10 x Voxa 40 USB-C stereo. Actually, make the headsets 12, two more interns are coming."
    intent = office.parse(text)
    assert lines(intent) == [("HS-USBC", 12)] and not intent.clarify
    # without a correction, "headsets" alone names neither: no line is guessed
    other = office.parse("Please order 10 x Voxa 40 USB-C stereo. The headsets must be wired.")
    assert lines(other) == [("HS-USBC", 10)]


def test_a_total_shared_over_lengths_gives_each_length_its_part_in_sale_units(office):
    intent = office.parse("il me faut 40 cordons Cat6 bleus pour l'atelier : 20 en 1 m et 20 en 3 m")
    assert sorted(lines(intent)) == [("PC-1M", 2), ("PC-3M", 2)] and not intent.clarify


@pytest.mark.parametrize("text", [
    "Merci d'envoyer 5 lots de clés USB 32 Go et autant de disques externes 2 To",
    "Il nous faut 5 lots de clés USB 32 Go, et le même nombre de disques externes 2 To",
])
def test_as_many_takes_the_count_said_just_before(office, text):
    assert sorted(lines(office.parse(text))) == [("HDD-2TO", 5), ("KEY-32", 5)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de livrer 8 Lenvo E14 Gen 5", [("NB-E14", 8)]),
    ("Pouvez-vous nous indiquer si vous disposez de 16 E16 Gen 2 ?", [("NB-E16", 16)]),
    ("2 portables E14 Gen 5 8 Go svp", [("NB-E14", 2)]),
])
def test_a_figure_before_a_model_named_by_its_code_is_how_many(office, text, expected):
    assert lines(office.parse(text)) == expected


def test_a_table_row_keeps_its_quantity_column_apart_from_the_product_figures(office):
    text = ("Réf.       Désignation                 Qté\n"
            "NB-E14     Lenvo E14 Gen 5 8 Go             8\n"
            "KEY-32     Clé USB 32 Go                    3\n")
    assert sorted(lines(office.parse(text))) == [("KEY-32", 3), ("NB-E14", 8)]


def test_a_figure_changed_from_one_to_another_is_the_new_one(office):
    analysis = office.analyse("Pour le devis, merci de passer les clés USB 32 Go de 10 à 14.")
    assert [(r.mention.sku, r.qty) for r in analysis.readings] == [("KEY-32", 14)]


@pytest.mark.parametrize("text", [
    "Vous avez du toner 32A ? Il nous faut cyan et magenta, 2 de chaque.",
    "Do you stock 32A toners? We need cyan and magenta: 2 each.",
])
def test_variants_then_one_count_for_each(office, text):
    assert sorted(lines(office.parse(text))) == [("TN-32-C", 2), ("TN-32-M", 2)]


def test_one_product_under_two_headings_of_a_consolidated_order_is_summed(office):
    text = ("Commande groupée :\n\nAgence de Nantes\n  - clés USB 32 Go : 3 lots\nAgence de Rennes\n"
            "  - clés USB 32 Go : 2 lots\n  - disque externe 2 To : 1\n")
    assert sorted(lines(office.parse(text))) == [("HDD-2TO", 1), ("KEY-32", 5)]


def test_the_same_line_said_again_is_not_summed(office):
    text = "Merci de livrer 3 lots de clés USB 32 Go.\n\nRécap : 3 lots de clés USB 32 Go, livraison jeudi."
    assert lines(office.parse(text)) == [("KEY-32", 3)]


def test_more_of_a_quoted_line_adds_to_it(office):
    text = ("Même chose que la dernière fois, mais avec 2 lots de clés USB 32 Go de plus.\n\n"
            "> Le 28/10, Paul a écrit :\n> Commande : 3 lots de clés USB 32 Go, 1 disque externe 2 To.\n")
    assert sorted(lines(office.parse(text))) == [("HDD-2TO", 1), ("KEY-32", 5)]


def test_a_site_before_the_colon_labels_the_line_and_ditto_repeats_the_line_above(office):
    text = ("Pour la rentrée :\n- Nantes : 3 lots de clés USB 32 Go\n- Rennes : idem\n"
            "- Chromebox : 2 disques externes 2 To\n")
    # "Chromebox" is a product word, here the name of a room: the line is the drives
    assert sorted(lines(office.parse(text))) == [("HDD-2TO", 2), ("KEY-32", 6)]


def test_a_figure_alone_after_a_correction_replaces_the_one_line(office):
    assert lines(office.parse("3 lots de clés USB 32 Go svp\n\nsorry, make that 5 – forgot the annex")) == [("KEY-32", 5)]


def test_a_star_bullet_is_no_times_sign(office):
    text = "Peux-tu préparer :\n* 2 moniteurs 4K 27\n* 1 carton de cordons Cat6 1 m\n"
    assert sorted(lines(office.parse(text))) == [("MON-27-4K", 2), ("PC-1M", 10)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Merci de livrer :\nRK-42 x 2\nHDD-2 x 3", [("RK-42U", 2), ("HDD-2TO", 3)]),
    ("please send KEY x 4", []),  # a bare word is no code: "key" is not a SKU cut short
    ("Merci de livrer 2 CBX", []),
])
def test_a_code_cut_short_that_only_one_sku_begins_with_names_it(office, text, expected):
    intent = office.parse(text)
    assert [pair for pair in lines(intent) if pair[0]] == expected


def test_a_code_cut_short_that_several_skus_begin_with_is_a_question_naming_them(office):
    intent = office.parse("Merci de livrer :\nTN-32 x 4\nRK-24U x 1")
    assert intent.clarify
    asked = next(line for line in intent.lines if line.sku is None)
    assert (asked.qty, set(asked.candidates)) == (4, {"TN-32-C", "TN-32-M", "TN-32-Y"})
    assert ("RK-24U", 1) in lines(intent)
