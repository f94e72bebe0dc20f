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


def _names_share(analyser: SpacyAnalyser, text: str, question: str) -> float:
    """The names feature of the passage that is `text`'s last sentence."""
    sentences = split_sentences(text)
    analyses = analyser.analyse(text, [(s.start, s.end) for s in sentences])
    last = sentences[-1]
    passage = Passage(1, "doc", "Buses", last.start, last.end, text[last.start:last.end])
    asked = analyse_question(analyser.parse(question), analyser.parse)
    evidence = PassageEvidence(passage, (analyses[-1],), 0.5, 1)
    (featured,) = featurize(asked, [evidence], text, None, Meanings(HashEmbedder()))
    return featured.value("names")


def test_a_passage_quoting_the_asked_speaker_meets_the_names_that_describe_them(analyser: SpacyAnalyser) -> None:
    """"Norwegian" describes the spokeswoman asked about; the passage quoting "ministry
    spokeswoman Ana Petrova" is hers, though it does not say "Norwegian"; a passage quoting
    someone else does not meet it."""
    question = "What did Norwegian ministry spokeswoman Ana Petrova say about the tolls?"
    hers = "The tolls are unfair, ministry spokeswoman Ana Petrova said on Monday."
    other = "The tolls are unfair, transport minister Olav Berg said on Monday."
    assert _names_share(analyser, hers, question) == 1.0
    assert _names_share(analyser, other, question) < 0.5


def test_a_passage_mentions_the_speaker_it_quotes(analyser: SpacyAnalyser) -> None:
    """"We need more buses" continues Ana Ruiz's words: the passage holding it mentions her,
    though it does not write her name."""
    text = "Asked about the depot, Mayor Ana Ruiz said: We cannot wait. We need more buses for the routes."
    assert "Ana Ruiz" not in text.split(". ")[-1]
    assert _names_share(analyser, text, "What did Ana Ruiz say about buses?") == 1.0


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


def test_passages_of_one_article_share_the_prompt_before_them() -> None:
    """The title is evaluated once for all of an article's passages, and each passage is scored
    as if its whole prompt had been scored alone, in the order given."""
    from fakes import FakeManyScorer, FakeScorer

    from qa.answer.lm_scores import TEMPLATE, lm_scores
    from qa.answer.prompts import render

    passages = [Passage(1, "a", "Depot plans", 0, 10, "The depot opens in May."),
                Passage(2, "b", "Bus fares", 0, 10, "Fares rise by ten cents for the depot."),
                Passage(3, "a", "Depot plans", 20, 30, "The depot will cost more than planned.")]
    shared, alone = FakeManyScorer("depot"), FakeScorer("depot")
    together = lm_scores("When does the depot open?", passages, shared)
    apart = lm_scores("When does the depot open?", passages, alone)
    assert [s.logprob for s in together] == [s.logprob for s in apart]
    assert [(prefix, len(items)) for prefix, items in shared.shared] == [("Depot plans\n", 2), ("Bus fares\n", 1)]
    assert [context for context, _ in shared.scored] == [
        render(TEMPLATE, title=p.title, passage=p.text) for p in (passages[0], passages[2], passages[1])]


def test_the_words_compared_by_meaning_are_embedded_in_one_call() -> None:
    embedder = HashEmbedder()
    unit = Meanings(embedder).unit
    before, texts = embedder.calls, embedder.texts_embedded
    unit.embed_all(["depot", "garage", "opens", "depot", ""])
    assert (embedder.calls, embedder.texts_embedded) == (before + 1, texts + 3)  # each word once
    fit = unit.coverage(["depot", "garage"], ["opens", "garage"])
    assert embedder.calls == before + 1  # every word was embedded already
    assert 0.5 <= fit <= 1.0
    unit.coverage(["stop", "route"], ["bus", "lane"])
    assert embedder.calls == before + 2  # the new words in one call, not one per asked word


def test_a_candidate_answer_is_scored_after_its_passage_s_scored_prompt() -> None:
    """The answer prompt extends the passage's rerank prompt and question, so a backend that keeps
    that prompt's state evaluates only what follows it."""
    from fakes import FakeManyScorer

    from qa.answer.lm_scores import answer_scores, lm_scores

    passage = Passage(1, "a", "Depot plans", 0, 10, "The depot opens in May, not June.")
    scorer = FakeManyScorer("may")
    lm_scores("When does the depot open?", [passage], scorer, [("Ana Ruiz",)])
    (prefix, ((rest, question),)), = scorer.shared
    scores = answer_scores("When does the depot open?", passage, ["May", "June"], scorer, ("Ana Ruiz",))
    context, items = scorer.shared[-1]
    assert context.startswith(prefix + rest + question) and len(context) > len(prefix + rest + question)
    assert [c for _, c in items] == [" May", " June"]
    assert scores[0].logprob > scores[1].logprob
