"""Which passage leads a typed answer, and which candidate of it the model finds likeliest.

Hand-made passages and candidates; a fake scorer that likes one word, so the test decides which
candidate the "model" finds likely as the answer.
"""

from __future__ import annotations

from fakes import FakeScorer

from qa.answer.candidates import Candidate
from qa.answer.choice import weigh_direct
from qa.answer.features import FEATURES, Featured, PassageEvidence, Scored
from qa.answer.question import Question
from qa.answer.types import Passage

WHEN = Question("At what time did the tram hit the van?", "time", unit="time", focus=("tram", "hit", "van"))


def scored(number: int, text: str, score: float, answers: tuple[str, ...] = (), kind: str = "time") -> Scored:
    passage = Passage(number, f"doc{number}", "Tram hits van", 0, len(text), text)
    found = tuple(Candidate(kind, passage.doc_id, text.index(a), text.index(a) + len(a), a) for a in answers)
    values = (0.0,) * len(FEATURES)
    return Scored(Featured(PassageEvidence(passage, (), 0.5, number), found, values), score)


NO_TIME = "A tram on a test run hit a delivery van on Wednesday, halting all tests."
AT_TIME = "The crash happened at about 2:40 a.m., when the tram crossed the junction."


def test_a_best_passage_without_an_answer_gives_way_to_a_close_second_with_a_likely_one() -> None:
    scorer = FakeScorer("2:40")
    ranked, calls = weigh_direct(WHEN, [scored(1, NO_TIME, 0.5), scored(2, AT_TIME, 0.3, ("about 2:40 a.m.",))],
                                 scorer)
    assert [s.passage.number for s in ranked] == [2, 1]
    assert [c for _, c in scorer.scored] == [" about 2:40 a.m."] and len(calls) == 1
    assert ranked[0].featured.candidates[0].likelihood is not None


def test_a_far_second_does_not_lead_whatever_its_answer() -> None:
    ranked, _ = weigh_direct(WHEN, [scored(1, NO_TIME, 0.5), scored(2, AT_TIME, 0.005, ("about 2:40 a.m.",))],
                             FakeScorer("2:40"))
    assert [s.passage.number for s in ranked] == [1, 2]


def test_the_likelier_answer_of_two_passages_with_one_each_decides() -> None:
    first = scored(1, NO_TIME, 0.5, ("Wednesday",))
    second = scored(2, AT_TIME, 0.45, ("about 2:40 a.m.",))
    assert [s.passage.number for s in weigh_direct(WHEN, [first, second], FakeScorer("2:40"))[0]] == [2, 1]
    assert [s.passage.number for s in weigh_direct(WHEN, [first, second], FakeScorer("wednesday"))[0]] == [1, 2]


def test_nothing_is_scored_where_nothing_can_change() -> None:
    scorer = FakeScorer("2:40")
    lone = [scored(1, AT_TIME, 0.5, ("about 2:40 a.m.",)), scored(2, NO_TIME, 0.3)]
    ranked, calls = weigh_direct(WHEN, lone, scorer)
    assert [s.passage.number for s in ranked] == [1, 2] and calls == [] and scorer.scored == []
    assert weigh_direct(WHEN, lone, None) == (lone, [])
    why = Question("Why did the tram hit the van?", "free")
    assert weigh_direct(why, lone, scorer) == (lone, [])


def test_names_weigh_which_passage_leads_but_not_which_name() -> None:
    """The small model favours the first name of a list; names keep their order by fit."""
    who = Question("Who drove the van?", "person", focus=("drive", "van"))
    first = scored(1, "Police named Ana Ruiz and Tom Berg.", 0.5, ("Ana Ruiz", "Tom Berg"), "person")
    second = scored(2, "Tom Berg said the light was green.", 0.2, ("Tom Berg",), "person")
    ranked, calls = weigh_direct(who, [first, second], FakeScorer("ruiz"))
    assert [s.passage.number for s in ranked] == [1, 2] and len(calls) == 3
    assert all(c.likelihood is None for s in ranked for c in s.featured.candidates)
