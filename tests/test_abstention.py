"""The coverage check that decides, before any model runs, whether to abstain."""

from __future__ import annotations

import pytest

from qa.abstention import check_coverage


@pytest.mark.parametrize(("question", "passages", "answerable"), [
    ("What did Angela Merkel tell the coalition?", ["Mark Rutte said it is not for them to decide."], False),
    ("What did Rutte say?", ["Mark Rutte said: \"It's not for them to decide.\""], True),
    ("What did Merz say?", ["Friedrich Merz and Giorgia Meloni joined by video link."], False),  # listed, not speaking
    ("How many countries have committed troops?", ["Twenty-six countries committed troops."], True),
    ("How many countries have committed troops?", ["Many countries committed troops."], False),
    ("When did Russia annex the regions?", ["Russia annexed them in September 2022."], True),
    ("When will the talks begin?", ["The talks will be hard."], False),
    ("On what date did they meet in Alaska?", ["Three weeks after they met in Alaska, allies gathered."], False),
    ("On what date did they meet in Alaska?", ["They met in Alaska on 15 August."], True),
    ("What date was the summit in Paris?", ["The Paris summit was held on September 4th."], True),
])
def test_coverage(question: str, passages: list[str], answerable: bool) -> None:
    assert check_coverage(question, passages).answerable is answerable


def test_reason_names_what_is_missing() -> None:
    result = check_coverage("What did Angela Merkel tell the coalition?", ["Rutte spoke."])
    assert not result.answerable and "merkel" in result.reason.lower()
