"""The queries the benchmarks send: hand-written eval questions, topped up with sentence openings.

Eval questions come from eval/gold.jsonl (relative to the working directory) when it exists. When a
part needs more queries than that file holds, or it is missing, the opening words of corpus
sentences fill the gap; `QuestionSet` records how many of each, so the report can say so. This
module does not grade answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..errors import DocumentError
from ..index.documents import TEXT_SUFFIXES, read_document
from ..index.sentences import split_sentences

EVAL_QUESTIONS = Path("eval") / "gold.jsonl"
UNANSWERABLE_TYPES = frozenset({"unanswerable", "injection"})  # the model is never asked these
OPENING_WORDS = 10

T = TypeVar("T")


@dataclass(frozen=True)
class QuestionSet:
    texts: tuple[str, ...]
    from_eval: int  # how many are eval questions; the rest are corpus-sentence openings

    def describe(self) -> str:
        rest = len(self.texts) - self.from_eval
        if not rest:
            return f"{self.from_eval} eval questions"
        return f"{self.from_eval} eval questions + {rest} corpus-sentence openings ({OPENING_WORDS} words)"

    def without_last(self) -> tuple[QuestionSet, str]:
        """The set minus its last query, and that query (e.g. for an uncounted warm-up)."""
        rest = self.texts[:-1]
        return QuestionSet(rest, min(self.from_eval, len(rest))), self.texts[-1]


def spread(items: Sequence[T], n: int) -> list[T]:
    """`n` items taken at even steps through `items` (all of them when n >= len(items))."""
    if n >= len(items):
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def corpus_sentences(corpus_dir: Path) -> list[str]:
    """Every non-heading sentence of the text files under `corpus_dir`, in file order."""
    out: list[str] = []
    for path in sorted(p for p in corpus_dir.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES):
        try:
            doc = read_document(path)
        except DocumentError:
            continue  # ingest reports bad files; a benchmark just leaves them out
        out.extend(doc.text[s.start:s.end] for s in split_sentences(doc.text) if not s.is_heading)
    return out


def eval_questions(path: Path = EVAL_QUESTIONS, answerable_only: bool = False) -> list[str]:
    """The questions of the eval set, in file order ([] when the file is missing)."""
    from ..eval.gold import load_gold

    if not path.is_file():
        return []
    return [item.question for item in load_gold(path) if not (answerable_only and item.type in UNANSWERABLE_TYPES)]


def question_set(corpus_dir: Path, n: int, answerable_only: bool = False,
                 path: Path = EVAL_QUESTIONS) -> QuestionSet:
    """`n` queries: eval questions spread over the set, then sentence openings if it runs short."""
    chosen = spread(eval_questions(path, answerable_only), n)
    from_eval = len(chosen)
    if from_eval < n:
        openings = list(dict.fromkeys(" ".join(s.split()[:OPENING_WORDS]) for s in corpus_sentences(corpus_dir)))
        chosen += spread([o for o in openings if o not in chosen], n - from_eval)
    return QuestionSet(tuple(chosen), from_eval)
