"""Deterministic stand-ins that satisfy the same protocols as the real backends."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from qa.language.text import tokens


class HashEmbedder:
    """Bag of hashed stemmed words: texts sharing words get similar vectors. Counts its calls."""

    def __init__(self, dim: int = 64, model_id: str = "hash-64") -> None:
        self.dim = dim
        self.model_id = model_id
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for tok in tokens(text) or ["<empty>"]:
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


class ExplodingEmbedder(HashEmbedder):
    """Fails (like a Ctrl-C) on its n-th call, to show that a failed ingest changes nothing."""

    def __init__(self, fail_on_call: int) -> None:
        super().__init__()
        self.fail_on_call = fail_on_call

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.calls + 1 >= self.fail_on_call:
            raise KeyboardInterrupt("simulated interrupt")
        return super().embed(texts)


def gbnf_regex(grammar: str) -> re.Pattern[str]:
    """A regular expression accepting what a (non-recursive) GBNF grammar accepts: string
    literals, rule references, alternation, grouping, ?, *, + and character classes. Enough for
    the grammars the project writes; a recursive rule raises."""
    rules: dict[str, str] = {}
    for line in grammar.splitlines():
        if "::=" in line:
            name, body = line.split("::=", 1)
            rules[name.strip()] = body.strip()

    def expand(name: str, depth: int = 0) -> str:
        if depth > 20:
            raise ValueError(f"recursive rule {name}")
        out, body, i = [], rules[name], 0
        while i < len(body):
            ch = body[i]
            if ch == '"':
                j, lit = i + 1, []
                while body[j] != '"':
                    if body[j] == "\\":
                        j += 1
                        lit.append({"n": "\n", "t": "\t"}.get(body[j], body[j]))
                    else:
                        lit.append(body[j])
                    j += 1
                out.append(re.escape("".join(lit)))
                i = j + 1
            elif ch == "[":
                j = body.index("]", i + 1)
                while body[j - 1] == "\\":
                    j = body.index("]", j + 1)
                out.append(body[i:j + 1])
                i = j + 1
            elif ch in "()|?*+":
                out.append("(?:" if ch == "(" else ch)
                i += 1
            elif ch.isspace():
                i += 1
            else:
                j = i
                while j < len(body) and (body[j].isalnum() or body[j] in "-_"):
                    j += 1
                out.append("(?:" + expand(body[i:j], depth + 1) + ")")
                i = j
        return "".join(out)

    return re.compile(expand("root"), re.DOTALL)


class FakeGenerator:
    """Replies from a queue (a string, or a function of the request); records every request.
    Like llama.cpp, it cannot write what the request's grammar forbids: such a reply comes out
    empty, with finish_reason "grammar"."""

    def __init__(self, *replies: object, model_id: str = "fake-llm") -> None:
        import collections

        self.replies = collections.deque(replies)
        self.requests: list = []
        self.model_id = model_id

    def stream(self, request):  # type: ignore[no-untyped-def]
        from qa.backends.generator import Completion

        self.requests.append(request)
        reply = self.replies.popleft() if self.replies else ""
        text = reply(request) if callable(reply) else str(reply)
        finish = "stop"
        if request.grammar is not None and not gbnf_regex(request.grammar).fullmatch(text):
            text, finish = "", "grammar"
        yield from re.findall(r"\S+\s*|\s+", text)
        yield Completion(text, self.model_id, len(request.prompt.split()), len(text.split()), 1.0, 2.0, finish)


def passage_number(prompt: str, phrase: str) -> int:
    """The [n] of the last prompt passage containing `phrase` (the question's own passages)."""
    import re

    from qa.language.text import find_normalized

    numbers = [int(m.group(1)) for m in re.finditer(r"^\[(\d+)\] (.*)$", prompt, re.MULTILINE)
               if find_normalized(m.group(2), phrase) >= 0]
    if not numbers:
        raise AssertionError(f"no passage in the prompt contains {phrase!r}")
    return numbers[-1]


class FakeScorer(FakeGenerator):
    """A generator that can also score: a text scores by how often `favourite` occurs in the
    context and the continuation, so a test decides which passage (the context) and which
    candidate answer (the continuation) the "model" prefers. Records every (context, continuation)."""

    def __init__(self, favourite: str, model_id: str = "fake-scorer") -> None:
        super().__init__(model_id=model_id)
        self.favourite = favourite.lower()
        self.scored: list[tuple[str, str]] = []

    def score(self, context: str, continuation: str):  # type: ignore[no-untyped-def]
        from qa.backends.generator import Score

        self.scored.append((context, continuation))
        likes = context.lower().count(self.favourite) + continuation.lower().count(self.favourite)
        return Score(float(likes), len(context.split()), 0.5)


class FakeManyScorer(FakeScorer):
    """A FakeScorer that also takes a shared prefix once for several texts (the `ManyScorer`
    contract): each result is `score(prefix + rest, continuation)`. Records each shared call."""

    def __init__(self, favourite: str, model_id: str = "fake-many-scorer") -> None:
        super().__init__(favourite, model_id)
        self.shared: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def score_many(self, context: str, continuations: Sequence[str]):  # type: ignore[no-untyped-def]
        return self.score_after(context, [("", c) for c in continuations])

    def score_after(self, prefix: str, items: Sequence[tuple[str, str]]):  # type: ignore[no-untyped-def]
        self.shared.append((prefix, tuple(items)))
        return [self.score(prefix + rest, continuation) for rest, continuation in items]
