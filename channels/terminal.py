"""The terminal channel: `comptoir chat --as EMAIL`, interactive or from a pipe.

Each input line is one message on the thread `terminal:<email>`; the replies written to
the outbox for that thread are printed (one reply block per input line) and marked sent.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Callable
from typing import TextIO

from assistant.core import Assistant
from assistant.messages import InboundMessage

QUIT = {"quit", "exit", "bye", "/q", "au revoir"}
GREETING = re.compile(r"\A(?:Bonjour|Bonsoir|Hello|Hi|Dear)\b[^\n]*,[ \t]*\n+")


def without_greeting(body: str) -> str:
    """A reply's text without its opening "Bonjour Claire Martin,": said once per conversation."""
    return GREETING.sub("", body, count=1)


def chat(assistant: Assistant, email: str, *, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
         after_each: Callable[[], None] | None = None) -> int:
    interactive = stdin.isatty()
    greeted = False
    thread_key = f"terminal:{email.strip().lower()}"
    if interactive:
        stdout.write(f"Comptoir — vous écrivez en tant que {email}. Tapez « quit » pour sortir.\n")
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        try:
            line = stdin.readline()
        except KeyboardInterrupt:  # Ctrl+C at the prompt ends the chat, nothing is lost
            stdout.write("\n")
            break
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text.lower() in QUIT:
            break
        message = InboundMessage(
            channel="terminal", sender=email, external_id=f"{thread_key}:{uuid.uuid4()}",
            thread_key=thread_key, text=text.replace("\\n", "\n"), received_at=assistant.clock.now(),
        )
        assistant.handle(message)
        replies = assistant.outbox_for(channel="terminal", thread_key=thread_key)
        if after_each is not None:
            after_each()
        bodies = [row.body_text.rstrip() for row in replies]
        if greeted:
            bodies = [without_greeting(body) for body in bodies]
        greeted = greeted or bool(bodies)
        block = "\n".join(bodies) or "(pas de réponse)"
        stdout.write(block + "\n\n")
        stdout.flush()
    return 0
