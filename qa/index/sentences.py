"""Split a document's text into sentences with exact character offsets.

Rules, measured on the bundled articles: a sentence never crosses a line break; a line without
final punctuation (a sub-heading, a credit line) is one segment marked as a heading, and so is a
line that is one short question and nothing else ("Why would the council decide on the port?"); a full stop
after an abbreviation or initials ("U.K. Prime Minister", "Mr. Smith") does not end a sentence; a
quotation closed by "?" or "!" and followed by its speaker ("...too late?" the harbour master
asked) stays with the speaker. It does not handle languages other than English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen sen rep st jr sr col lt gov pres no vs etc inc ltd co corp dept est fig
    jan feb mar apr jun jul aug sep sept oct nov dec approx capt cmdr adm sgt maj""".split()
)
SPEECH_VERBS = frozenset(
    """said says added asked mused wrote stated noted told warned argued insisted replied remarked
    explained declared reportedly""".split()
)
_TERMINALS = ".!?"
_CLOSERS = "\"'\u201d\u2019)]`"
_OPENERS = "\"\u201c'\u2018(["
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+$")
_HEADING_MAX_CHARS = 200
_QUESTION_HEADING_MAX_CHARS = 80


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence as a half-open character span [start, end) of its document's text."""

    start: int
    end: int
    is_heading: bool = False


def split_sentences(text: str) -> list[SentenceSpan]:
    """All sentences of `text`, in order, with offsets into `text`; blank lines yield nothing."""
    spans: list[SentenceSpan] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = offset + (len(body) - len(body.lstrip()))
            end = start + len(stripped)
            if _is_heading(stripped):
                spans.append(SentenceSpan(start, end, is_heading=True))
            else:
                spans.extend(SentenceSpan(start + a, start + b) for a, b in _split_line(stripped))
        offset += len(line)
    return spans


def _is_heading(line: str) -> bool:
    if len(line) > _HEADING_MAX_CHARS:
        return False
    if line[-1] not in _TERMINALS + _CLOSERS + ":;,\u2026":
        return True
    return _is_question_subhead(line)


def _is_question_subhead(line: str) -> bool:
    """A line holding a single short question and no quotation: a sub-heading posed as a question."""
    return (line.endswith("?") and len(line) <= _QUESTION_HEADING_MAX_CHARS
            and not any(c in line[:-1] for c in _TERMINALS) and not any(c in line for c in "\"\u201c\u201d"))


def _split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans (relative to `line`) of one non-empty, stripped line."""
    pieces: list[tuple[int, int]] = []
    begin = 0
    i = 0
    n = len(line)
    while i < n:
        if line[i] not in _TERMINALS:
            i += 1
            continue
        j = i + 1
        while j < n and line[j] in _TERMINALS:
            j += 1
        closed_quote = False
        while j < n and line[j] in _CLOSERS:
            if line[j] == '"' and line[:j].count('"') % 2 == 0:
                break  # an even count before it: this straight quote opens the next sentence
            closed_quote = closed_quote or line[j] in "\"\u201d'\u2019"
            j += 1
        if _ends_sentence(line, begin, i, j, closed_quote):
            pieces.append((begin, j))
            begin = j
            while begin < n and line[begin].isspace():
                begin += 1
        i = j
    if begin < n:
        pieces.append((begin, n))
    return [(a, b) for a, b in pieces if line[a:b].strip()]


def _ends_sentence(line: str, begin: int, stop: int, after: int, closed_quote: bool) -> bool:
    """Whether the terminal punctuation at `stop` (closers up to `after`) ends a sentence."""
    if after >= len(line):
        return False  # the end of the line closes the last piece anyway
    nxt = line[after]
    if not nxt.isspace():
        # Only an opening quote glued to the stop ("...Ukraine."Why ...") starts a new sentence.
        return nxt in "\"\u201c" and after + 1 < len(line) and line[after + 1].isalpha()
    rest = line[after:].lstrip()
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS):
        return False
    if line[stop] == ".":
        word = line[begin:stop + 1].split()[-1] if line[begin:stop + 1].split() else ""
        bare = word.strip("\"'\u201c\u2018(").rstrip(".").lower()
        if _INITIALS.match(word.strip("\"'\u201c\u2018(")) or bare in ABBREVIATIONS:
            return False
    if closed_quote and line[stop] in "?!":
        following = re.findall(r"[\w`']+", rest)[:5]
        if any(w.lower() in SPEECH_VERBS for w in following):
            return False
    return True
