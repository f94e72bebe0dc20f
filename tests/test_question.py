"""Question analysis: the expected answer, names, focus and parts, from spaCy's parse.

Questions are written for these tests in several phrasings, none taken from the gold set.
"""

from __future__ import annotations

import pytest

from qa.answer.question import Question, analyse_question
from qa.language.nlp import load_nlp


def ask(text: str) -> Question:
    return analyse_question(load_nlp()(text), load_nlp())


@pytest.mark.parametrize(("text", "kind", "unit"), [
    ("How many villages lost power after the storm?", "number", "village"),
    ("How many towns committed to rationing water?", "number", "town"),
    ("How much money did the council set aside?", "number", "money"),
    ("Who chaired the inquiry into the flooding?", "person", ""),
    ("When will the new bridge open?", "time", ""),
    ("On what date did the strike begin?", "time", "date"),
    ("On which day of the week did the strike begin?", "time", "weekday"),
    ("Where did the ferry run aground?", "place", ""),
    ("In which city was the trial held?", "place", "city"),
    ("Which engineers inspected the tunnel?", "list", "engineer"),
    ("Which firm won the contract?", "thing", "firm"),
    # a plural noun the tagger reads as a verb ("stops", "claims") is still the asked noun
    ("Which stops had the most passengers?", "list", "stop"),
    ("Which household uses of tap water did the province prohibit?", "list", "use"),
    ("Which claims did the court reject?", "list", "claim"),
    ("What has happened to the ferry?", "free", ""),
    ("What is the name of the firm that built the pier?", "thing", "firm"),
    ("What was the lifeboat captain's name?", "thing", "captain"),
    ("Why did the mayor cancel the festival?", "free", ""),
    ("On what grounds did the judge throw out the claim?", "free", ""),
    ("What reasons did the council give for closing the pool?", "free", ""),
    # a sort of thing is described, not named: no name of any kind is the answer
    ("What kind of barrier did the council build?", "free", ""),
    ("Which type of ferries were withdrawn?", "free", ""),
    # a "how much" inside a clause is not the question's own
    ("When will the board look again at how much money schools get?", "time", ""),
    ("Who decides how many ferries run in winter?", "person", ""),
    # "Who is X?" of a name asks what X is, not for someone else; "Who is the X?" asks for a person
    ("Who is Ines Calderon?", "free", ""),
    ("Who was Harbourton Ferries?", "free", ""),
    ("Who is the harbour master?", "person", "master"),
    ("Who is in charge?", "person", ""),
    ("Who is the Harbour Council President who opened the bridge?", "person", ""),
])
def test_expected_answer_kind(text: str, kind: str, unit: str) -> None:
    q = ask(text)
    assert (q.kind, q.unit) == (kind, unit)


@pytest.mark.parametrize(("text", "speaker", "topic"), [
    ("What did Ortiz say about the tunnel?", "Ortiz", "tunnel"),
    ("What did the harbour master stress about safety?", "harbour master", "safety"),
    ("How did Berg react to the verdict?", "Berg", "verdict"),
])
def test_what_someone_said(text: str, speaker: str, topic: str) -> None:
    q = ask(text)
    assert q.kind == "quote"
    assert speaker in q.speaker
    assert topic in q.topic


def test_a_question_that_describes_something_is_not_asking_for_words() -> None:
    q = ask("What does the plan described in the report aim to change?")
    assert q.kind != "quote"


def test_names_include_demonyms_and_mis_tagged_capitals() -> None:
    q = ask("Which Portuguese engineer led the survey for Hidrovia?")
    assert "Portuguese" in q.names
    assert q.unit == "engineer"


@pytest.mark.parametrize(("text", "names"), [
    ("How did Mayor Ostrander respond to the audit?", ("Ostrander",)),
    ("What did Prime Minister Lena Ortiz say about the port?", ("Lena Ortiz",)),
    ("Why did Dr Ravi Sethi leave the hospital board?", ("Ravi Sethi",)),
])
def test_a_title_before_a_name_is_part_of_it(text: str, names: tuple[str, ...]) -> None:
    """"Mayor" in "Mayor Ostrander" is no name of its own: a passage that says "Ostrander" or
    "she" (resolved to her) mentions everything the question names."""
    assert ask(text).names == names


@pytest.mark.parametrize(("text", "unit"), [
    ("Who is the boss of the ferry company?", "boss"),
    ("Who was the chief executive of the port authority?", "executive"),
    ("Who said the plan was dead?", ""),  # no noun asked: any person
])
def test_who_is_the_noun_asks_for_a_person_called_so(text: str, unit: str) -> None:
    q = ask(text)
    assert q.kind == "person"
    assert q.unit == unit


def test_focus_holds_content_lemmas_but_not_question_words() -> None:
    q = ask("How many nurses were hired by the hospital in March?")
    assert "hire" in q.focus and "hospital" in q.focus
    assert not {"how", "many", "be"} & set(q.focus)


def test_compound_question_is_split_into_answerable_parts() -> None:
    q = ask("How many buses were bought, and what did the mayor say about the cost?")
    assert [p.kind for p in q.parts] == ["number", "quote"]


@pytest.mark.parametrize(("text", "topic"), [
    ("What did the mayor say about the fares, and how many buses were bought?", ("fare",)),
    ("How did the union react to the offer, and when will the strike end?", ("offer",)),
])
def test_a_quoted_parts_topic_stops_where_the_next_part_begins(text: str, topic: tuple[str, ...]) -> None:
    first, second = ask(text).parts
    assert first.kind == "quote" and first.topic == topic
    assert second.kind in ("number", "time")


def test_a_later_part_is_searched_for_with_the_names_of_the_parts_before_it() -> None:
    q = ask("Which councillor grilled Mayor Ada Brun at the hearing, and what did he object to about the bus contract?")
    first, second = q.parts
    assert first.context == () and first.query == first.text
    # "he" leans on the first part: its names are searched for, not counted as the part's own focus
    assert "Ada Brun" in second.context and "Ada Brun" in second.query
    assert "Ada Brun" not in second.names and "brun" not in second.focus
    assert not set(second.context) & {"hearing", "grill"}  # only names: each part asks its own relation


@pytest.mark.parametrize(("text", "speaker", "topic"), [
    ("What was councillor Ada Brun's reaction to the fare rise?", "councillor Ada Brun", ("fare", "rise")),
    ("What was the response of the mayor to the strike?", "mayor", ("strike",)),
])
def test_a_speech_noun_asks_for_someones_words(text: str, speaker: str, topic: tuple[str, ...]) -> None:
    q = ask(text)
    assert (q.kind, q.speaker, q.topic) == ("quote", speaker, topic)


def test_a_part_about_the_first_parts_answer_is_not_split_off() -> None:
    q = ask("Who chaired the inquiry, and what nationality is she?")
    assert q.parts == ()
    assert q.kind == "person"
    # "it" stands for the first part's topic, not its answer: still two parts
    q = ask("How many buses were bought, and what did the mayor say about it?")
    assert [p.kind for p in q.parts] == ["number", "quote"]


def test_a_leading_phrase_with_a_comma_is_not_a_part() -> None:
    q = ask("Apart from the port, which sites were flooded?")
    assert q.parts == ()
    assert q.kind == "list"


@pytest.mark.parametrize(("text", "unit"), [
    ("What share of the water is lost through leaks?", "share"),
    ("What is the full capacity of the reservoir?", "capacity"),
    ("How long will the new pipeline be?", ""),
    ("How large a fine did the regulator impose?", "fine"),
    ("How big a majority did the mayor win?", "majority"),
    ("What was the final bill for the flood repairs?", "bill"),
    ("What is the town's population?", "population"),
])
def test_questions_asking_for_a_measure_are_number_questions(text: str, unit: str) -> None:
    q = ask(text)
    assert (q.kind, q.unit) == ("number", unit)


@pytest.mark.parametrize(("text", "extent"), [
    ("How long will the new pipeline be?", "long"),
    ("How far is the camp from the border?", "far"),
    ("How much did the town spend on the new pipeline?", "sum"),
    ("How much did the new bridge add to the town's debt?", "much"),
    ("How much water did the farms use?", ""),
    ("How often do the ferries sail?", "often"),
])
def test_how_long_or_far_asks_for_a_measured_extent(text: str, extent: str) -> None:
    assert ask(text).extent == extent


def test_a_part_that_names_no_noun_counts_what_the_part_before_counts() -> None:
    q = ask("How many beds were promised in May, and how many did the hospital open?")
    assert [(p.kind, p.unit) for p in q.parts] == [("number", "bed"), ("number", "bed")]
    assert {"bed", "beds"} & set(q.parts[1].query.split())  # searched for with its noun
    q = ask("How many beds were promised, and how many nurses were hired?")
    assert [p.unit for p in q.parts] == ["bed", "nurse"]
    assert q.parts[1].context == ()
    q = ask("How many beds were promised, and how much did they cost?")  # a sum, not beds
    assert [(p.unit, p.extent) for p in q.parts] == [("bed", ""), ("", "sum")]


def test_a_bare_question_word_asks_its_question_of_the_next_part() -> None:
    first, second = ask("Where and when will the summit of the two mayors take place?").parts
    assert (first.kind, second.kind) == ("place", "time")
    assert first.text == "Where will the summit of the two mayors take place?"
    assert "summit" in first.focus  # not a question word alone, which any place would answer


def test_a_later_part_is_read_as_a_follow_up_of_the_part_before() -> None:
    first, second = ask("When was the bridge due to open, and when did it actually open?").parts
    assert second.text == "When did the bridge actually open?"
    # the words taken from the part before are read as they were there: a noun, not a name
    assert "bridge" in second.focus and second.names == ()
    # an "it" that stands for the clause after it refers to nothing before it
    q = ask("How long were the pumps out of action, and how long did it take to repair the main?")
    assert q.parts[1].text == "how long did it take to repair the main?"


def test_a_bare_how_much_is_searched_for_with_the_noun_the_part_before_asks_for() -> None:
    q = ask("What premium did the union want, and how much did the company offer?")
    assert (q.parts[0].unit, q.parts[1].extent) == ("premium", "much")
    assert "premium" in q.parts[1].context and "premium" in q.parts[1].query.split()


def test_a_described_speaker_keeps_the_words_that_describe_them() -> None:
    q = ask("What did the mayor of Portvale say about the buses?")
    assert q.kind == "quote" and q.speaker_words[0] == "mayor" and "portvale" in q.speaker_words


def test_a_speaker_described_by_title_matches_the_named_speaker() -> None:
    from qa.answer.names import speaker_fit

    assert speaker_fit("Ortiz", ("ortiz",), "Lena Ortiz", ()) == 1.0
    assert speaker_fit("mayor Portvale", ("mayor", "portvale"), "Lena Ortiz", ("mayor", "portvale")) == 1.0
    assert speaker_fit("mayor Portvale", ("mayor", "portvale"), "Lena Ortiz", ("mayor",)) == 0.5
    assert speaker_fit("mayor Portvale", ("mayor", "portvale"), "Ivo Brandt", ("councillor",)) == 0.0


def test_a_role_word_close_in_meaning_half_fits_the_asked_speaker() -> None:
    from qa.answer.names import speaker_fit

    def similar(word: str, roles: object) -> float:  # a stand-in for the embedder's word similarity
        return 0.95 if (word, tuple(roles)) == ("manager", ("manage", "project")) else 0.1  # type: ignore[arg-type]

    asked = ("project manager", ("manager", "project"))
    assert speaker_fit(*asked, "Ana Ruiz", ("manage", "project"), similar) == 0.5  # "who manages the project"
    assert speaker_fit(*asked, "Ana Ruiz", ("manage", "project")) == 0.0  # without similarity, no fit
    assert speaker_fit(*asked, "Ivo Brandt", ("councillor",), similar) == 0.0


def test_a_description_matching_in_most_of_its_other_words_half_fits() -> None:
    from qa.answer.names import speaker_fit

    # "the port's safety inspection chief" for "X, the port's head of safety inspection"
    asked = ("port safety inspection chief", ("chief", "port", "safety", "inspection"))
    assert speaker_fit(*asked, "Ana Ruiz", ("head", "inspection", "port", "safety")) == 0.5
    assert speaker_fit(*asked, "Ana Ruiz", ("head", "safety")) == 0.0  # one other word only
    assert speaker_fit(*asked, "Ana Ruiz", ("head", "port", "finance")) == 0.0


def test_a_described_speaker_is_not_any_speaker_sharing_its_head_word() -> None:
    from qa.answer.names import speaker_fit

    q = ask("What did the chief nurse tell the paper about the wards?")
    assert q.speaker == "chief nurse"
    asked = (q.speaker, q.speaker_words)
    assert speaker_fit(*asked, "the nurse", ("senior", "nurse")) == 0.5  # "a senior nurse ... the nurse said"
    assert speaker_fit(*asked, "Ana Ruiz", ("chief", "group", "nurse")) == 1.0  # "Ana Ruiz, the group's chief nurse"
    assert speaker_fit("Ruiz", ("ruiz",), "Ana Ruiz", ()) == 1.0  # a name still matches by surname


def test_a_description_matches_a_speaker_in_whole_words_only() -> None:
    from qa.answer.names import same_speaker, speaker_fit

    assert same_speaker("chief nurse", "the chief nurse of the clinic")
    assert not same_speaker("he", "the head of the firm")  # not the letters of "the"
    assert not same_speaker("nurse", "the nurses' union")
    assert speaker_fit("he", ("he",), "The firm", ()) == 0.0


@pytest.mark.parametrize(("text", "speaker", "words"), [
    # "he" is whoever the part before asks for by its noun, or the one person it names
    ("Which senator chaired the inquiry, and what did she say about the vote?", "senator", ("senator",)),
    ("Which senator objected to the bill, and what did she say about the vote?", "senator", ("senator",)),
    ("When did Ana Ruiz arrive at the port, and what did she say about the delay?", "Ana Ruiz", ("ruiz", "ana")),
])
def test_a_pronoun_speaker_is_the_one_the_part_before_asks_for_or_names(
        text: str, speaker: str, words: tuple[str, ...]) -> None:
    q = ask(text)
    assert len(q.parts) == 2 and q.parts[1].kind == "quote"
    assert (q.parts[1].speaker, q.parts[1].speaker_words) == (speaker, words)


@pytest.mark.parametrize("text", ["What were the striking nurses asking for?", "What did the union call for?"])
def test_asking_or_calling_for_something_is_not_asking_for_words(text: str) -> None:
    assert ask(text).kind != "quote"


@pytest.mark.parametrize("text", ["What did it cost to rebuild the pier?", "What is the new ferry contract worth?",
                                  "What did the council pay the consultants?", "What did the town spend on roads?"])
def test_what_a_verb_of_price_asks_for_is_a_sum(text: str) -> None:
    q = ask(text)
    assert (q.kind, q.unit, q.extent) == ("number", "", "sum")


@pytest.mark.parametrize("text", ["How much does a single ticket on Harbourton's ferry cost?",
                                  "How much did the new bridge cost?"])
def test_how_much_before_the_verb_asks_for_a_sum_not_a_count_of_its_subject(text: str) -> None:
    q = ask(text)
    assert (q.kind, q.unit, q.extent) == ("number", "", "sum")
    assert (ask("How much new data was lost?").unit, ask("How many stops were planned?").unit) == ("datum", "stop")


def test_what_something_was_paid_for_is_not_a_sum() -> None:
    assert ask("What did the council pay the consultants for?").kind != "number"


@pytest.mark.parametrize(("text", "unit", "count"), [
    ("Name the three hospitals that were hit by the storm.", "hospital", 3),
    ("Name the two firms that built the bridge and what each one did.", "firm", 2),
    ("Which two leaders met in Lisbon?", "leader", 2),
    ("List the towns that lost power.", "town", 0),
])
def test_a_list_question_keeps_its_noun_and_how_many_it_asks_for(text: str, unit: str, count: int) -> None:
    q = ask(text)
    assert (q.kind, q.unit, q.count) == ("list", unit, count)


def test_according_to_a_named_source_asks_for_their_words() -> None:
    q = ask("According to Anna Berg, why did the bridge close?")
    assert (q.kind, q.speaker) == ("quote", "Anna Berg")
    assert set(q.topic) >= {"bridge", "close"} and "accord" not in q.focus
    report = ask("According to the report, why did the bridge close?")  # an article, not a speaker
    assert report.kind == "free" and "accord" not in report.focus
