"""Closed word classes the analysis needs, each from one maintained source.

- Reporting verbs (say, stress, concede, ...): `data/reporting_verbs.txt`, one lemma a line.
- Nouns a question word asks for: measures (`data/measure_nouns.txt`: share, cost, ...), times
  (`data/time_nouns.txt`: date, year, ...; of them, `data/clock_nouns.txt` ask for a time of day:
  time, hour), places (`data/place_nouns.txt`: city, town, ...), explanations
  (`data/reason_nouns.txt`: reason, ground, ...) and sorts (`data/sort_nouns.txt`: kind, type, ...);
  of the measures, those a sum of money answers (`data/money_nouns.txt`: bill, fee, salary, ...)
  and those a percentage answers (`data/ratio_nouns.txt`: share, rate, ...).
- Adjectives that ask "how long/far/old" for a measure (`data/extent_adjectives.txt`), and the
  verbs and adjectives whose "what" asks for a sum (`data/amount_words.txt`: cost, pay, worth, ...).
- Words that make a figure a bound (`data/bound_qualifiers.txt`: more than +, up to -, ...).
- Prepositions that place what follows them (`data/locative_prepositions.txt`: at, in, near, ...).
- Country names, demonyms and other spellings of every country: the `countryinfo` package
  ("Norway" ~ "Norwegian", "United Kingdom" ~ "British" ~ "UK" ~ "Great Britain").
- Currency names of every territory, singular and plural ("euro", "kronor", "rupees"): Babel's
  copy of the Unicode CLDR.
- Number words (one .. ninety, hundred, thousand, million, billion) as values.

Nothing here is drawn from the indexed articles. Forms are compared lower-cased with dots dropped
("U.K." ~ "uk"); forms of three letters or fewer are codes and match only as written in capitals.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_DATA = Path(__file__).with_name("data")
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12,
}


@functools.cache
def word_class(name: str) -> frozenset[str]:
    """The lemmas listed in `data/<name>.txt` (reporting_verbs, measure_nouns, time_nouns,
    clock_nouns, place_nouns, reason_nouns, sort_nouns, money_nouns, ratio_nouns,
    extent_adjectives, amount_words, locative_prepositions, extraposing_verbs)."""
    lines = (_DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@functools.cache
def _bounds() -> dict[str, str]:
    lines = (_DATA / "bound_qualifiers.txt").read_text(encoding="utf-8").splitlines()
    return {line[:-2].strip(): line[-1] for line in lines if line.strip() and not line.startswith("#")}


def bound_of(figure_text: str) -> str:
    """"+" when a figure's words make it a lower bound ("more than 30 nations"), "-" an upper
    bound ("up to 3,000 euros"), "" an estimate or an exact figure ("around 30", "30")."""
    words = figure_text.lower().split()
    for n in (3, 2, 1):
        if " ".join(words[:n]) in _bounds():
            return _bounds()[" ".join(words[:n])]
    return ""


def reporting_verbs() -> frozenset[str]:
    """Lemmas of verbs that report speech or writing."""
    return word_class("reporting_verbs")


def fold(form: str) -> str:
    """A name form as compared: lower case, dots and possessive dropped, spaces single."""
    form = re.sub(r"['\u2019`]s$", "", form.strip())
    return " ".join(form.replace(".", "").lower().split())


@functools.cache
def _countries() -> dict[str, int]:
    """Every folded country form -> a country number (forms of one country share it). A form
    that several countries share ("Indian": India and the British Indian Ocean Territory;
    "American": the United States and the Northern Mariana Islands) is the most populous one's."""
    import countryinfo

    countries = countryinfo.all_countries()
    people = [population if isinstance(population := _field(c, "population"), int) else 0 for c in countries]
    forms: dict[str, int] = {}
    for number, country in enumerate(countries):
        for name in (country.name(), country.demonym(), *(country.alt_spellings() or [])):
            folded = fold(name or "")
            for form in (folded, folded[4:] if folded.startswith("the ") else ""):
                if form and (form not in forms or people[number] > people[forms[form]]):
                    forms[form] = number
    # world regions, numbered below zero: "Europe" and "European", "Eastern Africa" and "Eastern
    # African"; a form that is also a country's stays the country's ("American")
    regions = sorted({str(r).strip() for c in countries for f in ("region", "subregion") if (r := _field(c, f))})
    for number, region in enumerate(regions, start=1):
        for form in (region, *_adjectives(region)):
            forms.setdefault(fold(form), -number)
    return forms


def _field(country: object, name: str) -> object:
    """One of a countryinfo country's fields ("population", "region"), or None when it has none."""
    try:
        return getattr(country, name)()
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _adjectives(region: str) -> list[str]:
    """The adjectives formed from a region's name: "Asia" -> "Asian", "Europe" -> "European"."""
    if region.endswith("a"):
        return [region + "n"]
    if region.endswith("e"):
        return [region + "an"]
    return []


def country_of(form: str) -> int | None:
    """The country a name or demonym stands for (or the world region: "Europe", "European"), or
    None. Codes ("UK", "US") only in capitals."""
    key = fold(form)
    if len(key.replace(" ", "")) <= 3 and form.replace(".", "") != form.replace(".", "").upper():
        return None
    return _countries().get(key)


def same_place(a: str, b: str) -> bool:
    """Whether two name forms name the same country ("Norwegian" ~ "Norway's")."""
    first, second = country_of(a), country_of(b)
    return first is not None and first == second


@functools.cache
def currency_words() -> frozenset[str]:
    """The last word of the English name, singular and plural, of every currency that is legal
    tender somewhere ("US dollars" -> dollar, dollars; "Swedish kronor" -> kronor)."""
    import babel
    from babel.numbers import get_currency_name, get_territory_currencies

    codes = {code for territory in babel.Locale("en").territories if isinstance(territory, str)
             for code in get_territory_currencies(territory, tender=True)}
    words = {get_currency_name(code, count=n, locale="en").split()[-1].lower() for code in codes for n in (1, 2)}
    return frozenset(w for w in words if w.isalpha())


def number_value(word: str) -> float | None:
    """The value of a number written in digits or as a number word ("26", "1,200", "twenty")."""
    text = word.lower().replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        pass
    parts = re.split(r"[-\s]+", text)
    if not parts or not all(p in _NUMBER_WORDS for p in parts):
        return None
    total = 0.0
    current = 0.0
    for p in parts:
        value = _NUMBER_WORDS[p]
        if value >= 100:
            current = max(current, 1) * value
            if value >= 1000:
                total, current = total + current, 0
        else:
            current += value
    return total + current
