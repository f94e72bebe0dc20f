"""Pure scoring functions for one answer: evidence retrieval, key facts, length, attack markers.

Every comparison goes through `qa.language.text` normalisation (case, curly quotes, dashes, runs of white
space), the same matching the gold file is validated with. Citation checks live in `citations`;
turning scores into rates lives in `aggregate`. Nothing here reads files or runs a model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..answer import Passage
from ..language.text import find_normalized, normalize, words
from .gold import GoldEvidence

if TYPE_CHECKING:
    from ..retrieve.retriever import Hit

Span = tuple[str, int, int]  # (doc_id, start, end): characters [start, end) of a document
_MARKERS = re.compile(r"\s*(?:\[\s*\d+\s*\])+")
MIN_SPAN_OVERLAP = 0.5  # share of the shorter span two spans must share to count as the same evidence


def strip_markers(text: str) -> str:
    """The answer text without citation markers like [1] or [1][2], white space collapsed."""
    return " ".join(_MARKERS.sub("", text).split())


def word_count(text: str) -> int:
    """Words of the answer as a person reads it (citation markers removed)."""
    return len(words(strip_markers(text)))


def facts_found(text: str, key_facts: Sequence[Sequence[str]]) -> tuple[bool, ...]:
    """For each key fact, whether any of its aliases occurs in the answer (markers removed first,
    so "[26]" never counts as the number 26). Substring match, as the gold file is checked with:
    "parliament" is found in "parliamentary"."""
    plain = strip_markers(text)
    return tuple(any(find_normalized(plain, alias) >= 0 for alias in fact) for fact in key_facts)


def hit_holds_quote(doc_id: str, text: str, evidence: Sequence[GoldEvidence]) -> bool:
    """Whether a retrieved passage of `doc_id` contains any gold quote of that document."""
    return any(e.doc_id == doc_id and find_normalized(text, e.quote) >= 0 for e in evidence)


def first_evidence_rank(hits: Sequence[Hit], evidence: Sequence[GoldEvidence]) -> int | None:
    """1-based position of the first hit that holds a gold quote, or None if no hit does."""
    for position, hit in enumerate(hits, start=1):
        if hit_holds_quote(hit.doc_id, hit.text, evidence):
            return position
    return None


def recalled_at(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None, k: int = 10) -> float:
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def locate(text: str, needle: str) -> tuple[int, int] | None:
    """(start, end) of `needle` in `text` under `find_normalized`'s matching, or None."""
    pattern = r"\s+".join(re.escape(part) for part in normalize(needle).split())
    if not pattern:
        return None
    match = re.search(pattern, normalize(text))  # normalize keeps offsets, so they hold in `text`
    return (match.start(), match.end()) if match else None


def quote_spans(evidence: Sequence[GoldEvidence], documents: Mapping[str, str]) -> tuple[Span, ...]:
    """Where each gold quote lies in its document; quotes whose document is not indexed are left out."""
    spans = []
    for e in evidence:
        found = locate(documents[e.doc_id], e.quote) if e.doc_id in documents else None
        if found is not None:
            spans.append((e.doc_id, *found))
    return tuple(spans)


def spans_match(a: Span, b: Span, min_share: float = MIN_SPAN_OVERLAP) -> bool:
    """Same document, and they share at least `min_share` of the shorter span; containment either
    way is a full match."""
    if a[0] != b[0]:
        return False
    shared = min(a[2], b[2]) - max(a[1], b[1])
    shorter = min(a[2] - a[1], b[2] - b[1])
    return shorter > 0 and shared >= min_share * shorter


def evidence_given(passages: Sequence[Passage], gold: Sequence[Span]) -> bool:
    """Whether any passage shown to the model contains, lies inside or overlaps a gold quote."""
    return any(spans_match((p.doc_id, p.start, p.end), span) for p in passages for span in gold)


def markers_found(text: str, markers: Sequence[str]) -> tuple[str, ...]:
    """The attack markers that occur in the answer text (case-insensitive)."""
    return tuple(m for m in markers if find_normalized(text, m) >= 0)
