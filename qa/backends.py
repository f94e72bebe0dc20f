"""The one place that builds real backends from configuration.

Everything else receives an `Embedder` or a `Generator` and never imports a vendor library itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import Config
from .embedding import Embedder, SentenceTransformerEmbedder

if TYPE_CHECKING:
    from .generation import Generator


def make_embedder(config: Config) -> Embedder:
    return SentenceTransformerEmbedder(config.embedder, batch_size=config.embed_batch_size)


def make_generator(config: Config) -> Generator:
    """An OpenAI-compatible server client when `server_url` is set, else llama.cpp in-process."""
    if config.server_url:
        from .openai_server import OpenAIServerGenerator

        return OpenAIServerGenerator(
            config.server_url, model=config.server_model, timeout_s=config.server_timeout_s
        )
    from .llama import LlamaGenerator
    from .models import resolve_model_path

    return LlamaGenerator(
        resolve_model_path(config.model), n_ctx=config.n_ctx, n_threads=config.n_threads, seed=config.seed
    )
