"""Ways of asking, as named cues: the words people use to order, ask a price, ask for stock,
accept, chase, complain, cancel or talk about their account, in French and English.

Cues are grammar of the trade, not product words. They feed the learned intent model as
extra tokens (it weighs them against everything else the message says), and the decision
stage reads a few of them directly (a cancellation, an auto-reply, "which quote?").
"""

from __future__ import annotations

import re
from functools import lru_cache

from intents.literals import Literals, openings, required_literal


class Cue:
    """One family of ways of saying something, searched cheaply.

    Each alternative keeps the literal text any of its matches must contain: an alternative
    whose literal is absent from the message is not run at all. That prefilter is exact (a
    pure speed-up), and it makes the cues a small part of reading a message.
    """

    __slots__ = ("_always", "_keyed", "_literal_set", "_patterns")

    def __init__(self, *patterns: str) -> None:
        keyed: dict[str, list[str]] = {}
        always: list[str] = []
        for pattern in patterns:
            literal = required_literal(pattern)
            if len(literal) >= 2:
                keyed.setdefault(literal, []).append(pattern)
            elif (opened := openings(pattern)) and all(len(o) >= 2 for o in opened):
                for o in opened:  # "\b(?:quote|offer|devis) (?:fine|ok)": runs where one of them is
                    keyed.setdefault(o, []).append(pattern)
            else:
                always.append(pattern)
        self._patterns = patterns
        self._keyed = {literal: _compile(group) for literal, group in keyed.items()}
        self._literal_set = frozenset(self._keyed)
        self._always = _compile(always) if always else None

    def search(self, text: str) -> bool:
        """Whether the text says it (case-insensitive)."""
        lowered = text.lower()
        return self.search_lowered(lowered, _present(lowered))

    def search_lowered(self, lowered: str, present: frozenset[str]) -> bool:
        """The same, on text already lower-cased, with the literals it contains."""
        if self._always is not None and self._always.search(lowered):
            return True
        return any(self._keyed[literal].search(lowered) for literal in self._literal_set & present)

    @property
    def literals(self) -> list[str]:
        return list(self._keyed)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    """Compiled for lower-cased text (case-insensitive matching is several times slower)."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    letters = re.sub(r"\\.", "", joined)
    assert letters == letters.lower(), f"an upper-case letter in a cue: {joined}"
    return re.compile(joined)


_cues = Cue

CUES: dict[str, Cue] = {
    "auto_reply": _cues(r"r[ée]ponse automatique", r"\babsente? (?:du|jusqu)", r"out of (?:the )?office",
                        r"automatic reply", r"auto[- ]?reply", r"automatisch antwoord", r"je suis (?:actuellement )?absente?",
                        r"i am (?:currently )?(?:out|away|on (?:annual )?leave)", r"i'?m (?:out|away|on (?:annual )?leave)",
                        r"en cong[ée]s? jusqu", r"\bde retour le\b", r"limited access to (?:e-?mail|my mail)",
                        r"delivery status notification", r"undeliverable", r"delivery has failed", r"mailer-daemon",
                        r"\baddress not found\b", r"message (?:wasn't|was not) delivered", r"ne pas r[ée]pondre",
                        r"do not reply", r"ne pas y r[ée]pondre", r"message (?:est )?envoy[ée] automatiquement"),
    "bulk": _cues(r"d[ée]sinscri", r"d[ée]sabonn", r"unsubscribe", r"newsletter", r"lettre d'information",
                  r"\bwebinai?re?\b", r"offres? (?:sp[ée]ciales?|du mois|de (?:novembre|d[ée]cembre|no[eë]l))",
                  r"special offer", r"version en ligne", r"view in (?:your )?browser", r"\bgagnez\b", r"you(?:'ve| have) won",
                  r"click here", r"cliquez ici", r"black friday", r"\bpromo(?:tion)?s?\b", r"d[ée]stockage",
                  r"liste de diffusion", r"mailing list", r"you(?:'re| are) receiving this", r"vous recevez (?:cet|ce)",
                  r"manage preferences", r"privacy policy", r"inscription gratuite", r"je m'inscris", r"free (?:audit|samples?)",
                  r"candidature", r"\bcv\b", r"\bseo\b", r"page 1 (?:on|for)", r"financement", r"tr[ée]sorerie",
                  r"factory|fabricant", r"\bmoq\b", r"partenariat", r"catalogue et des [ée]chantillons"),
    "carrier": _cues(r"votre colis", r"your (?:parcel|package)", r"a [ée]t[ée] livr[ée]", r"has been delivered",
                     r"avis de (?:livraison|passage)", r"suivi en ligne", r"tracking number:", r"signataire"),
    "thanks": _cues(r"^\W*(?:merci|thanks|thank you|thx|cheers|ty)\b", r"\bmerci (?:pour|de votre|beaucoup|encore)\b",
                    r"\bthanks? (?:for|again|a lot)\b", r"\bbien re[çc]u\b", r"\btout (?:est|[ée]tait) (?:conforme|ok|bon)\b",
                    r"\ball good\b", r"\beverything arrived\b", r"\bnoted\b", r"\bc'est not[ée]\b", r"\bparfait\b",
                    r"\bmuch appreciated\b", r"\bmeilleurs v[œoe]+ux\b", r"\bmerry christmas\b", r"\bjoyeux\b",
                    r"\bgreat\b"),
    # ("annule et remplace", "cancel and replace": a message superseded, nothing cancelled)
    "cancel": _cues(r"\bannul(?!\w*\s+(?:et|&)\s+rempla)", r"\bcancel(?!\w*\s+(?:and|&)\s+replace)",
                    r"ne (?:pas|plus) (?:livrer|envoyer|commander)", r"laisse[zs]? tomber",
                    r"oublie[zs]? (?:ma|notre|la|mon) (?:demande|commande|message)", r"\bdisregard\b", r"\bignore my\b",
                    r"plus (?:la peine|besoin)", r"\bpas besoin\b", r"\bno need\b", r"no longer need", r"pas (?:donner )?suite", r"ne donnerons pas suite",
                    r"\bdecline\b", r"\bnot (?:be )?(?:proceed|going ahead)", r"won'?t be (?:proceeding|going ahead)", r"finalement (?:pas|plus|on n'a pas)", r"\bwithdraw",
                    r"we(?:'re| are) sorted", r"on a (?:[ée]t[ée] )?d[ée]pann[ée]", r"on a r[ée]cup[ée]r[ée]"),
    "accept": _cues(r"bon pour accord", r"\bj'accepte\b", r"\bnous acceptons\b", r"\bon accepte\b", r"\bje valide\b",
                    r"\bnous validons\b", r"\bvalid[ée]e?s?\b", r"\bok pour (?:le|votre|ce|ton|la) (?:devis|proposition|offre)",
                    r"\bd'accord pour (?:le|votre|ce|ton|la) (?:devis|proposition|offre)", r"\bc'est (?:bon|ok|d'accord)\b",
                    r"\bon part (?:l[àa]-dessus|sur)\b", r"\bvous pouvez (?:lancer|proc[ée]der|envoyer|livrer|y aller)\b",
                    r"\btu peux (?:lancer|y aller|envoyer)\b", r"\bwe accept\b", r"\bi accept\b", r"\baccept(?:ed|ing)?\b",
                    r"\bapproved?\b", r"\bsigned (?:off|quote)?\b", r"\bsign[ée]\b", r"\bgo ahead\b", r"\bgo for it\b",
                    r"\bgood to go\b", r"\bproceed\b", r"\bplease process\b", r"\blooks good\b", r"\bfine by me\b",
                    r"\b(?:quote|offer|devis|proposition)(?:'s| is)? (?:fine|ok|okay|good|accepted|approved)\b",
                    r"\bsaid yes\b", r"\bretenue?\b", r"\bnous retenons\b", r"\bon retient\b", r"\bje retiens\b", r"\battribu", r"\bgo pour\b", r"\blet'?s go\b", r"\bon y va\b"),
    "quote": _cues(r"\bdevis\b", r"\bquot(?:e|ation|es|ing)\b", r"\bcotation\b", r"\bchif+r(?:er|age|ez|e)\b",
                   r"\bproposition\b", r"\boffre\b", r"\boffer\b", r"\bpro ?forma\b", r"\bestimate\b",
                   r"\bprice\b", r"\bprices\b", r"\bpricing\b", r"\bprix\b", r"\btarifs?\b", r"\bcombien\b", r"\bhow much\b",
                   r"\bco[uû]te(?:rai)?(?:en)?t?\b", r"\bcost\b", r"\brequote\b", r"\brfq\b", r"\bprice up\b",
                   r"\bfaire un prix\b", r"\bvous aligner\b", r"\bconditions\b"),
    "stock": _cues(r"\ben stock\b", r"\bstocks?\b", r"\bdisponibles?\b", r"\bdispos?\b", r"\bdisponibilit[ée]s?\b",
                   r"\bavez-vous\b", r"\bavez vous\b", r"\bauriez-vous\b", r"\bvous avez\b", r"\bt'as\b", r"\btu as\b",
                   r"\breste-t-il\b", r"\bvous reste-t-il\b", r"\bdo you (?:have|still have|carry|stock)\b",
                   r"\bin stock\b", r"\bavailab(?:le|ility)\b", r"\bhave you got\b", r"\bgot any\b", r"\bany\b.{0,40}\bleft\b",
                   r"\bback in stock\b", r"\brupture\b", r"\barrivage\b", r"\bon hand\b", r"\bhow many\b.{0,40}\b(?:have|left)\b",
                   r"\bcombien (?:de|d').{0,40}(?:en stock|reste|avez)", r"\bcombien (?:il )?(?:vous )?(?:en )?reste", r"\bil (?:vous|te|t') (?:en )?reste\b", r"\breste-t-il\b",
                   r"\banything on\b", r"\bserez en mesure de (?:fournir|livrer)\b", r"\bable to (?:supply|deliver)\b",
                   r"\bhow many\b.{0,40}\b(?:left|in stock|available|do you have)\b", r"\bwhat(?:'s| is) your stock\b",
                   r"\bstock on\b", r"\bpouvez-vous (?:me )?fournir\b", r"\bcan you supply\b", r"\bdisposez-vous\b", r"\bstock check\b",
                   r"\b(?:si )?vous disposez (?:de|d')", r"\bdispose[sz]?-tu\b",
                   r"\bquand (?:aurez|recevez|aurez-vous)\b", r"\bwhen .{0,30}back\b", r"\bnext delivery\b",
                   r"\bprochain arrivage\b", r"\bvous recevez quand\b", r"\best-ce que vous avez\b", r"\bdo u have\b"),
    "order": _cues(r"\bcommand(?:e|er|ons|ez|é|ée|és|ées|erais)\b", r"\blivr(?:er|ez)\b", r"\benvoy(?:er|ez)\b",
                   r"\bfaire parvenir\b", r"\bexp[ée]dier\b", r"\bil (?:nous|me) (?:en )?fau(?:t|drait|draient)\b",
                   r"\bfaut\b", r"\bbesoin\b", r"\bnous (?:prenons|voulons|voudrions|souhaitons|aimerions)\b",
                   r"\bje (?:prends|veux|voudrais|souhaite|souhaiterais)\b", r"\bmerci de (?:nous )?(?:livrer|envoyer|pr[ée]parer)",
                   r"\bveuillez\b", r"\bpr[ée]parer\b", r"\bpasser (?:une )?commande\b", r"\border\b", r"\bordering\b",
                   r"\bdeliver\b", r"\bsend\b", r"\bship\b", r"\bsupply\b", r"\bwe(?:'d| would)? need\b", r"\bneed\b",
                   r"\bwe(?:'ll| will) take\b", r"\bwe(?:'d| would) like\b", r"\bi(?:'d| would) like\b", r"\breorder\b",
                   r"\brecommand", r"\brajout", r"\bajout", r"\badd\b", r"\bmets[- ]moi\b", r"\bmettre\b", r"\bput through\b",
                   r"\bbook\b", r"\bcan (?:i|we|u|you) (?:get|have|send)\b", r"\bplease process\b", r"\bprocess\b",
                   r"\br[ée]server\b", r"\bmettre de c[ôo]t[ée]\b", r"\bkey (?:it )?in\b", r"\bsaisi[rs]\b", r"\bpls\b.{0,20}\bsend\b",
                   r"\bbc\b", r"\bpurchase order\b", r"\bnotre commande\s*:", r"\bcommande\s*(?:pour|:)"),
    "status": _cues(r"o[uù] en (?:est|sont|[êe]tes)", r"\bincompl[eè]te?\b", r"\bmissing\b", r"\bmanqu(?:e|ait|ent|ant|aient)\b",
                    r"\bdamaged\b", r"\bab[îi]m[ée]", r"\bcass[ée]", r"\bbroken\b", r"\bperc[ée]s?\b", r"\bsuivi\b", r"\btracking\b",
                    r"\bstatus\b", r"\bavancement\b", r"\bany (?:news|update|eta)\b", r"\beta\b", r"\bupdate on\b",
                    r"\bdes nouvelles\b", r"\bdes news\b", r"\bquand (?:sera|seront|allez|va|arrive|aurons|vais|recevrai)",
                    r"\bwhen (?:will|can|is|are|do)\b", r"\bexp[ée]di[ée]e?s?\b", r"\bshipped\b", r"\bdispatched\b",
                    r"\b(?:est|sont)[- ]elles? partie?s?\b", r"\bpartie?s?\s*\?", r"\bpart aujourd'hui\b", r"\bon its way\b",
                    r"\bleft yet\b", r"\bpas (?:encore )?re[çc]u", r"\bnot (?:yet )?(?:received|arrived)", r"\btoujours (?:pas|rien)\b",
                    r"\bstill (?:waiting|no|nothing)\b", r"\bnothing (?:has )?arrived\b", r"\brien re[çc]u\b", r"\bpas livr[ée]",
                    r"\bdate de livraison\b", r"\bdelivery date\b", r"\bwhere is\b", r"\barriv(?:e|ent|era|eront) [àa] quelle\b",
                    r"\bquelle heure\b", r"\bretard", r"\bdelayed?\b", r"\blate\b", r"\bbackorder", r"\bwrong\b", r"\bau lieu de\b",
                    r"\binstead of\b", r"\bbien pr[ée]vue?\b", r"\b(?:we|nous) (?:ordered|avons command[ée]e?s?)\b.{0,60}"
                    r"\b(?:received|re[çc]u)", r"\bcollect and replace\b", r"\b[ée]change\b", r"\bremplacer\b",
                    r"\breprendre\b", r"\bdouane\b", r"\bcustoms\b", r"\bpli[ée]e?s?\b", r"\btordue?s?\b",
                    r"\binutilisables?\b", r"\bd[ée]fectueu(?:x|se)s?\b", r"\bdefective\b", r"\bfaulty\b", r"\bbent\b",
                    r"\bleak(?:s|ing)?\b", r"\bfuit\b", r"\bne fonctionne pas\b", r"\bdoesn'?t work\b",
                    r"\breçu ouvert\b", r"\bre[çc]u\b.{0,30}\b(?:ouvert|ab[îi]m|cass|endommag)", r"\bendommag", r"\bpris en compte\b", r"\bbon de livraison\b", r"\bdelivery note\b",
                    r"\bpaperwork\b", r"\binvestigate\b", r"\bv[ée]rifier\b", r"\bcheck\b", r"\btoujours valable\b",
                    r"\bstill valid\b", r"\bencore valable\b", r"\bvalidit[ée]\b", r"\bexpir", r"\brelance\b", r"\bchase\b",
                    r"\bchasing\b", r"\bfollow(?:ing)?[- ]up\b", r"\bready\b", r"\bpu avancer\b", r"\bpour quand\b",
                    r"\bstill coming\b", r"\bdid (?:you|the) .{0,20}(?:send|go out)\b", r"\bin progress\b", r"\bre(?:send|nvoyer)\b",
                    r"\bne le retrouve\b", r"\bcan'?t find\b", r"\bexpect\b", r"\bpu chiffrer\b", r"\bdid you get\b"),
    "account": _cues(r"\bencours?\b", r"\ben-cours\b", r"\bsoldes?\b", r"\bbalance\b", r"\blimite de cr[ée]dit\b",
                     r"\bplafond\b", r"\bcredit limit\b", r"\boutstanding\b", r"\bce (?:qu'il )?(?:nous )?reste [àa] (?:payer|r[ée]gler)\b",
                     r"\breste (?:[àa] payer|d[ûu])\b", r"\brestant d[ûu]\b", r"\b(?:do we|we) owe\b", r"\bfid[ée]lit[ée]\b",
                     r"\bloyalty\b", r"\bimpay[ée]e?s?\b", r"\bunpaid\b", r"\boverdue\b", r"\b[ée]chues?\b", r"\ben retard\b",
                     r"\bpayment terms\b", r"\bcredit terms\b", r"\bconditions de paiement\b", r"\brelev[ée]\b", r"\bstatement\b",
                     r"\bfactures?\b", r"\binvoices?\b", r"\bavoirs?\b", r"\bcredit note\b", r"\bcr[ée]dit\b", r"\bcredit\b",
                     r"\bduplicata\b", r"\bpaid\b", r"\br[ée]gl[ée]e?s?\b", r"\bpay[ée]e?s?\b", r"\bblocked on credit\b",
                     r"\bbloqu[ée]s?\b", r"\brelance\b", r"\bdunning\b", r"\breminder\b", r"\bmontant\b", r"\bfactur[ée]\b",
                     r"\bchorus\b", r"\bmandatement\b"),
    "admin": _cues(r"\brib\b", r"\bcoordonn[ée]es bancaires\b", r"\bbank details\b", r"\bchange(?:ment)? d'adresse\b",
                   r"\bnouvelle adresse\b", r"\bnew (?:invoicing |billing )?address\b", r"\badresse de facturation\b",
                   r"\binvoice (?:address|recipient)\b", r"\bsend (?:all )?invoices to\b", r"\bkbis\b", r"\battestation\b",
                   r"\bfiche technique\b", r"\bfds\b", r"\bdata ?sheet\b", r"\bsds\b"),
    "meeting": _cues(r"\brendez-vous\b", r"\brdv\b", r"\bse voir\b", r"\bvous rencontrer\b", r"\bmeeting\b",
                     r"\bfaire le point\b", r"\bdisponible (?:le|mardi|lundi|jeudi|vendredi|mercredi)\b",
                     r"\bcall\b.{0,20}\b(?:me|us)\b", r"\bouvert (?:le|samedi)\b", r"\bopen on\b"),
    "repeat": _cues(r"\bm[eê]me commande\b", r"\bm[eê]me chose\b", r"\bpareil que\b", r"\bidem\b", r"\bcomme (?:la )?derni[eè]re\b",
                    r"\bsame as\b", r"\brepeat\b", r"\bsame (?:order|quantities|thing)\b", r"\brebelote\b",
                    r"\bci-dessous\b", r"\bbelow\b", r"\bcomme d'habitude\b", r"\bhabituelle?\b", r"\bas usual\b",
                    r"\bla m[eê]me chose\b", r"\brelivrer\b", r"\bthe list\b", r"\bla liste\b"),
    "question": _cues(r"\?", r"\best-ce que\b", r"\bpourriez-vous me dire\b", r"\bcan you tell\b", r"\bcould you confirm\b",
                      r"\bpouvez-vous (?:me )?(?:confirmer|dire|indiquer)\b", r"\bdo you know\b"),
    "future": _cues(r"\bavant de (?:passer|lancer|signer)\b", r"\bbefore (?:we |i )?(?:place|raise|send|sign)\b",
                    r"\bnous passerons commande\b", r"\bwe(?:'ll| will) (?:order|place)\b", r"\bsemaine prochaine\b",
                    r"\bnext week\b", r"\bplanning to\b", r"\bpr[ée]voyons\b", r"\bsi (?:vous (?:en )?avez|oui)\b",
                    r"\bif (?:so|yes|you have)\b", r"\bva passer\b", r"\bcoming\b"),
    # the buyer says outright that this is no order ("This is not an order", "don't ship anything yet")
    "not_order": _cues(r"\b(?:is|it's|this's) not an order\b", r"\bnot an order\b", r"\bpas (?:encore )?une commande\b",
                       r"\bnous passerons (?:la |notre )?commande\b", r"\bwe(?:'ll| will) (?:place|send) (?:the|our) (?:order|po)\b",
                       r"\bn'est pas (?:encore )?une commande\b", r"\bdon'?t (?:ship|send|deliver) anything\b",
                       r"\bdo not (?:ship|send|deliver) anything\b", r"\bdon'?t (?:ship|send) (?:it|them) yet\b",
                       r"\bn'(?:envoyez|exp[ée]diez|livrez) rien\b", r"\bne rien (?:envoyer|exp[ée]dier|livrer)\b",
                       r"\bsans rien (?:envoyer|exp[ée]dier|livrer)\b",
                       # the order comes later: "check availability before I send the PO"
                       r"\bbefore (?:i|we) (?:send|place|raise|issue) (?:the|our|an?) (?:po|order|purchase order)\b",
                       r"\bavant de (?:vous )?(?:passer|lancer|envoyer|faire) (?:la |notre |le |un |une )?"
                       r"(?:commande|bon de commande)\b"),
    "feedback": _cues(r"\bfeedback\b", r"\bpetit retour\b", r"\bbravo\b", r"\bretour (?:sur|d'exp)", r"\bqc\b",
                      r"\bcontr[ôo]le qualit", r"\bpassed\b",
                      r"\bno complaints\b", r"\bhausse\b", r"\bdifficile [àa] justifier\b", r"\bfyi\b", r"\bfor info\b",
                      r"\bheads-up\b", r"\bnothing to key\b", r"\brappel\s*:", r"\bpour info\b"),
}

# Every literal of every cue, looked up once per text in one pass (and the text's answer
# kept for the next cue asked about it).
_LITERALS = Literals({lit for cue in CUES.values() for lit in cue.literals})


@lru_cache(maxsize=512)
def _present(lowered: str) -> frozenset[str]:
    return _LITERALS.present(lowered)


SUBJECT_CUES = ("quote", "order", "stock", "status", "account", "accept", "auto_reply", "bulk", "cancel", "carrier")


def cues(body: str, subject: str = "") -> list[str]:
    """The cue names a message carries, body first ("cue_order"), then subject ("subj_quote")."""
    lowered = body.lower()
    present = _present(lowered)
    found = [f"cue_{name}" for name, pattern in CUES.items() if pattern.search_lowered(lowered, present)]
    if subject:
        lowered = subject.lower()
        present = _present(lowered)
        found += [f"subj_{name}" for name in SUBJECT_CUES if CUES[name].search_lowered(lowered, present)]
    return found


def says_any(text: str, names: tuple[str, ...]) -> bool:
    """Whether the text carries one of the named cues (the others are not looked for)."""
    lowered = text.lower()
    present = _present(lowered)
    return any(CUES[name].search_lowered(lowered, present) for name in names)


def has(name: str, text: str) -> bool:
    return bool(CUES[name].search(text or ""))
