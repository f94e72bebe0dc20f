"""Figures for "how many" questions, and answers that show each figure when the articles differ."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeScorer, HashEmbedder

from qa.answer import Passage
from qa.assistant import Assistant
from qa.config import Config
from qa.figures import counted_kinds, differing_figures, figures_in

COUNTRIES = counted_kinds("How many countries are in the coalition?")


def test_counted_kinds() -> None:
    assert {"country", "nation", "ally"} <= COUNTRIES
    both = counted_kinds("How many leaders or countries took part?")
    assert {"leader", "head", "country"} <= both
    assert counted_kinds("Who co-chaired the summit?") == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("a meeting of more than 30 Ukrainian allies", ["more than 30"]),
    ("a coalition comprising around 30 nations", ["around 30"]),
    ("Twenty-six countries have committed troops", ["26"]),
    ("We have 26 countries that have officially committed", ["26"]),
    ("Macron said the countries would meet again", []),  # no figure
    ("26 soldiers were sent", []),  # a figure, but of another kind
])
def test_figures_in(text: str, expected: list[str]) -> None:
    assert figures_in(text, COUNTRIES) == expected


def _p(number: int, doc: str, text: str) -> Passage:
    return Passage(number, doc, "T", 0, len(text), text)


def test_differing_figures_one_passage_per_document_and_figure() -> None:
    q = "How many countries are in the coalition?"
    passages = [_p(1, "a", "The summit was in Paris."), _p(2, "b", "It has around 30 nations."),
                _p(3, "b", "More than 30 countries joined."),  # same document as [2]: skipped
                _p(4, "c", "It has around 30 countries."),  # same figure as [2]: skipped
                _p(5, "d", "Some 26 countries committed troops.")]
    assert [p.number for p in differing_figures(q, passages)] == [2, 5]


def test_agreeing_figures_or_other_questions_give_nothing() -> None:
    same = [_p(1, "a", "It has 26 countries."), _p(2, "b", "Twenty-six countries signed.")]
    assert differing_figures("How many countries signed?", same) == []
    differ = [_p(1, "a", "It has 26 countries."), _p(2, "b", "Some 35 countries signed.")]
    assert differing_figures("Which countries signed?", differ) == []


def test_a_third_figure_must_fit_the_word_budget() -> None:
    long = " ".join(["word"] * 50)
    passages = [_p(1, "a", f"It has 26 countries {long}."), _p(2, "b", f"Some 35 countries {long}."),
                _p(3, "c", "Only 20 countries.")]
    q = "How many countries signed?"
    assert [p.number for p in differing_figures(q, passages, max_words=80)] == [1, 2]
    assert [p.number for p in differing_figures(q, passages, max_words=200)] == [1, 2, 3]


def test_answer_says_the_articles_differ_and_cites_each_figure(config: Config, tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    reports = {"a.txt": "Leaders met in Paris on Thursday. Some 35 countries took part in the Paris meeting.",
               "b.txt": "The Paris meeting was a success. More than 30 countries took part in the meeting.",
               "c.txt": "Around 30 countries took part in the Paris meeting, officials said."}
    for name, text in reports.items():
        (corpus / name).write_text(text + "\n", encoding="utf-8")
    a = Assistant(config.replace(answer_style="rerank", corpus_dir=corpus), embedder=HashEmbedder(),
                  generator=FakeScorer("paris"))
    a.ingest()
    answer = a.ask("How many countries took part in the Paris meeting?")
    assert answer.text.startswith("The articles give different figures: ")
    assert sorted(c.doc_id for c in answer.citations) == ["a.txt", "b.txt", "c.txt"]
    figures = {figures_in(c.quote, counted_kinds(answer.question))[0] for c in answer.citations}
    assert figures == {"some 35", "more than 30", "around 30"}
    docs = a.retriever.data.documents
    assert all(docs[c.doc_id].text[c.start:c.end] == c.quote for c in answer.citations)


def test_agreeing_articles_get_one_quote(config: Config, tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    corpus.mkdir()
    for name in ("a.txt", "b.txt"):
        (corpus / name).write_text("Some 35 countries took part in the Paris meeting.\n", encoding="utf-8")
    (corpus / "c.txt").write_text("The Paris meeting ended late.\n", encoding="utf-8")
    a = Assistant(config.replace(answer_style="rerank", corpus_dir=corpus), embedder=HashEmbedder(),
                  generator=FakeScorer("35"))
    a.ingest()
    answer = a.ask("How many countries took part in the Paris meeting?")
    assert not answer.text.startswith("The articles give different figures")
    assert "35 countries" in answer.citations[0].quote
