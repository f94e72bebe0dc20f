"""What a date expression states: a year, a month, a day of the month, a day of the week.

"In what year ...?" is answered by "in 1987" or "the 1980s", not by "last month"; "On what
date ...?" by "March 10" or "10/03/2024", not by "Monday" alone; "On which day of the week ...?"
by "on Wednesday", not by "March 22". Month and weekday names come from Babel's copy of the
Unicode CLDR (English), not from a hand list. It reads the text of a date the parse found; it
does not find dates.
"""

from __future__ import annotations

import functools
import re

_YEAR = re.compile(r"\b[12]\d{3}s?\b|\b\d0s\b")  # "1987", "2020s", "80s"
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")  # "10/03/2024", "2024-03-10"
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b")


@functools.cache
def _names(kind: str) -> frozenset[str]:
    from babel.dates import get_day_names, get_month_names

    if kind == "month":
        return frozenset(n.lower().rstrip(".") for width in ("wide", "abbreviated")
                         for n in get_month_names(width, locale="en").values())
    return frozenset(n.lower() for n in get_day_names("wide", locale="en").values())


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+", text)]


def states(text: str, grain: str) -> bool:
    """Whether the date `text` states what a question's time noun asks for: "year" (a year in
    figures or a decade), "month" (a month's name), "date" (a month's name with a day's number,
    or a date in figures), "weekday" (a day of the week's name); any date for other nouns."""
    words = _words(text)
    month = any(w in _names("month") for w in words)
    if grain == "year":
        return bool(_YEAR.search(text))
    if grain == "month":
        return month
    if grain == "date":
        return bool(_NUMERIC_DATE.search(text)) or (month and bool(_DAY_NUMBER.search(text)))
    if grain == "weekday":
        return any(w in _names("day") for w in words)
    return True
