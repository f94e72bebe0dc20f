"""Evidence passages: a sentence that leans on the one before it is shown with it."""

from __future__ import annotations

import pytest
from fakes import HashEmbedder

from qa.answer.evidence import select_evidence
from qa.assistant import Assistant
from qa.config import load_config
from qa.retrieve.retriever import SentenceHit

ARTICLE = ("Hospital costs\n\nBoard papers put the cost of the attack so far at 14 million pounds. "
           "That includes 5 million pounds for new hardware and 3 million pounds for overtime. "
           "The board meets again in May. That month the audit is due. "
           "Mayor Ada Brun visited the ward on Friday. \"We will rebuild it all,\" she stressed. "
           "The nurses brought cake. Everyone was hungry, they found.\n\n"
           "Councillor Ivo Sand praised the nurses on Monday. However, he disputed the cost of the new wing. "
           "The union thanked Sand. Later that week, Sand said he was worried about the delays.\n")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("evidence")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "costs.txt").write_text(ARTICLE, encoding="utf-8")
    a = Assistant(load_config(env={}, index_dir=root / "index", corpus_dir=corpus), embedder=HashEmbedder())
    a.ingest()
    return a


def _passage_of(a: Assistant, opening: str) -> str:
    data = a.retriever.data
    row = next(s.row for s in data.sentences if data.documents[s.doc_id].text[s.start:s.end].startswith(opening))
    s = data.sentences[row]
    text = data.documents[s.doc_id].text[s.start:s.end]
    [passage] = select_evidence([SentenceHit(1, s.doc_id, s.start, s.end, text, 1.0, row)], data, 3)
    return passage.text


@pytest.mark.parametrize(("opening", "before"), [
    ("That includes", "Board papers put the cost"),  # "that" stands for what the sentence before said
    ("That month", "The board meets again"),
    ("\"We will rebuild", "Mayor Ada Brun visited"),  # closed by a pronoun and a verb reporting speech
    ("However, he disputed", "Councillor Ivo Sand praised"),  # reports someone it does not name
])
def test_a_sentence_opening_with_a_demonstrative_is_shown_with_the_one_before(
        assistant: Assistant, opening: str, before: str) -> None:
    text = _passage_of(assistant, opening)
    assert text.startswith(before) and opening in text


def test_a_sentence_that_stands_alone_is_shown_alone(assistant: Assistant) -> None:
    assert _passage_of(assistant, "The board meets").startswith("The board meets")
    assert "That includes" not in _passage_of(assistant, "The board meets")


def test_a_sentence_closed_by_a_pronoun_and_a_verb_not_of_speech_stands_alone(assistant: Assistant) -> None:
    assert _passage_of(assistant, "Everyone was hungry").startswith("Everyone was hungry")


def test_a_speaker_named_by_surname_alone_stands_alone(assistant: Assistant) -> None:
    assert _passage_of(assistant, "Later that week").startswith("Later that week")
