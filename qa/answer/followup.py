"""Follow-up questions rewritten into questions that stand alone, from the turns before them.

Deterministic and explainable: every change is a span of an earlier turn put in the place of a
reference (`references`), `Rewrite.changes` says which, and a question that needs none of the
rules is returned unchanged, whatever came before. The rules, in order:

1. A fragment without a verb that starts with a question word ("On what day?", "Why?") takes the
   rest of the previous question ("... did they meet in Paris?"), keeping the noun the previous
   question word asked about ("How much ransom did they demand?" + "By when?": "By when did they
   demand the ransom?"), or asks about the previous answer's sentence when that answered its
   subject or object.
2. Any other fragment ("And the police?", "What about after the storm?", "And this year?") replaces
   the part of the previous question it parallels: the same kind of name, a time for a time, a
   phrase with the same head noun, or else the subject; a bare plural ("And outpatient
   appointments?") may stand for what a "how many" counts.
3. References are replaced by their antecedents: a person pronoun by the previous answer's person
   or the previous question's; "it" by what the previous question was about (after "where", not the
   place answered); "that" standing alone by the previous answer, else as "it"; "they" by the
   previous answer's items or a plural noun of the question (a "they" who says or does something by
   whoever was answered, never a figure); "that number" by the previous figure; "the German one" by
   the list item described as German ("U.K." describes the British one); "those two" by two names
   the previous answer joins, when its direct answer is not two; "there" by the place answered ("At
   which hospital ...?") or else the place of the question.
4. A question with no noun of its own ("Who abstained?"), or a fragment whose "why", "when" or
   "where" has a topic of its own ("Why the increase?"), is tied to the previous question's nouns.
5. A "how many" that counts no noun ("And how many did it end up writing to?") counts what the
   previous "how many" counted ("How many patients did ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..language.lexicon import number_value, same_place, word_class
from .phrases import (
    PLACE_LABELS,
    WORD,
    adverbials,
    ask_about,
    counted,
    likeness,
    noun_phrases,
    places,
    sentence_case,
    speaker,
    wh_phrase,
)
from .references import (
    ORDINALS,
    WH,
    Reference,
    asks_anew,
    body,
    is_fragment,
    lacks_content,
    opened_with_about,
    references,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Parse = Callable[[str], "Doc"]
LISTED_LABELS = frozenset({"PERSON", "ORG", "NORP", *PLACE_LABELS})  # names "those two" may stand for


@dataclass(frozen=True)
class PriorTurn:
    """What resolution reads of an earlier turn."""

    standalone: str  # the question as it was answered
    kind: str  # the kind of answer it asked for
    direct: tuple[str, ...] = ()  # the direct answer's items ("Norway", "Chile"), if any
    quotes: tuple[str, ...] = ()  # the cited spans


@dataclass(frozen=True)
class Rewrite:
    text: str  # the question as it will be answered
    changes: tuple[str, ...] = ()  # "he -> Ana Ruiz", ...

    @property
    def rewritten(self) -> bool:
        return bool(self.changes)


def resolve(doc: Doc, prior: Sequence[PriorTurn], parse: Parse) -> Rewrite:
    """The standalone form of the question `doc` (parsed), given the earlier turns, oldest first."""
    if not prior:
        return Rewrite(doc.text)
    done = _resolved(doc, prior, parse)
    return _counted(done, parse(done.text) if done.rewritten else doc, prior[-1].standalone, parse)


def _resolved(doc: Doc, prior: Sequence[PriorTurn], parse: Parse) -> Rewrite:
    unchanged = Rewrite(doc.text)
    span = body(doc[:])
    last = prior[-1]
    if is_fragment(span):
        previous = parse(last.standalone)
        refs = references(span)
        if refs:  # "Why those towns in particular?"
            done = _substituted(span, refs, prior, parse)
            if done is not None:
                return _with_context(done.text, previous, done.changes) or done
        if _own_topic(span):  # "Why the increase?"
            return _with_context(span.text, previous, (), last.direct[:1]) or unchanged
        if asks_anew(span) and not opened_with_about(doc[:]):
            return _wh_fragment(span, previous, last, parse) or unchanged
        return _parallel(span, previous) or unchanged
    refs = references(span)
    if refs:
        return _substituted(span, refs, prior, parse) or unchanged
    if lacks_content(span):
        return _with_context(span.text, parse(last.standalone), ()) or unchanged
    return unchanged


def _with_context(text: str, previous: Doc, changes: tuple[str, ...], answered: Sequence[str] = ()
                  ) -> Rewrite | None:
    """The question tied to the previous question's nouns: "Who abstained, regarding the
    assembly and the drought decree?"; `answered` (the previous direct answer) comes first."""
    nouns = [*answered, *(n.text for n in noun_phrases(previous[:], skip=wh_phrase(previous)))]
    if not nouns:
        return Rewrite(text, changes) if changes else None
    about = " and ".join(nouns[:3])
    return Rewrite(f"{sentence_case(text.rstrip('?. '))}, regarding {about}?", (*changes, f"+ regarding {about}"))


def _own_topic(fragment: Span) -> bool:
    """A "why", "when" or "where" with a noun of its own ("Why the increase?"), not one after a
    preposition, which narrows the question word ("Where in the city?")."""
    wh = next((t for t in fragment if t.lower_ in WH), None)
    return wh is not None and wh.lower_ in ("why", "when", "where") and any(
        t.pos_ in ("NOUN", "PROPN") and not any(a.pos_ == "ADP" for a in t.ancestors)
        for t in fragment if t.i > wh.i)


# -- rule 5: "And how many did it write to?" -------------------------------------------------------

def _counted(done: Rewrite, question: Doc, previous_text: str, parse: Parse) -> Rewrite:
    """`done` with the noun the previous "how many" counted after its own bare "how many"."""
    bare = next((t for t in question[:-1] if _how_many(t) and not _counts(t)
                 and question[t.i + 1].lower_ != "of"), None)  # "how many of them" counts them
    if bare is None:
        return done
    previous = parse(previous_text)
    noun = next((previous[t.i + 1:t.head.i + 1].text for t in previous if _how_many(t) and _counts(t)), "")
    if not noun:
        return done
    text = question[:bare.i + 1].text_with_ws + noun + " " + question[bare.i + 1:].text
    return Rewrite(text, (*done.changes, f"how many -> how many {noun}"))


def _how_many(token: Token) -> bool:
    return token.lower_ == "many" and token.i > 0 and token.doc[token.i - 1].lower_ == "how"


def _counts(many: Token) -> bool:
    """Whether "many" counts a noun of its own ("how many patients")."""
    return many.dep_ == "amod" and many.head.pos_ == "NOUN" and many.head.i > many.i


# -- rule 1: "Why?", "On what day?" ---------------------------------------------------------------

def _wh_fragment(span: Span, previous: Doc, last: PriorTurn, parse: Parse) -> Rewrite | None:
    phrase = wh_phrase(previous)
    asked = span.text.rstrip("?. ")
    if phrase is not None and phrase.end < len(previous):
        verb = previous[phrase.end]
        inverted = verb.pos_ == "AUX" or verb.tag_ == "MD" or (
            verb.lemma_ in ("do", "be", "have") and any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in verb.rights))
        wh = next(t for t in phrase if t.lower_ in WH)
        adverbial = phrase[0].pos_ == "ADP" or wh.lower_ in ("when", "where", "why") or (
            wh.lower_ == "how" and wh.head.pos_ in ("ADJ", "ADV"))
        noun = _asked_noun(phrase)
        if inverted and adverbial:
            # "How much ransom did they demand?" + "By when?": the ransom stays
            kept = _with_noun(previous, phrase, noun) if noun else ""
            return Rewrite(f"{sentence_case(asked)} {kept or previous[phrase.end:].text}",
                           (f"{phrase.text} -> {asked}" + (f", {noun}" if kept else ""),))
        support = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(verb.tag_)
        if noun and support and phrase.root.dep_ == "nsubj" and phrase.root.head.i == verb.i:
            # "Which tram hit the van?" + "At what time?": "At what time did the tram hit the van?"
            rest = previous[verb.i + 1:].text
            return Rewrite(f"{sentence_case(asked)} {support} {noun} {verb.lemma_} {rest}",
                           (f"{phrase.text} -> {asked}, {noun}",))
    for quote in last.quotes[:1]:
        question = ask_about(asked, parse(quote))
        if question:
            return Rewrite(question, (f"{asked} -> about: {quote[:60]}",))
    return Rewrite(f"{sentence_case(asked)}: {last.standalone}", (f"{asked} -> about: {last.standalone}",))


def _asked_noun(phrase: Span) -> str:
    """The noun a question phrase asks about, as a definite phrase ("How much ransom" -> "the
    ransom", "Which tram" -> "the tram"); "" when it has none or names a circumstance ("In which
    city", "At what time")."""
    if phrase[0].pos_ == "ADP" or phrase.root.pos_ != "NOUN" or phrase.root.lower_ in WH:
        return ""
    words = [t.text for t in phrase if t.lower_ not in WH and t.lower_ not in ("much", "many") and t.pos_ != "DET"]
    return "the " + " ".join(words) if words else ""


def _with_noun(previous: Doc, phrase: Span, noun: str) -> str:
    """The rest of the previous question after its question phrase, with the noun that phrase
    asked about put where it belongs: after the auxiliary's subject position for a subject ("How
    many stops were planned?": "were the stops planned"), after the verb for an object ("did the
    hackers demand the ransom from ...")."""
    root = phrase.root
    rest = previous[phrase.end:]
    if root.dep_ in ("nsubj", "nsubjpass"):
        return " ".join([rest[0].text, noun, rest[1:].text]) if len(rest) > 1 else ""
    verb = root.head
    if root.dep_ in ("dobj", "attr") and verb.pos_ in ("VERB", "AUX") and verb.i >= phrase.end:
        before, after = previous[phrase.end:verb.i + 1].text, previous[verb.i + 1:].text
        return f"{before} {noun} {after}".strip() if after.strip(" ?.") else f"{before} {noun}?"
    return ""


# -- rule 2: "And the police?" ----------------------------------------------------------------------

def _parallel(fragment: Span, previous: Doc) -> Rewrite | None:
    """The previous question with the part the fragment parallels replaced by the fragment."""
    skip = wh_phrase(previous)
    candidates = counted(fragment, skip) + noun_phrases(previous[:], skip) + adverbials(previous, skip) + [
        e for e in previous.ents if skip is None or not (e.start < skip.end and skip.start < e.end)]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (likeness(fragment, c), -c.start))
    text = previous[:best.start].text_with_ws + fragment.text.rstrip("?. ") + \
        (" " if previous[best.end - 1].whitespace_ else "") + previous[best.end:].text
    return Rewrite(sentence_case(text.strip()), (f"{best.text} -> {fragment.text.rstrip('?. ')}",))


# -- rule 3: pronouns and demonstratives ----------------------------------------------------------

def _substituted(span: Span, refs: Sequence[Reference], prior: Sequence[PriorTurn], parse: Parse) -> Rewrite | None:
    pieces: list[str] = []
    changes: list[str] = []
    at = span.start
    doc = span.doc
    for ref in refs:
        found = next((a for turn in reversed(prior) if (a := _antecedent(ref, turn, parse, doc))), "")
        original = doc[ref.start:ref.end].text
        if not found and ref.kind == "phrase":  # "those commitments" -> "the commitments"
            found = "the " + doc[ref.start + 1:ref.end].text
        if not found or (ref.possessive and any(c.endswith(f" -> {found}") for c in changes)):
            continue  # "When did she finish her report?": "her" stays once "she" is named
        if ref.possessive:
            found += "'s"
        if ref.kind == "place" and found.split()[0] not in word_class("locative_prepositions"):
            found = ("in " if found[:1].isupper() else "at ") + found
        pieces.append(doc[at:ref.start].text_with_ws + found + doc[ref.end - 1].whitespace_)
        changes.append(f"{original} -> {found}")
        at = ref.end
    if not changes:
        return None
    pieces.append(doc[at:span.end].text)
    return Rewrite(sentence_case("".join(pieces).strip()), tuple(changes))


def _antecedent(ref: Reference, turn: PriorTurn, parse: Parse, question: Doc) -> str:
    previous = parse(turn.standalone)
    skip = wh_phrase(previous)
    asked = {t.lower_ for t in question}
    if ref.kind == "item":
        return _item(ref.head, turn, parse)
    if ref.kind == "person":
        if turn.kind in ("person", "thing", "list"):  # the person the last answer or its quote names
            named = [e.text for e in parse(_direct(turn)).ents if e.label_ == "PERSON"] if turn.direct else []
            quoted = [e.text for q in turn.quotes[:1] for e in parse(q).ents if e.label_ == "PERSON"]
            if turn.kind == "person" and turn.direct:
                return turn.direct[0]
            if named or (quoted and not turn.direct):
                return (named or quoted)[0]
        people = [e.text for e in previous.ents if e.label_ == "PERSON" and e.root.lower_ not in asked]
        who = speaker(previous)
        return (people or [who])[0] if (people or who) else ""
    if ref.kind == "place":
        if turn.direct and skip is not None and (
                skip[0].lower_ in word_class("locative_prepositions") or skip[0].lower_ == "where"):
            # "At which hospital ...?" + "How many staff work there?": at the one answered
            return f"{skip[0].lower_} {turn.direct[0]}" if skip[0].pos_ == "ADP" else turn.direct[0]
        places = [e.text for e in previous.ents if e.label_ in PLACE_LABELS]
        nouns = [n.text for n in noun_phrases(previous[:], skip) if n.root.ent_type_ != "PERSON"]
        return (places or nouns[-1:] or [""])[-1]
    if ref.kind == "phrase":
        if skip is not None and ref.head in {t.lemma_.lower() for t in skip} and turn.direct:
            return _direct(turn)  # "those towns" after "In which towns ...?": the towns answered
        return _same_head(ref, turn, parse) or (_direct(turn) if _agrees(ref, turn) else "")
    if ref.kind == "plural":
        counted = number_value(ref.head) if ref.head else None
        if counted is not None and len(turn.direct) != counted:  # "those two" after one name
            pair = _conjoined(turn, parse, int(counted))
            if pair:
                return pair
        if len(turn.direct) > 1 or turn.kind in ("organisation", "number", "list"):
            return _direct(turn)
        bodies = [e.text for q in turn.quotes[:1] for e in parse(q).ents if e.label_ == "ORG"]
        if turn.kind == "thing" and not turn.direct and bodies:  # "them" after "which company ...?"
            return bodies[0]
        subject = question[ref.start].dep_ in ("nsubj", "nsubjpass")
        if subject and turn.kind == "person" and turn.direct:  # "Who found ...?" + "What did they say?"
            return _direct(turn)
        # a subject is someone, not a figure ("they" after "Who found 740 gigabytes was too high?")
        plural = [n.text for n in noun_phrases(previous[:], skip)
                  if (n.root.tag_ in ("NNS", "NNPS") or n.root.ent_type_ in ("ORG", "NORP"))
                  and not (subject and any(t.like_num for t in n))]
        return plural[0] if plural else ""
    # "that": the previous answer, when it gave one ("How much of that ...?" after a figure)
    if ref.head and turn.direct:
        return _direct(turn)
    # "it": what the previous question was about, its answer, or its last thing
    about = [t for t in previous if t.lower_ in ("about", "on") and t.dep_ == "prep"]
    if about:
        ids = sorted(t.i for t in about[0].subtree)
        return previous[ids[1]:ids[-1] + 1].text if len(ids) > 1 and previous[ids[-1]].pos_ != "PRON" else ""
    where = skip is not None and skip[0].lower_ == "where"  # "it" after "Where is the firm based?": the firm
    if turn.kind in ("organisation", "thing", "place") and turn.direct and not where:
        return turn.direct[0]
    phrases = noun_phrases(previous[:], skip)
    things = [n.text for n in phrases if n.root.ent_type_ != "PERSON" and n.root.tag_ not in ("NNS", "NNPS")
              and not any(o.start <= n.start and n.end <= o.end and len(o) > len(n) for o in phrases)]
    return things[-1] if things else ""  # a whole phrase: "the cost of the attack", not "the attack"


def _conjoined(turn: PriorTurn, parse: Parse, count: int) -> str:
    """The first `count` names of one kind that a quote of the turn joins by "and" or commas
    ("only Estonia and Portugal, which ..." for "those two"), as written; "" when none."""
    for quote in turn.quotes if count >= 2 else ():
        ents = list(parse(quote).ents)
        for i in range(len(ents) - count + 1):
            run = ents[i:i + count]
            gaps = [quote[a.end_char:b.start_char] for a, b in zip(run, run[1:], strict=False)]
            if len({e.label_ for e in run}) == 1 and run[0].label_ in LISTED_LABELS \
                    and all(re.fullmatch(r",? (and )?", g) for g in gaps) and gaps[-1].strip(", ") == "and":
                return quote[run[0].start_char:run[-1].end_char]
    return ""


def _direct(turn: PriorTurn) -> str:
    items = list(turn.direct)
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _agrees(ref: Reference, turn: PriorTurn) -> bool:
    """Whether "that X"/"those Xs" can stand for the previous direct answer."""
    if not turn.direct:
        return False
    if turn.kind == "number":
        return True
    many = len(turn.direct) > 1 or turn.kind == "list"
    return many == ref.plural or turn.kind == "organisation"


def _same_head(ref: Reference, turn: PriorTurn, parse: Parse) -> str:
    """A noun phrase of the previous turn with the same head noun: "those regions" -> "the
    Ukrainian regions Russia annexed"."""
    for text in (turn.standalone, *turn.quotes):
        doc = parse(text)
        for chunk in doc.noun_chunks:
            if chunk.root.lemma_.lower() == ref.head and chunk[0].lower_ not in ("that", "those", "this", "these"):
                words = [t for t in chunk if t.lower_ not in WH]
                phrase = " ".join(t.text for t in words).replace(" 's", "'s")
                return phrase if words and words[0].lower_ in ("the", "a", "an") else f"the {phrase}"
    return ""


def _item(selector: str, turn: PriorTurn, parse: Parse) -> str:
    """The previous answer's item picked by an ordinal or by a describing word found next to it."""
    items = list(turn.direct)
    if not items:
        return ""
    if selector.lower() in ORDINALS:
        index = ORDINALS[selector.lower()]
        return items[index] if -len(items) <= index < len(items) else ""
    for quote in turn.quotes:
        at = {item: quote.find(item) for item in items if item in quote}
        marks = [m.start() for m in WORD.finditer(quote)
                 if _describes(m.group(), selector)]
        if not at or not marks:
            continue
        countries = places(quote)
        ordered = sorted(at, key=at.__getitem__)
        if len(countries) == len(ordered) and all(p < min(at.values()) for p in countries):
            return ordered[countries.index(marks[0])] if marks[0] in countries else ""  # "A, B and C, X, Y and Z"
        return min(ordered, key=lambda i: min(abs(at[i] - m) for m in marks))
    return ""


def _describes(word: str, selector: str) -> bool:
    return word.lower() == selector.lower() or same_place(word, selector)


