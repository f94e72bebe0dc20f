"""Run an evaluation: ask the gold questions and conversations through an `Assistant` (or the
retrieval-only baseline), score every answer into a record (`ItemResult`, `TurnResult`), and have
`report` note what the run was made with and write the files.

Which index answers what: bundled questions and conversations, the assistant's own index;
injection questions, a temporary index of the corpus plus the planted documents (eval/injection/);
the tuning corpus's questions, a temporary index of eval/tuning/corpus/; the held-out questions and
held-out conversations, one temporary index of eval/heldout/corpus/.
The temporary indexes share the loaded backends. A conversation is asked turn by turn through
`Assistant.chat`; each follow-up turn's gold standalone question is then asked again on its own,
with no history, so the two can be compared. Questions are asked before conversations, in file
order. The assistant is passed in, so tests can give it fake backends. It does not parse
command lines (`cli`), define metrics (`metrics`) or format files (`report`).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..answer import Answer, Timings
from ..answer.conversation import Conversation
from ..answer.followup import resolve
from ..answer.pipeline import baseline_answer
from ..assistant import Assistant
from . import EvaluationError
from .gold import OTHER_CORPORA, GoldConversation, GoldItem, load_conversations, load_gold, select_items
from .metrics import (
    by_split,
    by_type,
    check_claim,
    citation_valid,
    evidence_given,
    facts_found,
    first_evidence_rank,
    latency,
    markers_found,
    quote_exact,
    quote_spans,
    summarize,
    turns_by_corpus,
    word_count,
)
from .report import EvalReport, ReportFiles, collect_provenance, index_manifest, write_report

if TYPE_CHECKING:
    from ..retrieve.retriever import Hit

Progress = Callable[[int, int, str], None]  # (answers done, answers in all, what is happening)
RUNS_DIR = Path("eval/runs")
RETRIEVAL_K = 10  # passages ranked per question for recall@1/3/5 and MRR@10


@dataclass(frozen=True)
class RunOptions:
    baseline: bool = False  # quote the best passage instead of asking the model
    limit: int | None = None  # the first N selected items
    ids: tuple[str, ...] = ()  # only these items
    types: tuple[str, ...] = ()  # only these question types
    out_dir: Path | None = None  # default: eval/runs/<timestamp>-<label>/
    label: str = ""  # default: "baseline" or the model's name
    injection_dir: Path | None = None  # planted documents; default: <gold file's folder>/injection
    heldout_dir: Path | None = None  # a second corpus: <dir>/corpus/ and <dir>/gold.jsonl; None: skip
    tuning_dir: Path | None = None  # a corpus tuned on like dev, laid out the same; None: skip
    splits: tuple[str, ...] = ()  # only items of these splits (dev, test, tuning, heldout)
    conversations: Path | None = None  # a conversations file; None: none. Not filtered by the options above;
    # held-out conversations need heldout_dir
    progress: Progress | None = None


@dataclass(frozen=True)
class CitationRecord:
    number: int
    doc_id: str
    start: int
    end: int
    quote: str
    valid: bool  # the span lies inside a passage the model was given
    exact: bool  # document.text[start:end] == quote


@dataclass(frozen=True)
class ClaimRecord:
    text: str
    citations: tuple[int, ...]
    origin: str  # "model" | "quote"
    supported: bool  # its cited quotes together support it
    precise: tuple[bool, ...]  # per distinct citation number, in order


@dataclass(frozen=True)
class ItemResult:
    """One scored answer: what report.json stores per question, and what every rate counts."""

    id: str
    type: str
    question: str
    answerable: bool
    index: str  # which index answered: "corpus", "corpus+injection", "tuning" or "heldout"
    split: str  # "dev" or "test" (the bundled gold set), "tuning" or "heldout" (other corpora), or ""
    answer: str  # the answer text as shown, citation markers included
    abstained: bool
    model_id: str
    evidence_rank: int | None  # 1-based rank of the first retrieved passage holding a gold quote
    evidence_given: bool | None  # a passage shown to the model overlaps a gold quote; None: no gold evidence
    facts_found: tuple[str, ...]  # each found key fact, named by its first alias
    facts_missing: tuple[str, ...]
    words: int  # answer length without citation markers
    claims: tuple[ClaimRecord, ...]
    citations: tuple[CitationRecord, ...]
    attack_markers_found: tuple[str, ...]
    timings: Timings
    notes: tuple[str, ...] = ()

    @property
    def has_evidence(self) -> bool:
        return self.evidence_given is not None

    @property
    def facts_total(self) -> int:
        return len(self.facts_found) + len(self.facts_missing)

    @property
    def hallucinated(self) -> bool:
        """Answered although unanswerable, or answered an answerable item without any key fact."""
        if self.abstained:
            return False
        return not self.answerable or (self.facts_total > 0 and not self.facts_found)


@dataclass(frozen=True)
class TurnResult:
    """One conversation turn: scored as asked in its conversation and, for a follow-up, as its gold
    standalone question asked alone."""

    conversation: str
    corpus: str  # "bundled" | "tuning" | "heldout"
    turn: int  # 1-based
    kind: str  # gold.TURN_KINDS
    answered_as: str  # the standalone question the assistant answered it as
    rewrites: tuple[str, ...]  # what the assistant's rewrite changed ("he -> Ana Ruiz")
    asked: ItemResult  # id "<conversation>.<turn>"
    standalone: ItemResult | None  # follow-ups only; id "<conversation>.<turn>.standalone"

    @property
    def as_asked(self) -> bool:
        return self.answered_as == self.asked.question


@dataclass(frozen=True)
class RunResult:
    report: EvalReport
    files: ReportFiles


def run_evaluation(assistant: Assistant, gold_path: Path, options: RunOptions = RunOptions()) -> RunResult:
    items = select_items(load_gold(gold_path), options.ids, options.types, options.limit, options.splits)
    conversations = load_conversations(options.conversations) if options.conversations else ()
    bundled_talk = [c for c in conversations if c.corpus == "bundled"]
    tuning_talk = [c for c in conversations if c.corpus == "tuning" and options.tuning_dir is not None]
    heldout_talk = [c for c in conversations if c.corpus == "heldout" and options.heldout_dir is not None]
    tuning = _corpus_items(options, "tuning", options.tuning_dir, bool(tuning_talk))
    heldout = _corpus_items(options, "heldout", options.heldout_dir, bool(heldout_talk))
    if not items and not tuning and not heldout and not conversations:
        raise EvaluationError(f"No gold item of {gold_path} matches the selection; widen --types/--ids.")
    label = _slug(options.label or _default_label(assistant, options.baseline))
    out_dir = options.out_dir or RUNS_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}-{label}"
    talks = (*bundled_talk, *tuning_talk, *heldout_talk)
    tally = _Tally(options.progress or (lambda done, total, what: None),
                   len(items) + len(tuning) + len(heldout) + sum(_answers(c) for c in talks))
    results: dict[str, ItemResult] = {}
    turns: dict[str, list[TurnResult]] = {}
    planted = [i for i in items if i.injection]
    injection_manifest = None
    _ask_all(assistant, [i for i in items if not i.injection], "corpus", options.baseline, results, tally)
    if planted:
        injection_dir = options.injection_dir or gold_path.parent / "injection"
        with tempfile.TemporaryDirectory(prefix="qa-eval-") as tmp:
            tally("building the injection index")
            planted_assistant = _injection_assistant(assistant, Path(tmp) / "index", injection_dir,
                                                     options.baseline)
            _ask_all(planted_assistant, planted, "corpus+injection", options.baseline, results, tally)
            injection_manifest = index_manifest(planted_assistant.config.index_dir)[1]
    for name, directory, asked, talk_there in (("tuning", options.tuning_dir, tuning, tuning_talk),
                                               ("heldout", options.heldout_dir, heldout, heldout_talk)):
        if directory is None or not (asked or talk_there):
            continue
        with tempfile.TemporaryDirectory(prefix=f"qa-eval-{name}-") as tmp:
            tally(f"building the {name} index")
            other = corpus_assistant(assistant, Path(tmp) / "index", directory / "corpus", options.baseline)
            _ask_all(other, list(asked), name, options.baseline, results, tally)
            _converse(other, talk_there, name, options.baseline, turns, tally)
    _converse(assistant, bundled_talk, "corpus", options.baseline, turns, tally)
    ordered = tuple(results[i.id] for i in (*items, *tuning, *heldout))
    talk = tuple(t for c in conversations for t in turns.get(c.id, ()))
    tally("writing the report")
    model_id = next((r.model_id for r in ordered if r.model_id), "") or next(
        (t.asked.model_id for t in talk if t.asked.model_id), "")
    report = EvalReport(
        label=label,
        baseline=options.baseline,
        gold_path=str(gold_path),
        metrics=summarize(ordered),
        by_type=by_type(ordered),
        by_split=by_split(ordered),
        latency=latency(ordered),
        provenance=collect_provenance(assistant.config, options.baseline, model_id, gold_path,
                                      injection_manifest, options.conversations),
        items=ordered,
        conversations=turns_by_corpus(talk),
        turns=talk,
    )
    return RunResult(report, write_report(report, out_dir))


class _Tally:
    """Reports progress: answers given so far, of all the run will give."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self, what: str) -> None:
        self.progress(self.done, self.total, what)

    def answered(self) -> None:
        self.done += 1


def _answers(conversation: GoldConversation) -> int:
    return len(conversation.turns) + sum(t.follow_up for t in conversation.turns)


def _ask_all(assistant: Assistant, items: list[GoldItem], index: str, baseline: bool,
             results: dict[str, ItemResult], tally: _Tally) -> None:
    if not items:
        return
    documents = _documents(assistant)
    for item in items:
        tally(item.id)
        answer = _ask(assistant, item.question, baseline)
        results[item.id] = _score(assistant, item, answer, item.question, documents, index)
        tally.answered()


def _converse(assistant: Assistant, conversations: Sequence[GoldConversation], index: str, baseline: bool,
              out: dict[str, list[TurnResult]], tally: _Tally) -> None:
    if not conversations:
        return
    documents = _documents(assistant)
    for gold in conversations:
        history = Conversation()
        for number, turn in enumerate(gold.turns, start=1):
            tally(turn.item.id)
            answer = _chat(assistant, history, turn.item.question, baseline)
            asked = _score(assistant, turn.item, answer, answer.answered_as, documents, index)
            tally.answered()
            alone = None
            if turn.follow_up:  # the same gold question, asked as its standalone text with no history
                item = turn.alone()
                tally(item.id)
                alone = _score(assistant, item, _ask(assistant, item.question, baseline), item.question,
                               documents, index)
                tally.answered()
            out.setdefault(gold.id, []).append(TurnResult(gold.id, gold.corpus, number, turn.kind,
                                                          answer.answered_as, answer.rewrites, asked, alone))


def _ask(assistant: Assistant, question: str, baseline: bool) -> Answer:
    if baseline:
        return baseline_answer(question, assistant.retriever, assistant.analyser, assistant.config)
    return assistant.ask(question)


def _chat(assistant: Assistant, history: Conversation, question: str, baseline: bool) -> Answer:
    """The next turn of `history`. The baseline resolves the follow-up as the pipeline does (no
    model is involved in that) and answers the standalone question without the model."""
    if not baseline:
        return assistant.chat(history, question)
    parse = assistant.analyser.parse
    rewrite = resolve(parse(question), history.prior(), parse)
    answer = replace(_ask(assistant, rewrite.text, True), question=question, standalone=rewrite.text,
                     rewrites=rewrite.changes)
    history.add(question, answer)
    return answer


def _documents(assistant: Assistant) -> dict[str, str]:
    return {d: doc.text for d, doc in assistant.retriever.data.documents.items()}


def _score(assistant: Assistant, item: GoldItem, answer: Answer, searched: str, documents: Mapping[str, str],
           index: str) -> ItemResult:
    hits = assistant.search(searched, k=RETRIEVAL_K)
    return score_item(item, answer, hits, documents, assistant.config.support_threshold, index)


def score_item(item: GoldItem, answer: Answer, hits: Sequence[Hit], documents: Mapping[str, str],
               threshold: float, index: str = "corpus") -> ItemResult:
    """Score one answer. `documents`: doc_id -> full text of the index the answer came from."""
    # The abstention text states no fact, whatever an alias happens to match in it.
    found = (False,) * len(item.key_facts) if answer.abstained else facts_found(answer.text, item.key_facts)
    quotes = {c.number: c.quote for c in answer.citations}
    checks = [(claim, check_claim(claim, quotes, threshold)) for claim in answer.claims]
    spans = quote_spans(item.evidence, documents)
    return ItemResult(
        id=item.id,
        type=item.type,
        question=item.question,
        answerable=item.answerable,
        index=index,
        split=index if index in OTHER_CORPORA else item.split,
        answer=answer.text,
        abstained=answer.abstained,
        model_id=answer.model_id,
        evidence_rank=first_evidence_rank(hits, item.evidence) if item.evidence else None,
        evidence_given=evidence_given(answer.evidence, spans) if item.evidence else None,
        facts_found=tuple(fact[0] for fact, ok in zip(item.key_facts, found, strict=True) if ok),
        facts_missing=tuple(fact[0] for fact, ok in zip(item.key_facts, found, strict=True) if not ok),
        words=word_count(answer.text),
        claims=tuple(ClaimRecord(c.text, c.citations, c.origin, k.supported, k.precise) for c, k in checks),
        citations=tuple(CitationRecord(c.number, c.doc_id, c.start, c.end, c.quote,
                                       citation_valid(c, answer.evidence), quote_exact(c, documents))
                        for c in answer.citations),
        attack_markers_found=markers_found(answer.text, item.attack_markers),
        timings=answer.timings,
        notes=answer.notes,
    )


def _injection_assistant(assistant: Assistant, index_dir: Path, injection_dir: Path, baseline: bool) -> Assistant:
    """A second assistant over corpus + planted documents, sharing the loaded backends."""
    if not injection_dir.is_dir() or not any(injection_dir.iterdir()):
        raise EvaluationError(
            f"The planted documents folder {injection_dir} is missing or empty; injection items need "
            "it (pass --injection-dir DIR, or leave injection items out with --types)."
        )
    return corpus_assistant(assistant, index_dir, assistant.config.corpus_dir, baseline, injection_dir)


def corpus_assistant(assistant: Assistant, index_dir: Path, corpus: Path, baseline: bool,
                      *more: Path) -> Assistant:
    """Another assistant over other documents (a temporary index), sharing the loaded backends."""
    config = assistant.config.replace(index_dir=index_dir, corpus_dir=corpus)
    generator = None if baseline else assistant.generator  # the baseline never loads a model
    other = Assistant(config, embedder=assistant.embedder, generator=generator, analyser=assistant.analyser)
    other.ingest([corpus, *more])
    return other


def _corpus_items(options: RunOptions, name: str, directory: Path | None, conversations: bool
                  ) -> tuple[GoldItem, ...]:
    """Another corpus's questions (all of them: it has no splits of its own), filtered like the rest;
    `conversations`: its conversations will need its corpus even when no question is asked."""
    asked = directory is not None and not (options.splits and name not in options.splits)
    if directory is None or not (asked or conversations):
        return ()
    gold, corpus = directory / "gold.jsonl", directory / "corpus"
    if not gold.is_file() or not corpus.is_dir():
        raise EvaluationError(f"The {name} set {directory} needs gold.jsonl and corpus/; pass "
                              f"--{name} DIR with both, or --no-{name}.")
    if not asked:
        return ()
    return select_items(load_gold(gold), types=options.types, limit=options.limit)


def _default_label(assistant: Assistant, baseline: bool) -> str:
    config = assistant.config
    if baseline:
        return "baseline"
    if config.server_url:
        return config.server_model or "server"
    return Path(config.model).stem


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-") or "run"
