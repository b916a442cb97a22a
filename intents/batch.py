"""`comptoir parse --batch`: one JSON result per input line, same order; a bad line is an error line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from intents.pipeline import Parser


def parse_batch(parser: Parser, lines: Iterable[str],
                lang_hint_for: Callable[[str | None], str | None] | None = None) -> Iterator[dict]:
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
        hint = lang_hint_for(sender) if lang_hint_for else None
        yield parser.parse(text, subject=subject, lang_hint=hint).to_dict()
