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
from .figures import figures_in, kind_of
from .text import stem, words

_ASKS_SPEECH = re.compile(
    r"\b(what|how) (did|does|has|had|do|was|is|were)\b.*\b(say|said|tell|told|state|stated|think|"
    r"thinks|warn|warned|claim|claimed|argue|argued|add|added|announce|announced|respond|responded|"
    r"react|reacted|reply|replied|comment|commented|remark|remarked)\b",
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


def check_coverage(question: str, passages: Sequence[str], context: Sequence[str] = ()) -> Coverage:
    """`passages` are what the model will see; `context` is wider retrieved text (e.g. the top
    chunks) in which the question's names may also be found."""
    if not passages:
        return Coverage(False, reason="no passage matched the question")
    joined = "\n".join([*passages, *context])
    vocab = word_set(joined)
    text = folded(joined)
    asked = [n for n in names(question, lowercase_words(joined)) if n not in _opener(question)]
    missing = tuple(n for n in asked if not mentions(n, vocab, text))
    if missing:
        return Coverage(False, missing, f"the articles' passages never mention {', '.join(missing)}")
    kind = _missing_answer_type(question, passages)
    if kind:
        return Coverage(False, reason=kind)
    if _ASKS_SPEECH.search(question) and asked:
        speakers = [n for n in asked if n not in _PLACES]
        if speakers and not any(_speaks(n, p) for p in passages for n in speakers):
            return Coverage(False, reason=f"no passage reports {', '.join(speakers)} saying anything")
    return Coverage(True)


_HOW_MANY = re.compile(r"\bhow (many|much)\s+((?:[\w'-]+\s+){0,3}?)([\w'-]+)\s+"
                       r"(?:of|did|does|do|have|has|had|will|would|were|was|are|is|can|could|in|on|at|to|for)\b",
                       re.IGNORECASE)
_ASKS_TIME = re.compile(r"^\W*(when\b|on what (date|day)|what (date|day|year|month|time)\b|in what year)",
                        re.IGNORECASE)
_TIME = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
                   r"may|june|july|august|september|october|november|december|today|yesterday|tomorrow|"
                   r"tonight|ago|\d{4}|(\w+) (days?|weeks?|months?|years?))\b", re.IGNORECASE)
_ASKS_DATE = re.compile(r"\b(what|which) date\b", re.IGNORECASE)
_MONTHS = (r"(january|february|march|april|may|june|july|august|september|october|november|december|"
           r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?")
_DATE = re.compile(rf"\b(\d{{1,2}}(st|nd|rd|th)? (of )?{_MONTHS}|{_MONTHS} \d{{1,2}}(st|nd|rd|th)?\b|{_MONTHS} \d{{4}}|"
                   r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})", re.IGNORECASE)


def _missing_answer_type(question: str, passages: Sequence[str]) -> str:
    """A reason when the question asks for a count or a time and no passage offers one."""
    match = _HOW_MANY.search(question)
    if match:
        head = stem(words(match.group(3))[0]) if words(match.group(3)) else ""
        if any(figures_in(p, kind_of(head)) for p in passages):
            return ""
        return f"no passage gives a number of {match.group(3)}"
    if _ASKS_DATE.search(question) and not any(_DATE.search(p) for p in passages):
        return "no passage gives a calendar date"  # "three weeks later" is not one
    if _ASKS_TIME.search(question) and not any(_TIME.search(p) for p in passages):
        return "no passage gives a date or time"
    return ""


def _opener(question: str) -> set[str]:
    """The question's first word, unless it is an acronym: "Roughly ...", "Apart from ..."."""
    first = re.match(r"\W*([\w'`-]+)", question)
    if not first or first.group(1).isupper():
        return set()
    return set(names(first.group(1)))


_PLACES = {  # places and adjectives: never the speaker of "what did X say"
           "paris", "ukraine", "russia", "europe", "moscow", "alaska", "beijing", "china", "us", "uk", "eu",
           "france", "germany", "italy", "poland", "finland", "netherlands", "dutch", "european",
           "western", "eastern", "northern", "southern"}


def _speaks(name: str, passage: str) -> bool:
    return mentions(name, word_set(passage), folded(passage)) and bool(_SPEECH.search(passage))
