"""Names and numbers in a piece of text, for the support judge and the abstention check.

A "name" is a capitalised word that is not an ordinary sentence opener or question word, or an
acronym; a "number" is written in digits or as a number word, and is compared as digits. Matching
goes through a small alias table (US / U.S. / United States / American). This is a heuristic, not
named-entity recognition: it errs towards treating a capitalised word as a name.
"""

from __future__ import annotations

import re

from .text import STOPWORDS, normalize, words

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "twice": 2, "once": 1, "second": 2, "third": 3, "first": 1,
}
_NOT_NAMES = STOPWORDS | {
    "did", "does", "do", "is", "are", "was", "were", "how", "many", "much", "which", "who", "what", "when",
    "where", "why", "according", "can", "could", "would", "should", "will", "has", "have", "had", "i",
    "in", "on", "at", "after", "before", "during", "while", "despite", "however", "but", "and", "or",
    "it", "its", "they", "he", "she", "we", "our", "this", "these", "those", "there", "regarding",
    "notably", "furthermore", "intriguingly", "simultaneously", "immediately", "less", "more", "about",
    "meanwhile", "although", "as", "by", "for", "from", "if", "not", "no", "yes", "name", "list", "give",
    "tell", "explain", "describe", "summarize", "formal", "president", "prime", "minister",
}
ALIASES: dict[str, tuple[str, ...]] = {
    "us": ("us", "u s", "united states", "american", "america", "washington", "white house"),
    "american": ("us", "u s", "united states", "american", "america"),
    "uk": ("uk", "u k", "britain", "british", "united kingdom"),
    "british": ("uk", "u k", "britain", "british", "united kingdom"),
    "britain": ("uk", "u k", "britain", "british", "united kingdom"),
    "eu": ("eu", "european union"),
    "dutch": ("dutch", "netherlands"),
    "netherlands": ("dutch", "netherlands"),
    "french": ("french", "france"),
    "france": ("french", "france"),
    "german": ("german", "germany"),
    "germany": ("german", "germany"),
    "italian": ("italian", "italy"),
    "italy": ("italian", "italy"),
    "russian": ("russian", "russia", "moscow", "kremlin"),
    "russia": ("russian", "russia", "moscow", "kremlin"),
    "kremlin": ("kremlin", "russia", "russian", "moscow"),
    "ukrainian": ("ukrainian", "ukraine", "kyiv", "kiev"),
    "ukraine": ("ukrainian", "ukraine"),
    "kyiv": ("kyiv", "kiev"),
    "kiev": ("kyiv", "kiev"),
    "polish": ("polish", "poland"),
    "poland": ("polish", "poland"),
    "finnish": ("finnish", "finland"),
    "finland": ("finnish", "finland"),
    "nato": ("nato",),
}
_CAP_WORD = re.compile(r"[A-Z][\w`'\u2019.-]*")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def names(text: str, common: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Normalised name words of `text`, in order, without repeats ("U.K." -> "uk").

    A capitalised word that opens the text counts only if it is not in `common` (words seen in
    lower case in the material it is checked against): "Troops might..." names nothing.
    """
    found: list[str] = []
    opener = re.match(r"\W*", text)
    first_at = opener.end() if opener else 0
    for match in _CAP_WORD.finditer(text.replace("-", " ")):
        token = match.group(0).rstrip(".'`\u2019-")
        if token.endswith(("'s", "`s", "\u2019s")):
            token = token[:-2]
        key = normalize(token).replace(".", "").replace("'", "")
        if not key or key in _NOT_NAMES or (len(key) == 1 and key != "i"):
            continue
        if match.start() == first_at and key in common:
            continue
        if key not in found:
            found.append(key)
    return found


def numbers(text: str) -> set[str]:
    """Numbers in `text` as digit strings ("twenty-six" and "26" both give "26")."""
    found = {m.group(0).replace(",", "") for m in _DIGITS.finditer(text)}
    tokens = words(text.replace("-", " "))
    i = 0
    while i < len(tokens):
        value = _NUMBER_WORDS.get(tokens[i])
        if value is not None:
            if value in (20, 30, 40, 50, 60, 70, 80, 90) and i + 1 < len(tokens) and \
                    _NUMBER_WORDS.get(tokens[i + 1], 99) < 10:
                value += _NUMBER_WORDS[tokens[i + 1]]
                i += 1
            found.add(str(value))
        i += 1
    return found


def mentions(name: str, text_words: set[str], text_norm: str) -> bool:
    """Whether a normalised name (or one of its aliases) occurs in a text."""
    for alias in ALIASES.get(name, (name,)):
        if " " in alias:
            if alias in text_norm:
                return True
        elif alias in text_words:
            return True
    return False


def lowercase_words(text: str) -> set[str]:
    """Words that occur in lower case somewhere in `text` (so are probably not names)."""
    return set(re.findall(r"\b[a-z][a-z']*\b", text.replace("`", "'")))


def word_set(text: str) -> set[str]:
    """Normalised words of a text with dots in acronyms removed ("U.K." -> "uk")."""
    return set(words(re.sub(r"\b([A-Za-z])\.(?=[A-Za-z]\.)", r"\1", text).replace(".", " ")))


def folded(text: str) -> str:
    """Normalised text with punctuation turned to spaces, for multi-word alias lookups."""
    return " " + " ".join(words(text.replace(".", " "))) + " "
