"""Compound questions ("How many ..., and what did ...?"): their parts, and what a later part
takes from the parts before it.

A question splits where "and", "," or ";" is followed by a question word and the piece before
asks a question of its own. Each later part is then read as a follow-up of the part before it,
with the chat's own reference resolution (`followup.resolve`, no answer known yet): "When was the
tram due to open, and when did it actually open?" asks "When did the tram actually open?". On
top of that:

- a bare question word ("Where and when will the summit take place?") asks its question of the
  next part's words: "Where will the summit take place?";
- a "how many/much" that names no noun counts or measures what the part before asks for ("How
  many stops were planned, and how many did the line have?"; "What premium did the union want,
  and how much did the company offer?");
- "he" or "she" asked to speak is whoever the part before asks for or names;
- a later part is searched for with the names of the parts before it that it does not repeat.

It only relates the parts; `question` analyses each one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .asked_words import WH
from .followup import Parse, PriorTurn, resolve

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from .question import Question

PERSONAL = {"he", "she", "him", "her", "his", "hers"}  # pronouns that stand for a person
_JOINS = ("and", ",", ";")


def split(doc: Doc) -> list[Span]:
    """Sentences, and clauses joined by "and"/"," where the next one opens with a question word."""
    pieces: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            nxt = token.nbor(1) if token.i + 1 < sent.end else None
            asked = any(t.lower_ in WH for t in doc[start:token.i])  # the piece before is a question itself
            if token.lower_ in _JOINS and nxt is not None and nxt.lower_ in WH and asked \
                    and not _leans_on_answer(doc[start:token.i], doc[token.i + 1:sent.end]):
                pieces.append(doc[start:token.i])
                start = token.i + 1
        if sent.end > start:
            pieces.append(doc[start:sent.end])
    return [p for p in pieces if any(t.is_alpha for t in p)]


def related(pieces: Sequence[Span], analyse: Callable[[Span], Question], parse: Parse) -> tuple[Question, ...]:
    """The analysed parts of a compound question, each later one with what it takes from those
    before it."""
    parts: list[Question] = []
    for i, piece in enumerate(pieces):
        span = _asked_of_next(piece, pieces[i + 1] if i + 1 < len(pieces) else None, parse)
        if parts and not any(t.lower_ in PERSONAL for t in span):  # "he", "she": see `_pronoun_speakers`
            # parsed on its own, as a question typed alone would be
            rewrite = resolve(parse(span.text), [PriorTurn(parts[-1].text, parts[-1].kind)], parse)
            if rewrite.rewritten:
                parts.append(_as_before(analyse(parse(rewrite.text)[:]), (analyse(span), parts[-1])))
                continue
        parts.append(analyse(span))
    done = _pronoun_speakers(_elided(tuple(parts)))
    return tuple(replace(part, context=(*part.context, *_names_before(part, done[:i])))
                 for i, part in enumerate(done))


def _as_before(part: Question, before: Sequence[Question]) -> Question:
    """A part rewritten with words of the part before it, those words read as they were there:
    the parse may take a common noun in a short question for a name ("When did the tram open?"),
    which the part before it, or the part as written, did not."""
    known = {n for b in before for n in b.names}
    kept = tuple(n for n in part.names if n in known)
    words = tuple(w.lower() for n in part.names if n not in known for w in n.split())
    return replace(part, names=kept, focus=tuple(dict.fromkeys((*part.focus, *words))))


def _asked_of_next(piece: Span, following: Span | None, parse: Parse) -> Span:
    """A piece that is only question words ("Where" of "Where and when will ...?") asks them of
    the next piece's words after its own question word; any other piece is itself."""
    if following is None or any(t.is_alpha and t.lower_ not in WH for t in piece):
        return piece
    wh = next((t for t in following if t.lower_ in WH), None)
    if wh is None:
        return piece
    rest = following[wh.i - following.start + 1:]
    return parse(f"{piece.text.strip(' ,;').capitalize()} {rest.text}")[:]


def _leans_on_answer(before: Span, rest: Span) -> bool:
    """Whether the rest of a question is about the person the part before asks for ("Who led the
    inquiry, and what nationality is she?"): "he" or "she" after a "who", which only that answer
    can stand for. Such a question is answered whole, not as parts."""
    return any(t.lower_ in ("who", "whom") for t in before) and any(t.lower_ in PERSONAL for t in rest)


def _elided(parts: tuple[Question, ...]) -> tuple[Question, ...]:
    """Parts where a later "how many/much" that names no noun counts what the part before it
    counts ("How many stops were planned, and how many did the line have?": stops both times), or
    measures the noun it asks for ("What premium did the union want, and how much did the company
    offer?": a premium), and is searched for with that noun."""
    out = list(parts)
    for i in range(1, len(out)):
        before, part = out[i - 1], out[i]
        if part.kind != "number" or part.unit or not before.unit:
            continue
        if before.kind == "number" and not part.extent:
            out[i] = replace(part, unit=before.unit, context=(before.unit,))
        elif before.kind in ("number", "thing") and part.extent in ("much", "sum"):
            out[i] = replace(part, context=(before.unit,))
    return tuple(out)


def _pronoun_speakers(parts: tuple[Question, ...]) -> tuple[Question, ...]:
    """Parts that ask what "he" or "she" said after a part that asks for someone by a noun
    ("Which senator objected, and what did she say about the vote?"): the speaker is whoever that
    noun describes; after a part that asks for someone's words, that speaker; after a part that
    names one person ("When did Ana Ruiz arrive, and what did she say?"), that person. A pronoun
    alone fits no speaker."""
    out = list(parts)
    for i in range(1, len(out)):
        before, part = out[i - 1], out[i]
        if part.kind != "quote" or part.speaker.lower() not in PERSONAL:
            continue
        if before.unit and before.kind in ("person", "thing", "list"):
            out[i] = replace(part, speaker=before.unit, speaker_words=(before.unit,))
        elif before.kind == "quote" and before.speaker.lower() not in PERSONAL:
            out[i] = replace(part, speaker=before.speaker, speaker_words=before.speaker_words)
        elif len(before.names) == 1:
            name = before.names[0].split()
            out[i] = replace(part, speaker=before.names[0],
                             speaker_words=tuple(w.lower() for w in (name[-1], *name[:-1])))
    return tuple(out)


def _names_before(part: Question, before: Sequence[Question]) -> tuple[str, ...]:
    """The names of the earlier parts of a compound question that `part` does not repeat: who and
    what the parts share, while each asks its own relation of them (their other words would draw
    the earlier part's answer into this one's evidence)."""
    own = {w.lower() for w in part.terms}
    return tuple(dict.fromkeys(n for p in before for n in p.names if n.lower() not in own))
