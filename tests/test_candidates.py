"""Candidate answers of the asked kind, from the real spaCy analysis of invented sentences (a
hashing embedder stands in for MiniLM: no similarity between different words)."""

from __future__ import annotations

import pytest
from fakes import HashEmbedder

from qa.answer.candidates import Candidate, candidates
from qa.answer.compose import FIT_FLOOR
from qa.answer.question import analyse_question
from qa.answer.units import Meanings
from qa.language.nlp import SpacyAnalyser


@pytest.fixture(scope="module")
def analyser() -> SpacyAnalyser:
    return SpacyAnalyser()


def found(analyser: SpacyAnalyser, question: str, text: str) -> dict[str, Candidate]:
    sentences = analyser.analyse(text, [(0, len(text))])
    asked = analyse_question(analyser.parse(question))
    return {c.text: c for c in candidates(asked, "doc", sentences, Meanings(HashEmbedder()))}


def direct(c: Candidate) -> bool:
    """What `compose` may give as the direct answer."""
    return c.typed and c.fit >= FIT_FLOOR


def test_a_length_of_time_does_not_answer_when(analyser: SpacyAnalyser) -> None:
    """"14 months" and "a five-hour search" say how long, not when; the date does."""
    got = found(analyser, "When did the bridge reopen?",
                "The bridge reopened on Friday after a five-hour search and 14 months of repairs.")
    assert direct(got["Friday"])
    lengths = [c for text, c in got.items() if "month" in text or "hour" in text]
    assert lengths and not any(direct(c) for c in lengths)
    assert all(c.fit < got["Friday"].fit for c in lengths)


def test_at_what_time_asks_for_a_time_of_day(analyser: SpacyAnalyser) -> None:
    text = "The ferry left the harbour at 6:15 p.m. on Friday."
    clock = found(analyser, "At what time did the ferry leave the harbour?", text)
    assert direct(clock["6:15 p.m."]) and not direct(clock["Friday"])
    day = found(analyser, "When did the ferry leave the harbour?", text)
    assert direct(day["6:15 p.m."]) and direct(day["Friday"])  # "when" takes either
