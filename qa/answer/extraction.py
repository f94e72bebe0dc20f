"""Candidate answer spans and the grammar that makes the model choose among them.

For small models, free text wanders; so in the "extract" answer style the model may only write
verbatim spans of the passages it was given (whole sentences, quotations, and clauses of five
words or more), each already tied to its passage number. The model's job is to pick the span(s)
that answer the question. This module builds the candidates and the GBNF; it does not call a model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..index.sentences import split_sentences
from .types import Passage

_QUOTATION = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+)[\"\u201d]")
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:]|\s-\s|\u2014)\s+")
_MIN_CLAUSE_WORDS = 5
_MIN_QUOTE_WORDS = 3
_TRAILING = ".,;: "


@dataclass(frozen=True)
class Span:
    text: str
    passage: int


def candidate_spans(passages: Sequence[Passage]) -> list[Span]:
    """Distinct verbatim spans of the passages, longest units first within each passage."""
    seen: set[str] = set()
    spans: list[Span] = []

    def add(text: str, number: int) -> None:
        text = " ".join(text.split()).strip(_TRAILING)
        if text and text.lower() not in seen:
            seen.add(text.lower())
            spans.append(Span(text, number))

    for p in passages:
        for s in split_sentences(p.text):
            sentence = p.text[s.start:s.end]
            add(sentence, p.number)
            for m in _QUOTATION.finditer(sentence):
                inner = m.group(1).strip(_TRAILING)
                if len(inner.split()) >= _MIN_QUOTE_WORDS:
                    add(f'"{inner}"', p.number)
            pieces = _CLAUSE_BREAK.split(sentence)
            if len(pieces) > 1:
                for piece in pieces:
                    if len(piece.split()) >= _MIN_CLAUSE_WORDS and '"' not in piece.strip('"'):
                        add(piece, p.number)
    return spans


def extract_grammar(spans: Sequence[Span]) -> str:
    """GBNF: one or two claims, each a candidate span followed by its own citation marker."""
    if not spans:
        raise ValueError("no candidate spans")
    alternatives = " | ".join(_literal(f"{s.text} [{s.passage}].") for s in spans)
    return "\n".join([
        'root ::= claim (" " claim)? "\\n"',
        f"claim ::= {alternatives}",
    ])


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
