"""French or English, per message: function words decide, the contact's language breaks ties."""

from __future__ import annotations

import re

FRENCH = frozenset(["le", "la", "les", "des", "du", "de", "un", "une", "est", "sont", "nous", "vous", "votre", "vos", "notre", "nos", "pour", "avec", "merci", "bonjour", "svp", "stp", "cordialement", "avez", "pouvez", "besoin", "commande", "commander", "livrer", "devis", "encours", "il", "elle", "en", "et", "ou", "mais", "pas", "ne", "je", "j", "au", "aux", "ce", "cette", "ces", "qui", "que", "quoi", "où", "quel", "quelle", "combien", "faut", "faudrait", "voudrais", "voudrions", "disponible", "stock", "madame", "monsieur", "salut", "bonsoir"])
ENGLISH = frozenset(["the", "a", "an", "is", "are", "we", "you", "your", "our", "for", "with", "thanks", "thank", "hello", "hi", "please", "could", "would", "need", "order", "deliver", "quote", "balance", "do", "does", "have", "has", "of", "to", "and", "or", "but", "not", "i", "it", "this", "these", "that", "which", "what", "where", "when", "how", "much", "many", "available", "stock", "dear", "regards", "best", "send", "ship"])
# more of each language's commonest words (grammar, time, the verbs of a request), so that a short
# message written without the words above is still told ("one per new hire: 6 laptops, 6 docks")
ENGLISH = ENGLISH | frozenset(["new", "like", "last", "time", "next", "more", "just", "same", "also", "there",
                               "who", "hey", "get", "can", "will", "be", "my", "us", "they", "them", "was",
                               "were", "been", "any", "some", "all", "yes", "here", "when", "what", "which",
                               "how", "why", "about", "into", "out", "up", "its", "their", "than", "then",
                               "only", "other", "each", "every", "many", "much", "very", "well", "week",
                               "today", "tomorrow", "send", "ship", "asap", "if", "so", "that", "from",
                               "by", "at", "per", "thx", "cheers", "regards"])
FRENCH = FRENCH | frozenset(["dans", "sur", "chez", "aussi", "encore", "bien", "très", "faire", "fait",
                             "livraison", "semaine", "demain", "aujourd", "mois", "prochain", "prochaine",
                             "quand", "comme", "tout", "tous", "toutes", "mes", "mon", "ma", "leur", "leurs",
                             "cela", "ça", "déjà", "avoir", "être", "sommes", "êtes", "faut", "merci",
                             "salutations", "bonne", "journée"])
WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüœ']+", re.I)


def detect(text: str, hint: str | None = None) -> str:
    french = english = 0
    for word in WORD.findall(text.lower()):
        word = word.strip("'")
        if word in FRENCH and word not in ENGLISH:
            french += 1
        elif word in ENGLISH and word not in FRENCH:
            english += 1
    if re.search(r"[éèêàçù]", text):
        french += 1
    if french == english:
        return hint if hint in ("fr", "en") else "fr"
    return "fr" if french > english else "en"
