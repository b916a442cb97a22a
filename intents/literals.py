"""Which of many literal strings a text contains, in one pass; and the literals a pattern needs.

The cues and the masks are dozens of regexes each, most of which cannot match a given message.
Each regex keeps the literal text its matches must contain (or start with); one pass of a trie
over the message tells which of those literals are there, and only the regexes whose literal is
there are run. The test is exact: a regex skipped could not have matched.
"""

from __future__ import annotations

import re

try:  # Python >= 3.11
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


def trie_pattern(words: tuple[str, ...]) -> str:
    """A regex matching any of the words, the longest first, shared prefixes factored."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body  # greedy: a longer word first

    return emit(root)


class Literals:
    """A fixed set of literals, looked for together."""

    __slots__ = ("_any", "_prefixes", "words")

    def __init__(self, words: set[str] | frozenset[str] | tuple[str, ...]) -> None:
        self.words = tuple(sorted(w for w in words if w))
        # at each position the trie finds the longest literal starting there; those it begins
        # with start there too
        self._any = re.compile(f"(?=({trie_pattern(self.words)}))", re.S) if self.words else None
        self._prefixes = {w: frozenset(p for p in self.words if w.startswith(p)) for w in self.words}

    def present(self, text: str) -> frozenset[str]:
        if self._any is None:
            return frozenset()
        found: set[str] = set()
        for m in self._any.finditer(text):
            found |= self._prefixes[m.group(1)]
        return frozenset(found)


def required_literal(pattern: str) -> str:
    """The longest run of plain characters every match of `pattern` contains ('' if none)."""
    best, run = "", []
    for op, arg in sre_parse.parse(pattern, re.I):
        if op is sre_constants.LITERAL:
            run.append(chr(arg))
            continue
        if op is sre_constants.AT:  # \b and ^ take no character: the run goes on
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    if len(run) > len(best):
        best = "".join(run)
    return best.lower()


_MAX_CLASS = 4  # "[ée]", "[iî]": a small class of letters opens as many literals


def openings(pattern: str) -> frozenset[str] | None:
    """Literals one of which every match of the pattern starts with, or None when the pattern
    can start with anything ("\\d+", "[A-Z]"). Zero-width openings (\\b, lookbehinds) are skipped."""
    found = _openings(list(sre_parse.parse(pattern)))
    return frozenset(found) if found else None


def _openings(items: list) -> set[str] | None:
    heads = [""]
    for op, arg in items:
        if op is sre_constants.AT or (op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and heads == [""]):
            continue
        if op is sre_constants.LITERAL:
            heads = [h + chr(arg) for h in heads]
            continue
        if op is sre_constants.IN and all(o is sre_constants.LITERAL for o, _ in arg) and len(arg) <= _MAX_CLASS:
            heads = [h + chr(c) for h in heads for _, c in arg]
            continue
        if heads == [""] and op is sre_constants.SUBPATTERN:
            return _openings(list(arg[-1]))
        if heads == [""] and op is sre_constants.BRANCH:
            out: set[str] = set()
            for alternative in arg[1]:
                found = _openings(list(alternative))
                if not found:
                    return None
                out |= found
            return out
        break
    return None if "" in heads else set(heads)


def starts_with_word_digit(pattern: str) -> bool:
    """Every match of the pattern starts at a word boundary with a digit ("\\b\\d{5}", "\\b(?:0?[1-9]|1[0-2])"):
    it can only start where a run of digits does, after no letter or digit."""
    parsed = list(sre_parse.parse(pattern))
    if len(parsed) == 1 and parsed[0][0] is sre_constants.BRANCH:
        return all(_bounded_digit(list(alternative)) for alternative in parsed[0][1][1])
    return _bounded_digit(parsed)


def _bounded_digit(items: list) -> bool:
    i = 0
    while i < len(items) and items[i][0] is sre_constants.ASSERT_NOT and items[i][1][0] < 0:
        i += 1  # a look behind takes no character
    if i >= len(items) or items[i] != (sre_constants.AT, sre_constants.AT_BOUNDARY):
        return False
    return _digit_first(items[i + 1:])


def _digit_first(items: list) -> bool:
    """The first character any match of the sequence consumes is a digit."""
    for op, arg in items:
        if op is sre_constants.LITERAL:
            return chr(arg).isdigit()
        if op is sre_constants.IN:
            return all(_digit_item(o, a) for o, a in arg)
        if op is sre_constants.SUBPATTERN:
            return _digit_first(list(arg[-1]))
        if op is sre_constants.BRANCH:
            return all(_digit_first(list(alternative)) for alternative in arg[1])
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, _high, body = arg
            if not _digit_first(list(body)):
                return False
            if low >= 1:
                return True
            continue  # optional: what follows must start with a digit too
        return False
    return False


def _digit_item(op, arg) -> bool:
    if op is sre_constants.CATEGORY:
        return arg is sre_constants.CATEGORY_DIGIT
    if op is sre_constants.LITERAL:
        return chr(arg).isdigit()
    if op is sre_constants.RANGE:
        return chr(arg[0]).isdigit() and chr(arg[1]).isdigit() and arg[0] <= arg[1]
    return False
