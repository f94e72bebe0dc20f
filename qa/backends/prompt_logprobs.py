"""Read a prompt's token log-probabilities out of an OpenAI-compatible completions response, and
pick out those of a continuation by character offset.

Two response shapes are understood (`choices[0]` of a non-streamed `/completions` response):
- `echo: true` with `logprobs: N` (OpenAI's legacy completions API, served by llama-cpp-python's
  server and by vLLM): `logprobs` holds parallel lists `tokens`, `text_offset` (characters into
  the echoed text) and `token_logprobs` (null for the first token) over the prompt's tokens and
  then the generated ones, of which `usage.completion_tokens` says how many there are;
- vLLM's `prompt_logprobs: N` extension: `prompt_logprobs` has one entry per prompt token, null
  for the first, else `{token_id: {"logprob", "rank", "decoded_token"}}` holding the prompt token
  and the top N; asked for with N = 1, the prompt token is the only entry or the one ranked
  below the top one.

Offsets are counted back from the end of the prompt, so a special token the server spells out
("<bos>") or a character it decodes differently early in the prompt does not shift the
continuation. This module does not talk HTTP and does not decide what to do when it fails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class UnreadableLogprobs(ValueError):
    """The response holds no usable log-probabilities for the prompt (the message says why)."""


@dataclass(frozen=True)
class PromptToken:
    text: str  # as the server spells it
    offset: int  # characters from the start of the echoed text, in the server's own count
    logprob: float | None  # log p(token | everything before it); None for the first token


@dataclass(frozen=True)
class PromptLogprobs:
    tokens: tuple[PromptToken, ...]  # the prompt's tokens only, none generated
    end: int  # the offset at which the prompt ends, in the same count as `PromptToken.offset`


def from_echo(response: Mapping[str, Any], prompt: str) -> PromptLogprobs:
    """The prompt's tokens from an `echo` + `logprobs` response to `prompt`."""
    choice = _choice(response)
    lp = choice.get("logprobs")
    if not isinstance(lp, Mapping):
        raise UnreadableLogprobs("the response has no `logprobs`")
    texts, offsets, logprobs = lp.get("tokens"), lp.get("text_offset"), lp.get("token_logprobs")
    if not (isinstance(texts, list) and isinstance(offsets, list) and isinstance(logprobs, list)
            and len(texts) == len(offsets) == len(logprobs)):
        raise UnreadableLogprobs("`logprobs` lacks parallel `tokens`, `text_offset` and `token_logprobs` lists")
    echoed = str(choice.get("text") or "")
    if not echoed.startswith(prompt):
        raise UnreadableLogprobs("the response does not echo the prompt")
    generated = int((response.get("usage") or {}).get("completion_tokens") or 0)
    n_prompt = len(texts) - generated
    if n_prompt < 1:
        raise UnreadableLogprobs("`logprobs` covers only the generated tokens, not the prompt")
    if generated and echoed[len(prompt):] and "".join(map(str, texts[n_prompt:])) != echoed[len(prompt):]:
        # llama-cpp-python's server, for a model that adds no BOS token, pairs each token with the
        # log-probabilities of the position after it and drops the generated token
        raise UnreadableLogprobs("the listed tokens leave out the generated one, so their log-probabilities "
                                 "do not line up with the prompt's tokens")
    tokens = tuple(PromptToken(str(t), int(o), None if p is None else float(p))
                   for t, o, p in zip(texts[:n_prompt], offsets[:n_prompt], logprobs[:n_prompt], strict=True))
    end = int(offsets[n_prompt]) if n_prompt < len(offsets) else tokens[-1].offset + len(tokens[-1].text)
    return PromptLogprobs(tokens, end)


def from_prompt_logprobs(response: Mapping[str, Any], prompt: str) -> PromptLogprobs:
    """The prompt's tokens from a vLLM `prompt_logprobs` response to `prompt` (which only its
    tokens' texts spell); offsets are summed lengths of the decoded tokens (the first token,
    whose text vLLM does not give, counts as empty)."""
    entries = _choice(response).get("prompt_logprobs")
    if not isinstance(entries, list) or len(entries) < 2:
        raise UnreadableLogprobs("the response has no `prompt_logprobs`")
    tokens: list[PromptToken] = []
    offset = 0
    for entry in entries:
        if entry is None:
            token = PromptToken("", offset, None)
        elif isinstance(entry, Mapping) and entry:
            # the prompt token is the only entry, or the one injected below the top N
            info = max(entry.values(), key=lambda v: (v.get("rank") or 0) if isinstance(v, Mapping) else 0)
            if not isinstance(info, Mapping) or "logprob" not in info:
                raise UnreadableLogprobs("a `prompt_logprobs` entry has no `logprob`")
            token = PromptToken(str(info.get("decoded_token") or ""), offset, float(info["logprob"]))
        else:
            raise UnreadableLogprobs("a `prompt_logprobs` entry is neither null nor a mapping")
        tokens.append(token)
        offset += len(token.text)
    return PromptLogprobs(tuple(tokens), offset)


def continuation_logprobs(prompt: PromptLogprobs, continuation: str) -> list[float]:
    """Log-probabilities of the tokens that spell `continuation`, the end of the prompt.

    The tokens are those starting at or after `end - len(continuation)` (plus the token the
    continuation starts inside, if a token straddles the boundary). If the server's token texts
    do not spell the continuation there (a tokenizer whose per-token text drops spaces), they
    are counted back from the end by non-space characters instead."""
    want = _compact(continuation)
    if not want:
        return []
    tokens = prompt.tokens
    start = prompt.end - len(continuation)
    first = next((i for i, t in enumerate(tokens) if t.offset >= start), len(tokens))
    if 0 < first and (first == len(tokens) or tokens[first].offset > start):
        first -= 1  # the continuation starts inside this token
    if not _spells(tokens[first:], want):
        first = _by_characters(tokens, len(want))
    if first < 0 or not _spells(tokens[first:], want):
        raise UnreadableLogprobs(f"the server's tokens do not spell the end of the prompt, {continuation!r}")
    while tokens[first].text == "" and first < len(tokens) - 1:
        first += 1  # spells nothing of the continuation (the first token, whose text vLLM omits)
    picked = tokens[first:]
    if any(t.logprob is None for t in picked):
        raise UnreadableLogprobs("the continuation's tokens come without log-probabilities")
    return [t.logprob for t in picked if t.logprob is not None]


def _choice(response: Mapping[str, Any]) -> Mapping[str, Any]:
    choices = response.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], Mapping):
        raise UnreadableLogprobs("the response has no `choices`")
    return choices[0]


def _compact(text: str) -> str:
    return "".join(text.split())


def _spells(tokens: Sequence[PromptToken], want: str) -> bool:
    """Whether the tokens spell `want` (spaces aside), the first one allowed to start earlier."""
    got = _compact("".join(t.text for t in tokens))
    rest = _compact("".join(t.text for t in tokens[1:]))
    return got == want or (got.endswith(want) and len(rest) < len(want))


def _by_characters(tokens: Sequence[PromptToken], chars: int) -> int:
    """The index from which the tokens hold `chars` non-space characters up to the end; -1 if
    the prompt is shorter."""
    seen = 0
    for i in range(len(tokens) - 1, -1, -1):
        seen += len(_compact(tokens[i].text))
        if seen >= chars:
            return i
    return -1
