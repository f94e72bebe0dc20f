"""A conversation: the turns so far, as plain data a caller keeps, serialises and passes back.

Each turn holds the question as asked and its `Answer`, which carries the standalone question it
was answered as. `Conversation.prior()` gives `followup` what it reads of the recent turns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .followup import PriorTurn
from .types import Answer

CONTEXT_TURNS = 3  # earlier turns a follow-up may refer to


@dataclass(frozen=True)
class Turn:
    question: str  # as asked
    answer: Answer

    @property
    def standalone(self) -> str:
        return self.answer.answered_as


@dataclass
class Conversation:
    """The turns of one conversation, oldest first. `Assistant.chat` appends to it."""

    turns: list[Turn] = field(default_factory=list)

    def add(self, question: str, answer: Answer) -> None:
        self.turns.append(Turn(question, answer))

    def clear(self) -> None:
        self.turns.clear()

    def prior(self, limit: int = CONTEXT_TURNS) -> list[PriorTurn]:
        return [PriorTurn(t.standalone, t.answer.kind, t.answer.direct, tuple(c.quote for c in t.answer.citations))
                for t in self.turns[-limit:]]

    def to_dict(self) -> dict[str, Any]:
        return {"turns": [{"question": t.question, "answer": t.answer.to_dict()} for t in self.turns]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversation:
        return cls([Turn(t["question"], Answer.from_dict(t["answer"])) for t in data.get("turns", ())])

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Conversation:
        return cls.from_dict(json.loads(text))

    def __len__(self) -> int:
        return len(self.turns)
