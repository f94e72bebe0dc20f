"""Passage features from the real spaCy analysis of invented sentences (a hashing embedder stands
in for MiniLM)."""

from __future__ import annotations

import pytest
from fakes import HashEmbedder

from qa.answer.features import PassageEvidence, featurize, unnamed_speakers
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



def test_the_model_reads_who_speaks_in_a_passage_that_names_them_only_by_a_pronoun(analyser: SpacyAnalyser) -> None:
    """"However, she disputed the total" is the mayor's; the passage scorer sees her name before
    it, and a passage that names its speaker is scored as written."""
    from fakes import FakeScorer

    from qa.answer.lm_scores import lm_scores

    text = "Mayor Ana Ruiz said the depot would open in May. However, she disputed the total."
    sentences = split_sentences(text)
    analyses = analyser.analyse(text, [(s.start, s.end) for s in sentences])
    first, last = (Passage(n, "doc", "Depot", s.start, s.end, text[s.start:s.end])
                   for n, s in enumerate(sentences, 1))
    evidence = [PassageEvidence(first, (analyses[0],), 0.5, 1), PassageEvidence(last, (analyses[1],), 0.5, 2)]
    unnamed = [unnamed_speakers(e) for e in evidence]
    assert unnamed[0] == () and len(unnamed[1]) == 1 and unnamed[1][0].endswith("Ana Ruiz")
    scorer = FakeScorer("Ana Ruiz")
    scores = lm_scores("How did Ana Ruiz respond?", [first, last], scorer, unnamed)
    assert "Ana Ruiz: However, she disputed the total." in scorer.scored[1][0]
    assert scores[1].logprob == scores[0].logprob  # both passages now name her once
