"""What a follow-up asking for someone's words must meet: the person, not the earlier turn's topic.

"And what did Ana Ruiz say about it?" after a question about the harbour levy in Portvale is
answered as "What did Ana Ruiz say about the harbour levy in Portvale?" (`followup`). The names
the rewrite brought in ("Portvale") describe what the earlier turn was about; the speaker may
speak of it without naming it ("the levy"), so they help find passages (they stay in the
question's text, which retrieval searches) but are not names every passage must mention. A name
the person typed themselves, or one that names the speaker, still is.
"""

from __future__ import annotations

from dataclasses import replace

from .question import Question


def own_names(question: Question, asked: str) -> Question:
    """`question` (the standalone form of the follow-up `asked`) with only the names the person
    asked with or that name the speaker, when it asks for someone's words; otherwise as it is."""
    if question.kind != "quote" or question.parts:
        return question
    kept = tuple(n for n in question.names if n in asked or n in question.speaker)
    return replace(question, names=kept) if kept and kept != question.names else question
