"""Places the parse reads as people.

The small English pipeline labels some one-word place names PERSON, most often towns it has never
seen. A news article names each person in full at least once, surname last, and uses a place as
a place: as its dateline ("VELLMOOR, May 5 —"), after "in" ("arrived in Vellmoor"), or beside
another place ("in Ossery and Vellmoor"). A one-word PERSON that the document never gives as the
last word of a longer name, and uses as a place in one of those ways, is relabelled GPE
everywhere in the document ("Vellmoor Municipal Transit", which the parse may also call a
person, does not count as a full name). It reads only the parse; it knows no names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .analysis import PLACE_LABELS, SentenceAnalysis
from .lexicon import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc

PLACE_LABEL = "GPE"


def misread_places(docs: Iterable[Doc], datelines: Iterable[str]) -> frozenset[str]:
    """Folded one-word names labelled PERSON that the document uses as places and never as the
    surname of a person's full name. `datelines` are the document's datelines ("VELLMOOR, May 5 — ")."""
    full: set[str] = set()
    single: set[str] = set()
    placed = {fold(_capitals(d)) for d in datelines}
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            words = [t for t in ent if t.is_alpha]
            if len(words) != 1:
                full.add(fold(words[-1].text) if words else "")  # a surname: "Anna Vellmoor" is a person
                continue
            name = fold(words[0].text)
            single.add(name)
            root = ent.root
            if (root.dep_ == "pobj" and root.head.lower_ == "in") or \
                    (root.dep_ == "conj" and root.head.ent_type_ in PLACE_LABELS):
                placed.add(name)
    return frozenset((single & placed) - full)


def _capitals(dateline: str) -> str:
    """The place of a dateline: its leading words in capitals ("VELLMOOR, May 5 — " -> "VELLMOOR")."""
    words = []
    for word in dateline.replace(",", " ").split():
        if not (word.isalpha() and word.isupper()):
            break
        words.append(word)
    return " ".join(words)


def relabel_places(sentences: Sequence[SentenceAnalysis], names: frozenset[str]) -> list[SentenceAnalysis]:
    """The analyses with every PERSON entity whose folded text is in `names` labelled a place."""
    if not names:
        return list(sentences)
    return [replace(s, entities=tuple(replace(e, label=PLACE_LABEL) if e.label == "PERSON" and fold(e.text) in names
                                      else e for e in s.entities)) for s in sentences]
