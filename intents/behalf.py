"""A sales rep's own terms in a request: on behalf of which customer, with what extra discount.

"commande pour ACME : 20 PAP-A4-80, remise 5 %" -> ("ACME", 5). The assistant checks that
the writer is a rep and that the discount is within their authority.
"""

from __future__ import annotations

import re
from decimal import Decimal

ON_BEHALF = re.compile(r"\b(?:commande|commander|order|devis|quote)\s+(?:pour|for)\s+(?:le client\s+|customer\s+)?"
                       r"([^\s:,;][^:\n;]{0,60}?)\s*[:\n]", re.I)
DISCOUNT = re.compile(r"(?:remise|discount|rabais|r[ée]duction)\s*(?:de|of|:)?\s*(\d+(?:[.,]\d+)?)\s*%|"
                      r"(\d+(?:[.,]\d+)?)\s*%\s*(?:de remise|discount|off|de rabais)", re.I)


# "order for thursday:", "commande pour demain :", "devis pour le chantier :": when, or where, not whom
NOT_A_CUSTOMER = re.compile(r"^(?:(?:le|la|les|l'|this|next|the|ce|cette|nos?|notre|our|my|mon|ma|mes)\s*)*"
                            r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
                            r"thursday|friday|saturday|sunday|demain|tomorrow|aujourd'hui|today|semaine|week|mois|"
                            r"month|chantier|site|boutique|shop|magasin|store|atelier|workshop|d[ée]p[oô]t|depot|"
                            r"livraison|delivery|\d)", re.I)


def rep_terms(body: str) -> tuple[str | None, Decimal | None]:
    behalf = ON_BEHALF.search(body)
    if behalf and NOT_A_CUSTOMER.match(behalf.group(1).strip()):
        behalf = None
    discount = DISCOUNT.search(body)
    value = Decimal((discount.group(1) or discount.group(2)).replace(",", ".")) if discount else None
    return (behalf.group(1).strip() if behalf else None), value
