"""Who says what in one parsed sentence (`attributions`): the subject of a reporting verb (also
one the tagger took for a noun but that has a subject), the agent of a passive one ("as stated
by X"), "according to X", what follows "X added:" or a colon after the verb's object ("X stated
a plain fact: ..."), a quotation under any verb of a named person,
or a quotation alone (its speaker resolved across sentences by `speech`). A reporting verb inside
quotation marks is part of someone's words, not an attribution. Also the speakers the name
recogniser missed (`unlabelled_speakers`) and the token offsets the analysis shares (`left`,
`right`). It reads only the parse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .analysis import Attribution
from .lexicon import reporting_verbs
from .speech import PERSONAL as _PERSONAL
from .speech import QUOTES as _QUOTES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "prep", "parataxis", "advcl", "dative", "attr", "oprd"}
DESCRIBING = ("NOUN", "PROPN", "ADJ")  # the parts of speech of words that describe a name
MAX_DESCRIPTORS = 8


def left(token: Token) -> int:
    """Where the token's subtree starts, without leading punctuation (opening quotation marks
    kept): a clause after a comma starts at its first word."""
    left = token.left_edge
    while left.i < token.i and left.is_punct and left.text not in _QUOTES:
        left = left.nbor(1)
    return int(left.idx)


def right(token: Token) -> int:
    """Where the token's subtree ends, without trailing punctuation (closing quotation marks kept)
    or a conjunction the parse left dangling there ("after the contract was signed and")."""
    right = token.right_edge
    while right.i > token.i and ((right.is_punct and right.text not in _QUOTES) or right.dep_ == "cc"):
        right = right.nbor(-1)
    return int(right.idx + len(right.text))


def attributions(doc: Doc, offset: int, quoted: set[int]) -> list[Attribution]:
    """Who the sentence reports as saying what. A reporting verb inside quotation marks is part of
    someone's words ("... nobody who could tell it how wrong they were going"), not the report's."""
    verbs = reporting_verbs()
    found: list[Attribution] = []
    for token in doc:
        if token.i in quoted:  # `quoted`: the tokens inside quotation marks (`speech.quoted_tokens`)
            continue
        if _verbal(token) and token.lemma_.lower() in verbs and (agent := _agent(token)) is not None:
            span = _reported_by_agent(token)
            if span is not None:
                found.append(Attribution(_speaker_text(agent), token.lemma_.lower(), offset + span[0],
                                         offset + span[1], _phrase_lemmas(agent)))
        elif _verbal(token) and token.lemma_.lower() in verbs:
            speaker = subject_of(token)
            if speaker is None:
                continue
            content = [c for c in token.children if c.dep_ in _CONTENT_DEPS and not _inside(c, speaker)]
            clausal = any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in content)
            span = (min(left(c) for c in content), max(right(c) for c in content)) if content else None
            if span is None and (after := _after_colon(doc, token.i + 1)) is not None:
                span, clausal = after, True  # "He added: Regardless of ...": the parse starts a new root
            elif span is not None and (after := _after_colon(doc, _next_token(doc, span[1]))) is not None:
                # "X stated a plain fact: any ship sent would be seized": what the colon opens is
                # what the verb's object announced (the parse hangs it elsewhere)
                span, clausal = (span[0], after[1]), True
            quote = _quoted(doc)
            if quote is not None and (span is None or (span[0] < quote[1] and quote[0] < span[1])):
                span, clausal = (quote if span is None else (min(span[0], quote[0]), max(span[1], quote[1]))), True
            # "The dance underscores the nature of ..." reports nobody: a speaker that is not a
            # name or a pronoun must at least say a clause or a quotation.
            if span is None or not (clausal or speaker.ent_type_ or speaker.pos_ in ("PRON", "PROPN")):
                continue
            found.append(Attribution(_speaker_text(speaker), token.lemma_.lower(), offset + span[0], offset + span[1],
                                     _phrase_lemmas(speaker)))
        elif token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            to = next(c for c in token.children if c.lower_ == "to")
            objects = [c for c in to.children if c.dep_ == "pobj"]
            if not objects:
                continue
            phrase = (token.left_edge.i, max(_right_i(o) for o in objects))
            rest = [t for t in doc if not (phrase[0] <= t.i <= phrase[1]) and not t.is_punct]
            if rest:
                found.append(Attribution(_speaker_text(objects[0]), "according to",
                                         offset + int(rest[0].idx), offset + int(rest[-1].idx + len(rest[-1].text))))
    if not found:
        found = _quoting_verbs(doc, offset, quoted)
    if not found:
        span = _quoted(doc)
        if span is not None and span[1] - span[0] >= 0.6 * len(doc.text):
            found.append(Attribution("", "quote", offset + span[0], offset + span[1]))  # speaker: resolved later
    return found


def unlabelled_speakers(doc: Doc, quoted: set[int]) -> list[Span]:
    """Speakers the recogniser missed, as PERSON spans: the subject of a reporting verb that is a
    proper noun with no entity label, with the proper nouns before it in its phrase ("Dame Ada
    Brun, who chairs the committee, called ..."). Not inside quotation marks, and not an acronym
    ("ACME said ...": a body more often than a person)."""
    from spacy.tokens import Span

    verbs = reporting_verbs()
    found: dict[int, Span] = {}
    for token in doc:
        if token.i in quoted or not (_verbal(token) and token.lemma_.lower() in verbs):
            continue
        subject = subject_of(token)
        if subject is None or subject.pos_ != "PROPN" or subject.ent_type_ or subject.i in found \
                or subject.is_upper:
            continue
        first = subject.i
        while first > subject.left_edge.i and doc[first - 1].pos_ == "PROPN" and not doc[first - 1].ent_type_:
            first -= 1
        found[subject.i] = Span(doc, first, subject.i + 1, label="PERSON")
    return list(found.values())


def _verbal(token: Token) -> bool:
    """Whether a word is used as a verb: tagged one, or a word tagged a noun that has a subject
    ("The hackers claim to have ...", where the tagger took "claim" for the noun)."""
    return token.pos_ in ("VERB", "AUX") or (
        token.pos_ == "NOUN" and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children))


def _after_colon(doc: Doc, i: int) -> tuple[int, int] | None:
    """What follows a colon at token `i` ("said:", "a warning:") to the end of the sentence (its
    closing punctuation left out), or None when token `i` is no colon."""
    if i + 1 >= len(doc) or doc[i].text != ":":
        return None
    words = [t for t in doc[i + 1:] if not t.is_punct or t.text in _QUOTES]
    return (int(words[0].idx), int(words[-1].idx + len(words[-1].text))) if words else None


def _next_token(doc: Doc, end: int) -> int:
    """The index of the first token at or after character `end` (len(doc) when none)."""
    return next((t.i for t in doc if t.idx >= end), len(doc))


def _agent(verb: Token) -> Token | None:
    """Who does a passive verb: "announced by the minister", "as stated by the mayor" -> the noun after "by"."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _reported_by_agent(verb: Token) -> tuple[int, int] | None:
    """What a passive reporting verb reports: its subject ("The new timetable was announced by
    ..."), or the clause it qualifies ("The city will appeal, as stated by the mayor")."""
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is not None:
        return left(subject), right(subject)
    if verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):
        own = range(verb.left_edge.i, verb.right_edge.i + 1)
        rest = [t for t in verb.head.subtree if t.i not in own and not t.is_punct]
        if rest:
            return int(rest[0].idx), int(rest[-1].idx + len(rest[-1].text))
    return None


def _quoting_verbs(doc: Doc, offset: int, quoted: set[int]) -> list[Attribution]:
    """A person's words in quotation marks under a verb that is not a reporting verb: "X called
    the ruling 'a mistake'", "she branded the offer 'an insult'". The first verb whose own clause
    holds the quotation and whose subject names a person or is a personal pronoun; none else."""
    quote = _quoted(doc)
    if quote is None:
        return []
    for token in doc:
        if token.pos_ != "VERB" or token.i in quoted:
            continue
        speaker = subject_of(token)
        if speaker is None or not (speaker.lower_ in _PERSONAL or speaker.pos_ == "PROPN"
                                   or any(t.ent_type_ == "PERSON" for t in speaker.subtree)):
            continue
        content = [c for c in token.children if c.dep_ in _CONTENT_DEPS and not _inside(c, speaker)]
        if not content:
            continue
        span = (min(left(c) for c in content), max(right(c) for c in content))
        if span[0] <= quote[0] + 1 and quote[1] - 1 <= span[1]:
            return [Attribution(_speaker_text(speaker), token.lemma_.lower(), offset + min(span[0], quote[0]),
                                offset + max(span[1], quote[1]), _phrase_lemmas(speaker))]
    return []


def _right_i(token: Token) -> int:
    return int(token.right_edge.i)


def _phrase_lemmas(token: Token) -> tuple[str, ...]:
    """Describing lemmas of a subject phrase ("the utility's chief executive" -> utility, chief, executive)."""
    lemmas = [t.lemma_.lower() for t in token.subtree if t.pos_ in DESCRIBING and t.is_alpha and not t.is_stop
              and t.ent_type_ != "PERSON"]
    return tuple(dict.fromkeys(lemmas))[:MAX_DESCRIPTORS]


def subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("it", "this", "that"):
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head  # "Ortiz, who stressed ..." -> Ortiz
            return child
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        return subject_of(verb.head)
    return None


def _inside(token: Token, other: Token) -> bool:
    return other.left_edge.i <= token.i <= other.right_edge.i


def _speaker_text(token: Token) -> str:
    """A person entity within the subject phrase when there is one, else the phrase's core."""
    doc = token.doc
    subtree = range(token.left_edge.i, token.right_edge.i + 1)
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.start in subtree]
    if people:
        return str(people[-1].text)
    if token.pos_ == "PRON":
        return token.lower_
    tokens = [t for t in token.subtree if t.dep_ in ("compound", "amod", "det", "poss", "case") or t.i == token.i]
    tokens = [t for t in tokens if t.i <= token.i]
    return " ".join(t.text for t in tokens if not t.is_punct)


def _quoted(doc: Doc) -> tuple[int, int] | None:
    """The span from the first opening to the last closing quotation mark, marks included."""
    text = doc.text
    first = min((i for i in (text.find("\u201c"), text.find('"')) if i >= 0), default=-1)
    last = max(text.rfind("\u201d"), text.rfind('"'))
    if first < 0 or last <= first:
        return None
    return first, last + 1
