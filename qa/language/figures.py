"""Figures in a parsed sentence: the number, its qualifier ("more than", "about"), the noun it
counts or the currency or percent it is in, whether it is an interval ("every six minutes"),
what a measure is of ("gigabytes of data") and the noun it is the amount of ("a premium of 9
percent"). Dates ("March 22", "2025") are not figures; durations
("16 weeks") are. It reads only the parse; `nlp` calls it for each sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .analysis import Figure
from .lexicon import currency_words, number_value

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


_MERIDIEM = frozenset({"am", "pm", "a.m.", "p.m.", "a.m", "p.m"})


def figures(doc: Doc, offset: int) -> list[Figure]:
    """The figures of a parsed sentence with the noun each counts, offsets shifted by `offset`
    into its document ("more than 30 allies" -> 30, ally; "every six minutes" an interval;
    "740 gigabytes of data" measures data)."""
    found: list[Figure] = []
    used: set[int] = set()
    for token in doc:
        if token.i in used or not _is_number(token) or token.ent_type_ == "ORDINAL":
            continue
        if token.ent_type_ in ("DATE", "TIME") and not (token.dep_ == "nummod" and token.head.pos_ == "NOUN"
                                                        and token.head.lower_ not in _MERIDIEM):
            continue  # "March 22", "2025", "11 pm" are dates and times; "16 weeks", "three days" are durations
        run = [token]
        while run[-1].i + 1 < len(doc) and (_is_number(doc[run[-1].i + 1]) or
                                            (doc[run[-1].i + 1].text == "-" and run[-1].i + 2 < len(doc)
                                             and _is_number(doc[run[-1].i + 2]))):
            run.append(doc[run[-1].i + 1])
        used.update(t.i for t in run)
        value = _value(" ".join(t.text for t in run if t.text != "-"))
        if value is None:
            continue
        last = run[-1]
        head = last.head if last.dep_ in ("nummod", "quantmod", "compound") else last
        unit, end = "", last
        if head.i != last.i and head.pos_ in ("NOUN", "PROPN") and head.i > last.i:
            unit, end = head.lemma_.lower(), head
        elif token.ent_type_ == "PERCENT" or (last.i + 1 < len(doc) and doc[last.i + 1].lower_ in ("percent", "%")):
            unit, end = "percent", doc[last.i + 1] if last.i + 1 < len(doc) and doc[last.i + 1].lower_ in (
                "percent", "%") else last
        elif token.ent_type_ == "MONEY":
            unit = "money"
            end = max((t for t in doc if t.ent_type_ == "MONEY" and t.i >= last.i and
                       all(doc[k].ent_type_ == "MONEY" for k in range(last.i, t.i + 1))), key=lambda t: t.i)
        start = _qualifier_start(run, doc)
        if token.ent_type_ == "MONEY":
            start = min(start, _entity_start(doc, token))
        interval = unit != "" and any(c.dep_ == "det" and c.lower_ == "every" for c in head.children)
        found.append(Figure(offset + int(doc[start].idx), offset + int(end.idx + len(end.text)),
                            doc.text[doc[start].idx:end.idx + len(end.text)], value, unit, interval,
                            _measured_noun(head) if unit else "", _amount_of(doc[start:end.i + 1], unit)))
    return found


def _amount_of(phrase: Span, unit: str) -> str:
    """The noun a figure is the amount of: "a premium of 9 percent" (the figure is the object of
    "of" after it), "the premium was 9 percent" (the figure is what the noun is) or "put the cost
    at 9 million" (the figure is what a verb values its object at); "" else."""
    root = phrase.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        return str(root.head.head.lemma_.lower())
    # a sum, a share, a measure or a bare number; not a count of things ("counted them at eight stops")
    amount = unit in ("", "money", "percent") or unit in currency_words() \
        or root.ent_type_ in ("MONEY", "PERCENT", "QUANTITY")
    if amount and root.dep_ == "pobj" and root.head.lower_ == "at" and root.head.head.pos_ == "VERB":
        # "put the cost at £14.2 million", "estimates ridership at around 21,800"
        valued = next((c for c in root.head.head.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
        if valued is not None:
            return str(valued.lemma_.lower())
    if root.dep_ == "attr" and root.head.lemma_ == "be":
        subject = next((c for c in root.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.pos_ == "NOUN":
            return str(subject.lemma_.lower())
    return ""


def _measured_noun(unit: Token) -> str:
    """The noun a unit measures: "gigabytes of data" -> "data", "tonnes of grain" -> "grain"."""
    of = next((c for c in unit.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    noun = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of is not None else None
    return noun.lemma_.lower() if noun is not None else ""


def _is_number(token: Token) -> bool:
    """Digits, or a number word used as a number ("one" only when it counts a noun)."""
    if not token.like_num or not (token.pos_ == "NUM" or token.text[0].isdigit()):
        return False
    return token.lower_ != "one" or token.dep_ == "nummod"


def _value(text: str) -> float | None:
    value = number_value(text)
    if value is not None:
        return value
    parts = text.split()
    if len(parts) >= 2:
        head, tail = number_value(parts[0]), number_value(" ".join(parts[1:]))
        if head is not None and tail is not None:
            return head * tail
    return None


def _qualifier_start(run: Sequence[Token], doc: Doc) -> int:
    """The first token of "more than", "around", "nearly", "at least" before a number."""
    start = run[0].i
    for t in run:
        for child in t.children:
            if child.i < run[0].i and child.dep_ not in ("det", "punct", "cc", "prep", "poss", "nsubj"):
                start = min(start, child.left_edge.i)
    return start


def _entity_start(doc: Doc, token: Token) -> int:
    i = token.i
    while i > 0 and doc[i - 1].ent_type_ == token.ent_type_ and doc[i - 1].ent_iob_ != "O" \
            and doc[i].ent_iob_ != "B":
        i -= 1
    return i
