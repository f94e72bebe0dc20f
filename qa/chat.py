"""`qa chat`: a conversation in the terminal, or one JSON answer a line for scripts.

In the terminal each question sees the ones before it, so "What did she say about it?" is answered
as the standalone question it stands for, shown above the answer. Lines starting with "/" are
commands (/new, /help, /quit); readline keeps a history of questions across sessions.

With `--json`, each line of standard input is a question and each answer is written as one line
of JSON (the `Answer` fields, `answered_as` included); an empty line starts a new conversation, and
a question that cannot be answered writes {"error": ...} and the conversation goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import QAError
from .render import answer_as_text

if TYPE_CHECKING:
    from .assistant import Assistant

HISTORY_FILE = Path.home() / ".cache" / "qa-news" / "chat_history"
HELP = """Ask a question about the indexed articles; follow-ups may refer to earlier answers.
  /new   start a new conversation (forget the context)
  /help  this text
  /quit  leave (or Ctrl-D)"""


def chat_json(assistant: Assistant, lines: Iterable[str], out: IO[str]) -> int:
    """One JSON line per question line; returns how many questions failed."""
    from .answer.conversation import Conversation

    conversation = Conversation()
    failed = 0
    for line in lines:
        question = line.strip()
        if not question:
            conversation.clear()
            continue
        try:
            answer = assistant.chat(conversation, question)
            record = {**answer.to_dict(), "answered_as": answer.answered_as}
        except QAError as exc:
            failed += 1
            record = {"question": question, "error": str(exc)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return failed


def chat_terminal(assistant: Assistant, timings: bool = False) -> int:
    from .answer.conversation import Conversation

    _load_history()
    conversation = Conversation()
    print("Ask about the indexed articles. /help for commands, /quit or Ctrl-D to leave.")
    while True:
        try:
            line = input("\n> ").strip()
        except EOFError:
            print()
            break
        if not line:
            continue
        if line.startswith("/"):
            command = line[1:].split()[0].lower() if line[1:].split() else ""
            if command in ("quit", "exit", "q"):
                break
            if command == "new":
                conversation.clear()
                print("New conversation.")
            else:
                print(HELP)
            continue
        try:
            answer = assistant.chat(conversation, line)
        except QAError as exc:
            print(f"error: {exc}", file=sys.stderr)
            continue
        print()
        print(answer_as_text(answer, timings=timings))
    _save_history()
    return 0


def _load_history() -> None:
    try:
        import readline
    except ImportError:  # not on every platform; the chat works without it
        return
    try:
        readline.read_history_file(HISTORY_FILE)
    except OSError:
        pass
    readline.set_history_length(1000)


def _save_history() -> None:
    try:
        import readline

        HISTORY_FILE.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(HISTORY_FILE)
    except (ImportError, OSError):
        pass
