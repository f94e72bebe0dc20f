"""The features of each evidence passage for one question, the inputs of ranking and abstention.

| feature | what it measures (0..1 unless said) |
|---|---|
| names | share of the question's names the passage mentions (its quotations' speakers count) |
| context_names | share of them the top retrieved chunks mention at all (same for every passage) |
| focus | how much of the question's other content lemmas the passage's lemmas cover, near-synonyms in part (embedder) |
| dense | cosine similarity of the question and the passage's best sentence (MiniLM) |
| rank | 1 / retrieval rank |
| kind | how well the passage offers the asked kind of answer (see `candidates.kind_fit`) |
| lm | the model's mean log-probability of the question after the passage, minus the best one's (<= 0) |

A speaker the question's description only half fits offers nothing where another passage quotes
one it fits fully (`candidates.described_speakers`): the passages are featurized together.

Without a scorer (a server that returns no log-probabilities, or the retrieval-only baseline) `lm`
is 0 for every passage, and the ranking uses its model fitted without that feature.

It computes numbers only; `ranking` weighs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..language.analysis import SentenceAnalysis
from .candidates import Candidate, candidates, described_speakers, kind_fit
from .names import names_found
from .question import Question
from .types import Passage
from .units import Meanings

FEATURES = ("names", "context_names", "focus", "dense", "rank", "kind", "lm")
LM_FLOOR = -3.0  # log-probability gaps below this carry no more information


@dataclass(frozen=True)
class PassageEvidence:
    """A passage with the analyses of its sentences and their vectors' similarity to the question."""

    passage: Passage
    analyses: tuple[SentenceAnalysis, ...]
    dense: float  # best cosine similarity of one of its sentences to the question
    rank: int  # 1-based retrieval rank


@dataclass(frozen=True)
class Featured:
    evidence: PassageEvidence
    candidates: tuple[Candidate, ...]
    values: tuple[float, ...]  # in FEATURES order

    def value(self, name: str) -> float:
        return self.values[FEATURES.index(name)]


@dataclass(frozen=True)
class Scored:
    """A passage's features and the ranking's score of them."""

    featured: Featured
    score: float

    @property
    def passage(self) -> Passage:
        return self.featured.evidence.passage


def featurize(question: Question, evidence: Sequence[PassageEvidence], context_text: str,
              lm_scores: Sequence[float] | None, meanings: Meanings) -> list[Featured]:
    """Feature vectors for each passage, in the order given."""
    context = names_found(question.names, context_text)
    # the words compared by meaning below, embedded in one call rather than one per passage
    meanings.unit.embed_all([*question.focus, *question.topic,
                             *(lemma for ev in evidence for a in ev.analyses for lemma in a.lemmas)])
    out = []
    found_in = described_speakers(question, [candidates(question, ev.passage.doc_id, ev.analyses, meanings)
                                              for ev in evidence])
    for ev, found in zip(evidence, found_in, strict=True):
        lemmas = {lemma for a in ev.analyses for lemma in a.lemmas}
        focus = meanings.unit.coverage(question.focus, sorted(lemmas))
        values = (
            names_found(question.names, _mentioned(ev, question, found)),
            context,
            focus,
            ev.dense,
            1.0 / ev.rank,
            kind_fit(question, found, ev.analyses),
            0.0,
        )
        out.append(Featured(ev, tuple(found), values))
    return with_lm(out, lm_scores) if lm_scores else out


def _mentioned(evidence: PassageEvidence, question: Question, found: Sequence[Candidate]) -> str:
    """The passage's text and who speaks in it: a quotation's speaker, named in an earlier
    sentence ("he said: We ..."), is mentioned by it; a passage quoting the asked speaker as
    asked (speaker fit 1) mentions the whole phrase that asks for them, the names describing
    them included ("Norwegian" of "Norwegian ministry spokeswoman Ana Petrova" where the passage
    quotes "ministry spokeswoman Ana Petrova")."""
    speakers = [at.speaker for s in evidence.analyses for at in s.attributions if at.speaker]
    asked = [question.speaker] if any(c.speaker == 1.0 for c in found) else []
    return " ".join((evidence.passage.text, *dict.fromkeys(speakers), *asked))


def unnamed_speakers(evidence: PassageEvidence) -> tuple[str, ...]:
    """Who speaks in the passage without being named in it: a pronoun's person, resolved across
    sentences at ingest ("she disputed the total" -> the mayor named before); a pronoun left
    unresolved ("he") names nobody."""
    text = evidence.passage.text
    return tuple(dict.fromkeys(at.speaker for s in evidence.analyses for at in s.attributions
                               if at.speaker and at.speaker not in text and any(c.isupper() for c in at.speaker)))


def with_lm(featured: Sequence[Featured], lm_scores: Sequence[float]) -> list[Featured]:
    """`featured` (in the same order as `lm_scores`) with the model's feature set: each score
    minus the best one, floored at `LM_FLOOR`."""
    best = max(lm_scores)
    at = FEATURES.index("lm")
    return [replace(f, values=(*f.values[:at], max(LM_FLOOR, score - best), *f.values[at + 1:]))
            for f, score in zip(featured, lm_scores, strict=True)]


QUESTION_FEATURES = ("best_score", "kind", "names", "context_names", "focus", "dense", "names_and_kind")


def question_features(featured: Sequence[Featured], scores: Sequence[float]) -> tuple[float, ...]:
    """Whether the evidence as a whole can answer: the best passage score, and the best value of
    each passage feature over all passages (`names_and_kind`: one passage with both the question's
    names and the asked kind of answer, so that the subject meets its topic)."""
    if not featured:
        return (0.0,) * len(QUESTION_FEATURES)

    def best(name: str) -> float:
        return max(f.value(name) for f in featured)

    return (max(scores), best("kind"), best("names"), best("context_names"), best("focus"), best("dense"),
            max(f.value("names") * f.value("kind") for f in featured))
