"""Candidate answers: spans of the expected kind in the evidence sentences.

For a typed question the candidates come from the stored sentence analyses: figures whose counted
noun matches the one asked about (a number question), entities of the asked-for kind that the
question does not already name (who, which, where, when; when the asked noun has no clear kind,
a name the document calls by it, "X, an independent body", is of that kind, and so, for a list,
is a name in a sentence that uses the noun, "Three parties opposed it: A, B and C"; a body's name
after "at", "in", "outside" is a place, "held at Harwick Exchange"; a country's demonym,
"Spanish", is not an organisation), or the words attributed to the asked-for speaker (what did X
say). A list question is also answered by the items of a list the parse found ("A, B and the C
Group"): the names of a list the parse did not label when another of them is a name that fits;
a list of no names ("bread, milk and eggs") when it is the subject or object
of a verb the question asks about ("Which foods ran short?" ... "ran short"). A "when" question
is answered by a point in time: a date the parse found to be a length of time ("after 14
months", "a five-hour debate", "for months"), an age ("Ana Ruiz, 67,") or a date that points back
to another ("the same day") fits less, and "at what time" asks for a time of day; a date that
does not state what the question's time noun asks for ("in what year": "last month"; "on what
date": "Monday"; "what day of the week": "March 22") fits less. "How
long/far/old" is answered by a figure with a unit of measure, not by a sum of money, a share or a
bare count; a bare "how much" by a sum, a share or a quantity, not a count of things, and one
asked of a verb of price ("What will it cost?", "How much did they pay?") by a sum alone; "how
many tankers" by a figure whose counted noun or a word before it fits ("22 tanker trucks"); a measure
noun of price or payment ("What was the final bill?") by a sum, one of proportion ("What share
...?") by a percentage; a figure with no noun of its own
by what it is the amount of ("put ridership at 21,800"). A figure
after "every" ("every six minutes") answers only "how often". Each is a verbatim span of
its document. It does not rank them (see `ranking`) or write the answer (see `compose`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..language.analysis import (
    NUMBER_LABELS,
    ORG_LABELS,
    PERSON_LABELS,
    PLACE_LABELS,
    Entity,
    Figure,
    SentenceAnalysis,
)
from ..language.dates import states
from ..language.lexicon import country_of, currency_words, number_value, word_class
from .names import TextNames, is_named, speaker_fit
from .question import Question
from .units import Meanings

NAME_LABELS = PERSON_LABELS | ORG_LABELS | PLACE_LABELS | {"EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
LABELS_BY_KIND = {
    "person": PERSON_LABELS | {"ORG"},  # "who organises ..." may be a body
    "organisation": ORG_LABELS,
    "place": PLACE_LABELS,
    "time": frozenset({"DATE", "TIME"}),
    "list": NAME_LABELS,
    "thing": NAME_LABELS,
}
MEASURE_LABELS = frozenset({"QUANTITY", "DATE", "TIME"})  # what "how long/far/old" is answered by
AMOUNT_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY"})  # what a bare "how much" is answered by,
AMOUNT_UNITS = frozenset({"money", "percent"})  # and the units the analysis gives sums and shares
DIRECT_KINDS = ("number", "person", "organisation", "place", "time", "thing")  # answered by a span first
GRAIN_FIT = 0.4  # a date that does not state what the time noun asks for ("what date": "Monday"),
# below FIT_FLOOR: it is quoted, not given as the answer
FIT_FLOOR = 0.5  # a candidate must fit the asked kind at least this well to be the direct answer
# ... and be `typed`: a name whose label is of the asked kind, where that kind is clear ("which
# leader" -> a person; "what role" -> no name is a direct answer, the quote answers)
OFF_KIND_FIT = 0.4  # an entity of another kind than the asked noun's ("which leaders" -> a country)


@dataclass(frozen=True)
class Candidate:
    kind: str  # the question kind it answers
    doc_id: str
    start: int
    end: int
    text: str
    value: float | None = None  # numbers: the figure
    fit: float = 1.0  # how well it fits the asked kind, 0..1 (unit similarity, label fit)
    typed: bool = True  # its label is of the asked kind, and for "which <noun>" the noun's kind is clear
    likelihood: float | None = None  # the model's mean log-probability of it as the answer (see `choice`)
    unit: str = ""  # numbers: the lemma of what the figure counts ("kilometre"), "" when bare
    topic: float | None = None  # quotes: how much of the asked topic the sentence covers, 0..1
    speaker: float | None = None  # quotes: how surely the speaker is the one asked about (`speaker_fit`)
    # names: how many of the question's words describe it in its sentence ("Who is the council
    # president ...?" ... "Council President Ana Ruiz": council, president), see `described`
    described: int = 0


def candidates(question: Question, doc_id: str, analyses: Sequence[SentenceAnalysis],
               meanings: Meanings) -> list[Candidate]:
    """The candidate answers in one passage's sentences, best fitting first."""
    found: list[Candidate] = []
    asked = TextNames(" ".join(question.names))
    preferred = _preferred_labels(question, meanings)
    for a in analyses:
        if question.kind == "number":
            for f in a.figures:
                if f.start < a.body_start or f.value in question.stated:  # the question's own figure
                    continue
                # "how much data": "740 gigabytes of data" measures it in gigabytes; "how much
                # ransom": "a ransom of £3.8 million" is its amount
                # the counted noun's modifiers count too: "how many tankers" ... "22 tanker trucks"
                fit = 1.0 if not question.unit else \
                    meanings.unit.best(question.unit, (f.unit, f.of, f.measures, *_modifiers(f)) if question.mass
                                       else (f.unit, f.measures, *_modifiers(f))) if f.unit else 0.3
                if question.unit and not f.unit and f.measures:  # "put ridership at 21,800"
                    fit = max(fit, meanings.unit.best(question.unit, (f.measures,)))
                if question.unit in word_class("money_nouns") and _a_sum(f):
                    fit = 1.0  # "what was the final bill": "£19.6 million"
                if question.unit in word_class("ratio_nouns") and f.unit == "percent":
                    fit = 1.0  # "what share of drivers": "94 percent"
                if question.part and f.measures == question.unit:
                    fit = min(fit, 0.3)  # "how much of the cost ...": not "put the cost at £14 million"
                if question.extent not in ("", "often") and not _measured(f, a, question.extent):
                    fit = min(fit, 0.3)  # "how long" is not answered by a sum, a share or a bare count
                if f.interval != (question.extent == "often"):
                    fit = min(fit, 0.3)  # "every six minutes" says how often, not how many or how long
                found.append(Candidate("number", doc_id, f.start, f.end, f.text, f.value, fit, unit=f.unit))
            # "how long ago", "how old": a length of time or an age
            if question.extent not in ("", "much", "sum", "often"):
                for e in a.entities:
                    told = _age(e) if question.extent == "old" else _length_of_time(e, a)
                    if e.label in ("DATE", "TIME") and e.start >= a.body_start and told \
                            and not any(_overlap(f, e) for f in a.figures):
                        found.append(Candidate("number", doc_id, e.start, e.end, e.text, fit=1.0, unit="time"))
        elif question.kind == "quote":
            # the topic is weighed only where someone speaks (it embeds the sentence's words)
            topic = meanings.unit.coverage(question.topic, a.lemmas) if a.attributions else 0.0
            # in the fit the topic's head noun counts twice: "the court's decision" is met by "the
            # ruling" more than by another sentence about the court (whether the speaker meets the
            # topic at all stays the plain coverage: "the money for the depot" is not met by "money")
            headed = meanings.unit.coverage((question.topic_head, *question.topic), a.lemmas) \
                if a.attributions and question.topic_head else topic
            for at in a.attributions:
                who = speaker_fit(question.speaker, question.speaker_words, at.speaker, at.roles, meanings.unit.best)
                if who > 0:
                    fit = who * (0.5 + 0.5 * headed)
                    found.append(Candidate("quote", doc_id, at.start, at.end, at.speaker, fit=fit, topic=topic,
                                           speaker=who))
        elif question.kind in LABELS_BY_KIND:
            first = len(found)  # this sentence's candidates start here
            labels = LABELS_BY_KIND[question.kind]
            # "which general ...": a name fits fully only where the sentence speaks of a general
            # (or of something the embedder finds close: "leader" ~ "chairwoman")
            # (a time noun names the kind itself: "in what year" needs no sentence that says "year")
            named = 1.0 if not question.unit or question.kind == "time" \
                else 0.5 + 0.5 * meanings.unit.best(question.unit, a.lemmas)
            for e in a.entities:
                placed = _placed(e, preferred)
                if (e.label in labels or placed) and e.start >= a.body_start and not asked.has(e.text) \
                        and not any(e.text in n or n in e.text for n in question.names):
                    if question.unit and e.heads and question.kind != "time":
                        # what the document says it is decides, on the scale of `named`: "which
                        # judge" is answered by "Judge X" before "Y, the retired teacher who led
                        # the court battle"
                        fits = 0.5 + 0.5 * meanings.unit.best(question.unit, e.heads)
                    else:
                        fits = max(named, meanings.unit.best(question.unit, e.descriptors) if question.unit else 0.0)
                    if question.kind == "time" and not states(e.text, question.unit):
                        fits = min(fits, GRAIN_FIT)  # "in what year": not "last month"
                    # the document calls it what the question asks for ("X, an independent body"):
                    # of that kind, when the embedder gives the noun no clear kind
                    called = bool(question.unit) and question.unit in e.descriptors
                    # ... or, for a list, the sentence names them under that noun ("Three parties
                    # opposed it: A, B and C")
                    listed = question.kind == "list" and bool(question.unit) and question.unit in a.lemmas \
                        and _in_a_list(e, a)
                    of_kind = (e.label in preferred or placed) \
                        and not (question.kind == "time" and _not_a_point(e, a)) \
                        and not (e.label == "NORP" and country_of(e.text) is not None)
                    fit = (1.0 if of_kind else OFF_KIND_FIT) * fits
                    found.append(Candidate(question.kind, doc_id, e.start, e.end, e.text, fit=fit,
                                           typed=of_kind and (preferred is not NAME_LABELS or called or listed),
                                           described=described(question, e)))
            if question.kind == "list":
                found += _list_items(question, doc_id, a, found[first:], meanings)
            if question.kind == "thing" and question.unit:  # "what premium": "a premium of 9 percent"
                found += [Candidate("thing", doc_id, f.start, f.end, f.text, f.value, unit=f.unit)
                          for f in a.figures if f.start >= a.body_start and f.measures
                          and meanings.unit.best(question.unit, (f.measures,)) >= 1.0]
        elif question.kind == "free":
            continue
    return sorted(found, key=lambda c: -c.fit)


def _list_items(question: Question, doc_id: str, analysis: SentenceAnalysis, named: Sequence[Candidate],
                meanings: Meanings) -> list[Candidate]:
    """The items of the sentence's lists that answer a list question: beside a name that fits (the
    head of its item), the names of its list the parse did not label fit as well ("A, B and the C
    Group" when A fits); a list of no names at all fits when it is the
    subject or object of a verb the question asks about ("Bread, milk and eggs ran short" for
    "Which foods ran short?")."""
    out: list[Candidate] = []
    for n in analysis.enumerations:
        if n.start < analysis.body_start:
            continue
        fitting = [c.fit for item in n.items for c in named if c.typed and c.start <= item.head_start < c.end]
        labelled = [any(e.start <= item.head_start < e.end for e in analysis.entities) for item in n.items]
        if fitting:  # beside a fitting name, the names of its list the parse did not label
            out += [Candidate(question.kind, doc_id, item.start, item.end, item.text, fit=max(fitting))
                    for item, known in zip(n.items, labelled, strict=True) if item.proper and not known]
        elif not any(e.label in NAME_LABELS and e.start <= item.head_start < e.end
                     for item in n.items for e in analysis.entities) \
                and n.verb and meanings.unit.best(n.verb, question.focus) >= 1.0:  # that verb or a near-synonym
            out += [Candidate(question.kind, doc_id, item.start, item.end, item.text) for item in n.items]
    return out


def _placed(entity: Entity, preferred: frozenset[str]) -> bool:
    """Whether a place is asked for and a body's name stands where a place does: after "at",
    "in", "outside" ("the ceremony followed at Harwick Exchange", which the parse may take for an
    organisation)."""
    return preferred == PLACE_LABELS and entity.label == "ORG" \
        and entity.preposition in word_class("locative_prepositions")


def described_speakers(question: Question, found: Sequence[Sequence[Candidate]]) -> list[list[Candidate]]:
    """The quote candidates of each passage, without those whose speaker the question's
    description only half fits when another passage quotes someone it fits fully: "the chief
    nurse" is not "a senior nurse" where the articles quote a chief nurse. Only for a description
    of more than one word and no name: one word ("the court") fits fully whoever a clause ties to
    it ("X, who led the court battle"), and a name is matched as a name."""
    described = len(question.speaker_words) >= 2 and not is_named(question.speaker)
    if not described or not any(c.speaker == 1.0 for cs in found for c in cs):
        return [list(cs) for cs in found]
    return [[c for c in cs if c.speaker is None or c.speaker == 1.0] for cs in found]


def _in_a_list(entity: Entity, analysis: SentenceAnalysis) -> bool:
    """Whether a name is an item of a list the parse found ("A, B and C"; not "Y, X's chief
    executive, said ...", where two names also stand a comma apart)."""
    return any(item.start <= entity.start and entity.end <= item.end
               for n in analysis.enumerations for item in n.items)


def _measured(figure: Figure, analysis: SentenceAnalysis, extent: str) -> bool:
    """Whether a figure is what the extent asks for, with a unit: for "how long/far/old" inside an
    entity the parse labels a quantity or a length of time ("31 kilometres", "16 weeks"), not a
    sum of money, a share or a count; for a bare "how much" a sum (a currency's name counted, or
    the parse's money), a share or a quantity, not a count ("one block"); for one asked of a verb
    of price ("sum") a sum alone."""
    money = _a_sum(figure) or any(e.label == "MONEY" and _overlap(e, figure) for e in analysis.entities)
    if extent == "sum":
        return money
    if extent == "much" and (figure.unit in AMOUNT_UNITS or money):
        return True
    if extent != "much" and (money or figure.unit == "percent"):  # a sum or a share the parse took for a measure
        return False
    labels = AMOUNT_LABELS if extent == "much" else MEASURE_LABELS
    return bool(figure.unit) and any(e.label in labels and _overlap(e, figure) for e in analysis.entities)


def _modifiers(figure: Figure) -> tuple[str, ...]:
    """The words of a figure's phrase before its counted noun that are not numbers ("22 tanker
    trucks" -> "tanker"; "more than 30 Ukrainian allies" -> "more", "than", "ukrainian")."""
    words = [w.strip(",.;:").lower() for w in figure.text.split()[:-1]]
    return tuple(w for w in words if w.isalpha() and number_value(w) is None)


def _a_sum(figure: Figure) -> bool:
    """A figure of money: the parse's money, or a currency's name counted ("40 euros")."""
    return figure.unit == "money" or figure.unit in currency_words()


def _not_a_point(entity: Entity, analysis: SentenceAnalysis) -> bool:
    """Whether a date or time entity says how long or how old rather than when: the parse counted
    a time unit in it ("14 months", "a five-hour debate"), it is time units alone ("for months",
    "a week"; not "in the coming weeks", which says when), it is an age, or it points back to a date given
    elsewhere ("the same day", "that week")."""
    return _counted(entity, analysis) or _units_alone(entity.text) or _age(entity) or _anaphoric(entity)


def _length_of_time(entity: Entity, analysis: SentenceAnalysis) -> bool:
    """A date or time entity that answers "how long": a counted time unit, or time units without
    a number ("for months", "just days earlier", "a week")."""
    return _counted(entity, analysis) or _units_alone(entity.text) or any(_units_alone(w) for w in entity.text.split())


def _counted(entity: Entity, analysis: SentenceAnalysis) -> bool:
    """Whether the parse counted a unit inside the entity (a figure with a unit overlaps it)."""
    return any(f.unit and _overlap(f, entity) for f in analysis.figures)


def _overlap(a: Entity | Figure, b: Entity | Figure) -> bool:
    return a.start < b.end and b.start < a.end


def _units_alone(text: str) -> bool:
    """"months", "years": a time unit in the plural; "a week", "an hour": one unit, no number."""
    words = text.lower().split()
    if len(words) == 2 and words[0] in ("a", "an"):
        return words[1] in word_class("time_nouns")
    return len(words) == 1 and words[0].endswith("s") and words[0][:-1] in word_class("time_nouns")


def _anaphoric(entity: Entity) -> bool:
    """A date with no figure and no name that refers back: opened by "that" or holding "same"."""
    words = entity.text.lower().split()
    named = any(w[:1].isupper() for w in entity.text.split()[1:])
    return bool(words) and not named and not any(c.isdigit() for c in entity.text) \
        and (words[0] == "that" or "same" in words)


def described(question: Question, entity: Entity) -> int:
    """How many of the question's words (its names' words, the asked noun, its focus lemmas) are
    among the words that describe the entity in its sentence (titles, appositions, a non-restrictive
    clause: `Entity.descriptors`): "Who is the council president who ...?" is described by
    "Council President Ana Ruiz" and not by "Mayor Tom Berg" in the same list of names."""
    asked = {w.lower() for n in question.names for w in n.split()} | {question.unit, *question.focus}
    return sum(1 for d in entity.descriptors if d in asked)


def _age(entity: Entity) -> bool:
    """A date entity that is a bare number but not a year: an age ("Ana Ruiz, 67,")."""
    return entity.text.isdigit() and len(entity.text) != 4


def _preferred_labels(question: Question, meanings: Meanings) -> frozenset[str]:
    """Entity labels that fully fit: people for "who"; for "which leaders" the kind of the noun;
    a time of day for "at what time", a date for "on what day"."""
    if question.kind == "time" and question.unit in word_class("clock_nouns"):
        return frozenset({"TIME"})
    if question.kind == "time" and question.unit:  # "on what day", "in which year": a date, not a time of day
        return frozenset({"DATE"})
    if question.kind == "person":
        return PERSON_LABELS  # a body ("who organises ...") fits, but less
    if question.kind in ("list", "thing"):
        kind = meanings.kind(question.unit)
        if kind == "person":  # "which leader": people; a body fits less
            return PERSON_LABELS
        return LABELS_BY_KIND[kind] if kind else NAME_LABELS
    return LABELS_BY_KIND.get(question.kind, frozenset())


def direct(found: Sequence[Candidate]) -> list[Candidate]:
    """The candidates that may be a direct answer: typed, and fitting the asked kind."""
    return [c for c in found if c.fit >= FIT_FLOOR and c.typed]


def kind_fit(question: Question, found: Sequence[Candidate], analyses: Sequence[SentenceAnalysis]) -> float:
    """How well a passage offers the kind of answer asked for: 1 when a candidate fits fully,
    the best fit otherwise; free questions (why, how) fit any passage."""
    if question.kind == "free":
        return 1.0
    if question.kind == "time" and not found:
        return 0.3  # an event can answer "when" ("once a peace deal is signed")
    if question.kind == "number" and not found:
        return 0.2 if any(e.label in NUMBER_LABELS for a in analyses for e in a.entities) else 0.0
    return max((c.fit for c in found), default=0.0)
