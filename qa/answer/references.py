"""What in a question points outside it: pronouns ("that" standing alone among them), "there",
demonstrative noun phrases ("that number", "those towns"), list references ("the German one",
"the second one", "those two"), and questions that are only a fragment ("And the police?",
"Why?") or lack any content word ("Who abstained?").

Read from spaCy's parse of the question alone; whether and how an earlier turn fills the gap is
`followup`'s job. A pronoun with a compatible noun before it in the same question ("How many
countries said they ...", "the resort ... its water use") points inside and is not a reference;
nor does an "it" that stands for a clause after it ("How long did it take to restore the
system?") or a word in capitals ("the new IT contract").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..language.lexicon import word_class

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

WH = frozenset({"who", "whom", "whose", "what", "which", "when", "where", "why", "how"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
DEMONSTRATIVES = frozenset({"that", "those", "this", "these"})
ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "former": 0,
            "latter": -1, "last": -1}
OPENERS = ("and what about", "and how about", "what about", "how about", "and", "so", "but", "also", "then")
_THING_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
_NOT_PERSON = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"})


@dataclass(frozen=True)
class Reference:
    """A stretch of the question that needs an antecedent from an earlier turn."""

    start: int  # token offsets in the question's Doc
    end: int
    kind: str  # "person", "thing", "plural", "place", "phrase" (demonstrative + noun), "item"
    head: str = ""  # phrase: lemma of the noun ("number"); item: the selector ("German", "second");
    # plural: how many, when said ("two" in "those two"); thing: "that"/"this" for a demonstrative
    plural: bool = False
    possessive: bool = False  # "his", "its", "their": the antecedent takes "'s"


def body(doc: Span) -> Span:
    """The question without a conversational opener ("And ...", "What about ...")."""
    lowered = doc.text.lower()
    for opener in OPENERS:
        if lowered.startswith(opener + " ") or lowered.startswith(opener + ","):
            skip = len(opener.split())
            rest = doc[skip:]
            while len(rest) and rest[0].is_punct:
                rest = rest[1:]
            if len(rest):
                return rest
    return doc


def opened_with_about(doc: Span) -> bool:
    return any(doc.text.lower().startswith(o) for o in ("what about", "how about", "and what about", "and how about"))


def asks_anew(span: Span) -> bool:
    """A fragment with its own question word: "On what day of the week?", "Why?", "Since when?"."""
    return any(t.lower_ in WH for t in span[:3])


def is_fragment(span: Span) -> bool:
    """No verb at all: "And the police?", "On what day of the week?", "Why?"."""
    return not any(t.pos_ in ("VERB", "AUX") for t in span)


def lacks_content(span: Span) -> bool:
    """A full question with no noun, name or number of its own: "Who abstained?", "Who else joined?"."""
    return not any(t.pos_ in ("NOUN", "PROPN", "NUM") and t.lower_ not in WH for t in span) \
        and not any(t.pos_ == "PRON" and t.lower_ not in WH and t.lower_ != "else" for t in span)


def references(span: Span) -> list[Reference]:
    """Every reference in the question, left to right."""
    found: list[Reference] = []
    taken: set[int] = set()
    for token in span:
        if token.i in taken:
            continue
        ref = _item(token, span) or _demonstrative(token, span) or _pronoun(token, span)
        if ref is not None:
            found.append(ref)
            taken.update(range(ref.start, ref.end))
    return found


def _pronoun(token: Token, span: Span) -> Reference | None:
    word = token.lower_
    if _acronym(token, span) or _extraposed(token):
        return None
    possessive = token.dep_ == "poss" or token.tag_ == "PRP$"
    if word == "there" and token.dep_ != "expl" and token.head.lemma_ != "be":
        return Reference(token.i, token.i + 1, "place")
    if word in PERSON_PRONOUNS:
        kind = "person"
    elif word in THING_PRONOUNS:
        kind = "thing"
    elif word in ("that", "this") and token.tag_ == "DT" and token.pos_ == "PRON" \
            and token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
        # "How much of that went on ...?", "Who disputed that?" (not "the firm that", "said that")
        return Reference(token.i, token.i + 1, "thing", head=word)
    elif word in PLURAL_PRONOUNS:
        kind = "plural"
    else:
        return None
    if _antecedent_inside(token, span, kind):
        return None
    return Reference(token.i, token.i + 1, kind, plural=kind == "plural", possessive=possessive)


def _acronym(token: Token, span: Span) -> bool:
    """A word in capitals in a question that is not all capitals: "the new IT contract"."""
    return len(token.text) > 1 and token.text.isupper() and not span.text.isupper()


def _extraposed(token: Token) -> bool:
    """"it" standing for a clause after its verb, not for a thing: "How long did it take to
    restore the system?", "Is it true that the mayor resigned?" (the clause's verb has an object
    of its own, or the clause opens with "that"; in "How much did it cost to build?" "it" is
    what was built)."""
    verb = token.head
    if token.lower_ != "it" or token.dep_ not in ("nsubj", "expl") or verb.lemma_.lower() not in \
            word_class("extraposing_verbs"):
        return False
    return any(c.i > token.i and c.dep_ in ("xcomp", "advcl", "ccomp", "csubj") and any(
        g.dep_ in ("dobj", "mark") and (g.dep_ == "dobj" or g.lower_ in ("that", "whether", "if"))
        for g in c.children) for c in verb.children)


def _antecedent_inside(pronoun: Token, span: Span, kind: str) -> bool:
    """Whether a noun before the pronoun in the same question could be what it stands for. The
    other arguments of the pronoun's own clause cannot ("What did the chairman say about it?",
    "What species will they be?"), nor the subject of a clause that lends it its own ("How many
    trees will be planted to replace them?"), unless the pronoun is a possessive ("the resort ...
    its water use")."""
    bound = set() if pronoun.dep_ == "poss" or pronoun.tag_ == "PRP$" else _own_clause(pronoun)
    for token in span:
        if token.i >= pronoun.i:
            return False
        if token.pos_ not in ("NOUN", "PROPN") or token.lower_ in WH or token.i in bound:
            continue
        label = token.ent_type_
        if kind == "person" and label not in _NOT_PERSON and token.tag_ not in ("NNS", "NNPS"):
            return True
        if kind == "thing" and token.tag_ not in ("NNS", "NNPS") and (
                label in _THING_LABELS or (token.pos_ == "NOUN" and not label)):
            return True  # a name with no label is more often a person's than a thing's
        if kind == "plural" and (token.tag_ in ("NNS", "NNPS") or label in ("ORG", "NORP", "GPE")):
            return True
    return False


_SUBJECTS = ("nsubj", "nsubjpass")
_OBJECTS = ("dobj", "attr", "dative")


def _own_clause(token: Token) -> set[int]:
    """The tokens of the token's verb's subject, the noun phrases (up to their head) of its other
    arguments, and of the subject that controls a verb without one of its own ("to be planted to
    replace them": the subject of "are")."""
    verb = token.head
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT" and verb.head.i != verb.i:
        verb = verb.head
    bound = {t.i for c in verb.children if c.dep_ in _SUBJECTS for t in c.subtree}
    bound |= {t.i for c in verb.children if c.dep_ in _OBJECTS and c.i != token.i for t in c.subtree if t.i <= c.i}
    while not any(c.dep_ in _SUBJECTS for c in verb.children) and verb.dep_ in ("xcomp", "advcl") \
            and verb.head.i != verb.i:
        verb = verb.head
        bound |= {t.i for c in verb.children if c.dep_ in _SUBJECTS for t in c.subtree if t.i <= c.i}
    return bound


def _demonstrative(token: Token, span: Span) -> Reference | None:
    """"that number", "those commitments", "those two"; not "this year" (a time of its own)."""
    if token.lower_ not in DEMONSTRATIVES or token.i + 1 >= span.end:
        return None
    head = token.head
    if token.dep_ == "det" and head.pos_ in ("NOUN", "PROPN") and head.i > token.i:
        if head.lemma_.lower() in word_class("time_nouns") or head.ent_type_ in ("DATE", "TIME"):
            return None
        return Reference(token.i, head.i + 1, "phrase", head.lemma_.lower(), plural=head.tag_ in ("NNS", "NNPS"))
    nxt = token.nbor(1)
    if token.lower_ in ("those", "these") and nxt.like_num:  # "those two"
        return Reference(token.i, nxt.i + 1, "plural", nxt.lower_, plural=True)
    return None


def _item(token: Token, span: Span) -> Reference | None:
    """"the German one", "the second one", "the latter": one item of the last answer's list."""
    if token.lower_ != "the" or token.i + 1 >= span.end:
        return None
    nxt = token.nbor(1)
    if nxt.lower_ in ORDINALS and (nxt.i + 1 >= span.end or not span.doc[nxt.i + 1].pos_ == "NOUN"):
        end = nxt.i + 2 if nxt.i + 1 < span.end and span.doc[nxt.i + 1].lower_ == "one" else nxt.i + 1
        return Reference(token.i, end, "item", nxt.lower_)
    if nxt.i + 1 < span.end and span.doc[nxt.i + 1].lower_ == "one" and nxt.pos_ in ("ADJ", "PROPN", "NOUN"):
        return Reference(token.i, nxt.i + 2, "item", nxt.text)
    return None
