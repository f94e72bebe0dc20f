"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused by reciprocal rank fusion.

`Retriever.search` ranks chunks (passages); `Retriever.search_sentences` ranks the sentences inside
the best chunks, which is what evidence selection wants: dense, lexical and the rank of the chunk
each sentence is in, fused the same way. Both return typed hits with document ids
and exact spans. It does not decide whether the hits answer anything (see `abstention`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..backends.embedder import Embedder
from ..config import Config
from ..index.store import IndexData
from .lexical import BM25

CANDIDATES = 50  # each ranking contributes at least this many candidates to the fusion
SENTENCE_POOL_CHUNKS = 10  # chunks whose sentences compete in sentence search


@dataclass(frozen=True)
class Hit:
    """A ranked passage: chunk `chunk_id` of `doc_id`, text = document.text[start:end]."""

    rank: int  # 1-based
    chunk_id: str
    doc_id: str
    title: str
    start: int
    end: int
    text: str
    score: float  # the fused score (RRF), or the single ranking's score in dense/lexical mode
    dense_score: float | None  # cosine similarity, when the dense ranking saw it
    lexical_score: float | None  # BM25, when the lexical ranking saw it
    page: int | None = None


@dataclass(frozen=True)
class SentenceHit:
    """A ranked sentence, with the chunk it was found through."""

    rank: int
    doc_id: str
    start: int
    end: int
    text: str
    score: float
    row: int  # row in the index's sentence table


class Retriever:
    """Searches one loaded index with one embedder."""

    def __init__(self, data: IndexData, embedder: Embedder, mode: str = Config.retrieval,
                 rrf_k: int = Config.rrf_k) -> None:
        self.data = data
        self.embedder = embedder
        self.mode = mode
        self.rrf_k = rrf_k
        self._bm25: BM25 | None = None
        self._sentence_bm25: BM25 | None = None
        self._chunk_rows = {c.chunk_id: i for i, c in enumerate(data.chunks)}
        self._sentence_rows = {(s.doc_id, s.start): s.row for s in data.sentences}
        self._doc_rows: dict[str, list[int]] | None = None

    @property
    def bm25(self) -> BM25:
        if self._bm25 is None:
            self._bm25 = BM25([self._chunk_text(i) for i in range(len(self.data.chunks))])
        return self._bm25

    @property
    def sentence_bm25(self) -> BM25:
        if self._sentence_bm25 is None:
            docs = self.data.documents
            self._sentence_bm25 = BM25([docs[s.doc_id].text[s.start:s.end] for s in self.data.sentences])
        return self._sentence_bm25

    def search(self, query: str, k: int = Config.top_k, mode: str | None = None,
               qvec: np.ndarray | None = None) -> list[Hit]:
        """The `k` best chunks for `query` (`qvec`: its embedding, when the caller has it)."""
        return self._search(query, k, mode or self.mode, self.embed_query(query) if qvec is None else qvec)

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.embed([query])[0]  # (dim,) float32, unit length

    def _search(self, query: str, k: int, mode: str, qvec: np.ndarray) -> list[Hit]:
        n = len(self.data.chunks)
        if n == 0 or k <= 0:
            return []
        pool = max(CANDIDATES, 4 * k)
        dense: dict[int, float] = {}
        lexical: dict[int, float] = {}
        if mode in ("hybrid", "dense") and self.data.vector_index is not None:
            scores, rows = self.data.vector_index.search(qvec, pool)
            dense = {int(r): float(s) for r, s in zip(rows, scores, strict=True)}
        if mode in ("hybrid", "lexical"):
            all_scores = self.bm25.scores(query)
            top = _top(all_scores, pool)
            lexical = {int(r): float(all_scores[r]) for r in top if all_scores[r] > 0}
        fused = self._fuse(mode, dense, lexical)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [self._hit(rank, row, score, dense, lexical) for rank, (row, score) in enumerate(ranked, 1)]

    def search_sentences(self, query: str, k: int = Config.top_k, pool_chunks: int = SENTENCE_POOL_CHUNKS,
                         qvec: np.ndarray | None = None, chunk_hits: list[Hit] | None = None) -> list[SentenceHit]:
        """The `k` best non-heading sentences among those in the best `pool_chunks` chunks
        (`chunk_hits`: that chunk search, when the caller has already made it)."""
        qvec = self.embed_query(query) if qvec is None else qvec
        if chunk_hits is None:
            chunk_hits = self._search(query, pool_chunks, self.mode, qvec)
        rows: dict[int, int] = {}  # sentence row -> position of the best chunk holding it
        for position, hit in enumerate(chunk_hits, 1):
            chunk = self.data.chunks[self._chunk_rows[hit.chunk_id]]
            for span in chunk.sentences:
                if not span.is_heading:
                    rows.setdefault(self._sentence_rows[(chunk.doc_id, span.start)], position)
        if not rows:
            return []
        cand = np.fromiter(rows, dtype=np.int64)
        dense_scores = self.data.sentence_vectors[cand] @ qvec  # (len(cand),) cosine
        lexical_scores = self.sentence_bm25.scores(query)[cand]
        dense = {int(r): float(s) for r, s in zip(cand, dense_scores, strict=True)}
        lexical = {int(r): float(s) for r, s in zip(cand, lexical_scores, strict=True) if s > 0}
        # the chunk's rank is a third ranking: a sentence of the best passage has its context's support
        by_chunk = {row: -float(rank) for row, rank in rows.items()}
        fused = self._fuse(self.mode, dense, lexical, by_chunk)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        docs = self.data.documents
        out = []
        for rank, (row, score) in enumerate(ranked, 1):
            s = self.data.sentences[row]
            out.append(SentenceHit(rank, s.doc_id, s.start, s.end, docs[s.doc_id].text[s.start:s.end],
                                   score, row))
        return out

    def rows_in(self, doc_id: str, start: int, end: int) -> list[int]:
        """Sentence rows of `doc_id` that start inside [start, end), in order."""
        if self._doc_rows is None:
            by_doc: dict[str, list[int]] = {}
            for sentence in self.data.sentences:
                by_doc.setdefault(sentence.doc_id, []).append(sentence.row)
            self._doc_rows = by_doc
        return [r for r in self._doc_rows.get(doc_id, []) if start <= self.data.sentences[r].start < end]

    def _fuse(self, mode: str, dense: dict[int, float], lexical: dict[int, float],
              *more: dict[int, float]) -> dict[int, float]:
        """One score per row: dense or lexical alone in those modes; in hybrid mode reciprocal rank
        fusion of both and of any `more` rankings (row -> score, higher first)."""
        if mode == "dense":
            return dense
        if mode == "lexical":
            return lexical
        fused: dict[int, float] = {}
        for ranking in (dense, lexical, *more):
            ordered = sorted(ranking, key=lambda r: -ranking[r])
            for rank, row in enumerate(ordered, 1):
                fused[row] = fused.get(row, 0.0) + 1.0 / (self.rrf_k + rank)
        return fused

    def _hit(self, rank: int, row: int, score: float, dense: dict[int, float], lexical: dict[int, float]) -> Hit:
        chunk = self.data.chunks[row]
        doc = self.data.documents[chunk.doc_id]
        return Hit(
            rank=rank,
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            title=doc.title,
            start=chunk.start,
            end=chunk.end,
            text=doc.text[chunk.start:chunk.end],
            score=score,
            dense_score=dense.get(row),
            lexical_score=lexical.get(row),
            page=doc.page_at(chunk.start),
        )

    def _chunk_text(self, row: int) -> str:
        chunk = self.data.chunks[row]
        return self.data.documents[chunk.doc_id].text[chunk.start:chunk.end]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the k highest scores, unordered. (k,) int64."""
    if len(scores) <= k:
        return np.arange(len(scores))
    return np.argpartition(-scores, k)[:k]
