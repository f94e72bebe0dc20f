"""Spans of a parsed question or sentence that follow-up resolution works with: the question
word's phrase, noun phrases, adverbials, a reporting verb's subject, country mentions; how alike two
phrases are; and a statement turned into a question ("Why did the court reject ...?").

Pure functions of spaCy parses; nothing here knows about conversations (see `followup`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..language.lexicon import country_of, reporting_verbs, word_class
from .references import WH

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

TEMPORAL = frozenset({"after", "before", "during", "since", "until", "till", "when", "while", "by", "in"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def wh_phrase(doc: Doc) -> Span | None:
    """The question word with the words before the verb: "In which city", "How many tractors",
    "Who"."""
    wh = next((t for t in doc if t.lower_ in WH), None)
    if wh is None:
        return None
    start = wh.i - 1 if wh.i > 0 and doc[wh.i - 1].pos_ == "ADP" else wh.i
    end = next((t.i for t in doc[wh.i + 1:] if t.pos_ in ("AUX", "VERB")), len(doc))
    return doc[start:max(end, wh.i + 1)]


def ask_about(wh: str, sentence: Doc) -> str:
    """The sentence turned into a question with `wh` in front ("Why did the court reject ...?"),
    or "" when its main clause has no subject."""
    root = next((t for t in sentence if t.dep_ == "ROOT"), None)
    if root is None:
        return ""
    if root.lemma_.lower() in reporting_verbs():  # "X said (that) the court rejected ..."
        root = next((c for c in root.children if c.dep_ == "ccomp"), root)
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ == "PRON":
        return ""
    ids = sorted(t.i for t in subject.subtree)
    who = sentence[ids[0]:ids[-1] + 1].text
    if sentence[ids[0]].pos_ == "DET":
        who = who[:1].lower() + who[1:]
    aux = sorted((c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i), key=lambda t: t.i)
    clause_end = max(t.i for t in root.subtree) + 1
    stop = next((t.i for t in sentence[root.i + 1:clause_end] if t.text in (",", ";", "--", "\u2014")
                 and t.i - root.i > 3), clause_end)
    tail = sentence[root.i + 1:stop].text.rstrip(" .")
    if aux:
        middle = " ".join(t.text for t in aux[1:])
        words = [aux[0].lower_, who, middle, root.text, tail]
    elif root.lemma_ == "be":
        words = [root.lower_, who, tail]
    else:
        support = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(root.tag_)
        if support is None:
            return ""
        words = [support, who, root.lemma_, tail]
    return sentence_case(" ".join([wh, *(w for w in words if w)])) + "?"


def likeness(fragment: Span, candidate: Span) -> float:
    f_prep, c_prep = leads_with_preposition(fragment), leads_with_preposition(candidate)
    score = 1.0 if f_prep == c_prep else 0.0
    f_labels = {t.ent_type_ for t in fragment if t.ent_type_}
    c_labels = {t.ent_type_ for t in candidate if t.ent_type_}
    if f_labels & c_labels or (f_labels & PLACE_LABELS and c_labels & PLACE_LABELS):
        score += 2
    if temporal(fragment) and temporal(candidate):
        score += 2
    elif temporal(fragment) != temporal(candidate):
        score -= 1
    if {t.lemma_.lower() for t in fragment if t.pos_ == "NOUN"} & {t.lemma_.lower() for t in candidate
                                                                    if t.pos_ == "NOUN"}:
        score += 2
    if any(t.pos_ == "PROPN" for t in fragment) and any(t.pos_ == "PROPN" for t in candidate):
        score += 1
    if not f_prep and candidate.root.dep_ in ("nsubj", "nsubjpass"):
        score += 0.5
    return score


def leads_with_preposition(span: Span) -> bool:
    return span[0].pos_ in ("ADP", "SCONJ") or span[0].dep_ in ("prep", "mark", "advmod") and span[0].lower_ in TEMPORAL


def temporal(span: Span) -> bool:
    return any(t.ent_type_ in ("DATE", "TIME") or t.lemma_.lower() in word_class("time_nouns") for t in span) \
        or (span[0].lower_ in TEMPORAL and span[0].lower_ != "in")


def noun_phrases(span: Span, skip: Span | None) -> list[Span]:
    """Noun phrases with their "of" attachments ("the mayor of X"), outside the question phrase."""
    doc = span.doc
    found = []
    for chunk in doc.noun_chunks:
        if skip is not None and chunk.start < skip.end and skip.start < chunk.end:
            continue
        if chunk.root.pos_ == "PRON" or chunk.root.lower_ in WH:
            continue
        end = chunk.end
        for child in chunk.root.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                end = max(end, max(t.i for t in child.subtree) + 1)
        found.append(doc[chunk.start:end])
    return found


def counted(fragment: Span, skip: Span | None) -> list[Span]:
    """The noun a "how many/much" question phrase counts ("How many operations" -> operations),
    as a part a fragment may stand in for: only a bare plural noun that says no time ("And
    outpatient appointments?", not "And the police?" nor "What about weekends?")."""
    if skip is None or len(skip) < 3 or skip[0].lower_ != "how" or skip[1].lower_ not in ("many", "much"):
        return []
    head = fragment.root if fragment.root.pos_ != "ADP" else next(iter(fragment.root.children), fragment.root)
    bare = head.tag_ == "NNS" and not any(t.dep_ in ("det", "poss") for t in head.children)
    return [skip[2:]] if bare and not temporal(fragment) else []


def adverbials(doc: Doc, skip: Span | None) -> list[Span]:
    """Prepositional phrases and adverbial clauses on the verbs ("during the storm", "when the
    emergency was declared")."""
    found = []
    for token in doc:
        if skip is not None and skip.start <= token.i < skip.end:
            continue
        if (token.dep_ == "prep" and token.head.pos_ in ("VERB", "AUX")) or (
                token.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") for c in token.children)):
            ids = sorted(t.i for t in token.subtree)
            found.append(doc[ids[0]:ids[-1] + 1])
    return found


def speaker(previous: Doc) -> str:
    """The subject of a reporting verb in the previous question ("the mayor of X")."""
    for token in previous:
        if token.lemma_.lower() in reporting_verbs():
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.pos_ != "PRON" and not any(t.lower_ in WH for t in subject.subtree):
                ids = sorted(t.i for t in subject.subtree)
                return previous[ids[0]:ids[-1] + 1].text
    return ""


# a word, or an abbreviation with its dots ("U.K.", "U.S.") as one word
WORD = re.compile(r"(?:[A-Z]\.){2,}|[\w'\u2019-]+")


def places(text: str) -> list[int]:
    """Where country names and demonyms start in `text`, longest form first ("New Zealand")."""
    found = []
    tokens = list(WORD.finditer(text))
    i = 0
    while i < len(tokens):
        for n in (3, 2, 1):
            if i + n <= len(tokens) and country_of(text[tokens[i].start():tokens[i + n - 1].end()]) is not None:
                found.append(tokens[i].start())
                i += n
                break
        else:
            i += 1
    return found


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
