"""The default answer style: the model ranks the evidence passages and the best are quoted."""

from __future__ import annotations

import pytest
from fakes import FakeGenerator, FakeScorer, HashEmbedder

from qa.answer import Answer, AnswerDelta, Passage
from qa.assistant import Assistant
from qa.config import Config
from qa.generation import Scorer
from qa.rerank import pick_quotes, rerank

RUTTE_Q = "What did Rutte say about Russia's objection?"


def _passage(number: int, text: str) -> Passage:
    return Passage(number, "d.txt", "Title", number * 100, number * 100 + len(text), text)


def test_rerank_orders_by_score_and_keeps_retrieval_order_on_ties() -> None:
    passages = [_passage(1, "alpha beta"), _passage(2, "gamma gamma"), _passage(3, "delta"), _passage(4, "gamma")]
    ranked = rerank("q?", passages, FakeScorer("gamma"))
    assert [r.passage.number for r in ranked] == [2, 4, 1, 3]
    assert ranked[0].score == 2.0


def test_rerank_prompt_is_the_template_and_the_question_is_the_continuation() -> None:
    scorer = FakeScorer("x")
    rerank("Who won?", [_passage(1, "The  home\nteam won.")], scorer)
    context, continuation = scorer.scored[0]
    assert context.startswith("Passage: The home team won.\n") and context.endswith("Question:")
    assert continuation == " Who won?"


@pytest.mark.parametrize(("lengths", "max_words", "max_passages", "expected"), [
    ((50, 5, 5), 40, 2, [1]),  # the best passage is always quoted, even when it is long
    ((20, 30, 15), 40, 2, [1, 3]),  # the second does not fit, the third does
    ((10, 10, 10), 40, 2, [1, 2]),  # at most two
    ((10, 10, 10), 40, 3, [1, 2, 3]),
])
def test_pick_quotes_fills_a_word_budget(lengths: tuple[int, ...], max_words: int, max_passages: int,
                                         expected: list[int]) -> None:
    passages = [_passage(i, " ".join(["word"] * n)) for i, n in enumerate(lengths, 1)]
    assert [p.number for p in pick_quotes(passages, max_words, max_passages)] == expected


def test_fakes_match_the_protocols() -> None:
    assert isinstance(FakeScorer("x"), Scorer)
    assert not isinstance(FakeGenerator(), Scorer)  # like a remote server


@pytest.fixture
def assistant_with(config: Config):  # type: ignore[no-untyped-def]
    embedder = HashEmbedder()

    def build(generator: object, **changes: object) -> Assistant:
        a = Assistant(config.replace(answer_style="rerank", **changes), embedder=embedder, generator=generator)  # type: ignore[arg-type]
        a.ingest()
        return a

    return build


def test_answer_quotes_the_passage_the_model_prefers(assistant_with) -> None:  # type: ignore[no-untyped-def]
    a = assistant_with(FakeScorer("why should we care"), answer_passages=1)
    answer = a.ask(RUTTE_Q)
    assert not answer.abstained
    assert len(answer.citations) == 1 and "Why should we care what Russia thinks about it?" in answer.citations[0].quote
    assert answer.text.endswith("[1].") and answer.claims[0].origin == "quote"
    doc = a.retriever.data.documents[answer.citations[0].doc_id]
    assert doc.text[answer.citations[0].start:answer.citations[0].end] == answer.citations[0].quote
    assert len(a.generator.scored) == len(answer.evidence)  # every passage was scored once
    assert answer.timings.prompt_tokens > 0
    assert answer.timings.prompt_eval_ms == pytest.approx(0.5 * len(answer.evidence))
    assert a.generator.requests == []  # nothing generated


def test_a_changed_preference_changes_the_answer(assistant_with) -> None:  # type: ignore[no-untyped-def]
    first = assistant_with(FakeScorer("why should we care"), answer_passages=1).ask(RUTTE_Q)
    second = assistant_with(FakeScorer("not for them to decide"), answer_passages=1).ask(RUTTE_Q)
    assert first.citations[0].quote != second.citations[0].quote
    assert "not for them to decide" in second.citations[0].quote


def test_stream_yields_the_quotes_then_the_answer(assistant_with) -> None:  # type: ignore[no-untyped-def]
    events = list(assistant_with(FakeScorer("rutte")).ask_stream(RUTTE_Q))
    assert isinstance(events[-1], Answer) and all(isinstance(e, AnswerDelta) for e in events[:-1])
    assert "".join(e.text for e in events[:-1]) == events[-1].text


def test_a_backend_that_cannot_score_extracts_instead(assistant_with) -> None:  # type: ignore[no-untyped-def]
    from fakes import passage_number

    def reply(req):  # type: ignore[no-untyped-def]
        n = passage_number(req.prompt, "Why should we care")
        return f'"Why should we care what Russia thinks about it?" [{n}].\n'

    a = assistant_with(FakeGenerator(reply))
    answer = a.ask(RUTTE_Q)
    assert answer.text == '"Why should we care what Russia thinks about it?" [1].'
    assert a.generator.requests[0].grammar is not None  # the extract grammar
    assert any("cannot score passages" in n for n in answer.notes)


def test_unanswerable_question_is_not_scored(assistant_with) -> None:  # type: ignore[no-untyped-def]
    a = assistant_with(FakeScorer("merkel"))
    assert a.ask("What did Angela Merkel tell the coalition?").abstained
    assert a.generator.scored == []


