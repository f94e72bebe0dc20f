"""Answering: question analysis, evidence features, candidate answers, ranking, abstention,
assembly of the cited answer, and verification of generated text.

Owns the `Answer` value and everything that builds it. May import the index (read only),
retrieval, language analysis and the backend protocols; must not import the CLI, UI, eval or
bench packages, nor a vendor library (backends are passed in).

Must not import: `eval`, `bench`, `ui`, `assistant`, `cli`.
"""

from .types import ABSTAIN_TEXT, Answer, AnswerDelta, AnswerEvent, Citation, Claim, Passage, PassageRank, Timings

__all__ = ["ABSTAIN_TEXT", "Answer", "AnswerDelta", "AnswerEvent", "Citation", "Claim", "Passage", "PassageRank",
           "Timings"]
