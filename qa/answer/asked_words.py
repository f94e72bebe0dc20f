"""Whose words a question asks for, and about what: "What did X say/stress/warn about Y?", "How
did X react to Y?", "What was X's reaction to Y?", "According to X, what ...?".

Part of question analysis (see `question`); it reads only the question's parse.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..language.lexicon import country_of, reporting_verbs

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

WH = {"who", "whom", "whose", "what", "which", "when", "where", "why", "how"}
# "how did X react", "what did X think of Y" ask for X's words
_SAY_LIKE = {"react", "respond", "reply", "describe", "call", "think", "feel", "view", "regard"}
_SAY_NOUNS = {"reaction", "response", "reply", "comment", "answer", "verdict"}  # "what was X's reaction"


def asks_words(span: Span) -> tuple[str, str, str, tuple[str, ...]] | None:
    """"What did X say/stress/warn about Y?", "How did X react to Y?": X's words about Y."""
    found = _said_by(span)
    if found is None:
        return None
    verb, subject = found
    about, own = _about(span, verb, subject)
    # "the chief nurse": the adjective stays, so that "a senior nurse" is not taken for her by name
    speaker = " ".join(t.text for t in _inside(span, subject.subtree)
                       if t.pos_ in ("PROPN", "NOUN") or country_of(t.text) is not None
                       or (t.pos_ == "ADJ" and t.dep_ == "amod" and not t.is_stop)) or subject.text
    speaker = speaker.removesuffix(" 's")
    topic = tuple(t.lemma_.lower() for t in about
                  if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop and t.lower_ not in WH)
    return "quote", "", speaker, topic


def _about(span: Span, verb: Token, subject: Token) -> tuple[list[Token], set[int]]:
    """The words the asked-for words should be about, and the subject's tokens."""
    own = {t.i for t in subject.subtree}
    # "According to X, what ...?": the topic is the rest of the question
    if according(verb):
        return [t for t in span if t.i not in {t.i for t in verb.subtree}], own
    return [t for t in _inside(span, verb.subtree) if t.i > verb.i and t.i not in own], own


def topic_head(span: Span) -> str:
    """The lemma of the noun the asked-for words should be about, the object of the question's
    verb or of its preposition ("the court's decision" -> decision, not court); "" when none."""
    found = _said_by(span)
    if found is None:
        return ""
    about, _ = _about(span, *found)
    head = next((t for t in about if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("pobj", "dobj")
                 and not t.is_stop), None)
    return head.lemma_.lower() if head is not None else ""


def _inside(span: Span, tokens: Iterable[Token]) -> list[Token]:
    """The tokens that stand in `span`: a part of a compound question is parsed with the whole, and
    a subtree may reach into the next part ("What did X order, and has Y found ...?")."""
    return [t for t in tokens if span.start <= t.i < span.end]


def _said_by(span: Span) -> tuple[Token, Token] | None:
    """The question's reporting verb and its subject, when the question asks for that subject's
    words; None otherwise."""
    verbs = reporting_verbs() | _SAY_LIKE
    for token in span:
        # the question's main verb (spaCy sometimes tags "stress" in "what did X stress" a noun)
        # ("ask for", "call for" ask for a demand, not for words)
        if token.lemma_.lower() in verbs and token.dep_ in ("ROOT", "conj") and (
                token.pos_ in ("VERB", "AUX") or any(c.lemma_ == "do" for c in token.children)) \
                and not any(c.dep_ in ("prep", "prt") and c.lower_ == "for" for c in token.children):
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:  # "What did the harbour master stress": the words between did and the verb
                aux = next((c for c in token.children if c.lemma_ == "do" and c.i < token.i), None)
                between = [t for t in span if aux is not None and aux.i < t.i < token.i
                           and t.pos_ in ("NOUN", "PROPN")]
                subject = between[-1] if between else None
            # the question word asks for the verb's own object or manner: "what did X say",
            # "how did X react", "what did X say Y must do" (what is then inside its clause)
            wh = [c for c in token.subtree
                  if c.lower_ in ("what", "how") and token.i in (c.head.i, c.head.head.i)]
            if subject is None or not wh or subject.lower_ in WH:
                continue
            return token, subject
    return _said_in_noun(span) or _according_to(span)


def according(token: Token) -> bool:
    """Whether the token is the "according" of "according to X"."""
    return token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)


def _according_to(span: Span) -> tuple[Token, Token] | None:
    """"According to X, what ...?" asks what X says, when X is a name (a person, a body): the
    "according" and X. Not "according to the report", which points at an article."""
    for token in span:
        if not according(token):
            continue
        to = next(c for c in token.children if c.lower_ == "to")
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is not None and (source.pos_ == "PROPN" or source.ent_type_ in ("PERSON", "ORG", "NORP")):
            return token, source
    return None


def _said_in_noun(span: Span) -> tuple[Token, Token] | None:
    """"What was X's reaction to Y?", "What was the response of X to Y?": the speech noun the
    question asks about (the subject of "be" beside "what") and whose it is."""
    for token in span:
        if token.lemma_.lower() not in _SAY_NOUNS or token.pos_ != "NOUN" or token.head.lemma_ != "be" \
                or not any(c.lower_ == "what" for c in token.head.children):
            continue
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is None:
            of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if owner is not None and owner.pos_ in ("PROPN", "NOUN"):
            return token, owner
    return None


def words_of_speaker(span: Span) -> tuple[str, ...]:
    """Lemmas of the subject of the question's reporting verb, its head first: "the mayor of
    Portvale" -> ("mayor", "portvale")."""
    found = _said_by(span)
    if found is None:
        return ()
    subject = found[1]
    rest = [t.lemma_.lower() for t in _inside(span, subject.subtree)
            if t.i != subject.i and t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.is_stop and t.is_alpha]
    return tuple(dict.fromkeys([subject.lemma_.lower(), *rest]))
