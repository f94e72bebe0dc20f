"""Text normalisation and tokenisation for *matching*; the original text is never changed.

`normalize` is length-preserving: character i of the result stands for character i of the input,
so a span found in normalised text is the same span in the original. It folds the typographic
variants the articles use (backticks and curly quotes as apostrophes, curly double quotes, dashes)
and lower-cases. It does not stem, strip accents or collapse white space; `tokens` does the
matching-level work (word split, possessives, a light suffix stemmer, stopwords).
"""

from __future__ import annotations

import re

_CHAR_MAP = {
    "`": "'",
    "\u2018": "'",  # left single quote
    "\u2019": "'",  # right single quote / typographic apostrophe
    "\u02bc": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
}

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves also said says say tell told
    according""".split()
)

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def normalize(text: str) -> str:
    """Fold quotes, dashes and case, keeping the length (and so every offset) unchanged."""
    out = []
    for ch in text:
        ch = _CHAR_MAP.get(ch, ch)
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


def stem(word: str) -> str:
    """A deliberately small suffix stemmer: plurals, -ment, -ly, -ing, -ed. Same rules for query
    and text; it over-stems now and then ("news" -> "new"), which costs little in ranking."""
    word = _stem_plural(word)
    if len(word) > 7 and word.endswith("ment"):
        return word[:-4]
    if len(word) > 5 and word.endswith("ly"):
        return word[:-2]
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    return word


def _stem_plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Normalised words, possessive 's removed and inner apostrophes dropped ("isn't" -> "isnt")."""
    result = []
    for match in _WORD.finditer(normalize(text)):
        word = match.group(0)
        if word.endswith("'s"):
            word = word[:-2]
        result.append(word.replace("'", ""))
    return result


def tokens(text: str) -> list[str]:
    """Stemmed content words for lexical matching (stopwords removed)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def find_normalized(haystack: str, needle: str) -> int:
    """Offset of `needle` in `haystack` after normalising both and folding runs of white space.

    Returns -1 when absent. The offset is in `haystack`'s own coordinates.
    """
    pattern = r"\s+".join(re.escape(part) for part in normalize(needle).split())
    if not pattern:
        return -1
    match = re.search(pattern, normalize(haystack))
    return match.start() if match else -1
