"""Follow-up questions: rewritten from the turns before them into questions that stand alone,
and a question that already stands alone never changed. Real spaCy parses; invented articles."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fakes import FakeScorer, HashEmbedder

from qa.answer import Answer
from qa.answer.borrowed import own_names
from qa.answer.conversation import Conversation
from qa.answer.followup import PriorTurn, resolve
from qa.answer.question import Question
from qa.assistant import Assistant
from qa.chat import chat_json
from qa.config import Config
from qa.eval.gold import load_conversations, load_gold
from qa.language.nlp import SpacyAnalyser

ROOT = Path(__file__).resolve().parent.parent
TRAM = Path(__file__).resolve().parent / "data" / "tram"


@pytest.fixture(scope="module")
def parse():  # type: ignore[no-untyped-def]
    return SpacyAnalyser().parse


def turn(question: str, kind: str, direct: tuple[str, ...] = (), quotes: tuple[str, ...] = ()) -> PriorTurn:
    return PriorTurn(question, kind, direct, quotes)


MAYOR = turn("Who cut the ribbon at the central station?", "person", ("Clara Voss",),
             ("Mayor Clara Voss cut the ribbon at the central station.",))
COUNT = turn("How many stations does the tram line have?", "number", ("14 stations",),
             ("The city opened its first tram line on Saturday, with 14 stations.",))
FIRMS = turn("Which firms bid for the contract?", "list", ("Castel Rail", "Nordbahn", "Iberia Vias"),
             ("The bidders were a French, a German and a Spanish firm: Castel Rail, Nordbahn and Iberia Vias.",))
QUOTE = turn("What did Ivo Brandt say about the budget?", "quote", (),
             ("Brandt said the money would have been better spent on buses.",))
RAIN = turn("How much rain fell on Harbourton during the storm?", "number", ("40 litres",), ())
SPEAKERS = turn("How many trams did the operator say were running on Monday?", "number", ("12",), ())
BUILT = turn("When did the city open the tram line?", "time", ("Saturday",),
             ("The city of Harbourton opened its first tram line on Saturday.",))
RULING = turn("What did the court decide on the shopkeepers' claim?", "free", (),
              ("The court rejected the shopkeepers' claim for compensation, citing the public interest.",))
VOTE = turn("By what margin did the council approve the tram budget?", "number", ("27 votes to 22",), ())


@pytest.mark.parametrize(("prior", "question", "expected"), [
    (MAYOR, "What did she say about the line?", "What did Clara Voss say about the line?"),
    (MAYOR, "When did she give her speech?", "When did Clara Voss give her speech?"),  # named once
    (QUOTE, "And what did the mayor say about it?", "What did the mayor say about the budget?"),
    (QUOTE, "What did he say about buses?", "What did Ivo Brandt say about buses?"),
    (turn("Which councillor said the budget had doubled?", "person", (),  # no direct answer: the quote's person
          ("Critics, including councillor Ivo Brandt, argued that the budget had doubled.",)),
     "What did he say about buses?", "What did Ivo Brandt say about buses?"),
    (turn("Which official promised trams every six minutes?", "thing", (),  # "which official": a thing kind
          ("Transport director Omar Haddad stressed that trams would run every six minutes.",)),
     "What did he say about buses?", "What did Omar Haddad say about buses?"),
    (turn("Which firm built the line?", "thing", (), ("The line was built by the engineering firm Castel Rail.",)),
     "Who paid them?", "Who paid Castel Rail?"),
    (COUNT, "Who announced that number?", "Who announced 14 stations?"),
    (FIRMS, "Where are those three based?", "Where are Castel Rail, Nordbahn and Iberia Vias based?"),
    (FIRMS, "What did the German one offer?", "What did Nordbahn offer?"),
    (FIRMS, "What did the second one offer?", "What did Nordbahn offer?"),
    (turn("Who chaired the summit?", "person", ("Anne Morel", "U.K. Minister Tom Hale"),  # "U.K." is one word
          ("The summit was chaired by French Minister Anne Morel and U.K. Minister Tom Hale.",)),
     "How did the British one take part?", "How did U.K. Minister Tom Hale take part?"),
    (turn("Which members still buy the gas?", "organisation", ("the Union",),  # one name, then "those two"
          ("In the Union, only Estonia and Portugal, which are the ministers' allies, still buy the gas.",)),
     "How are those two described?", "How are Estonia and Portugal described?"),
    (FIRMS, "Which of them won?", "Which of Castel Rail, Nordbahn and Iberia Vias won?"),
    (MAYOR, "What did she say there?", "What did Clara Voss say at the central station?"),
    (SPEAKERS, "And the police?", "How many trams did the police say were running on Monday?"),
    # a bare plural stands for what "how many" counts
    (turn("How many operations were postponed because of the flood?", "number", ("412 operations",)),
     "And outpatient appointments?", "How many outpatient appointments were postponed because of the flood?"),
    (RAIN, "And in Portmere?", "How much rain fell in Portmere during the storm?"),
    (RAIN, "What about after the storm?", "How much rain fell on Harbourton after the storm?"),
    (BUILT, "In which month?", "In which month did the city open the tram line?"),
    (RULING, "Why?", "Why did the court reject the shopkeepers' claim for compensation?"),
    (VOTE, "Who abstained?", "Who abstained, regarding the council and the tram budget?"),
    # the noun the question phrase asked about stays ("how much ransom" -> "the ransom")
    (turn("How much ransom did the hackers demand from the water company?", "number", ("2 million",)),
     "By when?", "By when did the hackers demand the ransom from the water company?"),
    (turn("How many stations were planned?", "number", ("14",)), "When?", "When were the stations planned?"),
    (turn("Which ferry hit the pier during the storm?", "thing", ("the Lark",)),
     "At what time?", "At what time did the ferry hit the pier during the storm?"),
    # "there" after "at which ...": the place answered, with the question's preposition
    (turn("At which hospital did the outage start?", "thing", ("St Aldric Hospital",)),
     "How many nurses work there?", "How many nurses work at St Aldric Hospital?"),
    # "they" saying something is who was answered, not a figure of the question
    (turn("Who found 90 gigabytes was an exaggeration?", "person", ("Tallow Labs",)),
     "How much did they say actually leaked?", "How much did Tallow Labs say actually leaked?"),
    (turn("How many riders did the line carry on weekdays in May?", "number", ("8,000",)),
     "What about weekends?", "How many riders did the line carry on weekends in May?"),
    # "that" standing alone: the answer, else the whole phrase the question was about
    (turn("How much did the repairs cost the city?", "number", ("3 million euros",)),
     "How much of that went on steel?", "How much of 3 million euros went on steel?"),
    (turn("What did the council put the cost of the repairs at?", "free"),
     "How much of that went on steel?", "How much of the cost of the repairs went on steel?"),
    # a pronoun is not what its own clause, or the subject lending it one, speaks of
    (turn("How many oaks did the residents want to keep?", "number", ("40 oaks",)),
     "How many saplings are to be planted to replace them?", "How many saplings are to be planted to replace 40 oaks?"),
    (turn("How many buses will the city buy?", "number", ("12 buses",)),
     "What models will they be?", "What models will 12 buses be?"),
    # a "how many" that counts no noun counts what the previous one counted ...
    (turn("How many tenants did the landlord first say were affected?", "number", ("300",)),
     "And how many did it end up rehousing?", "How many tenants did the landlord end up rehousing?"),
    (turn("How many people were on the ferry?", "number", ("85 people",)),
     "How many were injured?", "How many people were injured, regarding the ferry?"),
    # ... but "how many of them" counts them
    (turn("How many people were on the ferry?", "number", ("85 people",)),
     "How many of them were children?", "How many of 85 people were children?"),
    # "why" with a topic of its own is tied to the answer and the previous question's nouns
    (turn("How many tenants did the landlord end up rehousing?", "number", ("420 tenants",)),
     "Why the increase?", "Why the increase, regarding 420 tenants and the landlord?"),
    # ... but a noun after a preposition narrows the question word
    (turn("Where did the ministers meet on Monday?", "place", ("Ostrava",)),
     "Where in Ostrava?", "Where in Ostrava did the ministers meet on Monday?"),
    # "it" after "where" is what was asked about, not the place answered ("there" would be) ...
    (turn("Where is Castel Rail based?", "place", ("Lyon",)),
     "How many trams is it building?", "How many trams is Castel Rail building?"),
    # ... and after "which city", the city answered
    (turn("Which city will host the summit?", "place", ("Ostrava",)),
     "How many people live in it?", "How many people live in Ostrava?"),
])
def test_a_follow_up_is_rewritten_from_the_turn_before(parse, prior, question, expected) -> None:  # type: ignore[no-untyped-def]
    rewrite = resolve(parse(question), [prior], parse)
    assert rewrite.text == expected
    assert rewrite.rewritten and all("->" in c or c.startswith("+") for c in rewrite.changes)


@pytest.mark.parametrize("question", [
    "Who built the tram line?",  # stands alone
    "How many stations does the line have?",
    "What did the mayor say she would do next?",  # "she" is the mayor, inside the question
    "How many passengers said they liked the line?",  # "they" are the passengers
    "What did the firm say about its budget?",  # "its": the firm
    "How many trams will run this year?",  # a time of its own
    "Is there a night service?",  # "there" of existence
    "Which firm said that the line was late?",  # "that" opens a clause
    "Who built the bridge that collapsed?",  # "that" relates
    "How long did it take to clear the coastal road?",  # "it" stands for the clause after it
    "Is it true that the line opened late?",
    "What did the mayor say about the new IT contract?",  # a word in capitals, not "it"
])
def test_a_question_that_stands_alone_is_left_as_it_is(parse, question) -> None:  # type: ignore[no-untyped-def]
    for prior in (MAYOR, FIRMS, QUOTE, RAIN):
        assert resolve(parse(question), [prior], parse).text == question


def test_a_pronoun_is_not_replaced_by_another(parse) -> None:  # type: ignore[no-untyped-def]
    """"that" after "What did the council say about it?" is not "it": with nothing better it stays."""
    about_it = turn("What did the council say about it?", "quote", (), ("The council said it was too early.",))
    assert resolve(parse("Who said that?"), [about_it], parse).text == "Who said that?"


def test_it_with_a_clause_that_lacks_its_own_object_still_refers(parse) -> None:  # type: ignore[no-untyped-def]
    # "to build" has no object: "it" is what was built, from the turn before
    assert resolve(parse("How much did it cost to build?"), [BUILT], parse).text == \
        "How much did the tram line cost to build?"


def test_without_earlier_turns_nothing_is_rewritten(parse) -> None:  # type: ignore[no-untyped-def]
    assert not resolve(parse("What did she say about it?"), [], parse).rewritten


def test_no_gold_question_is_changed_by_earlier_turns(parse) -> None:  # type: ignore[no-untyped-def]
    """Every question of the gold sets that stands alone (all of eval/gold.jsonl and the heldout
    set, and the first and topic-switch turns of the conversations) stays as it is after each of
    several earlier turns."""
    questions = [q.question for path in ("eval/gold.jsonl", "eval/heldout/gold.jsonl")
                 for q in load_gold(ROOT / path)]
    questions += [t.item.question for c in load_conversations(ROOT / "eval" / "conversations.jsonl")
                  for t in c.turns if t.kind in ("first", "switch")]
    assert len(questions) > 150
    changed = [(q, p.standalone, r.text) for q in questions for p in (MAYOR, FIRMS, QUOTE, COUNT)
               if (r := resolve(parse(q), [p], parse)).text != q]
    assert changed == []


# -- the conversation through the assistant ----------------------------------------------------

@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tram-index")
    Assistant(Config(index_dir=folder, corpus_dir=TRAM), embedder=HashEmbedder()).ingest()
    return folder


@pytest.fixture(scope="module")
def assistant(index_dir: Path) -> Assistant:
    return Assistant(Config(index_dir=index_dir, corpus_dir=TRAM), embedder=HashEmbedder(),
                     generator=FakeScorer("Voss"))  # type: ignore[arg-type]


def test_chat_answers_a_follow_up_as_its_standalone_question(assistant: Assistant) -> None:
    conversation = Conversation()
    first = assistant.chat(conversation, "Who cut the ribbon at the central station?")
    assert "Clara Voss" in first.direct and first.standalone == first.question
    follow = assistant.chat(conversation, "What did she say about the line?")
    assert follow.question == "What did she say about the line?"
    assert follow.answered_as == "What did Clara Voss say about the line?"
    assert follow.rewrites == ("she -> Clara Voss",)
    assert "change how people move" in follow.text and follow.citations
    assert [t.question for t in conversation.turns] == [first.question, follow.question]


def test_a_standalone_question_gets_the_same_answer_after_earlier_turns(assistant: Assistant) -> None:
    alone = assistant.ask("How many passengers did the first week bring?")
    conversation = Conversation()
    assistant.chat(conversation, "Who cut the ribbon at the central station?")
    after = assistant.chat(conversation, "How many passengers did the first week bring?")
    assert (after.text, after.citations, after.answered_as) == (alone.text, alone.citations, alone.question)


def test_a_conversation_survives_json(assistant: Assistant) -> None:
    conversation = Conversation()
    assistant.chat(conversation, "Who cut the ribbon at the central station?")
    copy = Conversation.from_json(conversation.to_json())
    assert copy.turns == conversation.turns
    assert Answer.from_dict(conversation.turns[0].answer.to_dict()) == conversation.turns[0].answer
    # the copy carries the context: a follow-up on it is resolved as on the original
    assert assistant.standalone("What did she say?", copy) == "What did Clara Voss say?"


def test_chat_json_writes_one_line_per_question_and_a_blank_line_starts_over(assistant: Assistant) -> None:
    lines = ["Who cut the ribbon at the central station?", "What did she say about the line?", "",
             "What did she say about the line?", "x" * 5000]
    out = io.StringIO()
    failed = chat_json(assistant, lines, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 4 and failed == 1
    assert records[1]["answered_as"] == "What did Clara Voss say about the line?"
    assert records[2]["answered_as"] == "What did she say about the line?"  # context cleared
    assert "error" in records[3] and "characters" in records[3]["error"]


def test_a_follow_up_asking_for_words_must_meet_the_speaker_not_the_earlier_topics_names() -> None:
    """"And what did Brandt say about it?" answered as "What did Brandt say about the tram line in
    Harbourton?": Brandt must be met, Harbourton (the earlier turn's) need not; a name the person
    typed stays, and a question that asks for no one's words keeps all its names."""
    standalone = Question("What did Brandt say about the tram line in Harbourton?", "quote", speaker="Brandt",
                          names=("Brandt", "Harbourton"))
    assert own_names(standalone, "And what did Brandt say about it?").names == ("Brandt",)
    assert own_names(standalone, "What did Brandt say about it in Harbourton?").names == ("Brandt", "Harbourton")
    counted = Question("How many stations does the line in Harbourton have?", "number", "station",
                       names=("Harbourton",))
    assert own_names(counted, "How many stations does it have?") == counted
