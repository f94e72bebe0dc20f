"""Let the language model rank the evidence, then quote the best passages as the answer.

Each passage is scored by how likely the model finds the question after it: the mean
log-probability of the question's tokens following `prompts/rerank.txt` ("Passage: ... Please
write a question based on this passage. Question:"), as in unsupervised passage re-ranking (UPR,
Sachan et al. 2022). A tiny model that wanders when it writes can still tell which passage the
question is about, and what it says is never shown: the answer is made of verbatim passages.

On the gold set's answerable questions, the model's first passage held a key fact 0.71 of the
time against 0.64 for retrieval's first (gemma3-270m, six passages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .answer import Passage
from .generation import Scorer
from .prompts import render
from .text import words

TEMPLATE = "rerank"  # prompts/rerank.txt


@dataclass(frozen=True)
class Ranked:
    passage: Passage
    score: float  # mean log-probability per question token; higher is better
    tokens: int  # tokens the model evaluated for this passage
    ms: float  # time it took


def rerank(question: str, passages: Sequence[Passage], scorer: Scorer) -> list[Ranked]:
    """Passages best first; ties keep retrieval order."""
    scored = []
    for p in passages:
        result = scorer.score(render(TEMPLATE, passage=" ".join(p.text.split())), " " + question)
        scored.append(Ranked(p, result.logprob, result.tokens, result.ms))
    return sorted(scored, key=lambda r: -r.score)  # sorted() is stable


def pick_quotes(ranked: Sequence[Passage], max_words: int, max_passages: int) -> list[Passage]:
    """The best passage, then the next ones that still fit in `max_words` words in all."""
    chosen: list[Passage] = []
    total = 0
    for p in ranked:
        n = len(words(p.text))
        if not chosen or (len(chosen) < max_passages and total + n <= max_words):
            chosen.append(p)
            total += n
    return chosen
