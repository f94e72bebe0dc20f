"""Writing the answer from ranked passages, with hand-made candidates and scores (no model, no
parse): which passages a list answer draws its names from; and the model's feature as set from
its scores."""

from __future__ import annotations

import pytest

from qa.answer.candidates import Candidate
from qa.answer.compose import compose
from qa.answer.features import FEATURES, Featured, PassageEvidence, Scored
from qa.answer.question import Question
from qa.answer.types import Passage
from qa.language.analysis import Attribution, SentenceAnalysis

SENTENCES = [  # (text, the name in it, the passage's score)
    ("Storm damage closed Harbour General on Monday.", "Harbour General", 0.9),
    ("Later, St Anne's Clinic also shut its doors.", "St Anne's Clinic", 0.5),
    ("By night the Eastfield Infirmary had lost power too.", "Eastfield Infirmary", 0.4),
]


def ranked() -> tuple[list[Scored], dict[str, str]]:
    out, texts = [], {}
    for i, (text, name, score) in enumerate(SENTENCES, start=1):
        doc = f"d{i}"
        texts[doc] = text
        start = text.index(name)
        passage = Passage(i, doc, doc, 0, len(text), text)
        candidate = Candidate("list", doc, start, start + len(name), name)
        featured = Featured(PassageEvidence(passage, (), 0.5, i), (candidate,), (0.0,) * len(FEATURES))
        out.append(Scored(featured, score))
    return out, texts


@pytest.mark.parametrize(("count", "names"), [
    (0, "Harbour General"),  # the others score too far below the best
    (2, "Harbour General and St Anne's Clinic"),
    (3, "Harbour General, St Anne's Clinic and Eastfield Infirmary"),
])
def test_a_list_takes_later_passages_until_it_has_as_many_as_asked(count: int, names: str) -> None:
    scored, texts = ranked()
    question = Question("Name the hospitals that closed.", "list", "hospital", count=count)
    _, parts = compose(question, scored, texts, budget=60, max_quotes=3)
    assert parts[0].origin == "answer" and parts[0].text == names
    assert len(parts[0].sources) == len(names.split(", ")) + names.count(" and ")


def test_a_list_of_a_stated_size_keeps_the_names_that_fit_best() -> None:
    """"The three hospitals": a name that half-fits (a hospital group) found first gives way to
    the hospitals found after it, which keep their order."""
    scored, texts = ranked()
    text = "The attack hit Medwell Health, the group that runs them."
    texts["d0"] = text
    start = text.index("Medwell Health")
    group = Candidate("list", "d0", start, start + len("Medwell Health"), "Medwell Health", fit=0.55)
    passage = Passage(4, "d0", "d0", 0, len(text), text)
    first = Scored(Featured(PassageEvidence(passage, (), 0.5, 0), (group,), (0.0,) * len(FEATURES)), 0.95)
    question = Question("Name the three hospitals that closed.", "list", "hospital", count=3)
    _, parts = compose(question, [first, *scored], texts, budget=60, max_quotes=3)
    assert parts[0].text == "Harbour General, St Anne's Clinic and Eastfield Infirmary"


def dated(answer: str) -> tuple[Question, list[Scored], dict[str, str]]:
    text = "VELLMOOR, March 30 \u2014 The council approved the plan on Thursday, and work starts on April 2."
    analysis = SentenceAnalysis(0, len(text), text.index("The council"), ())
    passage = Passage(1, "d1", "d1", 0, len(text), text)
    start = text.index(answer)
    candidate = Candidate("time", "d1", start, start + len(answer), answer)
    featured = Featured(PassageEvidence(passage, (analysis,), 0.5, 1), (candidate,), (0.0,) * len(FEATURES))
    return Question("When was the plan approved?", "time"), [Scored(featured, 0.9)], {"d1": text}


def test_a_when_answer_without_a_figure_keeps_the_dateline_that_dates_it() -> None:
    question, scored, texts = dated("Thursday")
    _, parts = compose(question, scored, texts, budget=60, max_quotes=3)
    assert parts[0].text == "Thursday"
    assert parts[1].text.startswith("VELLMOOR, March 30 \u2014 The council approved")


def test_a_dateline_is_left_out_of_other_quotes() -> None:
    question, scored, texts = dated("April 2")
    _, parts = compose(question, scored, texts, budget=60, max_quotes=3)
    assert parts[1].text.startswith("The council approved")


def figures(scores: tuple[float, float], values: tuple[float | None, float | None],
            qualifiers: tuple[str, str] = ("", "")) -> list[str]:
    """The direct parts of "How many ferries ...?" over two articles' figures."""
    texts, scored = {}, []
    for i, (score, value, qualifier) in enumerate(zip(scores, values, qualifiers, strict=True), start=1):
        answer = f"{qualifier}{value:.0f} ferries" if value is not None else "days"
        text = f"The port now runs {answer}." if value is not None else "The port runs ferries for days."
        texts[f"d{i}"] = text
        start = text.index(answer)
        candidate = Candidate("number", f"d{i}", start, start + len(answer), answer, value, unit="ferry")
        passage = Passage(i, f"d{i}", f"d{i}", 0, len(text), text)
        featured = Featured(PassageEvidence(passage, (), 0.5, i), (candidate,), (0.0,) * len(FEATURES))
        scored.append(Scored(featured, score))
    question = Question("How many ferries does the port run?", "number", "ferry")
    lead, parts = compose(question, scored, texts, budget=60, max_quotes=2)
    return [lead] + [p.text for p in parts if p.origin == "answer"]


@pytest.mark.parametrize(("scores", "values", "expected"), [
    # another article's figure that scores a fifth of the best is given too, with its own citation
    ((0.6, 0.25), (11.0, 12.0), ["The articles give different figures:", "11 ferries", "12 ferries"]),
    ((0.6, 0.15), (11.0, 30.0), ["The articles give different figures:", "11 ferries", "30 ferries"]),
    ((0.6, 0.1), (11.0, 12.0), ["", "11 ferries"]),  # too far below the best
    ((0.6, 0.5), (11.0, 40.0), ["", "11 ferries"]),  # more than three times the best one's: another quantity
    ((0.6, 0.5), (11.0, None), ["", "11 ferries"]),  # a length of time is no figure to set beside it
    ((0.6, 0.5), (None, 12.0), ["", "days"]),  # the best answer is no figure: it answers alone
])
def test_figures_the_articles_disagree_on_are_each_given(scores: tuple[float, float],
                                                         values: tuple[float | None, float | None],
                                                         expected: list[str]) -> None:
    assert figures(scores, values) == expected


def test_a_bound_is_another_figure_than_an_estimate_of_the_same_number() -> None:
    assert figures((0.6, 0.5), (30.0, 30.0), ("around ", "more than ")) == [
        "The articles give different figures:", "around 30 ferries", "more than 30 ferries"]
    assert figures((0.6, 0.5), (30.0, 30.0), ("around ", "about ")) == ["", "around 30 ferries"]


def test_the_models_feature_is_each_score_against_the_best_floored() -> None:
    from qa.answer.features import LM_FLOOR, with_lm

    scored, _ = ranked()
    featured = with_lm([s.featured for s in scored], [-2.0, -2.5, -9.0])
    at = FEATURES.index("lm")
    assert [f.values[at] for f in featured] == [0.0, -0.5, LM_FLOOR]
    assert all(f.values[:at] == s.featured.values[:at] for f, s in zip(featured, scored, strict=True))


def test_a_quote_cut_to_its_clause_keeps_the_sentences_other_answering_figure() -> None:
    """A long sentence is cut to the clause of the direct answer, but not past another figure of
    the same unit that answers as well: a second account of the same quantity stays quoted."""
    first_clause = "The ferry workers' union said 88 percent of its members had stopped work on the first morning"
    second_clause = ("the operator put the figure at 64 percent and said that most of the early crossings "
                     "from the northern harbour had still sailed on time")
    text = f"{first_clause}; {second_clause}."
    clauses = ((0, len(first_clause)), (len(first_clause) + 2, len(text) - 1))
    analysis = SentenceAnalysis(0, len(text), 0, (), clauses=clauses)
    passage = Passage(1, "d1", "d1", 0, len(text), text)

    def answer(*shares: str) -> list[str]:
        found = tuple(Candidate("number", "d1", text.index(s), text.index(s) + len(s), s, float(s.split()[0]),
                                unit="percent") for s in shares)
        featured = Featured(PassageEvidence(passage, (analysis,), 0.5, 1), found, (0.0,) * len(FEATURES))
        question = Question("What share of the ferry workers stopped work?", "number", "share")
        _, parts = compose(question, [Scored(featured, 0.9)], {"d1": text}, budget=60, max_quotes=1)
        return [p.text for p in parts]

    assert answer("88 percent") == ["88 percent", first_clause]
    assert answer("88 percent", "64 percent") == ["88 percent", text]


def test_a_later_quote_that_does_not_fit_is_cut_to_the_speakers_own_words() -> None:
    """"What did X say": a second article's sentence too long for the word budget gives the words
    in quotation marks attributed to X (verbatim, cited), not a clause chosen by question terms,
    nor nothing; words attributed to someone else are not taken for X's."""
    first = "Mayor Ida Strand said on Monday that the new ferry timetable would start in the spring as planned."
    second = ("Speaking to reporters outside the town hall after a long council meeting, Mayor Strand "
              "dismissed the critics, saying \u201cThe timetable is not theirs to rewrite,\u201d before leaving.")
    texts = {"d1": first, "d2": second}

    def answer(speaker_fit: float) -> list[str]:
        scored = []
        for i, (doc, text) in enumerate(texts.items(), start=1):
            said = text.index("that the new") if i == 1 else text.index("the critics")
            quote = Candidate("quote", doc, said, len(text) - 1, "Ida Strand", fit=0.8, topic=0.6,
                              speaker=1.0 if i == 1 else speaker_fit)
            passage = Passage(i, doc, doc, 0, len(text), text)
            analysis = SentenceAnalysis(0, len(text), 0, ())
            featured = Featured(PassageEvidence(passage, (analysis,), 0.5, i), (quote,), (0.0,) * len(FEATURES))
            scored.append(Scored(featured, 0.9 - 0.1 * i))
        question = Question("What did Ida Strand say about the timetable?", "quote", speaker="Ida Strand",
                            topic=("timetable",))
        _, parts = compose(question, scored, texts, budget=30, max_quotes=2)
        return [p.text for p in parts]

    assert answer(1.0) == [first, "\u201cThe timetable is not theirs to rewrite,\u201d"]
    assert answer(0.5) == [first]  # not sure the speaker is the one asked about: not cut to the quotation


STRAND = ["Mayor Ida Strand said the new ferry timetable would start in the spring as planned.",
          "The repairs to the old pier had been delayed by a month of storms, the harbour master said.",
          "She added that the council would meet again in May to review the budget for the harbour."]
STRAND_RIVAL = "The timetable adds two late crossings on weekdays, Strand said."


def strand_quotes(rival_topic: float, aside: Attribution | None = None) -> list[str]:
    """"What did Ida Strand say about the timetable?" over a best passage of three sentences (her
    quote on the timetable, a sentence of narration or of someone else's words, her quote on
    another matter) and a second article's quote of her with topic coverage `rival_topic`."""
    first = " ".join(STRAND)
    starts = [first.index(s) for s in STRAND]
    analyses = tuple(SentenceAnalysis(a, a + len(s), a, (), attributions=(aside,) if i == 1 and aside else ())
                     for i, (a, s) in enumerate(zip(starts, STRAND, strict=True)))
    quotes = (Candidate("quote", "d1", first.index("the new ferry"), starts[0] + len(STRAND[0]) - 1,
                        "Ida Strand", fit=0.8, topic=0.7, speaker=1.0),
              Candidate("quote", "d1", first.index("that the council"), len(first) - 1, "Ida Strand", fit=0.6,
                        topic=0.2, speaker=1.0))
    return with_rival(first, analyses, quotes, rival_topic)


def with_rival(first: str, analyses: tuple[SentenceAnalysis, ...], quotes: tuple[Candidate, ...],
               rival_topic: float) -> list[str]:
    """The quotes answering "What did Ida Strand say about the timetable?" from a best passage
    `first` (its sentences `analyses`, its quote candidates `quotes`) and `STRAND_RIVAL`."""
    rival = Candidate("quote", "d2", 0, STRAND_RIVAL.index(","), "Strand", fit=0.8, topic=rival_topic, speaker=1.0)
    scored = [Scored(Featured(PassageEvidence(Passage(1, "d1", "d1", 0, len(first), first), analyses, 0.5, 1),
                              quotes, (0.0,) * len(FEATURES)), 0.8),
              Scored(Featured(PassageEvidence(Passage(2, "d2", "d2", 0, len(STRAND_RIVAL), STRAND_RIVAL),
                                              (SentenceAnalysis(0, len(STRAND_RIVAL), 0, ()),), 0.5, 2),
                              (rival,), (0.0,) * len(FEATURES)), 0.6)]
    question = Question("What did Ida Strand say about the timetable?", "quote", speaker="Ida Strand",
                        topic=("timetable",))
    _, parts = compose(question, scored, {"d1": first, "d2": STRAND_RIVAL}, budget=40, max_quotes=2)
    return [p.text for p in parts]


def test_a_long_best_passage_is_cut_to_its_best_quote_to_make_room_for_a_closer_one() -> None:
    """The best passage (50 words) leaves no room for the next; cut to the sentence of its best
    quote, it does, when what it leaves out is narration or the speaker's words on another
    matter and the next passage's quote is nearer the asked topic."""
    assert strand_quotes(0.8) == [STRAND[0], STRAND_RIVAL]
    # the next passage's quote is further from the topic than her words left out: the passage stays whole
    assert strand_quotes(0.1) == [" ".join(STRAND)]
    # someone whose words the quotes did not match speaks in a sentence that would be left out: whole
    assert strand_quotes(0.8, Attribution("the harbour master", "say", 0, 10)) == [" ".join(STRAND)]


def test_the_words_between_two_quotations_are_not_taken_for_one() -> None:
    """Quotation marks pair from the start of the sentence: narration between a closing and an
    opening mark is not given as the speaker's words, whatever span the attribution starts at."""
    first = "Mayor Ida Strand said on Monday that the new ferry timetable would start in the spring as planned."
    second = ("\u201cThe new timetable stays as it is,\u201d Mayor Strand told the full council on Monday "
              "after a long meeting, \u201cand the fares will stay as they are.\u201d")
    texts = {"d1": first, "d2": second}
    scored = []
    for i, (doc, text) in enumerate(texts.items(), start=1):
        said = text.index("that the new") if i == 1 else text.index("\u201d")  # from the first closing mark
        quote = Candidate("quote", doc, said, len(text), "Ida Strand", fit=0.8, topic=0.6, speaker=1.0)
        featured = Featured(PassageEvidence(Passage(i, doc, doc, 0, len(text), text),
                                            (SentenceAnalysis(0, len(text), 0, ()),), 0.5, i),
                            (quote,), (0.0,) * len(FEATURES))
        scored.append(Scored(featured, 0.9 - 0.1 * i))
    question = Question("What did Ida Strand say about the timetable?", "quote", speaker="Ida Strand",
                        topic=("timetable",))
    _, parts = compose(question, scored, texts, budget=30, max_quotes=2)
    assert [p.text for p in parts] == [first, "\u201cand the fares will stay as they are.\u201d"]


def test_the_partial_lead_stands_only_before_the_asked_speakers_words() -> None:
    """Ida Strand is quoted only off the asked topic: her words come under "The articles quote
    them only on related points:"; when the best passage quotes nobody asked about (her quote is
    second), the lead would say "them" of someone else's words, and is left out."""
    mayor = "Mayor Ida Strand said the harbour budget was already stretched."
    other = "The harbour master said the new ferry timetable would start in the spring."
    texts = {"d1": mayor, "d2": other}
    hers = Candidate("quote", "d1", mayor.index("the harbour"), len(mayor) - 1, "Ida Strand", fit=0.6,
                     topic=0.1, speaker=1.0)

    def lead(first: str) -> str:
        order = ["d1", "d2"] if first == "d1" else ["d2", "d1"]
        scored = [Scored(Featured(PassageEvidence(Passage(i, doc, doc, 0, len(texts[doc]), texts[doc]),
                                                  (SentenceAnalysis(0, len(texts[doc]), 0, ()),), 0.5, i),
                                  (hers,) if doc == "d1" else (), (0.0,) * len(FEATURES)), 0.9 - 0.1 * i)
                  for i, doc in enumerate(order, start=1)]
        question = Question("What did Ida Strand say about the timetable?", "quote", speaker="Ida Strand",
                            topic=("timetable",))
        return compose(question, scored, texts, budget=40, max_quotes=2)[0]

    assert lead("d1") == "The articles quote them only on related points:"
    assert lead("d2") == ""


@pytest.mark.parametrize(("second", "unit", "direct"), [
    ("38 percent", "percent", "431 million euros"),  # how much the sum grew: not a second answer
    ("12 million euros", "money", "431 million euros, 12 million euros"),  # two sums: a list
])
def test_figures_join_only_figures_of_their_unit(second: str, unit: str, direct: str) -> None:
    text = f"The line will cost 431 million euros, {second} more than planned, the auditors said."
    first = Candidate("number", "d1", text.index("431"), text.index("431") + len("431 million euros"),
                      "431 million euros", 431e6, unit="money")
    other = Candidate("number", "d1", text.index(second), text.index(second) + len(second), second, unit=unit)
    passage = Passage(1, "d1", "d1", 0, len(text), text)
    scored = [Scored(Featured(PassageEvidence(passage, (SentenceAnalysis(0, len(text), 0, ()),), 0.5, 1),
                              (first, other), (0.0,) * len(FEATURES)), 0.9)]
    question = Question("How much will the line cost?", "number", extent="much")
    _, parts = compose(question, scored, {"d1": text}, budget=40, max_quotes=2)
    assert parts[0].origin == "answer" and parts[0].text == direct


def test_a_direct_answer_quotes_the_next_sentence_that_reports_it_unnamed() -> None:
    """"Who disputed the total?": the name is in the sentence before the one that answers
    ("However, she disputed ..."); the quote holds both, so that it shows what the name answers."""
    first = "Mayor Ada Brun praised the report."
    text = f"{first} However, she disputed the auditors' total. The council met later."
    second_start = len(first) + 1
    second_end = text.index(" The council")
    named = SentenceAnalysis(0, len(first), 0, ())
    unnamed = SentenceAnalysis(second_start, second_end, second_start, (),
                               attributions=(Attribution("Ada Brun", "dispute", second_start, second_end),))
    passage = Passage(1, "d1", "d1", 0, second_end, text[:second_end])
    start = text.index("Ada Brun")
    candidate = Candidate("person", "d1", start, start + len("Ada Brun"), "Ada Brun")
    featured = Featured(PassageEvidence(passage, (named, unnamed), 0.5, 1), (candidate,), (0.0,) * len(FEATURES))
    _, parts = compose(Question("Who disputed the auditors' total?", "person"), [Scored(featured, 0.9)],
                       {"d1": text}, budget=60, max_quotes=3)
    assert parts[0].text == "Ada Brun"
    assert parts[1].text == text[:second_end]


def test_a_later_passage_that_gives_the_answer_more_precisely_is_quoted_next() -> None:
    """"December" from the best passage; "December 9", from a passage ranked third, is quoted
    after it in place of the second, which says something else."""
    texts = {"d1": "Test runs resumed in December after the crash.",
             "d2": "The council met in May to discuss the budget.",
             "d3": "Testing restarted on December 9, after repairs."}
    scored = []
    for i, (doc, answer, score) in enumerate([("d1", "December", 0.9), ("d2", "May", 0.5),
                                              ("d3", "December 9", 0.1)], start=1):
        text = texts[doc]
        start = text.index(answer)
        passage = Passage(i, doc, doc, 0, len(text), text)
        candidate = Candidate("time", doc, start, start + len(answer), answer)
        scored.append(Scored(Featured(PassageEvidence(passage, (), 0.5, i), (candidate,), (0.0,) * len(FEATURES)),
                             score))
    _, parts = compose(Question("When did test runs restart?", "time"), scored, texts, budget=60, max_quotes=2)
    assert [p.text for p in parts] == ["December", texts["d1"], texts["d3"]]


def test_a_best_quote_cut_to_its_sentence_keeps_the_one_that_names_its_speaker() -> None:
    """Cut to the sentence of her best quote, which reports her without naming her ("However,
    she warned ..."), the passage keeps the sentence before it, which names her."""
    sentences = ["Mayor Ida Strand opened the rebuilt pier on Monday.",
                 "However, she warned that the new ferry timetable would slip to the summer.",
                 "She added that the council would meet again in May to review the budget for the harbour."]
    first = " ".join(sentences)
    starts = [first.index(s) for s in sentences]
    said = [(), (Attribution("Ida Strand", "warn", starts[1], starts[2] - 1),),
            (Attribution("Ida Strand", "add", starts[2], len(first)),)]
    analyses = tuple(SentenceAnalysis(a, a + len(s), a, (), attributions=at)
                     for a, s, at in zip(starts, sentences, said, strict=True))
    quotes = (Candidate("quote", "d1", first.index("that the new ferry"), starts[2] - 1, "Ida Strand", fit=0.8,
                        topic=0.7, speaker=1.0),
              Candidate("quote", "d1", first.index("that the council"), len(first) - 1, "Ida Strand", fit=0.6,
                        topic=0.2, speaker=1.0))
    assert with_rival(first, analyses, quotes, 0.8) == [" ".join(sentences[:2]), STRAND_RIVAL]


def test_among_names_that_fit_alike_the_one_described_by_the_questions_words_answers() -> None:
    """"Who is the harbour board chair ...?": three names fit a "who" alike; the one its sentence
    calls by the question's words is the direct answer, although another stands nearer the
    question's focus word."""
    text = "The fair, opened by Tom Berg, was praised by Ana Ruiz and by Karl Olsen."
    passage = Passage(1, "d1", "d1", 0, len(text), text)
    found = tuple(Candidate("person", "d1", text.index(n), text.index(n) + len(n), n, described=d)
                  for n, d in (("Tom Berg", 0), ("Ana Ruiz", 3), ("Karl Olsen", 1)))
    featured = Featured(PassageEvidence(passage, (SentenceAnalysis(0, len(text), 0, ()),), 0.5, 1), found,
                        (0.0,) * len(FEATURES))
    question = Question("Who is the harbour board chair who opened the fair?", "person", focus=("open", "fair"))
    _, parts = compose(question, [Scored(featured, 0.9)], {"d1": text}, budget=60, max_quotes=2)
    assert parts[0].text == "Ana Ruiz"



def test_a_more_precise_answer_moved_up_is_cut_from_its_own_passage() -> None:
    """The passage ranked third gives the answer more precisely and is quoted second; too long
    for the word budget, it is cut to its own clause that best matches the question, not to a
    clause of the passage ranked second, which it displaced."""
    clause = "testing restarted at the old depot on December 9"
    texts = {"d1": "Test runs resumed in December after the crash.",
             "d2": "The council met in May, when testing restarted at the depot, to discuss the budget.",
             "d3": f"After weeks of repairs to the signals and a long dispute over who would pay for them, {clause}, "
                   "the operator said on Friday at a press conference in the harbour office."}
    scored = []
    for i, (doc, answer, score) in enumerate([("d1", "December", 0.9), ("d2", "May", 0.5),
                                              ("d3", "December 9", 0.1)], start=1):
        text = texts[doc]
        start = text.index(answer)
        at = text.find(clause)
        analysis = SentenceAnalysis(0, len(text), 0, (), clauses=((at, at + len(clause)),) if at >= 0 else ())
        passage = Passage(i, doc, doc, 0, len(text), text)
        candidate = Candidate("time", doc, start, start + len(answer), answer)
        scored.append(Scored(Featured(PassageEvidence(passage, (analysis,), 0.5, i), (candidate,),
                                      (0.0,) * len(FEATURES)), score))
    question = Question("When did testing restart?", "time", focus=("testing", "restart"))
    _, parts = compose(question, scored, texts, budget=25, max_quotes=2)
    assert [p.text for p in parts] == ["December", texts["d1"], clause]
    assert parts[2].sources[0].doc_id == "d3"
