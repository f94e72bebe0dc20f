"""BM25 over token lists, as a sparse matrix so a query costs one column sum.

Built in memory from texts at load time (it is cheap next to embedding, and derivable, so it is not
stored). Scores use the standard Okapi BM25 (k1=1.2, b=0.75). It does not tokenise by itself
beyond calling `text.tokens`, and knows nothing of chunks or documents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from ..language.text import tokens

K1 = 1.2
B = 0.75


class BM25:
    """Lexical scorer over a fixed list of texts."""

    def __init__(self, texts: Sequence[str]) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            toks = tokens(text)
            lengths[row] = len(toks)
            counts: dict[int, int] = {}
            for tok in toks:
                col = vocab.setdefault(tok, len(vocab))
                counts[col] = counts.get(col, 0) + 1
            for col, tf in counts.items():
                rows.append(row)
                cols.append(col)
                vals.append(tf)
        self.vocab = vocab
        n = max(len(texts), 1)
        tf = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), max(len(vocab), 1)), dtype=np.float32)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=max(len(vocab), 1))
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)  # (vocab,)
        avg = float(lengths.mean()) if len(texts) else 1.0
        norm = K1 * (1 - B + B * lengths / max(avg, 1e-9))  # (n,)
        tf = tf.tocoo()
        weights = tf.data * (K1 + 1) / (tf.data + norm[tf.row]) * self.idf[tf.col]
        self._matrix = sparse.csc_matrix((weights, (tf.row, tf.col)), shape=tf.shape)  # (n, vocab)

    def __len__(self) -> int:
        return self._matrix.shape[0]

    def scores(self, query: str) -> np.ndarray:
        """(n,) float32 BM25 score of every text for `query` (0 where no term matches)."""
        cols = sorted({self.vocab[t] for t in tokens(query) if t in self.vocab})
        if not cols:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self._matrix[:, cols].sum(axis=1), dtype=np.float32).ravel()
