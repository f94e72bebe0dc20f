"""Citation quality of one answer, after ALCE (Gao et al. 2023, "Enabling Large Language Models to
Generate Text with Citations"), judged by the project's deterministic `qa.answer.judge.judge`.

- recall: a claim counts when the quotes it cites, together, support it;
- precision: a citation of a claim counts when the claim is supported and the citation is needed:
  it supports the claim alone, or without it the claim's other citations do not;
- validity: the cited span lies inside a passage the model was given;
- fidelity: the document's text at the cited span is exactly the quote shown.

Pure functions; the judge's threshold is passed in. Nothing here aggregates over answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..answer import Citation, Claim, Passage
from ..answer.judge import judge


@dataclass(frozen=True)
class ClaimCheck:
    supported: bool  # the claim's cited quotes together support it (ALCE citation recall)
    precise: tuple[bool, ...]  # per distinct citation number of the claim, in order (ALCE precision)


def check_claim(claim: Claim, quotes: Mapping[int, str], threshold: float) -> ClaimCheck:
    """Judge one claim against the quotes of its citations (`quotes`: citation number -> quote).

    A citation number the answer does not define counts as a citation without text: it supports
    nothing and is never precise.
    """
    cited = tuple(dict.fromkeys(claim.citations))
    known = [n for n in cited if n in quotes]
    supported = bool(known) and judge(claim.text, [quotes[n] for n in known], threshold).supported
    precise = []
    for n in cited:
        if not supported or n not in quotes:
            precise.append(False)
            continue
        if judge(claim.text, [quotes[n]], threshold).supported:
            precise.append(True)
            continue
        rest = [quotes[m] for m in known if m != n]
        precise.append(not (rest and judge(claim.text, rest, threshold).supported))
    return ClaimCheck(supported, tuple(precise))


def citation_valid(citation: Citation, evidence: Sequence[Passage]) -> bool:
    """Whether the cited span lies within a passage of the same document that the model was given."""
    return any(p.doc_id == citation.doc_id and p.start <= citation.start and citation.end <= p.end
               for p in evidence)


def quote_exact(citation: Citation, documents: Mapping[str, str]) -> bool:
    """Whether the document's text at [start, end) is exactly the citation's quote."""
    text = documents.get(citation.doc_id)
    return (text is not None and 0 <= citation.start < citation.end <= len(text)
            and text[citation.start:citation.end] == citation.quote)
