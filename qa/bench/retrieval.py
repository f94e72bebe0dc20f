"""Search latency on the project's own index: `Assistant.search` as called, and where its time goes.

The split (query embedding, FAISS, BM25, fusion with building the hits) comes from running the
steps of `Retriever.search` one by one with a clock around each; every split run is checked to rank
the same chunks as the real call. The first search of a fresh assistant (read the index, load the
embedder, build BM25) is reported on its own; the rest are warm. This module changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..assistant import Assistant
from ..retrieve.retriever import CANDIDATES, Retriever
from .questions import QuestionSet
from .stats import Latency, summarize, timed

PASSES = 3  # each question is searched this many times
K = 5


@dataclass(frozen=True)
class CorpusSearchBench:
    chunks: int
    index_kind: str
    mode: str
    k: int
    questions: str  # where the queries came from
    samples: int  # questions x passes
    first_search_ms: float  # fresh assistant: read the index, load the embedder, build BM25 (in-process)
    search: Latency  # assistant.search(q, k), as called
    embedding: Latency
    faiss: Latency
    bm25: Latency  # scores of every chunk, then the top candidates
    fusion: Latency  # reciprocal rank fusion, sorting, building the Hit objects
    split_matches_search: bool  # the step-by-step runs ranked the same chunks as search()


def run_corpus_search_bench(assistant: Assistant, queries: QuestionSet,
                            say: Callable[[str], None] = print) -> CorpusSearchBench:
    say(f"retrieval: {len(queries.texts)} questions x {PASSES} on the project index")
    _, first_ms = timed(assistant.search, queries.texts[0], K)
    retriever = assistant.retriever
    whole: list[float] = []
    steps: list[tuple[float, float, float, float]] = []
    same = True
    for _ in range(PASSES):
        for query in queries.texts:
            hits, ms = timed(assistant.search, query, K)
            whole.append(ms)
            ranked, split = _split_search(retriever, query, K)
            steps.append(split)
            same = same and ranked == [h.chunk_id for h in hits]
    return CorpusSearchBench(
        chunks=len(retriever.data.chunks),
        index_kind=retriever.data.vector_index.kind if retriever.data.vector_index else "none",
        mode=retriever.mode,
        k=K,
        questions=queries.describe(),
        samples=len(whole),
        first_search_ms=first_ms,
        search=summarize(whole),
        embedding=summarize([s[0] for s in steps]),
        faiss=summarize([s[1] for s in steps]),
        bm25=summarize([s[2] for s in steps]),
        fusion=summarize([s[3] for s in steps]),
        split_matches_search=same,
    )


def _split_search(retriever: Retriever, query: str, k: int) -> tuple[list[str], tuple[float, float, float, float]]:
    """`Retriever.search`, step by step: (chunk ids ranked, ms per step)."""
    mode = retriever.mode
    pool = max(CANDIDATES, 4 * k)
    t0 = time.perf_counter()
    qvec = retriever.embed_query(query)
    t1 = time.perf_counter()
    dense: dict[int, float] = {}
    if mode in ("hybrid", "dense") and retriever.data.vector_index is not None:
        scores, rows = retriever.data.vector_index.search(qvec, pool)
        dense = {int(r): float(s) for r, s in zip(rows, scores, strict=True)}
    t2 = time.perf_counter()
    lexical: dict[int, float] = {}
    if mode in ("hybrid", "lexical"):
        all_scores = retriever.bm25.scores(query)
        top = np.arange(len(all_scores)) if len(all_scores) <= pool else np.argpartition(-all_scores, pool)[:pool]
        lexical = {int(r): float(all_scores[r]) for r in top if all_scores[r] > 0}
    t3 = time.perf_counter()
    fused = retriever._fuse(mode, dense, lexical)
    ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
    hits = [retriever._hit(rank, row, score, dense, lexical) for rank, (row, score) in enumerate(ranked, 1)]
    t4 = time.perf_counter()
    ms = (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t4 - t3) * 1000
    return [h.chunk_id for h in hits], ms
