"""Does a text mention a question's name: surnames, countries under their other names, demonyms
and world regions (`qa.answer.names`; no model, no parse)."""

from __future__ import annotations

import pytest

from qa.answer.names import names_found


@pytest.mark.parametrize(("name", "text"), [
    ("Ortiz", "Lena Ortiz said the talks would resume."),
    ("Norwegian", "Norway's minister said the talks would resume."),
    ("UK", "The U.K. minister said the talks would resume."),
    ("Indian", "India's minister said the talks would resume."),  # not the British Indian Ocean Territory's
    ("European", "The production of shells in Europe is too slow."),  # a region and its adjective
])
def test_a_name_is_found_under_another_form(name: str, text: str) -> None:
    assert names_found([name], text) == 1.0


@pytest.mark.parametrize(("name", "text"), [
    ("Ortiz", "Lena Ruiz said the talks would resume."),
    ("European", "France's minister said the talks would resume."),  # a country is not its region
    ("Asian", "The production of shells in Europe is too slow."),
])
def test_a_name_the_text_does_not_mention_is_not_found(name: str, text: str) -> None:
    assert names_found([name], text) == 0.0
