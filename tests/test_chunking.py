from __future__ import annotations

from pathlib import Path

import pytest

from qa.index.chunking import chunk_document
from qa.index.documents import read_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
@pytest.mark.parametrize(("max_chars", "overlap"), [(600, 1), (300, 0), (1200, 2)])
def test_chunks_hold_whole_sentences_at_exact_offsets(path: Path, max_chars: int, overlap: int) -> None:
    doc = read_document(path)
    chunks = chunk_document(doc, max_chars, overlap)
    covered = set()
    for chunk in chunks:
        assert chunk.start == chunk.sentences[0].start and chunk.end == chunk.sentences[-1].end
        if len(chunk.sentences) > 1:
            assert chunk.end - chunk.start <= max_chars
        for s in chunk.sentences:
            assert chunk.start <= s.start < s.end <= chunk.end
            covered.add(s.start)
        assert chunk.chunk_id.startswith(doc.doc_id + "#")
    from qa.index.sentences import split_sentences

    assert covered == {s.start for s in split_sentences(doc.text)}, "no sentence is lost"


def test_overlap_repeats_the_last_sentence_and_headings_start_chunks() -> None:
    doc = read_document(CORPUS / "002_9788b889a9d9832c.txt")
    chunks = chunk_document(doc, 600, 1)
    for a, b in zip(chunks, chunks[1:], strict=False):
        if not b.sentences[0].is_heading:
            assert b.sentences[0] == a.sentences[-1]
    starts = {c.sentences[0].start for c in chunks}
    from qa.index.sentences import split_sentences

    for s in split_sentences(doc.text):
        if s.is_heading:
            assert s.start in starts
