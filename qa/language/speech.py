"""Who speaks across the sentences of a document: pronoun speakers, unattributed quotations,
and speech that runs on past its reporting sentence without quotation marks.

"He said ..." is the person the text is about: the subject of the sentences before it. A sentence
whose subject is "he" or "she" keeps the person it refers to, even when it names another one
later ("He regretted that Putin ..."), and so does one whose subject is "I" or "we" (the words
of the person the text is about: "We will not tell Mr. Putin's Russia"); a sentence whose subject
is a named person makes that person the one "he" refers to next; otherwise the last person named
does (`resolve_speakers`).

A report written in the third person does not say "we" or "our" in its own voice: a sentence in
the first person is someone's words. Translated and wire copy often quotes a speaker at length
after "he said:" with no quotation marks ("Regarding the guarantees, he said: We must not
disclose their structure. The first pillar is our army. (...) We have found that production is
insufficient."). A sentence with a first-person pronoun outside quotation marks, that reports no
one of its own, right after a sentence (in the same paragraph) whose reported words run to its
end, continues those words: it is attributed to the same speaker, and the next such sentence
continues it in turn. The first-person test is the parse's morphology (`Person=1`), not a word
list. It reads only the parse and the analyses; it knows no names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .analysis import SentenceAnalysis

PRONOUN_SUBJECT = "he/she"  # a sentence subject that refers back to a person (see `resolve_speakers`)
PERSONAL = {"he", "she", "him", "her"}  # pronouns a speaker is named by

if TYPE_CHECKING:
    from spacy.tokens import Doc

QUOTES = "\"\u201c\u201d"  # quotation marks, straight and curly
RUNS_TO_END = 3  # characters of closing punctuation the reported words may stop short of the sentence's end by


def continue_speech(text: str, docs: Sequence[Doc], sentences: Sequence[SentenceAnalysis]) -> list[SentenceAnalysis]:
    """`sentences` (one per doc, in document order) with first-person sentences that continue the
    reported words of the sentence before them attributed to its speaker."""
    out = list(sentences)
    for i in range(1, len(out)):
        before, current = out[i - 1], out[i]
        if current.attributions or not before.attributions or "\n" in text[before.end:current.start]:
            continue
        said = before.attributions[-1]
        if not said.speaker or before.end - said.end > RUNS_TO_END or not first_person(docs[i]):
            continue
        out[i] = replace(current, attributions=(replace(said, start=current.body_start, end=current.end),))
    return out


def first_person(doc: Doc) -> bool:
    """Whether the text says "I", "we", "my", "our" ... in its own voice: a first-person pronoun
    outside quotation marks."""
    quoted = quoted_tokens(doc)
    return any(t.i not in quoted and t.pos_ == "PRON" and "1" in t.morph.get("Person", []) for t in doc)


def quoted_tokens(doc: Doc) -> set[int]:
    """The indices of the tokens inside quotation marks (the marks left out). A curly mark says
    whether it opens or closes; a straight one opens after a space or at the start and closes
    otherwise. A sentence whose first mark closes began inside a quotation (one of several
    sentences, split apart: "... underground," she told reporters)."""
    inside: set[int] = set()
    quoted = False
    first = True
    for token in doc:
        if token.text not in QUOTES:
            if quoted:
                inside.add(token.i)
            continue
        opening = token.text == "\u201c" or (
            token.text == '"' and (token.i == 0 or bool(doc[token.i - 1].whitespace_)))
        if first and not opening:
            inside.update(range(token.i))
        first, quoted = False, opening
    return inside


def resolve_speakers(sentences: Sequence[SentenceAnalysis], subjects: Sequence[str] = ()) -> list[SentenceAnalysis]:
    """Replace "he"/"she" speakers and unattributed quotations with the person last named before
    them in the same document (the sentence's own earlier names first), and give every speaker
    the descriptions the document gives that name anywhere ("the mayor", "the utility's head"),
    the words of a phrase that names them as a speaker included.
    `subjects` (one per sentence, when given): the person who is its subject, `PRONOUN_SUBJECT`,
    or "" (see the module's doc)."""
    described: dict[str, set[str]] = {}
    for s in sentences:
        named = {e.text for e in s.entities if e.label == "PERSON"}
        for e in s.entities:
            if e.descriptors:
                described.setdefault(_surname(e.text), set()).update(e.descriptors)
        for a in s.attributions:  # "The report, signed by the region's auditor-general, X, concludes"
            if a.speaker in named and a.roles:
                described.setdefault(_surname(a.speaker), set()).update(a.roles)
    out: list[SentenceAnalysis] = []
    last_person = ""
    last_speaker = ""
    for i, s in enumerate(sentences):
        attributions = []
        for a in s.attributions:
            earlier = [e.text for e in s.entities if e.label == "PERSON" and e.end <= a.start]
            if a.speaker in PERSONAL:
                a = replace(a, speaker=(earlier[-1] if earlier else last_person) or a.speaker)
            elif a.verb == "quote" and not a.speaker:
                a = replace(a, speaker=last_speaker)
            if a.speaker:
                roles = described.get(_surname(a.speaker), set()) | set(a.roles)
                attributions.append(replace(a, roles=tuple(sorted(roles))))
        for a in attributions:
            last_speaker = a.speaker
        subject = subjects[i] if i < len(subjects) else ""
        people = [e.text for e in s.entities if e.label == "PERSON"]
        if subject == PRONOUN_SUBJECT and last_person:
            pass  # "He regretted that Putin ...": still the same person
        elif subject and subject != PRONOUN_SUBJECT:
            last_person = subject
        elif people:
            last_person = people[-1]
        elif attributions and attributions[-1].speaker and attributions[-1].speaker[0].isupper():
            last_person = attributions[-1].speaker
        out.append(replace(s, attributions=tuple(attributions)))
    return out


def _surname(name: str) -> str:
    parts = name.replace("\u2019s", "").replace("'s", "").split()
    return parts[-1].lower() if parts else ""
