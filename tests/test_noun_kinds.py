"""The kind of name a common noun stands for, with the real bundled embedder (MiniLM).

General English nouns, none from the bundled or evaluation articles: a noun for people, for
bodies or for places has that kind; a noun for an amount, a quality, a plan, an event, a vehicle
or a machine is no kind of name, so that "what top speed ...?" is not answered by a person's name
nor "which ferry ...?" by a town's.
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
    # a vehicle or a machine is no kind of name either ("which ferry ...?" is not asking for a place)
    ("ferry", ""), ("helicopter", ""), ("tractor", ""), ("engine", ""),
])
def test_a_noun_has_the_kind_of_name_it_stands_for_or_none(kinds: NounKinds, noun: str, kind: str) -> None:
    assert kinds(noun) == kind


@pytest.mark.parametrize("noun", ["party", "parties", "lorry", "van", "bus"])
def test_a_noun_whose_word_vector_misleads_is_not_taken_for_a_person_or_a_place(kinds: NounKinds, noun: str) -> None:
    """Alone or after "a", MiniLM puts these nearest to a person or a place; only a kind both
    agree on counts."""
    assert kinds(noun) not in ("person", "place")
