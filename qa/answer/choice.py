"""Which figure or date of the best passage is the direct answer, by the language model's likelihood.

A "when" or "how many" question's best passage often holds several spans of the asked kind ("on
Tuesday ... until May 17"). Their fit to the asked kind ties, and the nearest-term rule guesses.
Here the model scores each fitting span as the answer after the passage and the question
(`lm_scores.answer_scores`), and the span carries its score (`Candidate.likelihood`) for `compose`
to prefer. Only spans the parse found are scored; the model writes nothing. A passage with one
fitting span costs nothing.

Names are left to their fit and their nearness to the question's terms: in a list of names the
small model favours the first one, whatever the question says about it ("which Finnish leader"
among four leaders). On the dev split it turned three right names wrong and none wrong right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..backends.generator import Scorer
from .compose import Scored, direct_candidates
from .lm_scores import PassageScore, answer_scores
from .question import Question

WEIGHED_KINDS = ("number", "time")  # the kinds whose candidates the model weighs
MAX_SCORED = 6  # candidates of one passage scored at most (the best fitting)


def weigh_direct(question: Question, scored: Sequence[Scored], scorer: Scorer | None
                 ) -> tuple[list[Scored], list[PassageScore]]:
    """`scored` with the best passage's fitting candidates carrying their likelihood, and the
    scoring calls made (none when there is no choice to make or no scorer)."""
    if scorer is None or not scored or question.kind not in WEIGHED_KINDS:
        return list(scored), []
    best = scored[0]
    fitting = direct_candidates(best)[:MAX_SCORED]
    texts = list(dict.fromkeys(c.text for c in fitting))
    if len(texts) < 2:
        return list(scored), []
    scores = answer_scores(question.text, best.passage, texts, scorer)
    by_text = {t: s.logprob for t, s in zip(texts, scores, strict=True)}
    weighed = tuple(replace(c, likelihood=by_text[c.text]) if c.text in by_text else c
                    for c in best.featured.candidates)
    return [replace(best, featured=replace(best.featured, candidates=weighed)), *scored[1:]], scores
