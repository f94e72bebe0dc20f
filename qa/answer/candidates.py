"""Candidate answers: spans of the expected kind in the evidence sentences.

For a typed question the candidates come from the stored sentence analyses: figures whose counted
noun matches the one asked about (a number question), entities of the asked-for kind that the
question does not already name (who, which, where, when), or the words attributed to the asked-for
speaker (what did X say). A "when" question is answered by a point in time: a date the parse
found to be a length of time ("after 14 months", "a five-hour debate") fits less, and "at what
time" asks for a time of day. Each is a verbatim span of its document. It does not rank them (see
`ranking`) or write the answer (see `compose`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..language.analysis import (
    NUMBER_LABELS,
    ORG_LABELS,
    PERSON_LABELS,
    PLACE_LABELS,
    SentenceAnalysis,
)
from ..language.lexicon import word_class
from .names import TextNames, speaker_fit
from .question import Question
from .units import Meanings

NAME_LABELS = PERSON_LABELS | ORG_LABELS | PLACE_LABELS | {"EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
LABELS_BY_KIND = {
    "person": PERSON_LABELS | {"ORG"},  # "who organises ..." may be a body
    "organisation": ORG_LABELS,
    "place": PLACE_LABELS,
    "time": frozenset({"DATE", "TIME"}),
    "list": NAME_LABELS,
    "thing": NAME_LABELS,
}
OFF_KIND_FIT = 0.4  # an entity of another kind than the asked noun's ("which leaders" -> a country)


@dataclass(frozen=True)
class Candidate:
    kind: str  # the question kind it answers
    doc_id: str
    start: int
    end: int
    text: str
    value: float | None = None  # numbers: the figure
    fit: float = 1.0  # how well it fits the asked kind, 0..1 (unit similarity, label fit)
    typed: bool = True  # its label is of the asked kind, and for "which <noun>" the noun's kind is clear
    likelihood: float | None = None  # the model's mean log-probability of it as the answer (see `choice`)


def candidates(question: Question, doc_id: str, analyses: Sequence[SentenceAnalysis],
               meanings: Meanings) -> list[Candidate]:
    """The candidate answers in one passage's sentences, best fitting first."""
    found: list[Candidate] = []
    asked = TextNames(" ".join(question.names))
    preferred = _preferred_labels(question, meanings)
    for a in analyses:
        if question.kind == "number":
            for f in a.figures:
                if f.start < a.body_start:
                    continue
                fit = 1.0 if not question.unit else meanings.unit(question.unit, f.unit) if f.unit else 0.3
                found.append(Candidate("number", doc_id, f.start, f.end, f.text, f.value, fit))
        elif question.kind == "quote":
            # the topic is weighed only where someone speaks (it embeds the sentence's words)
            topic = meanings.unit.coverage(question.topic, a.lemmas) if a.attributions else 0.0
            for at in a.attributions:
                who = speaker_fit(question.speaker, question.speaker_words, at.speaker, at.roles, meanings.unit.best)
                if who > 0:
                    fit = who * (0.5 + 0.5 * topic)
                    found.append(Candidate("quote", doc_id, at.start, at.end, at.speaker, fit=fit))
        elif question.kind in LABELS_BY_KIND:
            labels = LABELS_BY_KIND[question.kind]
            # "which general ...": a name fits fully only where the sentence speaks of a general
            # (or of something the embedder finds close: "leader" ~ "chairwoman")
            named = 1.0 if not question.unit else 0.5 + 0.5 * meanings.unit.best(question.unit, a.lemmas)
            for e in a.entities:
                if e.label in labels and e.start >= a.body_start and not asked.has(e.text) \
                        and not any(e.text in n or n in e.text for n in question.names):
                    described = meanings.unit.best(question.unit, e.descriptors) if question.unit else 0.0
                    of_kind = e.label in preferred and not (question.kind == "time" and _duration(e.start, e.end, a))
                    fit = (1.0 if of_kind else OFF_KIND_FIT) * max(named, described)
                    found.append(Candidate(question.kind, doc_id, e.start, e.end, e.text, fit=fit,
                                           typed=of_kind and preferred is not NAME_LABELS))
        elif question.kind == "free":
            continue
    return sorted(found, key=lambda c: -c.fit)


def _duration(start: int, end: int, analysis: SentenceAnalysis) -> bool:
    """Whether a date or time entity is a length of time ("14 months", "a five-hour debate"): the
    parse counted a time unit in it (a figure with a unit), so it says how long, not when."""
    return any(f.unit and f.start < end and start < f.end for f in analysis.figures)


def _preferred_labels(question: Question, meanings: Meanings) -> frozenset[str]:
    """Entity labels that fully fit: people for "who"; for "which leaders" the kind of the noun;
    a time of day for "at what time"."""
    if question.kind == "time" and question.unit in word_class("clock_nouns"):
        return frozenset({"TIME"})
    if question.kind == "person":
        return PERSON_LABELS  # a body ("who organises ...") fits, but less
    if question.kind in ("list", "thing"):
        kind = meanings.kind(question.unit)
        if kind == "person":  # "which leader": people; a body fits less
            return PERSON_LABELS
        return LABELS_BY_KIND[kind] if kind else NAME_LABELS
    return LABELS_BY_KIND.get(question.kind, frozenset())


def kind_fit(question: Question, found: Sequence[Candidate], analyses: Sequence[SentenceAnalysis]) -> float:
    """How well a passage offers the kind of answer asked for: 1 when a candidate fits fully,
    the best fit otherwise; free questions (why, how) fit any passage."""
    if question.kind == "free":
        return 1.0
    if question.kind == "time" and not found:
        return 0.3  # an event can answer "when" ("once a peace deal is signed")
    if question.kind == "number" and not found:
        return 0.2 if any(e.label in NUMBER_LABELS for a in analyses for e in a.entities) else 0.0
    return max((c.fit for c in found), default=0.0)
