"""Group a document's sentences into overlapping chunks, keeping every offset.

A chunk is a run of whole sentences whose span is at most `max_chars` long (a single longer
sentence makes a chunk of its own); the next chunk repeats the last `overlap` sentences. A
sub-heading always starts a new chunk, so one chunk never mixes two sections. Chunk text is never
stored separately: it is `document.text[start:end]`. This module does not embed or index.
"""

from __future__ import annotations

from dataclasses import dataclass

from .documents import Document
from .sentences import SentenceSpan, split_sentences


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: the half-open span [start, end) and the sentences inside it."""

    chunk_id: str  # "<doc_id>#<n>"
    doc_id: str
    start: int
    end: int
    sentences: tuple[SentenceSpan, ...]


def chunk_document(doc: Document, max_chars: int, overlap: int) -> list[Chunk]:
    """Chunks of `doc`, in document order."""
    sentences = split_sentences(doc.text)
    groups: list[list[SentenceSpan]] = []
    current: list[SentenceSpan] = []
    for sentence in sentences:
        too_long = current and sentence.end - current[0].start > max_chars
        if current and (sentence.is_heading or too_long):
            groups.append(current)
            keep = current[-overlap:] if overlap and not sentence.is_heading else []
            # Never carry over the whole previous chunk (that would loop), nor a lone heading.
            if len(keep) >= len(current) or all(s.is_heading for s in keep):
                keep = []
            current = list(keep)
            while current and sentence.end - current[0].start > max_chars:
                current.pop(0)
        current.append(sentence)
    if current:
        groups.append(current)
    return [
        Chunk(
            chunk_id=f"{doc.doc_id}#{n}",
            doc_id=doc.doc_id,
            start=group[0].start,
            end=group[-1].end,
            sentences=tuple(group),
        )
        for n, group in enumerate(groups)
    ]
