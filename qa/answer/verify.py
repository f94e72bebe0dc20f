"""Parse the model's draft into claims and check each one against the passages it cites.

The draft is a few sentences, each ending in citation markers like [2]. Every claim is judged by
`support.judge`: a supported claim is kept; one that is supported by another given passage is
re-cited to it; one that no passage supports is replaced by the passage it drew on (quoted
verbatim) or dropped. Citations to passages the model was not given are removed. The result never
contains a sentence the judge did not pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..language.text import words
from .judge import content_overlap, judge
from .types import Claim, Passage

_CLAIM = re.compile(r"\s*(?P<text>[^\[\]]+?)\s*(?P<cites>(?:\[\s*\d+\s*\]\s*)+)\.?")
_MIN_WORDS = 3
_QUOTE_FLOOR = 0.3  # a passage must share this much with a failed claim to stand in for it


def parse_draft(draft: str) -> list[tuple[str, tuple[int, ...]]]:
    """(sentence, cited passage numbers) pairs; trailing text without markers cites nothing."""
    claims: list[tuple[str, tuple[int, ...]]] = []
    pos = 0
    for match in _CLAIM.finditer(draft):
        if match.start() != pos and draft[pos:match.start()].strip():
            break
        numbers = tuple(int(n) for n in re.findall(r"\d+", match.group("cites")))
        claims.append((match.group("text").strip(), numbers))
        pos = match.end()
    rest = draft[pos:].strip()
    if rest:
        claims.append((rest, ()))
    return claims


def check_claims(
    draft_claims: Sequence[tuple[str, tuple[int, ...]]],
    passages: Sequence[Passage],
    threshold: float,
) -> tuple[list[Claim], list[str]]:
    """Verified claims, and notes saying what verification changed."""
    by_number = {p.number: p for p in passages}
    kept: list[Claim] = []
    notes: list[str] = []
    for text, cited in draft_claims:
        text = text.strip().rstrip(".").strip()
        if len(words(text)) < _MIN_WORDS:
            continue
        unknown = [n for n in cited if n not in by_number]
        if unknown:
            notes.append(f"removed citation(s) {unknown} to passages the model was not given")
        valid = tuple(dict.fromkeys(n for n in cited if n in by_number))
        if valid and judge(text, [by_number[n].text for n in valid], threshold).supported:
            kept.append(Claim(text, valid, "model"))
            continue
        alone = [p for p in passages if judge(text, [p.text], threshold).supported]
        if alone:
            best = max(alone, key=lambda p: content_overlap(text, p.text))
            kept.append(Claim(text, (best.number,), "model"))
            notes.append(f"re-cited a sentence to passage [{best.number}], which supports it")
            continue
        closest = max(passages, key=lambda p: content_overlap(text, p.text), default=None)
        if closest is not None and content_overlap(text, closest.text) >= _QUOTE_FLOOR:
            kept.append(Claim(closest.text, (closest.number,), "quote"))
            notes.append(f"replaced an unsupported sentence with passage [{closest.number}], quoted")
        else:
            notes.append(f"dropped an unsupported sentence: {text!r}")
    return _dedupe(kept), notes


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen_text: set[str] = set()
    quoted: set[int] = set()
    out = []
    for claim in claims:
        key = " ".join(words(claim.text))
        if key in seen_text or (claim.origin == "quote" and claim.citations[0] in quoted):
            continue
        if claim.origin == "quote":
            quoted.add(claim.citations[0])
        seen_text.add(key)
        out.append(claim)
    return out
