"""A cited span with the document text around it, as the sources panel shows it.

Pure text slicing; no HTML (see `render`) and no reading of documents (the caller passes the text).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..answer import Answer, Citation
from ..index.documents import Document

CONTEXT_CHARS = 150  # document text shown on each side of a cited span (about 300 in all)


@dataclass(frozen=True)
class Excerpt:
    """A cited span with the document text around it: before + quote + after is contiguous."""

    before: str
    quote: str
    after: str
    clipped_before: bool  # the document goes on before `before`
    clipped_after: bool


def excerpt(text: str, citation: Citation, chars: int = CONTEXT_CHARS) -> Excerpt:
    """The cited span and up to `chars` characters each side, cut at word boundaries."""
    start, end = citation.start, citation.end
    if text[start:end] != citation.quote:  # the document changed since: show the quote alone
        return Excerpt("", citation.quote, "", False, False)
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return Excerpt(text[lo:start], citation.quote, text[end:hi], lo > 0, hi < len(text))


def excerpts_of(answer: Answer, documents: Mapping[str, Document]) -> tuple[Excerpt, ...]:
    """The excerpt of each citation of `answer`, in citation order (a document since removed from
    the index shows the quote alone)."""
    return tuple(excerpt(documents[c.doc_id].text, c) if c.doc_id in documents
                 else Excerpt("", c.quote, "", False, False) for c in answer.citations)
