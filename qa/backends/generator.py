"""The generator (LLM) protocol: text in, a stream of text pieces out, then a `Completion`.

Backends (llama.cpp in-process, an OpenAI-compatible server, test fakes) implement `stream`; the
output can be constrained by a GBNF grammar. This module holds no backend code.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class GenerationRequest:
    prompt: str
    max_tokens: int = 80
    temperature: float = 0.0
    stop: tuple[str, ...] = ()
    grammar: str | None = None  # GBNF; None for free text
    seed: int = 0


@dataclass(frozen=True)
class Completion:
    """The whole output of one request, with where the time went."""

    text: str
    model_id: str
    prompt_tokens: int
    completion_tokens: int
    prompt_eval_ms: float  # request start to first piece (prompt processing)
    generation_ms: float  # first piece to last
    finish_reason: str = ""  # "stop" | "length" | ""


class Generator(Protocol):
    """Anything that completes a prompt."""

    model_id: str

    def stream(self, request: GenerationRequest) -> Iterator[str | Completion]:
        """Text pieces as they are produced, then exactly one Completion as the last item."""
        ...


@dataclass(frozen=True)
class Score:
    logprob: float  # mean log-probability per token of the continuation
    tokens: int  # tokens evaluated (context and continuation)
    ms: float  # time spent


@runtime_checkable
class Scorer(Protocol):
    """A backend that can also say how likely a text is: the in-process llama.cpp model, and a
    server that returns a prompt's log-probabilities (see `openai_server`)."""

    def score(self, context: str, continuation: str) -> Score:
        """How likely `continuation` is directly after `context`."""
        ...


@runtime_checkable
class ManyScorer(Protocol):
    """A scorer that evaluates a shared prefix once for several texts after it (llama.cpp keeps
    the prefix's evaluated state): several continuations of one context for about the price of
    one, or several passages under one article title."""

    def score_many(self, context: str, continuations: Sequence[str]) -> list[Score]:
        """`score` of each continuation after `context`, in the order given."""
        ...

    def score_after(self, prefix: str, items: Sequence[tuple[str, str]]) -> list[Score]:
        """`score(prefix + rest, continuation)` of each (rest, continuation), in the order given."""
        ...


def score_each(scorer: Scorer, context: str, continuations: Sequence[str]) -> list[Score]:
    """How likely each continuation is after `context`: in one pass where the scorer can."""
    if isinstance(scorer, ManyScorer):
        return scorer.score_many(context, continuations)
    return [scorer.score(context, c) for c in continuations]


def score_after(scorer: Scorer, prefix: str, items: Sequence[tuple[str, str]]) -> list[Score]:
    """How likely each (rest, continuation)'s continuation is after `prefix + rest`: the prefix
    evaluated once where the scorer can."""
    if isinstance(scorer, ManyScorer):
        return scorer.score_after(prefix, items)
    return [scorer.score(prefix + rest, continuation) for rest, continuation in items]


def complete(generator: Generator, request: GenerationRequest) -> Completion:
    """Run a request to the end and return its Completion."""
    final: Completion | None = None
    for item in generator.stream(request):
        if isinstance(item, Completion):
            final = item
    if final is None:
        raise RuntimeError(f"generator {generator.model_id} ended without a Completion")
    return final


def numbered_choice_rule(name: str, count: int) -> str:
    """A GBNF rule matching the numbers 1..count, e.g. `num ::= "1" | "2"`."""
    return f"{name} ::= " + " | ".join(f'"{i}"' for i in range(1, count + 1))
