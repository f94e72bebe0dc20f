"""Backends: the embedder and generator protocols, their implementations, and the one place that
builds the real ones from configuration.

Owns: `embedder` (protocol + sentence-transformers), `generator` (protocol), `llama` (the only
module that imports llama_cpp), `openai_server`, `gguf` (finding model files), `probe` (the
llama.cpp smoke test). Must not import the index, retrieval, answer, eval, bench or UI packages.
Everything else receives an `Embedder` or a `Generator` and never imports a vendor library itself.

Must not import: `language`, `index`, `retrieve`, `answer`, `eval`, `bench`, `ui`, `assistant`, `cli`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import Config
from .embedder import Embedder, SentenceTransformerEmbedder

if TYPE_CHECKING:
    from .generator import Generator


def make_embedder(config: Config) -> Embedder:
    return SentenceTransformerEmbedder(config.embedder, batch_size=config.embed_batch_size, verbose=config.verbose)


def make_generator(config: Config) -> Generator:
    """An OpenAI-compatible server client when `server_url` is set, else llama.cpp in-process."""
    if config.server_url:
        from .openai_server import OpenAIServerGenerator

        return OpenAIServerGenerator(
            config.server_url, model=config.server_model, timeout_s=config.server_timeout_s
        )
    from .gguf import resolve_model_path
    from .llama import LlamaGenerator

    return LlamaGenerator(
        resolve_model_path(config.model), n_ctx=config.n_ctx, n_threads=config.n_threads, seed=config.seed,
        verbose=config.verbose,
    )
