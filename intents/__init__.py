"""Language: text -> Intent (French and English), knowing the catalog only by its entries."""

from intents.catalog import CatalogEntry, entries_from_csv, entries_from_rows
from intents.cleaning import CleanedText, clean_message
from intents.model import Intent, IntentKind, IntentLine
from intents.parser import Parser

__all__ = [
    "CatalogEntry",
    "CleanedText",
    "Intent",
    "IntentKind",
    "IntentLine",
    "Parser",
    "clean_message",
    "entries_from_csv",
    "entries_from_rows",
]
