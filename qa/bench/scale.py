"""Retrieval at scale: FAISS, BM25 and hybrid search over a synthetic corpus of ~100,000 chunks.

The corpus is resampled from the bundled one (see `synthetic`). Both the index type the project
would choose (`build_vector_index(kind="auto")`) and exact flat search are built and timed, with
recall@10 against exact search. BM25 and full hybrid search run through a real `Retriever` over an
in-memory `IndexData`: once with query vectors computed beforehand (the index side alone) and once
with the real embedder (what a user waits for). Nothing is written to disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..assistant import Assistant
from ..index.vectors import VectorIndex, build_vector_index
from ..retrieve.retriever import CANDIDATES, Retriever
from .questions import QuestionSet, corpus_sentences
from .recall import exact_neighbours, recall
from .stats import Latency, summarize, timed
from .synthetic import MAX_SENTENCES, MIN_SENTENCES, build_synthetic_corpus, synthetic_index_data

K = 10  # FAISS search depth for latency and recall
HYBRID_K = 5


@dataclass(frozen=True)
class VectorIndexBench:
    kind: str  # "HNSW32" or "Flat"
    chosen_by: str  # "auto" (what the project would build) or "flat" (for comparison)
    build_s: float
    search: Latency  # one query at a time, k=10
    recall_at_10: float  # against exact search


@dataclass(frozen=True)
class ScaleBench:
    chunks: int
    dim: int
    method: str  # how the corpus was made, in words
    distinct_sentences: int
    corpus_build_s: float  # embedding the sentences and mixing the chunks
    queries: str
    vector_indexes: tuple[VectorIndexBench, ...]
    bm25_build_s: float
    bm25: Latency  # scores of every chunk, then the top candidates
    hybrid: Latency  # Retriever.search(q, 5) with the query vector given
    hybrid_with_embedding: Latency  # the same, embedding the query with the real model


class _GivenQueryVectors:
    """An embedder that looks query vectors up, so hybrid timings leave the model out."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray, model_id: str) -> None:
        self.model_id = model_id
        self.dim = int(vectors.shape[1])
        self._by_text = dict(zip(texts, vectors, strict=True))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._by_text[t] for t in texts])


def run_scale_bench(assistant: Assistant, n_chunks: int, queries: QuestionSet,
                    say: Callable[[str], None] = print) -> ScaleBench:
    embedder = assistant.embedder
    say(f"retrieval: building a synthetic corpus of {n_chunks:,} chunks")
    corpus, corpus_ms = timed(
        build_synthetic_corpus, corpus_sentences(assistant.config.corpus_dir), embedder, n_chunks)
    qvecs = embedder.embed(list(queries.texts))  # (n_queries, dim)
    truth = exact_neighbours(corpus.vectors, qvecs, K)
    indexes = []
    chosen: VectorIndex | None = None
    for kind in ("auto", "flat"):
        say(f"retrieval: building the {kind} FAISS index over {n_chunks:,} vectors")
        index, build_ms = timed(build_vector_index, corpus.vectors, kind)
        chosen = chosen or index
        found, times = [], []
        for q in qvecs:
            (_, rows), ms = timed(index.search, q, K)
            found.append(rows)
            times.append(ms)
        indexes.append(VectorIndexBench(index.kind, kind, build_ms / 1000, summarize(times), recall(found, truth)))
    assert chosen is not None
    say("retrieval: BM25 and hybrid search over the synthetic corpus")
    data = synthetic_index_data(corpus, chosen, embedder.model_id)
    given = _GivenQueryVectors(queries.texts, qvecs, embedder.model_id)
    retriever = Retriever(data, given, "hybrid", assistant.config.rrf_k)
    _, bm25_build_ms = timed(lambda: retriever.bm25)
    bm25_ms = [timed(_bm25_top, retriever, q)[1] for q in queries.texts]
    hybrid_ms = [timed(retriever.search, q, HYBRID_K)[1] for q in queries.texts]
    retriever.embedder = embedder
    full_ms = [timed(retriever.search, q, HYBRID_K)[1] for q in queries.texts]
    return ScaleBench(
        chunks=n_chunks,
        dim=int(corpus.vectors.shape[1]),
        method=(f"each chunk is {MIN_SENTENCES}-{MAX_SENTENCES} corpus sentences drawn at random; its vector is "
                f"the L2-normalised mean of those sentences' real embeddings plus Gaussian noise of "
                f"norm ~{corpus.noise}, renormalised (seed {corpus.seed})"),
        distinct_sentences=corpus.distinct_sentences,
        corpus_build_s=corpus_ms / 1000,
        queries=queries.describe(),
        vector_indexes=tuple(indexes),
        bm25_build_s=bm25_build_ms / 1000,
        bm25=summarize(bm25_ms),
        hybrid=summarize(hybrid_ms),
        hybrid_with_embedding=summarize(full_ms),
    )


def _bm25_top(retriever: Retriever, query: str) -> np.ndarray:
    """What hybrid search does lexically: score every chunk, keep the top candidates."""
    scores = retriever.bm25.scores(query)
    return np.argpartition(-scores, CANDIDATES)[:CANDIDATES] if len(scores) > CANDIDATES else scores
