"""A large synthetic corpus resampled from a real one, for measuring retrieval at scale.

A synthetic chunk is 3 to 6 sentences drawn at random (with replacement) from the corpus. Embedding
100,000 chunks with the real model would take hours on a laptop CPU, so each distinct sentence is
embedded once and a chunk's vector is the L2-normalised mean of its sentences' vectors, plus
Gaussian noise of expected norm `noise`, normalised again. The texts are real sentences, so BM25
sees a realistic vocabulary. This module builds data; it does not time anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..backends.embedder import Embedder, l2_normalize
from ..index.chunking import Chunk
from ..index.documents import Document
from ..index.store import FORMAT_VERSION, IndexData, Manifest
from ..index.vectors import VectorIndex

MIN_SENTENCES = 3
MAX_SENTENCES = 6
NOISE = 0.1  # expected norm of the noise added to a unit mean vector
SYNTHETIC_DOC = "synthetic"


@dataclass(frozen=True)
class SyntheticCorpus:
    texts: tuple[str, ...]  # chunk texts: sentences joined by a space
    vectors: np.ndarray  # (n_chunks, dim) float32, L2-normalised
    distinct_sentences: int  # sentences embedded with the real embedder
    noise: float
    seed: int


def build_synthetic_corpus(
    sentences: Sequence[str],
    embedder: Embedder,
    n_chunks: int,
    noise: float = NOISE,
    seed: int = 0,
) -> SyntheticCorpus:
    """`n_chunks` chunks resampled from `sentences`, each with a unit vector (see the module doc)."""
    distinct = list(dict.fromkeys(s for s in sentences if s.strip()))
    if not distinct:
        raise ValueError("no sentences to resample; the corpus holds no text")
    sentence_vectors = embedder.embed(distinct)  # (m, dim) float32, unit rows
    rng = np.random.default_rng(seed)
    counts = rng.integers(MIN_SENTENCES, MAX_SENTENCES + 1, size=n_chunks)  # (n,)
    picks = rng.integers(0, len(distinct), size=int(counts.sum()))  # sentence ids, chunk by chunk
    owner = np.repeat(np.arange(n_chunks), counts)  # chunk id of each pick
    # (n, m) counts of each sentence in each chunk; a product with it sums the sentence vectors.
    membership = sparse.csr_matrix((np.ones(len(picks), np.float32), (owner, picks)),
                                   shape=(n_chunks, len(distinct)))
    means = l2_normalize(np.asarray(membership @ sentence_vectors))  # (n, dim)
    dim = sentence_vectors.shape[1]
    jitter = rng.standard_normal(means.shape, dtype=np.float32) * np.float32(noise / np.sqrt(dim))
    vectors = l2_normalize(means + jitter)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    texts = tuple(" ".join(distinct[i] for i in picks[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True))
    return SyntheticCorpus(texts, vectors, len(distinct), noise, seed)


def synthetic_index_data(corpus: SyntheticCorpus, vector_index: VectorIndex, embedder_id: str) -> IndexData:
    """An in-memory index over the corpus: one document holding every chunk, one chunk per line."""
    chunks: list[Chunk] = []
    start = 0
    for n, text in enumerate(corpus.texts):
        chunks.append(Chunk(f"{SYNTHETIC_DOC}#{n}", SYNTHETIC_DOC, start, start + len(text), ()))
        start += len(text) + 1
    text = "\n".join(corpus.texts)
    document = Document(SYNTHETIC_DOC, "Synthetic corpus", "", "", "", text)
    dim = corpus.vectors.shape[1]
    manifest = Manifest(FORMAT_VERSION, embedder_id, dim, 0, 0, vector_index.kind)
    return IndexData(manifest, {SYNTHETIC_DOC: document}, chunks, [], corpus.vectors,
                     np.zeros((0, dim), np.float32), [], vector_index)
