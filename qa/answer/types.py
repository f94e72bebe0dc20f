"""Typed values for answers: the passages shown to the model, claims, citations, timings.

Plain frozen dataclasses, built by `pipeline` and read by the CLI, UI and eval. `Answer.text` is
what a person reads; each claim in it ends with citation markers like [1], and each `Citation`
carries the exact span of its document, so `document.text[start:end] == quote` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

ABSTAIN_TEXT = "The articles don't say. None of the indexed passages answers this question."


@dataclass(frozen=True)
class Passage:
    """Evidence shown to the model as [number]: one or two adjacent sentences of a document."""

    number: int
    doc_id: str
    title: str
    start: int
    end: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Citation:
    """Source [number] of the answer: a verbatim span of a document."""

    number: int
    doc_id: str
    title: str
    source: str  # the article's credit line, if any
    start: int
    end: int
    quote: str  # == the document's text[start:end]
    page: int | None = None


@dataclass(frozen=True)
class Claim:
    """One sentence of the answer and the citations that support it."""

    text: str
    citations: tuple[int, ...]
    origin: str  # "answer": a span of the cited sentence; "quote": a verbatim evidence span;
    # "model": written by the model and verified


@dataclass(frozen=True)
class Timings:
    """Where the time went. In the rerank style the model only evaluates prompts (one per passage,
    and one per candidate direct answer when the best passage offers several): `prompt_tokens` and
    `prompt_eval_ms` cover all of them, and nothing is generated."""

    retrieval_ms: float = 0.0
    prompt_tokens: int = 0
    prompt_eval_ms: float = 0.0
    completion_tokens: int = 0
    generation_ms: float = 0.0
    verification_ms: float = 0.0
    total_ms: float = 0.0


@dataclass(frozen=True)
class PassageRank:
    """Why a passage ranked where it did: its features and the score the ranking model gave."""

    number: int  # the evidence passage [number]
    score: float  # 0..1, the probability that it holds an asked-for fact
    features: tuple[tuple[str, float], ...]  # (name, value) in `features.FEATURES` order


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    claims: tuple[Claim, ...]
    citations: tuple[Citation, ...]
    evidence: tuple[Passage, ...]  # everything the model was given
    abstained: bool
    timings: Timings
    model_id: str = ""
    notes: tuple[str, ...] = ()  # what verification changed, for the curious
    draft: str = ""  # the model's raw output before verification
    kind: str = ""  # the kind of answer the question asks for (see `question.KINDS`)
    ranking: tuple[PassageRank, ...] = ()  # every evidence passage, best first
    standalone: str = ""  # the question as answered: a follow-up rewritten to stand alone
    rewrites: tuple[str, ...] = ()  # what the rewrite changed ("he -> Ana Ruiz")

    @property
    def answered_as(self) -> str:
        """The question this answer answers: the standalone form, or the question as asked."""
        return self.standalone or self.question

    @property
    def direct(self) -> tuple[str, ...]:
        """The direct answer's items ("26 countries"; "A", "B" and "C" of a list), if any."""
        first = next((c.text for c in self.claims if c.origin == "answer"), "")
        if not first or self.abstained:
            return ()
        items = [i.strip() for part in first.split(", ") for i in part.split(" and ")]
        return tuple(i for i in items if i)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """The inverse of `to_dict` (for answers kept as JSON by a caller)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["claims"] = tuple(Claim(c["text"], tuple(c["citations"]), c["origin"]) for c in data.get("claims", ()))
        values["citations"] = tuple(Citation(**c) for c in data.get("citations", ()))
        values["evidence"] = tuple(Passage(**p) for p in data.get("evidence", ()))
        values["timings"] = Timings(**data.get("timings", {}))
        values["ranking"] = tuple(PassageRank(r["number"], r["score"], tuple(tuple(f) for f in r["features"]))
                                  for r in data.get("ranking", ()))
        for name in ("notes", "rewrites"):
            values[name] = tuple(data.get(name, ()))
        return cls(**values)


@dataclass(frozen=True)
class AnswerDelta:
    """A piece of the model's unverified draft, streamed while it is written."""

    text: str


AnswerEvent = AnswerDelta | Answer
