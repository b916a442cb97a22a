"""`comptoir parse --batch`: one JSON result per input line, same order; a bad line is an error line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from intents.pipeline import Parser


def parse_batch(parser: Parser, lines: Iterable[str],
                sender_facts: Callable[[str | None], tuple[str | None, bool | None]] | None = None) -> Iterator[dict]:
    """`sender_facts(sender)` gives the sender's language and whether they are a known contact."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            yield {"error": f"line {number}: empty line"}
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("not a JSON object")
            text = item.get("text")
            if not isinstance(text, str):
                raise ValueError('"text" must be a string')
            sender = item.get("from") if isinstance(item.get("from"), str) else None
            subject = item.get("subject") if isinstance(item.get("subject"), str) else None
        except (ValueError, TypeError) as error:
            yield {"error": f"line {number}: {error}"}
            continue
        hint, known = sender_facts(sender) if sender_facts else (None, None)
        yield parser.parse(text, subject=subject, lang_hint=hint, sender_known=known).to_dict()
