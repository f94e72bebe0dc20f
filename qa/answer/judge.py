"""The support judge: does a set of passages support an answer sentence? Deterministic, offline.

A sentence is supported when (1) every quotation in it appears verbatim in a passage, (2) every
name and number in it appears in the passages, (3) it does not negate what the passages say or
vice versa, and (4) enough of its content words appear in the passages (`threshold`, calibrated on
hand-labelled pairs in eval/support_pairs.jsonl; see `qa eval --calibrate`). It does not
understand paraphrase beyond shared words, so it errs towards "unsupported".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config
from ..language.lexicon import number_value
from ..language.text import find_normalized, stem, tokens, words
from .names import TextNames

DEFAULT_THRESHOLD = Config.support_threshold
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,}?)[\"\u201d]")
_NEGATIONS = {"not", "no", "never", "nt", "cannot", "without", "nor", "neither", "none"}
# Words that negate in effect; counted on both sides so "failed to" matches "did not".
_NEGATING = _NEGATIONS | {"rather", "instead", "unless", "fail", "failed", "refuse", "refused", "reject",
                          "rejected", "dismiss", "dismissed", "oppose", "opposes", "refrain", "refraining"}


@dataclass(frozen=True)
class Support:
    supported: bool
    overlap: float  # share of the sentence's content words found in the passages, 0..1
    missing_quotes: tuple[str, ...] = ()
    missing_names: tuple[str, ...] = ()
    missing_numbers: tuple[str, ...] = ()
    negation_mismatch: bool = False


def judge(sentence: str, passages: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> Support:
    """Whether `passages` together support `sentence`."""
    joined = "\n".join(passages)
    quotes = tuple(q for q in (m.group(1).strip(" ,.") for m in _QUOTE.finditer(sentence))
                   if len(q.split()) >= 2 and find_normalized(joined, q) < 0)
    found = TextNames(joined)
    missing_names = tuple(n for n in names_in(sentence) if not found.has(n))
    missing_numbers = tuple(sorted(numbers_in(sentence) - numbers_in(joined)))
    overlap = content_overlap(sentence, joined)
    negation = _negation_mismatch(sentence, passages)
    supported = (not quotes and not missing_names and not missing_numbers and not negation
                 and overlap >= threshold)
    return Support(supported, overlap, quotes, missing_names, missing_numbers, negation)


def names_in(sentence: str) -> list[str]:
    """Named entities of the sentence, by spaCy's English pipeline."""
    from ..language.nlp import load_nlp

    labels = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
    return list(dict.fromkeys(e.text for e in load_nlp()(sentence).ents if e.label_ in labels))


def numbers_in(text: str) -> set[str]:
    """Numbers written in digits or words, as digit strings ("twenty-six" and "26" both "26")."""
    found = set()
    for word in re.findall(r"\d[\d,.]*\d|\d|[a-z]+(?:-[a-z]+)?", text.lower()):
        value = number_value(word)
        if value is not None and word not in ("one",):
            found.add(f"{value:g}")
    return found


def content_overlap(sentence: str, passage: str) -> float:
    """Share of the sentence's distinct content words (stemmed) that occur in the passage."""
    claim = set(tokens(sentence))
    if not claim:
        return 0.0
    return len(claim & set(tokens(passage))) / len(claim)


def _negation_mismatch(sentence: str, passages: Sequence[str]) -> bool:
    """The sentence negates and no passage does around the same words, or the reverse."""
    claim_words = words(sentence)
    claim_neg = _negates(claim_words)
    best = max(passages, key=lambda p: content_overlap(sentence, p), default="")
    passage_neg = _negates(words(best))
    if claim_neg and not passage_neg:
        return True
    if passage_neg and not claim_neg:
        # Only a flip when the sentence restates the negated clause itself.
        clause = _negated_clause(best)
        return bool(clause) and len(clause & {stem(w) for w in claim_words}) >= 2
    return False


def _negates(ws: list[str]) -> bool:
    contracted = {"isnt", "wasnt", "dont", "doesnt", "didnt", "arent", "werent", "couldnt", "wouldnt",
                  "shouldnt", "wont", "cant", "hasnt", "havent"}
    return any(w in _NEGATING or w in contracted for w in ws)


def _negated_clause(passage: str) -> set[str]:
    """Stemmed content words in the few words after each negation in the passage."""
    ws = words(passage)
    out: set[str] = set()
    for i, w in enumerate(ws):
        if w in _NEGATIONS:
            out.update(stem(x) for x in ws[i + 1:i + 4] if x not in _NEGATIONS)
    return {w for w in out if len(w) > 2} - {"the", "for", "and", "any"}
