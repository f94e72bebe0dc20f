"""Lists in a parsed sentence: noun phrases joined by commas and "and"/"or" ("Bread, milk and eggs
ran short"; "three firms: Acme, Birch Ltd and Corvo"). It reads only the parse; `nlp` calls it for
each sentence.

Each item is the noun phrase of one conjunct without what the parse hangs on it as an aside (a
relative clause, an apposition, a later conjunct), so that "Acme, which leads it, Birch Ltd and
Corvo" gives the items "Acme", "Birch Ltd" and "Corvo". The list also records the verb it is the
subject or object of, so that a question asking what was done ("Which products were withdrawn?")
can find the list of what was ("... were withdrawn").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .analysis import Enumeration, ListItem

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NOUNS = ("NOUN", "PROPN")
_ASIDES = {"conj", "cc", "punct", "relcl", "appos", "acl", "advcl", "preconj"}  # not part of an item
_PHRASE = {"prep", "pobj", "appos", "dobj", "nsubj", "nsubjpass", "attr", "conj"}  # up to the governing verb


def enumerations(doc: Doc, offset: int) -> list[Enumeration]:
    """The lists of two or more noun phrases in a parsed sentence, offsets shifted by `offset`."""
    found: list[Enumeration] = []
    used: set[int] = set()
    for token in doc:
        if token.pos_ not in _NOUNS or token.dep_ == "conj" or token.i in used:
            continue
        chain = _conjuncts(token)
        if len(chain) < 2:
            continue
        used.update(t.i for t in chain)
        items = tuple(_item(t, offset) for t in chain)
        found.append(Enumeration(items[0].start, items[-1].end, items, _governor(token)))
    return found


def _conjuncts(first: Token) -> list[Token]:
    """The first noun and the nouns joined to it as conjuncts, in order. The parse often takes the
    second item of "A, B and C" for an apposition of the first; one that has a conjunct of its own
    is an item, not an apposition ("Acme, the maker of X" has none)."""
    chain = [first]
    current = first
    while True:
        nxt = next((c for c in current.children if c.pos_ in _NOUNS and c.i > current.i
                    and (c.dep_ == "conj" or (c.dep_ == "appos" and _has_conjunct(c) and _after_comma(c)))), None)
        if nxt is None:
            return chain
        chain.append(nxt)
        current = nxt


def _after_comma(token: Token) -> bool:
    """Whether a comma comes just before the phrase ("A, B and C"; not "the money: A, B and C",
    where A, B and C are what the money stands for)."""
    left = token.left_edge
    return left.i > 0 and left.nbor(-1).text == ","


def _has_conjunct(token: Token) -> bool:
    return any(c.dep_ == "conj" and c.pos_ in _NOUNS for c in token.children)


def _item(token: Token, offset: int) -> ListItem:
    """One conjunct's noun phrase, its asides left out."""
    kept = [token]
    for child in token.children:
        if child.dep_ not in _ASIDES:
            kept += list(child.subtree)
    first = min(kept, key=lambda t: t.i)
    last = max(kept, key=lambda t: t.i)
    while last.i > first.i and last.is_punct:
        last = last.nbor(-1)
    start, end = int(first.idx), int(last.idx + len(last.text))
    return ListItem(offset + start, offset + end, token.doc.text[start:end], token.lemma_.lower(),
                    offset + int(token.idx), token.pos_ == "PROPN")


def _governor(token: Token) -> str:
    """Lemma of the verb the list is the subject or object of, through prepositions and
    appositions ("the loss of A, B and C was reported" -> report), or "" when none."""
    current = token
    for _ in range(6):
        if current.dep_ not in _PHRASE or current.head is current:
            break
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return str(current.lemma_.lower())
    return ""
