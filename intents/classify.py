"""Stage 5 — classify: what the sender wants, learned from labelled messages (spaCy textcat).

The model never sees product names: the text it reads is the message with every product
mention replaced by ``xprod``, the figures read as quantities by ``xqty``, other numbers by
``xnum`` and our own references by ``xrefd`` / ``xrefc``, followed by the cue names of
`intents.cues` and a few facts about the message (a quoted thread, lines found). So it
learns how people ask, not what they buy, and a new catalog needs no retraining.

The trained pipeline ships in ``intents/model/`` (rebuilt by ``comptoir train-intents``);
nothing is trained or downloaded at run time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from intents.cues import cues, says_any
from intents.model import IntentKind
from intents.normalize import fold

MODEL_DIR = Path(__file__).resolve().parent / "model"
LABELS = tuple(k.value for k in IntentKind)

_lock = threading.Lock()
_loaded: dict[str, object] = {}


@dataclass(frozen=True, slots=True)
class Abstract:
    """The message as the intent model reads it."""
    text: str

    @classmethod
    def build(cls, words: list[str], subject_words: list[str], body: str, subject: str, *, quoted: bool,
              lines: int, certain: int, quoted_lines: int = 0) -> Abstract:
        parts = list(words)
        if subject_words:
            parts += ["xsubj", *subject_words]
        parts += cues(body, subject)
        parts += [f"lead_{c[4:]}" for c in cues(_first_request(body))]
        if quoted:
            parts.append("has_quoted")
        parts.append(f"lines_{min(lines, 3)}")
        if certain:
            parts.append("has_certain")
        if quoted_lines:
            parts.append(f"quoted_lines_{min(quoted_lines, 3)}")
        return cls(" ".join(p for p in parts if p))


def _first_request(body: str) -> str:
    """The first sentence that asks something: the main request is usually said first."""
    import re

    for sentence in re.split(r"(?<=[.?!])\s+|\n+", body):
        if says_any(sentence, REQUESTS):
            return sentence
    return ""


REQUESTS = ("order", "quote", "stock", "status", "account", "accept", "cancel")


def subject_words(subject: str) -> list[str]:
    import re

    text = re.sub(r"\b[DC]-?\d{4}-?\d{2,6}\b", lambda m: " xref" + m.group(0)[0].lower() + " ", subject or "", flags=re.I)
    out = []
    for w in re.findall(r"[^\W\d_]+|\d+", text):
        out.append("xnum" if w.isdigit() else fold(w))
    return out[:12]


class IntentModel:
    """A trained textcat pipeline: abstract text -> probabilities per intent."""

    def __init__(self, nlp) -> None:
        from spacy.tokenizer import Tokenizer
        from spacy.tokens import Doc

        self._doc = Doc
        self.nlp = nlp
        # words the model was trained on; any other is one placeholder, so that a long-running
        # service does not grow the vocabulary with every new word it reads
        Doc(nlp.vocab, words=["xoov", "xoov"])  # the placeholder and the spacing, once
        self._known = frozenset(nlp.vocab.strings)
        nlp.tokenizer = Tokenizer(nlp.vocab)  # the abstract is already words: no affix rules
        self._textcat = nlp.get_pipe("textcat")
        self._labels = tuple(self._textcat.labels)

    @classmethod
    def load(cls, path: Path | None = None) -> IntentModel:
        folder = str(path or MODEL_DIR)
        with _lock:
            if folder not in _loaded:
                import spacy

                _loaded[folder] = cls(spacy.load(folder))
            return _loaded[folder]

    def probabilities(self, abstract: Abstract) -> dict[str, float]:
        # the textcat alone, on the abstract's own words (as in training: split on spaces)
        known = self._known
        words = [w if w in known else "xoov" for w in abstract.text.split()] or ["xoov"]
        scores = self._textcat.predict([self._doc(self.nlp.vocab, words=words)])
        return dict(zip(self._labels, (float(x) for x in scores[0]), strict=True))


def train(examples: list[tuple[Abstract, str]], *, seed: int = 7, epochs: int = 18) -> IntentModel:
    """A textcat (bag of words and pairs) trained with a fixed seed; deterministic for the same examples."""
    import random

    import spacy
    from spacy.tokenizer import Tokenizer
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = spacy.blank("xx")
    nlp.tokenizer = Tokenizer(nlp.vocab)  # the abstract text is already words
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2, "no_output_layer": False,
        "length": 2 ** 17}})
    for label in LABELS:
        textcat.add_label(label)
    data = [Example.from_dict(nlp.make_doc(a.text), {"cats": {label: float(label == gold) for label in LABELS}})
            for a, gold in examples]
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(data)
        for batch in minibatch(data, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return IntentModel(nlp)
