"""Word meanings from the embedder: how well a counted noun matches the one a question asks
about, and what kind of name a common noun stands for.

It also measures how much of a question's content words a sentence covers, near-synonyms counted
in part (`UnitSimilarity.coverage`).

"How many countries ..." is answered by "26 countries" and, less surely, by "30 nations" or "35
allies": the same lemma fits fully; otherwise the fit is the cosine similarity of the two nouns'
embeddings (the index's own embedder, so near-synonyms count without a word list), rescaled so
that unrelated nouns fit 0. Word vectors are cached. It does not find figures or names.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from ..backends.embedder import Embedder

UNRELATED = 0.25  # cosine at or below which two nouns are taken as unrelated
SAME = 0.75  # cosine at or above which they are taken as the same kind of thing


class UnitSimilarity:
    """Cosine similarity of single words, rescaled to 0..1; word vectors are cached, and the
    words of a sentence are embedded in one batch (`best`), not one call per pair."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}  # word -> (dim,) float32, unit length

    def __call__(self, asked: str, counted: str) -> float:
        return self.best(asked, (counted,))

    def best(self, asked: str, words: Sequence[str]) -> float:
        """The best fit of `asked` among `words` (1 for the same word, 0 when there are none)."""
        words = [w for w in words if w]
        if not asked or not words:
            return 0.0
        if asked in words:
            return 1.0
        self.embed_all((asked, *words))
        cosine = max(float(self._vectors[asked] @ self._vectors[w]) for w in words)
        return min(1.0, max(0.0, (cosine - UNRELATED) / (SAME - UNRELATED)))

    def embed_all(self, words: Sequence[str]) -> None:
        """Embed those of `words` not cached yet, in one call (each call costs about as much as
        ten words)."""
        missing = list(dict.fromkeys(w for w in words if w and w not in self._vectors))
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed(missing), strict=True))

    def coverage(self, asked: Sequence[str], words: Sequence[str]) -> float:
        """How much of `asked` the `words` cover: the mean of each asked word's best fit among them
        ("recommend" is covered by "recommendation", "ruling" half-covers "decision"); 1 when
        nothing is asked."""
        if not asked:
            return 1.0
        present = set(words)
        if any(a not in present for a in asked):
            self.embed_all((*asked, *words))
        return sum(1.0 if a in present else self.best(a, words) for a in asked) / len(asked)


# What each kind of name is, in words the embedder understands; a noun is of the kind it is
# most similar to, when clearly so ("leaders" -> person, "towns" -> place, "firms" -> organisation).
KIND_PROTOTYPES = {
    "person": "a person, a man or a woman",
    "organisation": "an organisation, a company, a group or an institution",
    "place": "a place, a city, a town, a region or a country",
}
# ... and what no name stands for: a noun closest to one of these has no kind ("speed",
# "premium", "deadline", "ferry", "engine"); without them such nouns went to the nearest kind of
# name, mostly "person"
OTHER_PROTOTYPES = ("a thing, an amount, an idea or an event", "an object, a vehicle, a machine or a tool")
KIND_MARGIN = 0.02  # the best kind must beat the next by this much in cosine
NOUN_FRAMES = ("{}", "a {}")  # a noun has a kind when, embedded either way, it is clearly that kind


class NounKinds:
    """The kind of name a common noun stands for, by similarity to `KIND_PROTOTYPES` and
    `OTHER_PROTOTYPES` (each kind as similar as its most similar prototype). MiniLM's vector of one
    word is noisy ("party" alone is no kind, "a party" a person; "ferry" alone a place, "a
    ferry" no kind): the noun is embedded alone and with "a", and has a kind only when both agree."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._kinds = [*KIND_PROTOTYPES, ""]
        self._prototypes = embedder.embed([*KIND_PROTOTYPES.values(), *OTHER_PROTOTYPES])  # unit rows
        self._cache: dict[str, str] = {}

    def __call__(self, noun: str) -> str:
        """"person", "organisation", "place", or "" when no kind of name or unclear."""
        if not noun:
            return ""
        if noun not in self._cache:
            found = {self._kind(v) for v in self._embedder.embed([f.format(noun) for f in NOUN_FRAMES])}
            self._cache[noun] = found.pop() if len(found) == 1 else ""
        return self._cache[noun]

    def _kind(self, vector: np.ndarray) -> str:
        every = self._prototypes @ vector
        sims = np.array([*every[:len(KIND_PROTOTYPES)], every[len(KIND_PROTOTYPES):].max()])
        order = sims.argsort()[::-1]
        clear = sims[order[0]] - sims[order[1]] >= KIND_MARGIN
        return self._kinds[int(order[0])] if clear else ""


class Meanings:
    """Both similarity helpers over one embedder."""

    def __init__(self, embedder: Embedder) -> None:
        self.unit = UnitSimilarity(embedder)
        self.kind = NounKinds(embedder)


@functools.lru_cache(maxsize=8)
def meanings_for(embedder: Embedder) -> Meanings:
    """One `Meanings` per embedder, so caches and prototype vectors live as long as it does."""
    return Meanings(embedder)
