"""Does a text mention a name from the question? Surnames, titles and countries' other names count.

"Ortiz" is found in "Lena Ortiz"; "Norwegian" in "Norway's"; "UK" in "U.K." and in "Great
Britain"; "European" in "Europe" (country and region forms come from `language.lexicon`, i.e.
countryinfo). A multi-word name counts when at least
half of its words occur, among them its last word (a surname) or at least two. It does
not resolve pronouns (the index's analyses do that for speakers) or judge relevance.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence

from ..language.lexicon import country_of
from ..language.text import words


def name_words(name: str) -> list[str]:
    """Folded words of a name ("U.K." -> ["uk"], "Russia's" -> ["russia"])."""
    return [w for w in words(name.replace(".", "")) if w]


@functools.lru_cache(maxsize=4096)
def _country(word: str) -> int | None:
    return country_of(word)


class TextNames:
    """The words of a text, and the countries they name, for repeated look-ups."""

    def __init__(self, text: str) -> None:
        plain = text.replace(".", "")
        self.words = set(name_words(plain))
        raw = [w for w in _raw_words(plain)]
        grams = raw + [" ".join(raw[i:i + 2]) for i in range(len(raw) - 1)] \
            + [" ".join(raw[i:i + 3]) for i in range(len(raw) - 2)]
        self.countries = {c for g in grams if g[:1].isupper() and (c := _country(g)) is not None}

    def has(self, name: str) -> bool:
        parts = name_words(name)
        if not parts:
            return True
        country = _country(name)
        if country is not None and country in self.countries:
            return True
        raw = [w for w in _raw_words(name.replace(".", ""))]
        if any((c := _country(w)) is not None and c in self.countries for w in raw):
            return True
        found = sum(p in self.words for p in parts)
        return found * 2 >= len(parts) and (parts[-1] in self.words or found >= 2)


def _raw_words(text: str) -> list[str]:
    """Words as written (case kept, possessive dropped), for country look-ups."""
    out = []
    for token in text.replace("\u2019", "'").replace("`", "'").split():
        token = token.strip(",;:!?()[]\"'\u201c\u201d")
        if token.endswith("'s"):
            token = token[:-2]
        if token:
            out.append(token)
    return out


def names_found(names: Iterable[str], text: str) -> float:
    """Share of `names` that `text` mentions (1.0 when there are none)."""
    names = list(names)
    if not names:
        return 1.0
    found = TextNames(text)
    return sum(found.has(n) for n in names) / len(names)


def same_speaker(asked: str, speaker: str) -> bool:
    """Whether an attribution's speaker is the person or body the question asks about. A name is
    matched as names are (a surname alone, a title); a description without a capital ("chief
    nurse") only as a whole, so that "the nurse" or "a senior nurse" is not taken for it."""
    if not asked or not speaker:
        return False
    return (is_named(asked) and TextNames(speaker).has(asked)) or within(words(asked), words(speaker))


def within(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Whether the words of `part` stand together, whole words, in `whole` ("he" is not in "the
    chief")."""
    n = len(part)
    return n > 0 and any(tuple(whole[i:i + n]) == tuple(part) for i in range(len(whole) - n + 1))


def is_named(asked: str) -> bool:
    """Whether an asked speaker is a name ("Ortiz", "Mayor Ruiz"), not a description ("chief nurse")."""
    return any(c.isupper() for c in asked)


SOFT_ROLE = 0.9  # a role word this similar to the asked head word ("manages" ~ "manager") half-fits


def speaker_fit(asked: str, asked_words: tuple[str, ...], speaker: str, roles: tuple[str, ...],
                similar: Callable[[str, Sequence[str]], float] | None = None) -> float:
    """How surely an attribution's speaker is the one asked about: 1 for the same name; for a
    description ("the mayor of X") 1 when the document describes the speaker with its head word
    and most of its other words, 0.5 with the head word alone, when `similar` (0..1, e.g. the
    embedder's word similarity) finds a role word close to the head word, or when at least two
    of the other words, and most of them, describe the speaker ("the firm's incident response
    chief" for "X, the firm's head of incident response"); else 0."""
    if same_speaker(asked, speaker):
        return 1.0
    if not asked_words:
        return 0.0
    pool = set(roles) | set(name_words(speaker))
    described = TextNames(" ".join(roles))

    def known(word: str) -> bool:
        return word in pool or (word[:1].isalpha() and described.has(word))

    head, rest = asked_words[0], asked_words[1:]
    described_by = sum(known(w) for w in rest)
    if not known(head):
        close = similar is not None and roles and similar(head, roles) >= SOFT_ROLE
        return 0.5 if close or (described_by >= 2 and described_by * 2 >= len(rest)) else 0.0
    return 1.0 if not rest or described_by * 2 >= len(rest) else 0.5
