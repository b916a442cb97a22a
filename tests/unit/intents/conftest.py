from __future__ import annotations

import pytest

from commerce.demo import DEMO_DIR
from intents import CatalogEntry, Parser, entries_from_csv

# A trade counter of our own invention, with the attributes buyers write next to figures:
# part codes, gauges, tyre sizes, oil grades, needle gauges, fertiliser formulas, battery
# capacities, glove sizes, diameters, cable sections, tile formats and boxed single items.
TRADE = [
    CatalogEntry("PLQ-208-AV", "Plaquettes de frein avant Clio IV", "freinage", "jeu", 1, ("plaquettes avant clio",)),
    CatalogEntry("PLQ-208-AR", "Plaquettes de frein arrière Clio IV", "freinage", "jeu", 1, ("plaquettes arrière clio",)),
    CatalogEntry("BA13-250", "Plaque de plâtre BA13 2,50 m", "plâtrerie", "plaque", 40, ("BA13 2m50", "placo 250")),
    CatalogEntry("BA13-300", "Plaque de plâtre BA13 3 m", "plâtrerie", "plaque", 40, ("BA13 3m", "placo 300")),
    CatalogEntry("VIS-3525", "Vis plaque de plâtre 3,5x25 (boîte de 1000)", "visserie", "boîte", 10, ("vis placo 25",)),
    CatalogEntry("VIS-3545", "Vis plaque de plâtre 3,5x45 (boîte de 1000)", "visserie", "boîte", 10, ("vis placo 45",)),
    CatalogEntry("PNE-2055516", "Pneu été 205/55 R16 91V", "pneus", "pièce", 4, ("pneu 205/55 R16",)),
    CatalogEntry("PNE-1956515", "Pneu été 195/65 R15 91H", "pneus", "pièce", 4, ("pneu 195/65 R15",)),
    CatalogEntry("HUI-5W30-5L", "Huile moteur 5W30 C3 bidon 5 L", "lubrifiants", "bidon", 4, ("5W30 5L",)),
    CatalogEntry("HUI-5W40-5L", "Huile moteur 5W40 bidon 5 L", "lubrifiants", "bidon", 4, ("5W40 5L",)),
    CatalogEntry("AIG-23G", "Aiguilles hypodermiques 23G (boîte de 100)", "injection", "boîte", 10, ("aiguilles 23G",)),
    CatalogEntry("AIG-21G", "Aiguilles hypodermiques 21G (boîte de 100)", "injection", "boîte", 10, ("aiguilles 21G",)),
    CatalogEntry("SER-5ML", "Seringues 5 ml (boîte de 100)", "injection", "boîte", 20, ("seringues 5 ml", "syringes 5 ml")),
    CatalogEntry("ENG-151515", "Engrais NPK 15-15-15 sac 25 kg", "engrais", "sac", 40, ("engrais 15-15-15",)),
    CatalogEntry("ENG-201010", "Engrais NPK 20-10-10 sac 25 kg", "engrais", "sac", 40, ("engrais 20-10-10",)),
    CatalogEntry("BAT-60AH", "Batterie 12 V 60 Ah", "batteries", "pièce", 1, ("batterie 60Ah",)),
    CatalogEntry("BAT-95AH", "Batterie 12 V 95 Ah", "batteries", "pièce", 1, ("batterie 95Ah",)),
    CatalogEntry("GANT-NIT-L", "Gants nitrile taille L (boîte de 100)", "epi", "boîte", 10, ("gants nitrile L",)),
    CatalogEntry("GANT-NIT-M", "Gants nitrile taille M (boîte de 100)", "epi", "boîte", 10, ("gants nitrile M",)),
    CatalogEntry("TUB-300", "Tube PVC assainissement Ø300 barre de 3 m", "assainissement", "barre", 10, ("tube pvc 300",)),
    CatalogEntry("TUB-200", "Tube PVC assainissement Ø200 barre de 3 m", "assainissement", "barre", 10, ("tube pvc 200",)),
    CatalogEntry("CAB-3G15", "Câble R2V 3G1,5 couronne 100 m", "électricité", "couronne", 1, ("câble 3G1,5",)),
    CatalogEntry("CAB-3G25", "Câble R2V 3G2,5 couronne 100 m", "électricité", "couronne", 1, ("câble 3G2,5",)),
    CatalogEntry("CAR-3060", "Carrelage mural 30x60 blanc – boîte 1,44 m²", "carrelage", "boîte", 48, ("faïence 30x60",)),
    CatalogEntry("CIM-35", "Ciment gris CEM II 35 kg", "liants", "sac", 40, ("ciment 35 kg", "ciment gris")),
    CatalogEntry("CHE-LAB-M", "Chemise de laboratoire blanche taille M", "vêtements", "pièce", 1, ("blouse M",)),
    CatalogEntry("CHA-2X25", "Chariot de lavage double seau 2 x 25 L", "entretien", "pièce", 1, ("chariot de ménage",)),
    CatalogEntry("DIS-125", "Disque diamant Ø125 mm", "outillage", "pièce", 10, ("disque 125", "disque diamant 125")),
    CatalogEntry("DIS-230", "Disque diamant Ø230 mm", "outillage", "pièce", 10, ("disque 230", "disque diamant 230")),
]


@pytest.fixture(scope="session")
def parser() -> Parser:
    return Parser(entries_from_csv(DEMO_DIR / "catalog.csv"))


@pytest.fixture(scope="session")
def trade() -> Parser:
    return Parser(TRADE)


@pytest.fixture(scope="session")
def entries():
    return {e.sku: e for e in entries_from_csv(DEMO_DIR / "catalog.csv")}


def lines(intent) -> list[tuple]:
    return [(line.sku, line.qty) for line in intent.lines]
