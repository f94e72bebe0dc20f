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
"May 17"). Each is scored by the mean log-probability of its words after `prompts/answer.txt`:
the passage's own rerank prompt, the question, then "A:"; that picks which one is the direct
answer. The model only scores spans the parse found in the passage; it never writes one.

What is evaluated once where the backend can: the prompt up to the passage (its article's
title) for all of that article's passages (`score_after`), and a passage's scored prompt and
question for all of its candidate answers (the in-process model keeps that prompt's state, so the
answers cost only their own tokens and "A:").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..backends.generator import Scorer, score_after, score_each
from .prompts import render
from .types import Passage

TEMPLATE = "rerank"  # prompts/rerank.txt
ANSWER_TEMPLATE = "answer"  # prompts/answer.txt
_HERE = "\x00"  # stands for the passage while the prompt is split around it


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
    shared: dict[str, list[tuple[int, str]]] = {}  # the prompt before the passage -> (index, the rest)
    for i, (p, who) in enumerate(zip(passages, named, strict=True)):
        before, rest = passage_prompt(p, who)
        shared.setdefault(before, []).append((i, rest))
    out: list[PassageScore | None] = [None] * len(passages)
    for before, rests in shared.items():
        results = score_after(scorer, before, [(rest, " " + question) for _, rest in rests])
        for (i, _), r in zip(rests, results, strict=True):
            out[i] = PassageScore(r.logprob, r.tokens, r.ms)
    return [s for s in out if s is not None]


def passage_prompt(passage: Passage, speakers: Sequence[str] = ()) -> tuple[str, str]:
    """The rerank prompt of `passage`, split where its article's passages stop sharing it: its
    title, then the passage (who speaks in it unnamed first) and what follows it."""
    before, after = _around_passage(" ".join(passage.title.split()))
    return before, _with_speakers(" ".join(passage.text.split()), speakers) + after


def _around_passage(title: str) -> tuple[str, str]:
    """The rerank prompt for an article's title, split into what comes before the passage and
    what comes after it."""
    before, _, after = render(TEMPLATE, title=title, passage=_HERE).partition(_HERE)
    return before, after


def _with_speakers(text: str, speakers: Sequence[str]) -> str:
    return f"{', '.join(speakers)}: {text}" if speakers else text


def answer_scores(question: str, passage: Passage, answers: Sequence[str], scorer: Scorer,
                  speakers: Sequence[str] = ()) -> list[PassageScore]:
    """One score per candidate answer (a span of `passage`), in the order given: after the
    passage's rerank prompt and the question (`prompts/answer.txt`)."""
    before, rest = passage_prompt(passage, speakers)
    context = render(ANSWER_TEMPLATE, passage_prompt=before + rest, question=question)
    return [PassageScore(r.logprob, r.tokens, r.ms)
            for r in score_each(scorer, context, [" " + " ".join(answer.split()) for answer in answers])]
