"""Recall@k of a vector index against exact inner-product search over the same vectors.

Recall@k is the share of the exact top-k rows that the index also returns in its top k, averaged
over queries. Exact neighbours come from a FAISS IndexFlatIP batch search. This module does not
time searches or build the index under test.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..index.vectors import VectorIndex


def exact_neighbours(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """(n_queries, k) int64 rows of the exact top-k by inner product."""
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    _, rows = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return np.asarray(rows, dtype=np.int64)


def recall(found: Sequence[np.ndarray], truth: np.ndarray) -> float:
    """Mean over queries of |found[i] ∩ truth[i]| / k, where k = truth.shape[1]."""
    if len(found) != len(truth) or not len(truth):
        raise ValueError(f"need one result per query: {len(found)} results for {len(truth)} queries")
    k = truth.shape[1]
    hits = [len(set(f[:k].tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]
    return float(np.mean(hits)) / k


def recall_at_k(index: VectorIndex, vectors: np.ndarray, queries: np.ndarray, k: int = 10) -> float:
    """Recall@k of `index` (built over `vectors`) for (n_queries, dim) `queries`."""
    found = [index.search(q, k)[1] for q in queries]
    return recall(found, exact_neighbours(vectors, queries, k))
