"""Write the answer from ranked passages: a short direct answer, then the verbatim quotes behind it.

- A typed question (how many, who, which, where, when) gets its best candidate first ("26
  countries"), cited to the sentence it comes from; a list question gets the candidates of every
  passage that scores close to the best ("A, B and C"), and of later passages until it has as
  many as the question asks for ("the three firms"); figures that differ between articles (of
  one order: reports of one quantity) are each given with their own citation after "The articles
  give different figures:".
- Then the best passage, trimmed to the clause that holds the answer when the whole sentence does
  not fit in the word budget, and the next passages while they fit, one that states the direct
  answer more precisely first ("December 9" after "December"). A dateline is left out,
  except before a "when" answer without a figure ("on Thursday"), which the dateline dates.
- "What did X say" and why/how questions are answered by quotes alone; when X is quoted but no
  sentence quoting X covers the asked topic, the quotes follow "The articles quote them only on
  related points:" (a partial answer, marked as one), when the first of them quotes X. A later
  passage quoting X that does not fit the word budget gives X's words in quotation marks when
  those fit; a best passage of several sentences that leaves the next one no room is cut to the
  sentence of its best quote, when the quotes it leaves out are further from the asked topic than
  the next passage's.

Every part is a span of a document (`Part.sources`), so the answer text is made of verbatim text
only, cut by `excerpts`. It does not rank (see `ranking`) or number citations (see `pipeline`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..language.lexicon import bound_of
from ..language.text import words
from .candidates import DIRECT_KINDS, FIT_FLOOR, Candidate, direct
from .excerpts import best_clause, body, core, narrowed, quotation
from .features import Scored
from .names import within
from .question import Question
from .types import Passage

DIFFERING_LEAD = "The articles give different figures:"
# "What did X say about Y" where X is quoted but never on Y: the quotes are marked as partial
PARTIAL_LEAD = "The articles quote them only on related points:"
TOPIC_MEETS = 0.45  # topic coverage of the speaker's best sentence below which X never meets Y
LIST_MARGIN = 0.25  # passages scoring within this of the best add their items to a list answer
MAX_LIST = 6
MAX_FIGURES = 3
FIGURE_SHARE = 1 / 5  # another article's figure counts when its passage scores this share of the best
SAME_ORDER = 3.0  # ... and is within this factor of the best passage's figure (reports of one quantity)


@dataclass(frozen=True)
class Part:
    """One claim of the answer: its text and the spans that support it."""

    text: str
    sources: tuple[Passage, ...]
    origin: str  # "answer": a span of the cited sentence; "quote": the cited span itself


def compose(question: Question, ranked: Sequence[Scored], doc_texts: dict[str, str], budget: int,
            max_quotes: int) -> tuple[str, list[Part]]:
    """(lead text or "", parts) for passages ranked best first."""
    if not ranked:
        return "", []
    best = ranked[0]
    lead, direct = "", []
    if question.kind == "number":
        figures = _differing_figures(question, ranked, doc_texts)
        if len(figures) >= 2:
            lead = DIFFERING_LEAD
            quotes = [narrowed(s, c, doc_texts) for s, c in figures]
            return lead, [Part(c.text, (q,), "answer") for (_, c), q in zip(figures, quotes, strict=True)] + \
                [Part(q.text, (q,), "quote") for q in _fit(quotes, 2 * budget)]
    if question.kind == "quote" and not _meets_topic(question, ranked) and _quotes_speaker(ranked[0]):
        lead = PARTIAL_LEAD
    if question.kind == "list":
        direct = _list_answer(question, ranked)
    elif question.kind in DIRECT_KINDS:
        chosen = _best_candidate(question, best)
        if chosen is not None:
            quote = narrowed(best, chosen, doc_texts)
            direct = [Part(_with_conjoined(chosen, best, doc_texts), (quote,), "answer")]
            after = _refining_first(chosen, ranked[1:], max_quotes - 1)
            used = len(words(direct[0].text))
            picked = _fit([quote, *(body(s, doc_texts) for s in after)], budget - used, question, after, doc_texts)
            return lead, direct + [Part(q.text, (q,), "quote") for q in picked]
    used = sum(len(words(p.text)) for p in direct)
    quotes = [body(s, doc_texts) for s in ranked[:max_quotes]]
    if question.kind == "quote" and len(quotes) >= 2 \
            and (second := len(words(quotes[1].text))) + len(words(quotes[0].text)) > budget - used:
        # the best passage is cut to its best quote's sentence when that makes room for the next one whole
        quotes[0] = core(ranked[0], ranked[1], doc_texts, budget - used - second) or quotes[0]
    picked = _fit(quotes, budget - used, question, ranked[1:max_quotes], doc_texts)
    return lead, direct + [Part(q.text, (q,), "quote") for q in picked]


def _meets_topic(question: Question, ranked: Sequence[Scored]) -> bool:
    """Whether some sentence quotes the asked speaker on the asked topic (or nothing says
    otherwise: no topic asked, or the speaker is not found quoted at all)."""
    covered = [c.topic for s in ranked for c in s.featured.candidates if c.kind == "quote" and c.topic is not None]
    return not question.topic or not covered or max(covered) >= TOPIC_MEETS


def _quotes_speaker(scored: Scored) -> bool:
    """Whether the passage quoted first quotes the asked speaker: the partial lead says "them"
    of the quotes after it, so it is not put before another person's words."""
    return any(c.kind == "quote" for c in scored.featured.candidates)


def _fit(quotes: Sequence[Passage], budget: int, question: Question | None = None,
         later: Sequence[Scored] = (), doc_texts: dict[str, str] | None = None) -> list[Passage]:
    """The first quote, then the next ones while all fit in `budget` words, a later one (its
    passage `later[i - 1]`) cut to its clause that best matches the question when the whole does
    not fit; no span twice."""
    chosen: list[Passage] = []
    total = 0
    for i, q in enumerate(quotes):
        if any(c.doc_id == q.doc_id and c.start < q.end and q.start < c.end for c in chosen):
            continue
        n = len(words(q.text))
        if chosen and total + n > budget and question is not None and doc_texts is not None and i >= 1 \
                and i - 1 < len(later):
            room = budget - total
            q = quotation(question, later[i - 1], doc_texts, room) \
                or best_clause(question, later[i - 1], doc_texts, room) or q
            n = len(words(q.text))
        if not chosen or total + n <= budget:
            chosen.append(q)
            total += n
    return chosen


def _refining_first(chosen: Candidate, later: Sequence[Scored], count: int) -> list[Scored]:
    """The first `count` of the `later` passages, one that gives the direct answer more precisely
    first ("December 9" for "December", "Ana Ruiz" for "Ruiz"), wherever it ranks."""
    said = words(chosen.text.lower())
    refining = next((s for s in later if any(
        c.typed and c.kind == chosen.kind and len(words(c.text)) > len(said)
        and within(said, words(c.text.lower())) for c in s.featured.candidates)), None)
    if refining is None:
        return list(later[:count])
    return [refining, *(s for s in later if s is not refining)][:count]


def _best_candidate(question: Question, scored: Scored, among: Sequence[Candidate] | None = None) -> Candidate | None:
    """The best fitting candidate (of `among`, by default those that may be a direct answer);
    among equal fits the one the model finds likeliest as the answer (when scored), then the name
    its sentence describes with more of the question's words (`candidates.described`), then the
    one nearest a focus term of the question."""
    fitting = direct(scored.featured.candidates) if among is None else among
    if not fitting:
        return None
    text = scored.passage.text.lower()
    anchors = [i for f in question.focus if (i := text.find(f[:max(4, len(f) - 2)])) >= 0]
    offset = scored.passage.start

    def distance(c: Candidate) -> float:
        if not anchors:
            return 0.0
        return min(abs((c.start - offset) - a) for a in anchors)

    return max(fitting, key=lambda c: (round(c.fit, 1), c.likelihood if c.likelihood is not None else -math.inf,
                                       c.described, -distance(c)))


def _with_conjoined(chosen: Candidate, scored: Scored, doc_texts: dict[str, str]) -> str:
    """The candidate and the ones of its kind joined to it by "and" or a comma, as the document
    writes them ("Ana Ruiz and Deputy Mayor Tom Berg" -> a verbatim span). Figures join only
    figures of their unit: "431 million euros, 38 percent more than planned" is a sum and how
    much it grew, not two answers."""
    text = doc_texts[chosen.doc_id]
    same = sorted((c for c in direct(scored.featured.candidates) if c.unit == chosen.unit), key=lambda c: c.start)
    start, end = chosen.start, chosen.end
    for c in same:  # extend rightwards over "A and B", "A, B and C"
        gap = text[end:c.start]
        if c.start >= end and len(gap) <= 40 and _joins(gap):
            end = c.end
    return text[start:end]


def _joins(gap: str) -> bool:
    """Whether the text between two names joins them as a list: ", ", " and ", maybe with a title
    ("and Deputy Mayor"); not a clause between them (", he said, and spent")."""
    words_between = gap.replace(",", " ").split()
    if not (gap.startswith(",") or words_between[:1] == ["and"]) or len(words_between) > 5:
        return False
    return all(w == "and" or w[:1].isupper() for w in words_between)


def _list_answer(question: Question, ranked: Sequence[Scored]) -> list[Part]:
    """The fitting names of the passages that score close to the best; when the question says how
    many it asks for ("the three firms"), later passages add theirs until that many fit as well as
    the best, and the best fitting are kept."""
    floor = ranked[0].score - LIST_MARGIN
    found: dict[str, tuple[float, Passage]] = {}
    for s in ranked:
        if s.score < floor and _enough([f for f, _ in found.values()], question.count):
            continue
        for c in sorted(direct(s.featured.candidates), key=lambda c: c.start):
            key = c.text.lower()
            if key not in found and not any(key in k or k in key for k in found):
                found[key] = (c.fit, s.passage)
    # more names than asked for: those that fit the asked noun best, in the order found ("the three
    # hospitals" before "the hospital group that runs them")
    kept = sorted(found, key=lambda k: -round(found[k][0], 1))[:question.count or MAX_LIST]
    items = {k: found[k][1] for k in found if k in kept}
    if not items:
        return []
    names = list(dict.fromkeys(next(c.text for s in ranked for c in s.featured.candidates if c.text.lower() == k)
                               for k in items))
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    sources = tuple(dict.fromkeys(items.values()))
    return [Part(text, sources, "answer")]


def _enough(fits: Sequence[float], count: int) -> bool:
    """Whether a list has the `count` names asked for, all fitting as well as the best one."""
    ranked = sorted((round(f, 1) for f in fits), reverse=True)
    return count == 0 or (len(ranked) >= count and ranked[count - 1] >= ranked[0])


def _differing_figures(question: Question, ranked: Sequence[Scored],
                       doc_texts: dict[str, str]) -> list[tuple[Scored, Candidate]]:
    """One fitting figure per document from passages close to the best (within LIST_MARGIN, or
    scoring at least FIGURE_SHARE of it), when their values differ, are of one order (SAME_ORDER)
    and count the same unit."""
    floor = min(ranked[0].score - LIST_MARGIN, ranked[0].score * FIGURE_SHARE)
    chosen: list[tuple[Scored, Candidate]] = []
    docs: set[str] = set()
    values: set[tuple[float, str]] = set()  # "more than 30" is another figure than "around 30"
    for s in ranked:
        if s.score < floor or s.passage.doc_id in docs:
            continue
        fitting = [c for c in s.featured.candidates if c.fit >= FIT_FLOOR
                   # with no unit asked, figures of one unit (not kilometres beside euros)
                   and (question.unit or not chosen or c.unit == chosen[0][1].unit)]
        # the passage's answer as the direct answer would be chosen: "How much of the cost went on
        # specialists?" is answered by the part, not by the total beside it
        c = _best_candidate(question, s, fitting)
        if c is None:
            continue
        if c.value is None:  # not a figure ("just days"): the best one answers alone
            if s is ranked[0]:
                return []
            continue
        if (c.value, bound_of(c.text)) in values:
            docs.add(s.passage.doc_id)
            continue
        if chosen and not _same_order(c.value, chosen[0][1].value):
            continue  # "a ransom of £3.8 million" is no report of "the cost, £14.2 million"
        chosen.append((s, c))
        docs.add(s.passage.doc_id)
        values.add((c.value, bound_of(c.text)))
        if len(chosen) == MAX_FIGURES:
            break
    return chosen if len(chosen) >= 2 else []


def _same_order(value: float, first: float | None) -> bool:
    """Whether two figures could be reports of one quantity: within SAME_ORDER times each other."""
    return first is not None and first > 0 and value > 0 and 1 / SAME_ORDER <= value / first <= SAME_ORDER
