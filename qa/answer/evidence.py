"""Turn ranked sentences into the numbered passages the model sees.

A sentence that leans on the one before it (it opens with a pronoun or a demonstrative, "That
includes ...", is a quotation closed by a pronoun and a verb of speech, "he added", "she
stressed", or reports someone it does not name, "However, she disputed the total") is shown
together with that sentence, so a passage names who is speaking and what
"that" is. The verbs of speech are the ones the ingest analysis found reporting (its
`attributions`, from the one list of reporting verbs). Passages that overlap are merged; at most
`limit` are kept, in rank order. Nothing here scores relevance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index.store import IndexData
from ..language.analysis import SentenceAnalysis
from ..retrieve.retriever import SentenceHit
from .names import TextNames, is_named
from .types import Passage

LEANS_BACK = re.compile(r"^\W*(he|she|they|it|this|that|these|those|his|her|their|its)\b", re.IGNORECASE)
# a quotation closed by a pronoun and its verb ("... ," he added): the verb is one the analysis
# found reporting speech (`Attribution`, from the one list of reporting verbs)
_CLOSED_BY_PRONOUN = re.compile(r"\b(he|she|they) \w+\W*$", re.IGNORECASE)
# a person the sentence reports without naming ("However, she disputed the total"); speech that
# runs on in the first person ("We must ...") is its own sentence
_THIRD_PERSON = re.compile(r"\b(he|she|they)\b", re.IGNORECASE)


def leans_back(text: str, analysis: SentenceAnalysis) -> bool:
    """Whether a sentence (`text`, analysed as `analysis`) leans on the one before it."""
    attributions = analysis.attributions
    return bool(LEANS_BACK.search(text) or (_CLOSED_BY_PRONOUN.search(text) and attributions)
                or (_THIRD_PERSON.search(text) and any(_unnamed(a.speaker, text) for a in attributions)))


def _unnamed(speaker: str, text: str) -> bool:
    """Whether a speaker the ingest analysis resolved from a pronoun or an earlier quotation goes
    unnamed in the sentence ("However, she disputed the total": the mayor named before); a
    surname alone names them ("Ruiz said" for Ana Ruiz), as `names.TextNames` matches names."""
    return is_named(speaker) and not TextNames(text).has(speaker)


def select_evidence(hits: Sequence[SentenceHit], data: IndexData, limit: int) -> list[Passage]:
    spans: list[tuple[str, int, int]] = []
    for hit in hits:
        start, end = hit.start, hit.end
        previous = data.sentences[hit.row - 1] if hit.row > 0 else None
        if leans_back(hit.text, data.analyses[hit.row]) and previous is not None \
                and previous.doc_id == hit.doc_id and not previous.is_heading:
            start = previous.start
        merged = False
        for i, (doc_id, s, e) in enumerate(spans):
            if doc_id == hit.doc_id and start <= e and s <= end:
                spans[i] = (doc_id, min(s, start), max(e, end))
                merged = True
                break
        if not merged:
            if len(spans) == limit:
                continue
            spans.append((hit.doc_id, start, end))
    passages = []
    for number, (doc_id, start, end) in enumerate(spans, 1):
        doc = data.documents[doc_id]
        passages.append(Passage(number, doc_id, doc.title, start, end, doc.text[start:end], doc.page_at(start)))
    return passages
