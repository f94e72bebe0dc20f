"""The language model's opinion of each passage: how likely it finds the question after it.

Each passage is scored by the mean log-probability of the question's tokens following
`prompts/rerank.txt` ("Passage: ... Please write a question based on this passage. Question:"),
as in unsupervised passage re-ranking (UPR, Sachan et al. 2022). A tiny model that wanders when it
writes can still tell which passage a question is about, and nothing it writes is shown. The
score is one feature of the ranking (see `features`), not the ranking itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..backends.generator import Scorer
from .prompts import render
from .types import Passage

TEMPLATE = "rerank"  # prompts/rerank.txt


@dataclass(frozen=True)
class PassageScore:
    logprob: float  # mean log-probability per question token; higher is better
    tokens: int  # tokens the model evaluated for this passage
    ms: float  # time it took


def lm_scores(question: str, passages: Sequence[Passage], scorer: Scorer) -> list[PassageScore]:
    """One score per passage, in the order given."""
    out = []
    for p in passages:
        result = scorer.score(render(TEMPLATE, passage=" ".join(p.text.split())), " " + question)
        out.append(PassageScore(result.logprob, result.tokens, result.ms))
    return out
