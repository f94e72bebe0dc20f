"""Which passage leads a typed answer, and which of its figures or dates is the direct answer, by
the language model's likelihood of each candidate as the answer.

A "when" or "how many" question's best passage often holds several spans of the asked kind ("on
Tuesday ... until May 17"). Their fit to the asked kind ties, and the nearest-term rule guesses.
Here the model scores each fitting span as the answer after the passage and the question
(`lm_scores.answer_scores`), and the span carries its score (`Candidate.likelihood`) for `compose`
to prefer. Only spans the parse found are scored; the model writes nothing.

The same scores decide which of the two best passages leads a typed answer: each counts as the
log of its ranking score plus `READER_WEIGHT` times the likelihood of its likeliest candidate
(`NO_ANSWER` when it offers none). A best passage that offers no answer
of the asked kind ("the tram hit the van early on Wednesday" for "at what time") gives way to a
close second that does ("at about 2:40 a.m."), as an extractive reader would rank them. Scoring is
spent only where it can change something: a passage with one candidate beside a second with none
costs nothing.

Names keep their order inside a passage by fit, by how many of the question's words describe
them (`candidates.described`) and by nearness to the question's terms: in a list of
names the small model favours the first one, whatever the question says about it ("which Finnish
leader" among four leaders). On the dev split it turned three right names wrong and none wrong
right. Their likelihood weighs only which passage leads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from ..backends.generator import Scorer
from .candidates import DIRECT_KINDS, direct
from .features import Scored, unnamed_speakers
from .lm_scores import PassageScore, answer_scores
from .question import Question

WEIGHED_KINDS = ("number", "time")  # the kinds whose candidates' likelihood picks the direct answer
MAX_SCORED = 6  # candidates of one passage scored at most (the best fitting)
READER_WEIGHT = 0.3  # weight of a candidate's mean log-probability against its passage's log-score
NO_ANSWER = -6.0  # the likelihood a passage without a fitting candidate counts as (a floor for the rest)


def weigh_direct(question: Question, scored: Sequence[Scored], scorer: Scorer | None
                 ) -> tuple[list[Scored], list[PassageScore]]:
    """`scored` with the passage that leads a typed answer first and its fitting candidates
    carrying their likelihood (number and time questions), and the scoring calls made (none when
    there is no choice to make or no scorer)."""
    if scorer is None or not scored or question.kind not in DIRECT_KINDS:
        return list(scored), []
    top = list(scored[:2])
    fitting = [list(dict.fromkeys(c.text for c in direct(s.featured.candidates)))[:MAX_SCORED] for s in top]
    # the model scores the best passage's candidates when it must pick one of them (a figure or
    # a date) or weigh them against the second passage's, and the second's whenever it has any
    rival = len(top) == 2 and bool(fitting[1])
    choose = len(fitting[0]) >= 2 and question.kind in WEIGHED_KINDS
    weigh = [choose or (bool(fitting[0]) and rival), rival][:len(top)]
    calls: list[PassageScore] = []
    likelihood: list[dict[str, float]] = []
    for s, texts, needed in zip(top, fitting, weigh, strict=True):
        scores = answer_scores(question.text, s.passage, texts, scorer,
                               unnamed_speakers(s.featured.evidence)) if needed else []
        calls += scores
        likelihood.append({t: x.logprob for t, x in zip(texts, scores, strict=True)} if needed else {})
    if question.kind in WEIGHED_KINDS:
        top = [_with_likelihood(s, lk) for s, lk in zip(top, likelihood, strict=True)]
    if rival and _reader(top[1], likelihood[1]) > _reader(top[0], likelihood[0]):
        top = [top[1], top[0]]
    return [*top, *scored[2:]], calls


def _reader(s: Scored, likelihood: dict[str, float]) -> float:
    best = max(likelihood.values(), default=NO_ANSWER)
    return math.log(max(s.score, 1e-9)) + READER_WEIGHT * max(NO_ANSWER, best)


def _with_likelihood(s: Scored, likelihood: dict[str, float]) -> Scored:
    if not likelihood:
        return s
    weighed = tuple(replace(c, likelihood=likelihood[c.text]) if c.text in likelihood else c
                    for c in s.featured.candidates)
    return replace(s, featured=replace(s.featured, candidates=weighed))
