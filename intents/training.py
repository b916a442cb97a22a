"""`comptoir train-intents`: rebuild the shipped intent model from every labelled set.

First the held-out figures (each set scored by a model trained without it), then the model
trained on all of them, written to ``intents/model/``. The seed is fixed: the same sets give
the same model and the same figures.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from intents.classify import MODEL_DIR, train
from intents.evaluation import (
    LabelledSet,
    abstracts,
    all_sets,
    examples_digest,
    leave_one_out,
    table,
)

SEED = 7


def rebuild(*, out: Path = MODEL_DIR, held_out: bool = True, seed: int = SEED,
            sets: list[LabelledSet] | None = None, say: Callable[[str], None] = print) -> Path:
    sets = sets if sets is not None else all_sets()
    if not sets:
        raise ValueError("no labelled set found (the corpora live in ../shared/corpus or $COMPTOIR_CORPUS_DIR)")
    say(f"{len(sets)} labelled sets, {sum(len(s.messages) for s in sets)} messages")
    if held_out:
        say("held-out figures (each set scored by a model trained without it):")
        say(table(leave_one_out(sets, seed=seed, progress=say), sets))
    examples = [example for labelled in sets for example in abstracts(labelled)]
    model = train(examples, seed=seed)
    # Written beside the target, then swapped in: a crash never leaves half a model.
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".model-", dir=out.parent))
    staging.chmod(0o755)
    model.nlp.to_disk(staging)
    (staging / "trained_on.json").write_text(json.dumps(
        {"seed": seed, "sets": {s.name: len(s.messages) for s in sets}, "examples": examples_digest(examples)},
        indent=1) + "\n", encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    say(f"model written to {out} ({size / 1e6:.1f} MB)")
    return out
