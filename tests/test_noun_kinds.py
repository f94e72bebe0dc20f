"""The kind of name a common noun stands for, with the real bundled embedder (MiniLM).

General English nouns, none from the bundled or evaluation articles: a noun for people, for
bodies or for places has that kind; a noun for an amount, a quality, a plan or an event is no
kind of name, so that "what top speed ...?" is not answered by a person's name.
"""

from __future__ import annotations

import pytest

from qa.answer.units import NounKinds
from qa.backends.embedder import SentenceTransformerEmbedder


@pytest.fixture(scope="module")
def kinds() -> NounKinds:
    return NounKinds(SentenceTransformerEmbedder())


@pytest.mark.parametrize(("noun", "kind"), [
    ("mayor", "person"), ("surgeon", "person"), ("general", "person"),
    ("firm", "organisation"), ("airline", "organisation"),
    ("town", "place"), ("province", "place"),
    ("speed", ""), ("premium", ""), ("percentage", ""), ("deadline", ""), ("price", ""),
])
def test_a_noun_has_the_kind_of_name_it_stands_for_or_none(kinds: NounKinds, noun: str, kind: str) -> None:
    assert kinds(noun) == kind
