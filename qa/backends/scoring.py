"""Which backend scores the evidence passages for an answer style: the one place that decides.

The default style ("rerank") ranks passages with the language model's score as one feature. A
backend that cannot score is an error that names the setting choosing the other style, never a
quiet ranking without the model. This module does not score anything itself.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..errors import ConfigError
from .generator import Generator, Scorer

STYLE_HINT = ('choose the style that needs no scores: --answer-style extract, answer_style = "extract" in '
              "qa.toml, or the environment variable QA_ANSWER_STYLE=extract")


@runtime_checkable
class ProbedScorer(Protocol):
    """A scorer that can only tell by asking whether it really scores (a server)."""

    def scoring_method(self) -> str:
        """How it scores; raises ConfigError when it cannot."""
        ...


def passage_scorer(generator: Generator | None, answer_style: str) -> Scorer | None:
    """`generator` as the scorer of the rerank style; None for the extract style (which ranks
    without the model) and when there is no model at all (the retrieval-only reference).
    Raises ConfigError when the rerank style meets a backend that cannot score; a server is
    asked once (see `openai_server`)."""
    if answer_style != "rerank" or generator is None:
        return None
    if not isinstance(generator, Scorer):
        raise ConfigError(
            f"The model backend {generator.model_id} cannot score passages, which the default answer style "
            f"(answer_style = \"rerank\") needs; use one that can (a GGUF model in-process, or a server that "
            f"returns prompt log-probabilities), or {STYLE_HINT}."
        )
    if isinstance(generator, ProbedScorer):
        generator.scoring_method()
    return generator
