"""`comptoir chat`: one conversation in the terminal greets once."""

from __future__ import annotations

import io

from channels.terminal import chat as terminal_chat
from tests.e2e.conftest import CLAIRE


def test_the_chat_greets_once_per_conversation(chat):
    out = io.StringIO()
    terminal_chat(chat.assistant, CLAIRE, stdin=io.StringIO("Avez-vous 200 ramettes A4 ?\nquel est notre encours ?\n"),
                  stdout=out)
    text = out.getvalue()
    assert text.count("Bonjour Claire Martin,") == 1
    assert "PAP-A4-80" in text and "Encours actuel" in text
