"""Rates over scored items: every metric as successes out of trials with a 95% Wilson interval,
overall and per question type, plus latency percentiles.

Which items each rate counts:
- retrieval (recall@k, MRR@10, evidence given to the model): answerable items with gold evidence;
- key-fact recall: key facts of answerable items (found / all), pooled over items, so its
  interval treats facts as independent and is somewhat narrow;
- all facts, hallucination, false abstain: answerable items; a hallucination is an answer (no
  abstention) that states none of the item's key facts;
- correct abstain and hallucination on unanswerable items: unanswerable items;
- citation recall: claims; precision: (claim, citation) pairs; validity and fidelity: citations;
- attack success: injection items; median words: answers that did not abstain.
A rate with no trials has value None. It does not score items (see `records`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from .gold import TYPES
from .metrics import recalled_at, reciprocal_rank
from .records import ItemResult
from .stats import median, percentile, wilson_interval

# (name, label, lower is better), in report order
METRICS: tuple[tuple[str, str, bool], ...] = (
    ("recall_at_1", "evidence recall@1", False),
    ("recall_at_3", "evidence recall@3", False),
    ("recall_at_5", "evidence recall@5", False),
    ("mrr_at_10", "MRR@10", False),
    ("evidence_given", "evidence given to the model", False),
    ("key_fact_recall", "key-fact recall", False),
    ("all_facts", "answers with every key fact", False),
    ("hallucination", "hallucination (answerable)", True),
    ("hallucination_unanswerable", "hallucination (unanswerable)", True),
    ("median_words", "median answer words", False),
    ("citation_recall", "citation recall", False),
    ("citation_precision", "citation precision", False),
    ("citation_validity", "citation validity", False),
    ("quote_fidelity", "quote fidelity", False),
    ("correct_abstain", "correct abstain (unanswerable)", False),
    ("false_abstain", "false abstain (answerable)", True),
    ("attack_success", "injection attack success", True),
)
LATENCY_PARTS = ("total_ms", "retrieval_ms", "prompt_eval_ms", "generation_ms", "verification_ms",
                 "prompt_tokens", "completion_tokens")
_WHOLE_RUN_PARTS = ("total_ms", "retrieval_ms")  # the others only for answers that reached the model


@dataclass(frozen=True)
class Rate:
    successes: int
    trials: int
    value: float | None  # successes / trials; None without trials
    low: float | None  # 95% Wilson interval
    high: float | None


def rate(successes: int, trials: int) -> Rate:
    if trials == 0:
        return Rate(0, 0, None, None, None)
    low, high = wilson_interval(successes, trials)
    return Rate(successes, trials, successes / trials, low, high)


@dataclass(frozen=True)
class MetricSet:
    items: int
    recall_at_1: Rate
    recall_at_3: Rate
    recall_at_5: Rate
    mrr_at_10: float | None
    evidence_given: Rate
    key_fact_recall: Rate
    all_facts: Rate
    hallucination: Rate
    hallucination_unanswerable: Rate
    median_words: float | None
    citation_recall: Rate
    citation_precision: Rate
    citation_validity: Rate
    quote_fidelity: Rate
    correct_abstain: Rate
    false_abstain: Rate
    attack_success: Rate

    def values(self) -> dict[str, float | None]:
        """Metric name -> its value (a rate's share), for comparisons."""
        out: dict[str, float | None] = {}
        for f in fields(self):
            if f.name != "items":
                value = getattr(self, f.name)
                out[f.name] = value.value if isinstance(value, Rate) else value
        return out


@dataclass(frozen=True)
class Percentiles:
    count: int
    p50: float | None
    p95: float | None


def summarize(results: Sequence[ItemResult]) -> MetricSet:
    retrieval = [r for r in results if r.answerable and r.has_evidence]
    answerable = [r for r in results if r.answerable]
    with_facts = [r for r in answerable if r.facts_total]
    unanswerable = [r for r in results if not r.answerable]
    injection = [r for r in results if r.type == "injection"]
    claims = [c for r in results for c in r.claims]
    citations = [c for r in results for c in r.citations]
    precise = [p for c in claims for p in c.precise]
    answered_words = [float(r.words) for r in results if not r.abstained]
    return MetricSet(
        items=len(results),
        recall_at_1=rate(sum(recalled_at(r.evidence_rank, 1) for r in retrieval), len(retrieval)),
        recall_at_3=rate(sum(recalled_at(r.evidence_rank, 3) for r in retrieval), len(retrieval)),
        recall_at_5=rate(sum(recalled_at(r.evidence_rank, 5) for r in retrieval), len(retrieval)),
        mrr_at_10=(sum(reciprocal_rank(r.evidence_rank, 10) for r in retrieval) / len(retrieval)
                   if retrieval else None),
        evidence_given=rate(sum(bool(r.evidence_given) for r in retrieval), len(retrieval)),
        key_fact_recall=rate(sum(len(r.facts_found) for r in answerable), sum(r.facts_total for r in answerable)),
        all_facts=rate(sum(not r.facts_missing for r in with_facts), len(with_facts)),
        hallucination=rate(sum(r.hallucinated for r in answerable), len(answerable)),
        hallucination_unanswerable=rate(sum(r.hallucinated for r in unanswerable), len(unanswerable)),
        median_words=median(answered_words) if answered_words else None,
        citation_recall=rate(sum(c.supported for c in claims), len(claims)),
        citation_precision=rate(sum(precise), len(precise)),
        citation_validity=rate(sum(c.valid for c in citations), len(citations)),
        quote_fidelity=rate(sum(c.exact for c in citations), len(citations)),
        correct_abstain=rate(sum(r.abstained for r in unanswerable), len(unanswerable)),
        false_abstain=rate(sum(r.abstained for r in answerable), len(answerable)),
        attack_success=rate(sum(bool(r.attack_markers_found) for r in injection), len(injection)),
    )


def by_type(results: Sequence[ItemResult]) -> dict[str, MetricSet]:
    """Metrics per question type, in the gold file's type order, for the types present."""
    present = {r.type for r in results}
    return {t: summarize([r for r in results if r.type == t]) for t in TYPES if t in present}


SPLITS = ("dev", "test", "heldout")


def by_split(results: Sequence[ItemResult]) -> dict[str, MetricSet]:
    """Metrics per split: dev (tuned on), test (looked at only for totals), heldout (the second
    corpus, never tuned on)."""
    present = {r.split for r in results}
    return {s: summarize([r for r in results if r.split == s]) for s in SPLITS if s in present}


def latency(results: Sequence[ItemResult]) -> dict[str, Percentiles]:
    """p50/p95 of each part of `Answer.timings`; model parts over answers that did not abstain."""
    out = {}
    for part in LATENCY_PARTS:
        chosen = results if part in _WHOLE_RUN_PARTS else [r for r in results if not r.abstained]
        values = [float(getattr(r.timings, part)) for r in chosen]
        out[part] = Percentiles(len(values), percentile(values, 50) if values else None,
                                percentile(values, 95) if values else None)
    return out
