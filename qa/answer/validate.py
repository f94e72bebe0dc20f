"""Check a question before any work is done: not empty, not too long, and in English.

The language check is a cheap heuristic (English function words against those of a few other
languages, and non-Latin scripts); it exists to give a clear message instead of a confused answer.
"""

from __future__ import annotations

import re

from ..errors import QuestionError

_ENGLISH = set("the a an of to in on for and is are was were did does do what who which how when where why "
               "with about from by at that this it say said tell has have had will would can".split())
_OTHER = {
    # ISO 639-1 codes: German, French, Spanish, Italian, Dutch
    "de": set("der die das und ist nicht was wer wie hat mit von zu den dem ein eine sagte warum".split()),
    "fr": set("le la les et est pas que qui quoi comment avec pour une des du au dit a-t-il".split()),
    "es": set("el la los las y es que qué quién cómo con para una del dijo por".split()),
    "it": set("il lo gli le e è che chi come con per una del ha detto".split()),
    "nl": set("de het een en is niet wat wie hoe met voor van zei heeft".split()),
}


def check_question(question: str, max_chars: int) -> str:
    """The question, stripped; raises QuestionError with what to do instead."""
    text = " ".join(question.split())
    if not text:
        raise QuestionError("The question is empty; type a question about the articles.")
    if len(text) > max_chars:
        raise QuestionError(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,} "
            "(setting max_question_chars). Ask a shorter question."
        )
    language = _foreign_language(text)
    if language:
        raise QuestionError(
            f"The question looks like {language}; the articles and the model are English only, "
            "so please ask in English."
        )
    return text


def _foreign_language(text: str) -> str | None:
    letters = [c for c in text if c.isalpha()]
    if letters:
        non_latin = sum(1 for c in letters if not ("a" <= c.lower() <= "z" or "\u00c0" <= c <= "\u024f"))
        if non_latin / len(letters) > 0.5:
            return "a language in a non-Latin script"
    words = re.findall(r"[\w'-]+", text.lower())
    if len(words) < 3:
        return None
    english = sum(w in _ENGLISH for w in words)
    best, score = max(((name, sum(w in vocab for w in words)) for name, vocab in _OTHER.items()),
                      key=lambda item: item[1])
    return f"another language (ISO 639-1 '{best}')" if score >= 2 and score > english else None
