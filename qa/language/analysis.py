"""Typed results of language analysis: what a sentence says, in spans of its document.

A `SentenceAnalysis` is computed once per sentence at ingest (see `nlp`) and stored in the index;
question time reads it and never re-parses indexed text. Every span is a half-open range of
character offsets into the document, so `document.text[start:end]` is the exact text. This
module holds types and their JSON form only; it does no analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# spaCy's OntoNotes labels grouped by the answer kinds the assistant asks for.
PERSON_LABELS = frozenset({"PERSON"})
ORG_LABELS = frozenset({"ORG", "NORP"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
TIME_LABELS = frozenset({"DATE", "TIME", "EVENT"})
NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})


@dataclass(frozen=True)
class Entity:
    label: str  # spaCy's label: PERSON, ORG, GPE, NORP, DATE, CARDINAL, ...
    start: int
    end: int
    text: str
    # lemmas of the words that describe it: titles and appositions ("Mayor X", "X, the head of the
    # utility", "the French firm X" -> mayor; head, utility; french, firm), within the document
    descriptors: tuple[str, ...] = ()
    # lemmas of the nouns among them that say what it is: its title or apposition ("Judge X",
    # "X, the retired teacher who ..." -> judge; teacher), not the words that qualify them
    heads: tuple[str, ...] = ()
    # the preposition whose object it is, lower case ("held at X" -> at), "" when none
    preposition: str = ""


@dataclass(frozen=True)
class Figure:
    """A number and what it counts: "more than 30 Ukrainian allies" -> value 30, unit "ally"."""

    start: int  # the whole phrase, qualifier to counted noun
    end: int
    text: str
    value: float
    unit: str  # lemma of the counted noun ("country"), the currency/percent word, or ""
    interval: bool = False  # "every six minutes": says how often, not how many or how long
    of: str = ""  # lemma of what a measure is of: "740 gigabytes of data" -> "data"
    # lemma of the noun the figure is the amount of: "a premium of 9 percent", "the premium was 9
    # percent" -> "premium"
    measures: str = ""


@dataclass(frozen=True)
class ListItem:
    """One noun phrase of a list."""

    start: int
    end: int
    text: str
    head: str  # lemma of its head noun
    head_start: int  # where its head noun starts
    proper: bool  # its head is a proper noun (a name, labelled or not)


@dataclass(frozen=True)
class Enumeration:
    """Noun phrases joined as a list: "Acme, Birch Ltd and Corvo" -> three items."""

    start: int  # the whole list, first item to last
    end: int
    items: tuple[ListItem, ...]
    verb: str = ""  # lemma of the verb the list is the subject or object of, "" when none


@dataclass(frozen=True)
class Attribution:
    """Words reported as someone's: the speaker, the reporting verb and what was said."""

    speaker: str  # as written, or the person a pronoun refers back to ("he" -> "Ana Ruiz")
    verb: str  # lemma of the reporting verb ("stress"), or "according to", or "quote"
    start: int  # what was said
    end: int
    roles: tuple[str, ...] = ()  # lemmas describing the speaker anywhere in the document ("mayor")


@dataclass(frozen=True)
class SentenceAnalysis:
    start: int  # the sentence
    end: int
    body_start: int  # where the sentence proper starts: after a dateline ("CITY, May 5 —"), else start
    lemmas: tuple[str, ...]  # lower-case lemmas of its content words, in order
    entities: tuple[Entity, ...] = ()
    figures: tuple[Figure, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    clauses: tuple[tuple[int, int], ...] = ()  # spans of its clauses, for trimming quotes
    enumerations: tuple[Enumeration, ...] = ()  # lists of noun phrases

    def to_json(self) -> list[Any]:
        return [self.start, self.end, self.body_start, list(self.lemmas),
                [[e.label, e.start, e.end, e.text, list(e.descriptors), list(e.heads), e.preposition]
                 for e in self.entities],
                [[f.start, f.end, f.text, f.value, f.unit, f.interval, f.of, f.measures] for f in self.figures],
                [[a.speaker, a.verb, a.start, a.end, list(a.roles)] for a in self.attributions],
                [list(c) for c in self.clauses],
                [[n.start, n.end, [[i.start, i.end, i.text, i.head, i.head_start, i.proper] for i in n.items], n.verb]
                 for n in self.enumerations]]

    @classmethod
    def from_json(cls, row: list[Any]) -> SentenceAnalysis:
        start, end, body, lemmas, ents, figs, attrs, clauses, lists = row
        entities = tuple(Entity(e[0], e[1], e[2], e[3], tuple(e[4]), tuple(e[5]), e[6]) for e in ents)
        attributions = tuple(Attribution(a[0], a[1], a[2], a[3], tuple(a[4])) for a in attrs)
        enumerations = tuple(Enumeration(n[0], n[1], tuple(ListItem(*i) for i in n[2]), n[3]) for n in lists)
        return cls(start, end, body, tuple(lemmas), entities, tuple(Figure(*f) for f in figs), attributions,
                   tuple((a, b) for a, b in clauses), enumerations)
