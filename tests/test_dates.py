"""What a date expression states, for the time noun a question asks with."""

from __future__ import annotations

import pytest

from qa.language.dates import states


@pytest.mark.parametrize(("text", "grain", "expected"), [
    ("in 1987", "year", True),
    ("the 1980s", "year", True),
    ("last month", "year", False),
    ("March", "month", True),
    ("Aug. 4", "month", True),
    ("next week", "month", False),
    ("March 10", "date", True),
    ("10 March", "date", True),
    ("the 3rd of May", "date", True),
    ("14/03/2025", "date", True),
    ("Monday", "date", False),
    ("March 2024", "date", False),
    ("December", "date", False),
    ("Wednesday afternoon", "weekday", True),
    ("March 22", "weekday", False),
    ("last month", "day", True),  # "on what day" takes any date
])
def test_a_date_states_what_the_time_noun_asks_for(text: str, grain: str, expected: bool) -> None:
    assert states(text, grain) is expected
