"""Normalising words so that a catalog and a message written differently still meet.

Both sides go through the same steps: lower case, accents removed, letters and digits
split apart ("305XL" -> "305 xl", "80g" -> "80 g"), plurals folded (French -s/-x,
English -s/-es/-ies), so "Cartouches" == "cartouche" and "boxes" == "box".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TOKEN = re.compile(r"[a-z0-9]+")
PIECES = re.compile(r"[a-z]+|\d+")
ELISION = re.compile(r"\b[cdjlmnst]['’]", re.I)

# Words that carry no product meaning in either language.
STOP = frozenset(
    ["de", "du", "des", "d", "la", "le", "les", "un", "une", "en", "pour", "par", "avec", "au", "aux", "a", "à", "et", "ou", "sur", "dans", "nos", "notre", "votre", "vos", "the", "of", "for", "an", "and", "or", "with", "in", "on", "to", "our", "your", "x", "pcs", "pc", "piece", "pieces"]
)
# Packaging words: a quantity followed by one of these may be in cartons of pack_size.
PACKAGING = frozenset(["carton", "cartons", "colis", "caisse", "caisses", "case", "cases", "pack", "packs", "lot", "lots", "paquet", "paquets", "box", "boxes", "boite", "boites"])


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


IRREGULAR = {"mice": "mouse", "knives": "knife", "feet": "foot", "teeth": "tooth", "men": "man",
             "women": "woman", "children": "child", "leaves": "leaf", "shelves": "shelf", "yeux": "oeil"}


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word's comparable form: no accent, no case, singular."""
    w = strip_accents(word.lower())
    if w in IRREGULAR:
        return IRREGULAR[w]
    if w.isdigit() or len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("aux") and len(w) > 4:
        return w[:-3] + "al"
    if w.endswith("eaux"):
        return w[:-1]
    if w.endswith(("s", "x")) and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def split_token(token: str) -> list[str]:
    """`305xl` -> [`305`, `xl`], `a4` -> [`a`, `4`]: letters and digits compared apart."""
    return [fold(p) for p in PIECES.findall(token)]


def key_words(text: str) -> list[str]:
    """Product words of a text: stop words dropped, except letters glued to digits (A4, 305XL)."""
    out = []
    for token in re.findall(r"[^\W_]+", ELISION.sub(" ", text).lower()):
        pieces = split_token(strip_accents(token))
        if len(pieces) > 1:
            out.extend(pieces)
        elif pieces and token not in STOP:
            out.append(pieces[0])
    return out
