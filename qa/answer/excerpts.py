"""Quotes cut from a ranked passage, verbatim: the passage without its dateline (`body`); the
sentence or clause that holds a direct answer (`narrowed`), with the next sentence when it
reports the answer unnamed and with a dateline that dates a "when" answer; for "what did X say"
the sentence of the best quote (`core`) or X's words in quotation marks (`quotation`); and the
clause that mentions most of the question's terms (`best_clause`). Each is a span of the
document (`span`); `compose` decides which to use.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..language.analysis import SentenceAnalysis
from ..language.speech import QUOTES
from ..language.text import words
from .candidates import Candidate, direct
from .evidence import leans_back
from .features import Scored
from .question import Question
from .types import Passage

MIN_CLAUSE_WORDS = 6
LONG_SENTENCE = 30  # words; a longer sentence is trimmed to the clause that holds the answer
_QUOTATION = re.compile(f"[{QUOTES}][^{QUOTES}]+[{QUOTES}]")  # words between quotation marks, marks included


def core(scored: Scored, rival: Scored, doc_texts: dict[str, str], room: int) -> Passage | None:
    """For "what did X say", of a passage of several sentences: the sentence of its best fitting
    quote, with the sentence before it when it leans on that one ("He added ..."), when the quotes
    it leaves out cover the asked topic less than the best quote of `rival` (the next passage).
    None when the passage is one sentence, when it would leave out a quote nearer the topic, or
    when the sentence does not fit in `room` words."""
    passage = scored.passage
    text = doc_texts[passage.doc_id]
    sentences = [a for a in scored.featured.evidence.analyses if passage.start <= a.start and a.end <= passage.end]
    quotes = [c for c in scored.featured.candidates if c.kind == "quote"]
    if len(sentences) < 2 or not quotes:
        return None
    best = max(quotes, key=lambda c: c.fit)
    chosen = next((i for i, a in enumerate(sentences) if a.start <= best.start < a.end), None)
    if chosen is None:
        return None
    start = max(sentences[chosen].start, sentences[chosen].body_start)
    if chosen > 0 and leans_back(text[start:sentences[chosen].end], sentences[chosen]):
        start = max(sentences[chosen - 1].start, sentences[chosen - 1].body_start)
    end = sentences[chosen].end
    if any(a.attributions and not any(a.start <= c.start < a.end for c in quotes)
           for a in sentences if not start <= a.start < end):
        return None  # someone else speaks there, or the asked speaker by a description the quotes did not match
    left_out = [c.topic or 0.0 for c in quotes if not start <= c.start < end]
    if max(left_out, default=0.0) >= max((c.topic or 0.0 for c in rival.featured.candidates if c.kind == "quote"),
                                         default=0.0):
        return None
    core = span(passage, start, end, doc_texts)
    return core if len(words(core.text)) <= room else None


def quotation(question: Question, scored: Scored, doc_texts: dict[str, str], room: int) -> Passage | None:
    """For "what did X say": the words in quotation marks that the passage attributes to X, when
    they fit in `room` words (at least MIN_CLAUSE_WORDS), or None. X's own words read without the
    sentence around them, where a clause cut by question terms may miss them."""
    if question.kind != "quote":
        return None
    text = doc_texts[scored.passage.doc_id]
    for c in sorted(scored.featured.candidates, key=lambda c: -(c.topic or 0.0)):
        if c.kind != "quote" or c.speaker != 1.0:
            continue
        sentence = next((a for a in scored.featured.evidence.analyses if a.start <= c.start < a.end), None)
        if sentence is None:
            continue
        # marks are paired from the start of the sentence, so that the words between two
        # quotations ('..." she said, adding that "...') are not taken for one
        for m in _QUOTATION.finditer(text, sentence.start, sentence.end):
            if c.start <= m.start() and m.end() <= c.end + 1 and MIN_CLAUSE_WORDS <= len(words(m.group())) <= room:
                return span(scored.passage, m.start(), m.end(), doc_texts)
    return None


def best_clause(question: Question, scored: Scored, doc_texts: dict[str, str], room: int) -> Passage | None:
    """The clause of the passage that mentions most of the question's terms and fits in `room`
    words (at least MIN_CLAUSE_WORDS), or None."""
    text = doc_texts[scored.passage.doc_id]
    terms = [t.lower()[:max(4, len(t) - 2)] for t in (*question.focus, *question.names)]
    best: tuple[int, int, tuple[int, int]] | None = None
    for a in scored.featured.evidence.analyses:
        for start, end in a.clauses:
            start = max(start, a.body_start)
            n = len(words(text[start:end]))
            if not MIN_CLAUSE_WORDS <= n <= room:
                continue
            hits = sum(term in text[start:end].lower() for term in terms)
            if hits and (best is None or (hits, -n) > best[:2]):
                best = (hits, -n, (start, end))
    return span(scored.passage, *best[2], doc_texts) if best else None


def body(scored: Scored, doc_texts: dict[str, str]) -> Passage:
    """The passage without a dateline at its start."""
    passage = scored.passage
    analyses = scored.featured.evidence.analyses
    start = passage.start
    if analyses and analyses[0].start == passage.start and analyses[0].body_start > start:
        start = analyses[0].body_start
    return span(passage, start, passage.end, doc_texts)


def narrowed(scored: Scored, candidate: Candidate, doc_texts: dict[str, str]) -> Passage:
    """The sentence holding `candidate`, or its smallest clause holding it that reads on its own
    (at least MIN_CLAUSE_WORDS words) when the sentence is long. The clause also holds the
    sentence's other figures that answer as well ("the union said 94 percent ...; the company put
    the figure at 71 percent"): the quote does not drop a second account of the same quantity."""
    passage = scored.passage
    text = doc_texts[passage.doc_id]
    for a in scored.featured.evidence.analyses:
        if not (a.start <= candidate.start and candidate.end <= a.end):
            continue
        start, end = max(a.body_start, a.start), a.end
        others = [c for c in direct(scored.featured.candidates) if c.kind == "number" == candidate.kind
                  and c.unit == candidate.unit and c.value != candidate.value and a.start <= c.start <= a.end]
        first, last = min(c.start for c in (candidate, *others)), max(c.end for c in (candidate, *others))
        clauses = sorted((c for c in a.clauses if c[0] <= first and last <= c[1]
                          and c[0] >= start and len(words(text[c[0]:c[1]])) >= MIN_CLAUSE_WORDS),
                         key=lambda c: c[1] - c[0])
        if len(words(text[start:end])) > LONG_SENTENCE and clauses:
            # the sentence up to the end of the clause, or the clause alone when that is still long
            head_end = clauses[0][1]
            start, end = (start, head_end) if len(words(text[start:head_end])) <= LONG_SENTENCE else clauses[0]
        if candidate.kind == "time" and _dated_by_dateline(candidate, a, text):
            start = a.start  # "on Thursday" under "CITY, March 30 —": the dateline dates it
        after = [b for b in scored.featured.evidence.analyses if end <= b.start and b.end <= passage.end]
        if end == a.end and after and any(at.speaker == candidate.text for at in after[0].attributions) \
                and leans_back(text[after[0].start:after[0].end], after[0]):
            end = after[0].end  # "Mayor X said ... However, she disputed the total.": what X is the answer for
        return span(passage, start, end, doc_texts)
    return body(scored, doc_texts)


def _dated_by_dateline(candidate: Candidate, analysis: SentenceAnalysis, text: str) -> bool:
    """Whether a date without a figure ("Thursday", "last week") stands in a sentence whose
    dateline gives a figure ("CITY, March 30 —"): the quote keeps the dateline to date it."""
    dateline = text[analysis.start:analysis.body_start]
    return not any(ch.isdigit() for ch in candidate.text) and any(ch.isdigit() for ch in dateline)


def span(passage: Passage, start: int, end: int, doc_texts: dict[str, str]) -> Passage:
    """`passage` cut to [start, end) of its document, without the spaces and separators that
    would end it."""
    text = doc_texts[passage.doc_id]
    while end > start and text[end - 1] in " ,;:":
        end -= 1
    return replace(passage, start=start, end=end, text=text[start:end])
