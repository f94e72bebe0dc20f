"""Say why the assistant abstained, from the same features the abstention decision weighed.

The decision itself is the fitted answerability model (`ranking`); this only names, in words a
reader can check, the weakest part of the evidence: names the articles never mention, a speaker
they never quote, a kind of answer no passage offers. It decides nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from .features import Featured
from .names import TextNames
from .question import Question


def abstain_reason(question: Question, featured: Sequence[Featured], answerability: float) -> str:
    score = f"answerability {answerability:.2f}, below the fitted threshold"
    if not featured:
        return "no passage matched the question"
    context = TextNames(" ".join(f.evidence.passage.text for f in featured))
    missing = [n for n in question.names if not context.has(n)]
    if missing:
        return f"the passages found never mention {', '.join(missing)} ({score})"
    best_kind = max(f.value("kind") for f in featured)
    if question.kind == "quote" and best_kind == 0:
        return f"no passage reports {question.speaker} saying anything ({score})"
    if question.kind == "quote" and best_kind < 1 and question.topic:
        return f"no passage quotes {question.speaker} on {' '.join(question.topic)} ({score})"
    if question.kind == "number" and best_kind < 0.5:
        return f"no passage gives a number of {question.unit or 'what was asked'} ({score})"
    if question.kind == "time" and best_kind < 0.5:
        return f"no passage gives a date or time for it ({score})"
    return f"the evidence does not answer it ({score})"
