"""Word forms that a catalog and a message written differently still share.

Both sides go through the same steps: lower case, accents removed, plurals folded
(French -s/-x/-aux, English -s/-es/-ies), elided articles dropped. Nothing here knows a
catalog: the lexicons below are grammar (articles, prepositions, units of measure, count
units), not product words.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz, process

# Function words of both languages: never product evidence.
STOP = frozenset(
    ["de", "du", "des", "la", "le", "les", "un", "une", "en", "pour", "par", "avec", "au", "aux", "a", "et", "ou", "sur", "dans", "sous", "nos", "notre", "votre", "vos", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "ce", "cet", "cette", "ces", "se", "qu", "que", "qui", "y", "il", "elle", "on", "nous", "vous", "je", "tu", "me", "te", "moi", "svp", "stp", "merci", "the", "of", "for", "an", "and", "or", "with", "in", "on", "to", "at", "our", "your", "my", "this", "that", "these", "those", "it", "is", "are", "be", "by", "from", "as", "i", "me", "we", "us", "you", "pls", "please", "thanks", "thx", "some", "any", "all", "x", "taille", "size", "pointure"]
)

IRREGULAR = {"mice": "mouse", "knives": "knife", "feet": "foot", "teeth": "tooth", "men": "man", "women": "woman",
             "children": "child", "leaves": "leaf", "shelves": "shelf", "yeux": "oeil", "jeux": "jeu",
             "tyres": "tyre", "tires": "tyre", "tire": "tyre"}
ROMAN = {"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8"}


@lru_cache(maxsize=65536)
def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=131072)
def fold(word: str) -> str:
    """A word's comparable form: no accent, no case, singular."""
    w = strip_accents(word.lower()).replace("œ", "oe").replace("æ", "ae").replace("μ", "u").replace("µ", "u")
    if w in IRREGULAR:
        return IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-1]  # batteries, séries -> batterie, série (English "battery" meets it below)
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith(("sse", "she", "che")):
        # "poche" and "poches", "caisse" and "caisses", "inch" and "inches": one form
        return w[:-1]
    if w.endswith("eaux"):
        return w[:-1]
    if w.endswith("aux") and len(w) > 4:
        return w[:-3] + "al"
    if w.endswith(("s", "x")) and (not w.endswith(("ss", "us", "is", "ys")) or w.endswith(("eus", "ous"))):
        w = w[:-1]
    if w.endswith("y") and len(w) > 3 and w[-2] not in "aeiouy":
        w = w[:-1] + "ie"  # battery -> batterie, like its plural
    return w


# Units of measure: a number followed by one of these is a measure (value, dimension).
# Values are converted to one base unit per dimension so that 55 cm == 550 mm.
MEASURE_UNITS: dict[str, tuple[str, float]] = {
    "mm": ("len", 1), "cm": ("len", 10), "m": ("len", 1000), "metre": ("len", 1000), "metres": ("len", 1000),
    "meter": ("len", 1000), "meters": ("len", 1000), "km": ("len", 1_000_000),
    "inch": ("len", 25.4), "inche": ("len", 25.4), "pouce": ("len", 25.4), '"': ("len", 25.4),
    "l": ("vol", 1000), "litre": ("vol", 1000), "liter": ("vol", 1000), "lt": ("vol", 1000), "ltr": ("vol", 1000),
    "ml": ("vol", 1), "cl": ("vol", 10), "cc": ("vol", 1), "µl": ("vol", 0.001), "ul": ("vol", 0.001), "m3": ("vol", 1_000_000),
    "g": ("mass", 1), "gr": ("mass", 1), "kg": ("mass", 1000), "kilo": ("mass", 1000), "t": ("mass", 1_000_000),
    "tonne": ("mass", 1_000_000), "ton": ("mass", 1_000_000), "mg": ("mass", 0.001),
    "m2": ("area", 1), "m²": ("area", 1), "cm2": ("area", 0.0001),
    "ah": ("ah", 1), "mah": ("ah", 0.001), "a": ("amp", 1), "ma": ("amp", 0.001), "v": ("volt", 1),
    "w": ("watt", 1), "kw": ("watt", 1000), "k": ("kelvin", 1), "lm": ("lumen", 1), "bar": ("bar", 1),
    "°c": ("temp", 1), "°": ("deg", 1), "%": ("pct", 1), "vol": ("vol_o2", 1), "volume": ("vol_o2", 1),
    "gsm": ("gsm", 1), "mic": ("micron", 1), "micron": ("micron", 1), "µm": ("micron", 1), "um": ("micron", 1), "µ": ("micron", 1),
}
# Units that are also ordinary words: only a measure right after a number, and "a" only glued
# ("540A") or in a run of measures, since "2 a day" or "for 3 a" are English.
WEAK_UNITS = frozenset({"a", "v", "k", "t", "l", "g", "m", "w", "°"})

# Count units: the words that say how many of something ("3 boxes", "2 cartons").
# Each maps to the classes of sale unit it can stand for.
COUNT_UNITS: dict[str, frozenset[str]] = {}


def _units(classes: str, *words: str) -> None:
    for word in words:
        for form in {word, fold(word), fold(word + "s")}:  # keys as messages fold them ("copies" -> "copie")
            COUNT_UNITS[form] = COUNT_UNITS.get(form, frozenset()) | frozenset(classes.split())


_units("boite", "boite", "bte", "btes", "bt", "box", "boxe", "bx")
_units("sac", "sac", "bag")
_units("sachet", "sachet", "bag", "pouch", "pochette")
_units("rouleau", "rouleau", "roll", "rlx", "rl", "bobine")
_units("paquet", "paquet", "pack", "packet", "pqt", "paq", "pkt")
_units("lot", "lot", "botte", "bundle", "set", "kit")
_units("bidon", "bidon", "can", "jerrycan", "jerrican")
_units("fut", "fut", "drum", "barrel", "tonneau", "keg")
_units("pot", "pot", "tin", "tub")
_units("seau", "seau", "bucket", "pail", "tub")
_units("flacon", "flacon", "bottle", "bouteille")
_units("canette", "canette", "cannette", "can")
_units("cartouche", "cartouche", "cartridge")
_units("jeu", "jeu", "set", "kit", "jx")
_units("paire", "paire", "pair", "pr")
_units("piece", "piece", "pce", "pc", "pcs", "unit", "unite", "u", "ea", "each", "exemplaire", "copy", "copie", "ex")
_units("plaque", "plaque", "sheet", "board", "panneau", "panel")
_units("barre", "barre", "bar", "length", "longueur")
_units("couronne", "couronne", "coil", "touret")
_units("big bag", "bigbag", "bulkbag")
_units("cuve", "cuve", "ibc", "tote", "cubi")
_units("rack", "rack", "plate", "portoir")
_units("litre", "litre", "liter", "l", "lt")
_units("metre", "metre", "meter", "m")
_units("kg", "kg", "kilo")
_units("aerosol", "aerosol", "bombe", "spray")
_units("carton", "carton")
_units("colis", "colis", "parcel")
# Packaging above the sale unit: "2 cartons" is 2 x pack_size sale units (unless the
# product's own sale unit is that packaging).
PACKAGING = frozenset({"carton", "caisse", "case", "colis", "ctn", "cs", "palette", "pallet", "pal", "fut", "drum",
                       "barrel", "keg", "cartons", "casier", "crate"})
# one packaging said in either language ("pallet" is a "palette")
_PACKAGING_AS = {"pallet": "palette", "pal": "palette", "case": "caisse", "cs": "caisse", "ctn": "carton",
                 "cartons": "carton", "drum": "fut", "barrel": "fut", "keg": "fut", "crate": "casier"}
HALF = frozenset({"demi", "half", "moitie"})


def packaging_class(word: str) -> str | None:
    """The packaging a word names, whatever the language ("pallet" -> palette), or None."""
    return _PACKAGING_AS.get(word, word) if word in PACKAGING else None


def unit_classes(word: str) -> frozenset[str]:
    """The sale-unit classes a count word can stand for ("bag" -> sac, sachet)."""
    return COUNT_UNITS.get(word, frozenset())


@lru_cache(maxsize=4096)
def sale_unit_class(unit: str) -> str:
    """A catalog's sale unit reduced to its class ("boîte" -> "boite", "big bag" -> "big bag")."""
    word = fold(unit.strip()) if unit else ""
    if word in ("big bag", "bigbag", "bulk bag"):
        return "big bag"
    classes = COUNT_UNITS.get(word)
    if classes and len(classes) == 1:
        return next(iter(classes))
    return word or "piece"


@lru_cache(maxsize=4096)
def misspelt_unit(word: str) -> str | None:
    """A count word misspelt right after a figure ("cartosn", "boutielles"), or None."""
    if len(word) < 5 or not word.isalpha() or word in MEASURE_UNITS or word in COUNT_UNITS or word in PACKAGING:
        return None
    found = process.extractOne(word, _UNIT_WORDS, scorer=fuzz.ratio, score_cutoff=80)
    return found[0] if found is not None else None


_UNIT_WORDS = sorted({w for w in (*COUNT_UNITS, *PACKAGING) if len(w) >= 4})


# figures said in words
WORDS_FR = {"zero": 0, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
            "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
            "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
            "mille": 1000,
            # Belgian and Swiss French
            "septante": 70, "octante": 80, "huitante": 80, "nonante": 90}
WORDS_EN = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
            "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
            "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000}
# words that count: a dozen is an exact figure ("une douzaine de dévidoirs" names dévidoirs); "une dizaine" is
# about ten, an approximation that is asked about
DOZEN = frozenset({"douzaine", "douzaines", "dozen", "dozens"})
APPROX_WORDS = {"dizaine": 10, "douzaine?": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
                "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000}
