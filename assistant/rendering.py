"""One Jinja2 environment for every text we send, with money, quantity and date filters.

Templates live in `templates/<lang>/<name>.txt`: the first line is `Subject: ...`, then a
blank line, then the body. StrictUndefined: a missing variable is a bug, not a blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_currency, format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assistant.messages import Reply

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
PARIS = get_timezone("Europe/Paris")  # times in messages are the distributor's local time
LANGUAGES = tuple(LOCALES)


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str


def language_of(lang: str | None) -> str:
    return lang if lang in LOCALES else "fr"


class Renderer:
    """One Jinja2 environment per language, so filters format for that locale."""

    def __init__(self, directory: Path = TEMPLATES) -> None:
        self.envs = {lang: self._environment(directory, locale) for lang, locale in LOCALES.items()}

    @staticmethod
    def _environment(directory: Path, locale: str) -> Environment:
        env = Environment(
            loader=FileSystemLoader(str(directory)),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(
            money=lambda v: money(v, locale),
            qty=lambda v: format_decimal(v, locale=locale),
            day=lambda v: day(v, locale),
            moment=lambda v: moment(v, locale),
            pct=lambda v: format_decimal(Decimal(v).normalize(), locale=locale) + "\u00a0%",
            asked=asked_words,
            agree=lambda word, n: agree(word, n, locale),
        )
        return env

    def render(self, reply: Reply, lang: str) -> Rendered:
        lang = language_of(lang)
        template = self.envs[lang].get_template(f"{lang}/{reply.template}.txt")
        text = template.render(**reply.context, actions=reply.actions, lang=lang)
        first, _, body = text.partition("\n")
        if not first.startswith("Subject:"):
            raise ValueError(f"template {lang}/{reply.template}.txt must start with 'Subject:'")
        return Rendered(subject=first.removeprefix("Subject:").strip(), text=body.strip() + "\n")


# a count said before a noun ("3 agrafeuses"), not a size ("classeurs 80 mm")
_COUNTED = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:x\s+)?(?!(?:mm|cm|m|km|kg|g|l|ml|cl|w|kw|v|a|ah|%)\b)[^\W\d]", re.I)
_OPENER = re.compile(r"^.*?\b(?:livrer|commander|envoyer|exp[ée]dier|faut|faudrait|besoin d[eu']?|avez-vous|vous avez|"
                     r"order|deliver|send|ship|need|do you (?:have|stock))\s+(?:(?:des|du|de la|de|d'|les|le|la|the|"
                     r"some|any|us|nous)\s+)*", re.I)


def agree(word: str, count, locale: str) -> str:
    """A word agreed with a count: "80 boîtes disponibles", "1 boîte disponible", "3 boxes"."""
    try:
        many = Decimal(str(count)) >= 2 if locale.startswith("fr") else Decimal(str(count)) != 1
    except ArithmeticError:
        return word
    if not many or not word:
        return word
    if locale.startswith("fr"):
        if word[-1] in "sxz":
            return word
        return word + ("x" if word.endswith(("eau", "au", "eu")) else "s")
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def asked_words(text: str) -> str:
    """What a person asked for, as they wrote it but without the request around it or their
    signature: "Merci de nous livrer 4 paquets de café moulu 1 kg" -> "4 paquets de café moulu 1 kg"."""
    line = (text or "").strip().split("\n", 1)[0]
    counted = _COUNTED.search(line)
    words = line[counted.start():] if counted else _OPENER.sub("", line)
    return words.strip(" ,.;:!?-–") or (text or "").strip()


def moment(value: datetime | None, locale: str) -> str:
    """A date and time as the distributor reads it (Paris time), in the person's locale."""
    return format_datetime(value, "short", tzinfo=PARIS, locale=locale) if value else ""


def money(value: Decimal | str, locale: str) -> str:
    """`1 234,56 €` in French, `€1,234.56` in English (Babel, CLDR data)."""
    return format_currency(Decimal(value), "EUR", locale=locale)


def day(value: date | str | None, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "long" if locale.startswith("fr") else "d MMM y", locale=locale)
