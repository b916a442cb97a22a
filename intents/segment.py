"""Stage 2 — segment: the cleaned text as tokens, cut into rows and clauses.

A row is a line (a bullet, a table row, or running text); a clause is a piece of a row
between separators ("," ";" "+" "et" "and" "puis", sentence ends, brackets). Each clause
knows its row, sentence and paragraph, so that a quantity said in the next sentence ("Il
nous en faudrait 24") can be brought back to the product just named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intents.tokens import Token, tokenize

SEPARATOR_WORDS = frozenset({"et", "and", "puis", "plus", "also", "ainsi", "aussi", "then"})
SENTENCE_END = frozenset({".", "?", "!", "…"})
BULLET = re.compile(r"^\s*(?:[-*•·–—>]|\d{1,2}[.)]|[a-z][.)])\s+", re.I)


@dataclass(frozen=True, slots=True)
class Clause:
    start: int  # token indices, end exclusive
    end: int
    row: int
    sentence: int
    paragraph: int
    kind: str  # "bullet" | "table" | "text"
    opener: str  # what opened it: "" (row start), ",", "et", "+", "(", "." ...
    question: bool  # the sentence it belongs to ends with "?"

    @property
    def span(self) -> range:
        return range(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Segmented:
    text: str
    tokens: list[Token]
    clauses: list[Clause]
    rows: list[tuple[int, int, str]]  # token ranges of rows, with their kind

    def clause_at(self, t: int) -> int:
        """The index of the clause that holds token `t` (past the last clause if none does)."""
        return next((i for i, c in enumerate(self.clauses) if c.start <= t < c.end), len(self.clauses))


def segment(text: str) -> Segmented:
    tokens = tokenize(text)
    rows = _rows(text, tokens)
    clauses: list[Clause] = []
    sentence = paragraph = 0
    previous_row_end_char = 0
    for row_number, (start, end, kind) in enumerate(rows):
        if start < end and "\n\n" in text[previous_row_end_char: tokens[start].start].replace(" ", ""):
            paragraph += 1
            sentence += 1
        elif row_number and kind != "text":
            sentence += 1
        if start < end:
            previous_row_end_char = tokens[end - 1].end
        clause_start, opener = start, ""
        i = start
        if kind == "bullet":
            # the bullet mark itself ("-", "1.", "a)") is not part of the first clause
            while i < end and tokens[i].start < tokens[start].start + _bullet_width(text, tokens[start]):
                i += 1
            clause_start = i
        pieces: list[tuple[int, int, str, int]] = []
        while i < end:
            t = tokens[i]
            split = None
            if t.kind == "sym" and t.raw in (",", ";") and not _inside_number(tokens, i):
                split = t.raw
            elif t.kind == "sym" and t.raw in ("+", "&") and not t.glued and i + 1 < end and not tokens[i + 1].glued:
                split = "+"
            elif t.kind == "sym" and t.raw in ("(", ")", "[", "]"):
                split = "(" if t.raw in "([" else ")"
            elif t.kind == "sym" and t.raw in SENTENCE_END and _ends_sentence(text, tokens, i, end):
                split = "."
            elif t.kind == "sym" and t.raw in ("–", "—") and not t.glued and kind == "text":
                split = "–"
            elif t.kind == "word" and t.norm in SEPARATOR_WORDS and i > clause_start and not (
                    t.glued or (i + 1 < end and tokens[i + 1].glued and tokens[i + 1].raw == "-")):  # va-et-vient
                split = t.norm
            if split is not None:
                if i > clause_start:
                    pieces.append((clause_start, i, opener, sentence))
                if split == ".":
                    sentence += 1
                clause_start, opener = i + 1, split
            i += 1
        if clause_start < end:
            pieces.append((clause_start, end, opener, sentence))
        for a, b, op, sent in pieces:
            clauses.append(Clause(a, b, row_number, sent, paragraph, kind, op, False))
        sentence += 1
    clauses = _mark_questions(tokens, clauses)
    return Segmented(text=text, tokens=tokens, clauses=clauses, rows=rows)


def _rows(text: str, tokens: list[Token]) -> list[tuple[int, int, str]]:
    rows: list[tuple[int, int, str]] = []
    line_start = 0
    index = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        first = index
        while index < len(tokens) and tokens[index].start < line_end:
            index += 1
        if "|" in line or "\t" in line or re.search(r"\S {3,}\S.* {2,}\S", line):
            kind = "table"
        elif BULLET.match(line) or re.match(r"^\s*\d[\d\s.,]*\s*(?:x\s*)?[^\W\d_]", line):
            kind = "bullet"  # "- 10 ramettes", "1. pla1326 x 30", "40 x E27 bulbs": a list row
        else:
            kind = "text"
        rows.append((first, index, kind))
        line_start = line_end + 1
    return rows


def _bullet_width(text: str, first: Token) -> int:
    line_start = text.rfind("\n", 0, first.start) + 1
    m = BULLET.match(text[line_start:])
    return (line_start + m.end() - first.start) if m else 0


def _inside_number(tokens: list[Token], i: int) -> bool:
    return 0 < i < len(tokens) - 1 and tokens[i].glued and tokens[i + 1].glued and tokens[i - 1].kind == "num" \
        and tokens[i + 1].kind == "num"


def _ends_sentence(text: str, tokens: list[Token], i: int, end: int) -> bool:
    t = tokens[i]
    if t.raw in "?!…":
        return True
    if i + 1 >= end:
        return True
    nxt = tokens[i + 1]
    if nxt.glued:  # "2.3", "e.g", "www.x.fr"
        return False
    previous = tokens[i - 1] if i else None
    # "env. 30", "n. 4", "qté. 12": a short lower-case word before the dot is an abbreviation
    return not (previous is not None and previous.kind == "word" and previous.raw.islower()
                and (len(previous.raw) <= 2 or (len(previous.raw) <= 4 and nxt.kind == "num")))


def _mark_questions(tokens: list[Token], clauses: list[Clause]) -> list[Clause]:
    by_sentence: dict[int, bool] = {}
    for clause in clauses:
        end_token = tokens[clause.end] if clause.end < len(tokens) else None
        if end_token is not None and end_token.raw == "?":
            by_sentence[clause.sentence] = True
    return [Clause(c.start, c.end, c.row, c.sentence, c.paragraph, c.kind, c.opener, by_sentence.get(c.sentence, False))
            for c in clauses]
