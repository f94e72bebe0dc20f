"""Turn ranked sentences into the numbered passages the model sees.

A sentence that leans on the one before it (it opens with a pronoun or a demonstrative, "That
includes ...", or is a quotation closed by a pronoun and a verb of speech, "he added", "she
stressed") is shown together with that sentence, so a passage names who is speaking and what
"that" is. The verbs of speech are the ones the ingest analysis found reporting (its
`attributions`, from the one list of reporting verbs). Passages that overlap are merged; at most
`limit` are kept, in rank order. Nothing here scores relevance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index.store import IndexData
from ..retrieve.retriever import SentenceHit
from .types import Passage

LEANS_BACK = re.compile(r"^\W*(he|she|they|it|this|that|these|those|his|her|their|its)\b", re.IGNORECASE)
# a quotation closed by a pronoun and its verb ("... ," he added): the verb is one the analysis
# found reporting speech (`Attribution`, from the one list of reporting verbs)
_CLOSED_BY_PRONOUN = re.compile(r"\b(he|she|they) \w+\W*$", re.IGNORECASE)


def select_evidence(hits: Sequence[SentenceHit], data: IndexData, limit: int) -> list[Passage]:
    spans: list[tuple[str, int, int]] = []
    for hit in hits:
        start, end = hit.start, hit.end
        previous = data.sentences[hit.row - 1] if hit.row > 0 else None
        leans = LEANS_BACK.search(hit.text) or (_CLOSED_BY_PRONOUN.search(hit.text)
                                                  and data.analyses[hit.row].attributions)
        if leans and previous is not None and previous.doc_id == hit.doc_id and not previous.is_heading:
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
