"""Question analysis: a question parsed once into a typed `Question` that every later step reads.

From spaCy's parse of the question it finds the expected answer (`kind`: a number and the noun it
counts, a person, an organisation, a place, a time, someone's words, a list of things, a named
thing of some sort, or free text for why/how), the names it mentions, the content words it is
about (`focus`), and, for a compound question ("How many ..., and what did ...?"), its parts
(`compound`: a later part with what it takes from the parts before it).
No later step re-parses the question text. It does not look at the articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..language.figures import figures
from ..language.lexicon import country_of, number_value, reporting_verbs, word_class
from .asked_words import WH, according, asks_words, topic_head, words_of_speaker
from .compound import related, split

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from .followup import Parse

KINDS = ("number", "person", "organisation", "place", "time", "quote", "list", "thing", "free")
_WH = WH
_NAME_LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # one of KINDS
    unit: str = ""  # number: lemma of the counted noun ("country"); list/thing: lemma of the noun asked for
    extent: str = ""  # number: the adjective of "how long/far/old ..." (a measure with a unit, not money),
    # "much" for a bare "how much" (an amount: a sum, a share or a quantity, not a count), "sum"
    # for one asked of a verb of price or payment ("What will it cost?": money), "often" for "how
    # often" (an interval)
    speaker: str = ""  # quote: whose words are asked for ("Ortiz", "mayor Portvale")
    speaker_words: tuple[str, ...] = ()  # quote: lemmas of the speaker phrase, its head first ("mayor", ...)
    names: tuple[str, ...] = ()  # names as written in the question ("Ortiz", "Norway")
    focus: tuple[str, ...] = ()  # lemmas of the other content words ("objection")
    topic: tuple[str, ...] = ()  # quote: lemmas of what the words should be about
    parts: tuple[Question, ...] = ()  # a compound question's parts, each a Question
    count: int = 0  # list: how many are asked for ("the three firms", "which two leaders"), 0 when not said
    mass: bool = False  # number: "how much <noun>": the noun is measured in units of it ("gigabytes of data")
    # a later part of a compound question: the names of the parts before it, which it may lean on
    # ("Which MP questioned Ada Brun, and what did he object to?": Ada Brun), and the noun a "how
    # many" that names none borrows from the part before ("..., and how many did it have?");
    # searched for with the part's own words, not counted as its names or focus
    context: tuple[str, ...] = ()
    # number: the values of the figures the question states itself ("... to replace 64 trees?"),
    # which are not its answer
    stated: tuple[float, ...] = ()
    part: bool = False  # number: "how much/many of the X": a part of X, not the whole of it
    topic_head: str = ""  # quote: the lemma of the topic's head noun ("the court's decision" -> decision)

    @property
    def query(self) -> str:
        """What retrieval searches for: the text, with the words of the parts before it."""
        return " ".join((self.text, *self.context))

    @property
    def terms(self) -> tuple[str, ...]:
        """Everything the evidence should mention: names and focus lemmas."""
        return (*self.names, *self.focus)


def analyse_question(doc: Doc, parse: Parse) -> Question:
    """The typed question of a parsed question text; compound questions get `parts` (a later
    part may be parsed anew, resolved against the part before it: see `compound`)."""
    pieces = split(doc)
    if len(pieces) > 1:
        parts = related(pieces, _analyse, parse)
        whole = _analyse(doc[:])
        return Question(doc.text, whole.kind, whole.unit, whole.extent, whole.speaker, whole.speaker_words,
                        tuple(dict.fromkeys(n for p in parts for n in p.names)),
                        tuple(dict.fromkeys(f for p in parts for f in p.focus)), whole.topic, parts, whole.count,
                        whole.mass, topic_head=whole.topic_head)
    return _analyse(doc[:])


def _analyse(span: Span) -> Question:
    tokens = [t for t in span if not t.is_punct]
    names = _names(span)
    name_tokens = {t.i for t in span if any(t.text in n.split() for n in names)}
    kind, unit, speaker, topic = _kind(span, names)
    extent = _extent(span, unit) if kind == "number" else ""
    speaker_words = words_of_speaker(span) if kind == "quote" else ()
    focus = tuple(dict.fromkeys(
        t.lemma_.lower() for t in tokens
        if t.i not in name_tokens and t.pos_ in ("NOUN", "VERB", "ADJ", "PROPN", "NUM", "ADV")
        and not t.is_stop and t.lower_ not in _WH and t.lemma_.lower() not in ("do", "be", "have")
        and not according(t)
        and not (kind == "quote" and t.lemma_.lower() in reporting_verbs())))
    count = _count(span, unit) if kind == "list" else 0
    mass = kind == "number" and bool(unit) and _after_how(span) == "much"
    part = kind == "number" and bool(unit) and any(
        t.lower_ in ("much", "many") and 0 < t.i - span.start and t.nbor(-1).lower_ == "how"
        and t.i + 1 < span.end and t.nbor(1).lower_ == "of" for t in span)
    stated = tuple(f.value for f in figures(span.as_doc(), 0)) if kind == "number" else ()
    return Question(span.text, kind, unit, extent, speaker, speaker_words, names, focus, topic, count=count,
                    mass=mass, stated=stated, part=part, topic_head=topic_head(span) if kind == "quote" else "")


def _after_how(span: Span) -> str:
    """The word after the question's own "how" ("much", "long", "often"), or "" when its first
    question word is not "how"."""
    first = next((t for t in span if t.lower_ in _WH), None)
    if first is None or first.lower_ != "how" or first.i + 1 >= span.end:
        return ""
    return str(first.nbor(1).lower_)


def _count(span: Span, unit: str) -> int:
    """How many things a list question asks for: the number that counts the asked noun ("Name
    the three firms ...", "Which two leaders ...")."""
    for token in span:
        if token.lemma_.lower() == unit and token.pos_ in ("NOUN", "PROPN"):
            for child in token.children:
                value = number_value(child.text) if child.dep_ == "nummod" else None
                if value is not None and 1 < value <= 20 and value == int(value):
                    return int(value)
            return 0
    return 0


def _extent(span: Span, unit: str) -> str:
    """The adjective of "how long", "how far", "how old": it asks for a measured extent; "much"
    when "how much" names no noun ("How much did it cost?"): an amount, which a count of things
    ("one block", "two votes") does not give; "often" for "how often" (an interval: "every six
    minutes"). A number question without "how" ("What did it cost?") that names no noun asks
    for an amount too; either asked of a verb of price or payment ("How much did they pay?", "What
    will it cost?") for a sum of money: "sum"."""
    adjective = _after_how(span)
    if adjective in ("much", ""):
        return "" if unit else "sum" if _priced(span) else "much"
    if adjective in ("often", "frequently"):
        return "often"
    return adjective if adjective in word_class("extent_adjectives") else ""


def _priced(span: Span) -> bool:
    """Whether the question asks with a verb of price or payment ("cost", "pay", "spend") or of
    "worth": what it asks for is a sum of money (the small parser may tag the verb a noun: "What
    will the pipeline cost?", "How much does a ticket on the ferry cost?"; a question that ends in
    such a word asks it of that word either way)."""
    words = [t for t in span if not t.is_punct]
    return any(((t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT" or t is words[-1])
                and t.lemma_.lower() in word_class("amount_words")) or t.lemma_.lower() == "worth" for t in words)


def _names(span: Span) -> tuple[str, ...]:
    """Named entities, proper nouns and country/demonym words, as written."""
    found: list[str] = []
    covered: set[int] = set()
    for ent in span.ents:
        if ent.label_ in _NAME_LABELS:
            text = ent.text[:-2] if ent.text.endswith(("'s", "\u2019s")) else ent.text
            found.append(text.removeprefix("the ").removeprefix("The "))
            covered.update(range(ent.start, ent.end))
    run: list[Token] = []
    for token in span:
        # spaCy tags some names as common nouns ("Which Trump envoy"); a capitalised noun inside
        # the question is taken as a name too.
        proper = token.pos_ == "PROPN" or (token.text[:1].isupper() and token.pos_ in ("NOUN", "ADJ")) \
            or (country_of(token.text) is not None and token.text[:1].isupper())
        if proper and token.i not in covered and token.i != span.start and token.lower_ not in _WH:
            run.append(token)
            continue
        if run and not _titles(run, token, covered):
            found.append(" ".join(t.text for t in run))
        run = []
    if run:
        found.append(" ".join(t.text for t in run))
    return tuple(dict.fromkeys(n for n in found if n.strip()))


def _titles(run: list[Token], after: Token, covered: set[int]) -> bool:
    """Whether capitalised words just before a recognised name are its title or a first name the
    recogniser left out ("Mayor Ostrander", "Prime Minister Lena Ortiz"): part of that name, not
    a name of their own that a passage naming the person alone would miss."""
    within = {t.i for t in run} | covered
    return after.i in covered and after.i == run[-1].i + 1 \
        and all(t.dep_ == "compound" and t.head.i in within for t in run)


def _kind(span: Span, names: tuple[str, ...]) -> tuple[str, str, str, tuple[str, ...]]:
    """(kind, unit, speaker, topic lemmas) from the question words and the parse."""
    words = [t.lower_ for t in span]
    first = next((t for t in span if t.lower_ in _WH), None)
    for token in span:
        # the question's own "how many" (its first question word), not one inside a clause
        # ("When will they look again at how much water farmers get?")
        if token.lower_ in ("many", "much") and token.i > span.start and token.nbor(-1).lower_ == "how" \
                and first is not None and first.i == token.i - 1:
            # the noun right after it ("how much data"), not one past the verb the small parser hung
            # "much" on ("How much does a ticket cost?": a sum, not a count of tickets)
            noun = token.head if token.head.pos_ in ("NOUN", "PROPN") and token.head.i > token.i and not any(
                t.pos_ in ("AUX", "VERB") for t in span.doc[token.i + 1:token.head.i]) else None
            if noun is None:  # "how many of the allies": the noun after "of"
                of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                noun = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of else None
            return "number", noun.lemma_.lower() if noun is not None else "", "", ()
    quote = asks_words(span)
    if quote is not None:
        return quote
    if words and words[0] in ("list", "name"):  # "Name the three firms that ... (and what ...)": firms
        noun = next((t for t in span[1:] if t.pos_ in ("NOUN", "PROPN") and not t.ent_type_), None)
        return "list", noun.lemma_.lower() if noun is not None else "", "", ()
    if first is None:
        return "free", "", "", ()
    word = first.lower_
    if word == "when":
        return "time", "", "", ()
    if word == "where":
        return "place", "", "", ()
    if word == "how" and first.head.pos_ in ("ADJ", "ADV") and first.head.i == first.i + 1:
        # "how big", "how long", "how far": a measure; "how large a fine": a measure of a fine
        adjective = first.head
        sized = adjective.head if adjective.dep_ == "amod" and adjective.head.pos_ == "NOUN" else None
        return "number", sized.lemma_.lower() if sized is not None else "", "", ()
    if word in ("why",) or (word == "how" and first.head.pos_ in ("VERB", "AUX", "ADJ", "ADV")):
        return "free", "", "", ()
    if word in ("who", "whom", "whose") and _a_name_described(first):
        return "free", "", "", ()  # "Who is Greta Ruiz?": what the articles say of her, not someone else
    if word in ("who", "whom", "whose"):
        verb = first.head  # the verb "who" agrees with: "who are", "who were", "who attend"
        plural = verb.tag_ == "VBP" or any(t.lower_ in ("were", "are") and verb.i in (t.i, t.head.i) for t in span)
        # "Who is the boss of ...?": a person the articles call by that noun (a boss, a head)
        subject = _copula_subject(first)
        return ("list" if plural else "person"), subject.lemma_.lower() if subject is not None else "", "", ()
    noun = _asked_noun(first)
    subject = _copula_subject(first)  # "What is the capacity of ...?", "What was the date of ...?"
    if noun is None and subject is not None and (_measure(subject) or subject.lemma_.lower() in (
            word_class("time_nouns") | word_class("place_nouns"))):
        noun = subject
    if noun is None and subject is not None:
        noun = _named(subject)  # "What is the name of the firm ...?": a firm's name
    if noun is not None:
        lemma = noun.lemma_.lower()
        if lemma in word_class("reason_nouns") | word_class("sort_nouns"):
            return "free", "", "", ()  # "on what grounds", "what kind of track": like "why", no name answers
        if _measure(noun):
            return "number", lemma, "", ()
        if lemma in word_class("time_nouns"):
            return "time", "weekday" if _of_the_week(noun) else lemma, "", ()
        if lemma in word_class("place_nouns") and noun.tag_ != "NNS":
            return "place", lemma, "", ()
        if noun.tag_ in ("NNS", "NNPS", "VBZ"):  # "stops" read as a verb is a plural noun
            return "list", lemma, "", ()
        return "thing", lemma, "", ()
    if _asks_sum(first, span):
        return "number", "", "", ()
    return "free", "", "", ()


def _of_the_week(noun: Token) -> bool:
    """"What day of the week": a weekday's name, not a date."""
    return noun.lemma_.lower() == "day" and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.lemma_.lower() == "week" for g in c.children)
        for c in noun.children)


def _asks_sum(wh: Token, span: Span) -> bool:
    """"What did it cost?", "What did the city spend?", "What is the deal worth?": a "what" that
    is the object of a verb of price or payment, or beside "worth"; not "what did they pay for?"
    (a preposition left without its object has the "what")."""
    if wh.lower_ != "what":
        return False
    verb = wh.head
    stranded = any(c.dep_ == "prep" and not list(c.children) for c in verb.children)
    return (wh.dep_ in ("dobj", "dative") and verb.lemma_.lower() in word_class("amount_words") and not stranded) \
        or any(t.lemma_.lower() == "worth" for t in span)


def _copula_subject(wh: Token) -> Token | None:
    """The noun a "what is/was the X of ..." question is about."""
    if wh.dep_ in ("attr", "nsubj") and wh.head.lemma_ == "be":
        return next((c for c in wh.head.children if c.dep_ in ("nsubj", "attr") and c.i != wh.i
                     and c.pos_ == "NOUN"), None)
    return None


def _a_name_described(wh: Token) -> bool:
    """"Who is/was X?" of a name X and nothing more: a description of X is asked for ("Who is the
    council president who ...?" asks for a person)."""
    verb = wh.head
    other = [c for c in verb.children if c.i != wh.i and c.dep_ not in ("punct", "aux")]
    return wh.dep_ in ("attr", "nsubj") and verb.lemma_ == "be" and len(other) == 1 \
        and other[0].dep_ in ("nsubj", "attr") and other[0].pos_ == "PROPN" and bool(other[0].ent_type_) \
        and not any(c.dep_ in ("det", "relcl", "acl", "prep") for c in other[0].children)


def _named(subject: Token) -> Token | None:
    """The noun whose name a "what is the name of X" / "what was X's name" question asks for."""
    if subject.lemma_.lower() != "name":
        return None
    owner = next((c for c in subject.children if c.dep_ == "poss" and c.pos_ == "NOUN"), None)
    if owner is not None:
        return owner
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of is not None else None


def _measure(noun: Token) -> bool:
    """"What share of ...", "what was the cost": a noun that asks for a quantity."""
    return noun.lemma_.lower() in word_class("measure_nouns")


def _asked_noun(wh: Token) -> Token | None:
    """The noun a "which"/"what" asks for: "which leaders", "which two leaders", "in which city",
    "what date"."""
    if wh.dep_ == "det" and wh.head.pos_ in ("NOUN", "PROPN"):
        # "Which household uses of water ...": the tagger read the plural noun after a modifier as
        # a verb and hung "which" on the modifier
        after = wh.head.nbor(1) if wh.head.i + 1 < len(wh.doc) else None
        if after is not None and after.tag_ == "VBZ" and _noun_read_as_verb(after):
            return after
        return wh.head
    nxt = wh.nbor(1) if wh.i + 1 < len(wh.doc) else None
    if nxt is not None and nxt.dep_ == "nummod" and nxt.i + 1 < len(wh.doc):  # "which two leaders"
        nxt = nxt.nbor(1)
    while nxt is not None and nxt.pos_ in ("ADJ", "PROPN", "NOUN") and nxt.i + 1 < len(wh.doc) \
            and nxt.nbor(1).pos_ in ("NOUN", "PROPN", "ADJ") and nxt.dep_ in ("amod", "compound"):
        nxt = nxt.nbor(1)
    if nxt is not None and wh.lower_ in ("which", "what") \
            and (nxt.pos_ in ("NOUN", "PROPN") or _noun_read_as_verb(nxt)):
        return nxt
    return None


def _noun_read_as_verb(token: Token) -> bool:
    """A noun after "which"/"what" that the tagger took for a verb ("Which stops had ...", "Which
    claims did the court reject?"): it holds a noun's place (subject or object) or a verb
    follows it; not a form of "be", "have" or "do" ("What has happened?")."""
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() in ("be", "have", "do") or token.tag_ == "MD":
        return False
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return token.dep_ in ("nsubj", "nsubjpass", "dobj") or (nxt is not None and nxt.pos_ in ("VERB", "AUX"))
