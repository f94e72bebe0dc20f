"""Typed values for answers: the passages shown to the model, claims, citations, timings.

Plain frozen dataclasses, built by `pipeline` and read by the CLI, UI and eval. `Answer.text` is
what a person reads; each claim in it ends with citation markers like [1], and each `Citation`
carries the exact span of its document, so `document.text[start:end] == quote` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """Where the time went. In the rerank style the model only evaluates prompts (one per passage):
    `prompt_tokens` and `prompt_eval_ms` cover all of them, and nothing is generated."""

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


@dataclass(frozen=True)
class AnswerDelta:
    """A piece of the model's unverified draft, streamed while it is written."""

    text: str


AnswerEvent = AnswerDelta | Answer
