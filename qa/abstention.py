"""Decide whether the evidence can answer a question at all, before asking the model.

Similarity scores do not separate answerable from unanswerable questions (they overlap on this
corpus), so the check is about coverage: every name in the question must occur in the evidence,
and a question about what someone *said* needs a passage where that person speaks (a speech verb
or a quotation next to their name). It does not judge whether an answer is right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .entities import folded, lowercase_words, mentions, names, word_set

_ASKS_SPEECH = re.compile(
    r"\b(what|how) (did|does|has|had|do|was|is|were)\b.*\b(say|said|tell|told|state|stated|think|"
    r"thinks|warn|warned|claim|claimed|argue|argued|add|added|announce|announced|respond|responded|"
    r"react|reacted|reply|replied|comment|commented|remark|remarked|describe|described|call|called)\b",
    re.IGNORECASE,
)
_SPEECH = re.compile(
    r"\b(said|says|say|stated|states|added|adds|told|tells|warned|claimed|argued|announced|asserted|"
    r"asserting|stating|emphasized|emphasised|noted|declared|insisted|urged|countered|mused|regretted|"
    r"acknowledged|revealed|confirmed|dismissed|demanded|demanding|suggested|indicated|reiterated|"
    r"articulated|remarked|replied|expressed|called)\b|[\"\u201c\u201d]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Coverage:
    answerable: bool
    missing_names: tuple[str, ...] = ()
    reason: str = ""


def check_coverage(question: str, passages: Sequence[str]) -> Coverage:
    if not passages:
        return Coverage(False, reason="no passage matched the question")
    joined = "\n".join(passages)
    vocab = word_set(joined)
    text = folded(joined)
    asked = names(question, lowercase_words(joined))
    missing = tuple(n for n in asked if not mentions(n, vocab, text))
    if missing:
        return Coverage(False, missing, f"the articles' passages never mention {', '.join(missing)}")
    if _ASKS_SPEECH.search(question) and asked:
        speakers = [n for n in asked if n not in _PLACES]
        if speakers and not any(_speaks(n, p) for p in passages for n in speakers):
            return Coverage(False, reason=f"no passage reports {', '.join(speakers)} saying anything")
    return Coverage(True)


_PLACES = {"paris", "ukraine", "russia", "europe", "moscow", "alaska", "beijing", "china", "us", "uk", "eu",
           "france", "germany", "italy", "poland", "finland", "netherlands", "dutch", "european"}


def _speaks(name: str, passage: str) -> bool:
    return mentions(name, word_set(passage), folded(passage)) and bool(_SPEECH.search(passage))
