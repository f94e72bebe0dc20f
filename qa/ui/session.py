"""What one browser session keeps: its answered turns (which are also its conversation), its
settings and display options. Plain frozen values; Gradio holds one `Session` per page load in a
`gr.State`, so two people never share one, and a reload starts a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..answer import Answer
from ..answer.conversation import Conversation
from ..answer.conversation import Turn as ConversationTurn
from .excerpts import Excerpt


@dataclass(frozen=True)
class Turn:
    """One answered question and the excerpts of its citations, in citation order."""

    answer: Answer  # `answer.question` is the question as asked, `answer.answered_as` as answered
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True)
class Settings:
    """What a session may change; None in `Session.settings` means the app's own assistant."""

    evidence_sentences: int
    model: str
    server_url: str


@dataclass(frozen=True)
class Session:
    turns: tuple[Turn, ...] = ()
    settings: Settings | None = None
    show_timings: bool = False

    @property
    def conversation(self) -> Conversation:
        """The context a follow-up is resolved against: exactly the turns on screen, so that what
        the page shows and what the assistant remembers cannot drift apart. A fresh value each
        time; changing it changes nothing here."""
        return Conversation([ConversationTurn(t.answer.question, t.answer) for t in self.turns])

    def add(self, turn: Turn) -> Session:
        """This session with one more answered turn."""
        return replace(self, turns=self.turns + (turn,))

    def new_conversation(self) -> Session:
        """No turns and so no context; settings and display options stay."""
        return replace(self, turns=())
