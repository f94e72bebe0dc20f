"""The language model's opinion of each passage (how likely it finds the question after it) and
of each candidate answer (how likely it finds the answer after the passage and the question).

Each passage is scored by the mean log-probability of the question's tokens following
`prompts/rerank.txt` (its article's title, the passage, then "Q:"), as in unsupervised passage
re-ranking (UPR, Sachan et al. 2022). A speaker the passage refers to only by a pronoun is named
before it: the model otherwise finds a question naming that person unlikely after the passage
that quotes them ("How did Mayor X respond ...?" after "However, she disputed the total.").
A tiny model that wanders when it writes can still tell which passage a question is about,
and nothing it writes is shown. The title says what the article is about when the passage
itself does not name it ("The motion passed by 12 votes to 9" under a headline about a town
budget); a bare "Q:" served the bundled model better than an instruction to
write a question (dev and tuning questions). The score is one feature of the ranking (see
`features`), not the ranking itself.

A typed question's best passage may offer several candidates of the asked kind ("Tuesday" and
"May 17"). Each is scored by the mean log-probability of its words after `prompts/answer.txt`
("Passage: ... Question: ... Answer:"); that picks which one is the direct answer. The passage
and question are evaluated once for all of them where the backend can (`score_each`). The model
only scores spans the parse found in the passage; it never writes one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..backends.generator import Scorer, score_each
from .prompts import render
from .types import Passage

TEMPLATE = "rerank"  # prompts/rerank.txt
ANSWER_TEMPLATE = "answer"  # prompts/answer.txt


@dataclass(frozen=True)
class PassageScore:
    logprob: float  # mean log-probability per question token; higher is better
    tokens: int  # tokens the model evaluated for this passage
    ms: float  # time it took


def lm_scores(question: str, passages: Sequence[Passage], scorer: Scorer,
              speakers: Sequence[Sequence[str]] = ()) -> list[PassageScore]:
    """One score per passage, in the order given. `speakers`, one sequence per passage: who
    speaks in it without being named there ("she disputed the total", said by a mayor named a
    sentence before); the model reads them first ("Ana Ruiz: However, she disputed ...")."""
    named = list(speakers) or [()] * len(passages)
    return [_score(scorer, render(TEMPLATE, title=" ".join(p.title.split()),
                                  passage=_with_speakers(" ".join(p.text.split()), who)), question)
            for p, who in zip(passages, named, strict=True)]


def _with_speakers(text: str, speakers: Sequence[str]) -> str:
    return f"{', '.join(speakers)}: {text}" if speakers else text


def answer_scores(question: str, passage: Passage, answers: Sequence[str], scorer: Scorer) -> list[PassageScore]:
    """One score per candidate answer (a span of `passage`), in the order given."""
    context = render(ANSWER_TEMPLATE, passage=" ".join(passage.text.split()), question=question)
    return [PassageScore(r.logprob, r.tokens, r.ms)
            for r in score_each(scorer, context, [" " + " ".join(answer.split()) for answer in answers])]


def _score(scorer: Scorer, context: str, continuation: str) -> PassageScore:
    result = scorer.score(context, " " + continuation)
    return PassageScore(result.logprob, result.tokens, result.ms)
