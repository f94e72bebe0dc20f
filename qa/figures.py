"""The figures passages give for a "how many" question, so that differing reports are all shown.

Articles often disagree on a count ("35 heads of state", "more than 30 allies", "26 countries
committed"). For a question that asks how many of something, each passage's figure is the number
(with its qualifier: "more than", "around") standing up to four words before a word of the counted
kind; kinds group words that count the same thing (countries, nations, allies). Figures are
compared as text, so "more than 30" and "around 30" are different reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .answer import Passage
from .entities import numbers
from .text import stem, words

SAME_KIND = [
    {"troop", "soldier", "personnel", "force", "peacekeeper", "military"},
    {"country", "nation", "state", "ally", "allie", "member"},
    {"leader", "head", "minister", "president"},
    {"money", "euro", "dollar", "fund", "billion", "million"},
    {"weapon", "arm", "ammunition"},
]
_COUNT_QUESTION = re.compile(r"\bhow (?:many|much)\s+((?:[\w'-]+\s*){1,4})", re.IGNORECASE)
_QUALIFIERS = {"more", "than", "over", "around", "about", "roughly", "some", "nearly", "almost", "at", "least",
               "up", "to", "fewer", "less", "under", "approximately", "only"}
_WINDOW = 4  # words between a number and the thing it counts


def kind_of(word_stem: str) -> set[str]:
    """The stems that count the same thing as `word_stem` (itself alone if it is in no group)."""
    return next((k for k in SAME_KIND if word_stem in k), {word_stem})


def counted_kinds(question: str) -> set[str]:
    """Stems of what a "how many" question counts ("how many leaders or countries" -> leaders'
    and countries' kinds); empty for any other question."""
    match = _COUNT_QUESTION.search(question)
    if not match:
        return set()
    asked = [stem(w) for w in words(match.group(1))]
    kinds = set().union(*(k for k in SAME_KIND if any(s in k for s in asked)))
    return kinds or ({asked[0]} if asked else set())


def figures_in(text: str, kinds: set[str]) -> list[str]:
    """Each figure the text gives for something of `kinds`, e.g. ["more than 30", "26"]."""
    ws = words(text.replace("-", " "))
    found = []
    for i, w in enumerate(ws):
        if stem(w) not in kinds:
            continue
        for j in range(i - 1, max(-1, i - 1 - _WINDOW), -1):
            value = numbers(" ".join(ws[max(0, j - 1):j + 1])) if numbers(ws[j]) else set()
            if value:
                q = j
                while q > 0 and ws[q - 1] in _QUALIFIERS and j - q < 3:
                    q -= 1
                found.append(" ".join([*ws[q:j], max(value, key=int)]))
                break
    return found


def differing_figures(question: str, passages: Sequence[Passage], limit: int = 3,
                      max_words: int = 80) -> list[Passage]:
    """Passages, best first and each from its own document, that give figures the ones before
    them did not, past the first two only while they fit in `max_words` words in all; empty unless
    at least two disagree (or the question is not a count)."""
    kinds = counted_kinds(question)
    if not kinds:
        return []
    chosen: list[Passage] = []
    seen: set[str] = set()
    docs: set[str] = set()
    total = 0
    for p in passages:
        figures = figures_in(p.text, kinds)
        if not figures or p.doc_id in docs or all(f in seen for f in figures):
            continue
        total += len(words(p.text))
        if len(chosen) >= 2 and total > max_words:
            break
        chosen.append(p)
        seen.update(figures)
        docs.add(p.doc_id)
        if len(chosen) == limit:
            break
    return chosen if len(chosen) >= 2 else []
