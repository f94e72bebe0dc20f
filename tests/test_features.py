"""Passage features from the real spaCy analysis of invented sentences (a hashing embedder stands
in for MiniLM)."""

from __future__ import annotations

import pytest
from fakes import HashEmbedder

from qa.answer.features import PassageEvidence, featurize
from qa.answer.question import analyse_question
from qa.answer.types import Passage
from qa.answer.units import Meanings
from qa.index.sentences import split_sentences
from qa.language.nlp import SpacyAnalyser


@pytest.fixture(scope="module")
def analyser() -> SpacyAnalyser:
    return SpacyAnalyser()


def test_a_passage_mentions_the_speaker_it_quotes(analyser: SpacyAnalyser) -> None:
    """"We need more buses" continues Ana Ruiz's words: the passage holding it mentions her,
    though it does not write her name."""
    text = "Asked about the depot, Mayor Ana Ruiz said: We cannot wait. We need more buses for the routes."
    sentences = split_sentences(text)
    analyses = analyser.analyse(text, [(s.start, s.end) for s in sentences])
    last = sentences[-1]
    passage = Passage(1, "doc", "Buses", last.start, last.end, text[last.start:last.end])
    question = analyse_question(analyser.parse("What did Ana Ruiz say about buses?"))
    (featured,) = featurize(question, [PassageEvidence(passage, (analyses[-1],), 0.5, 1)], text, None,
                            Meanings(HashEmbedder()))
    assert "Ana Ruiz" not in passage.text
    assert featured.value("names") == 1.0
