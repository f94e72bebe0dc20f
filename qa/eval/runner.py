"""Run gold questions through an `Assistant` (or the retrieval-only baseline), score every answer
and write the report files.

Injection items are asked against a separate, temporary index built from the corpus plus the
planted documents (eval/injection/), with the same embedder and generator; every other item uses
the assistant's own index. The assistant is passed in, so tests can give it fake backends. It
does not parse command lines (see `cli`) or define the metrics (see `metrics`, `aggregate`).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..answer.pipeline import baseline_answer
from ..assistant import Assistant
from .aggregate import by_split, by_type, latency, summarize
from .errors import EvaluationError
from .gold import GoldItem, load_gold, select_items
from .provenance import collect_provenance, index_manifest
from .records import ItemResult, score_item
from .report import EvalReport, ReportFiles, write_report

Progress = Callable[[int, int, str], None]  # (items done, items in all, what is happening)
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
    splits: tuple[str, ...] = ()  # only bundled items of these splits (dev, test)
    progress: Progress | None = None


@dataclass(frozen=True)
class RunResult:
    report: EvalReport
    files: ReportFiles


def run_evaluation(assistant: Assistant, gold_path: Path, options: RunOptions = RunOptions()) -> RunResult:
    items = select_items(load_gold(gold_path), options.ids, options.types, options.limit, options.splits)
    heldout = _heldout_items(options)
    if not items and not heldout:
        raise EvaluationError(f"No gold item of {gold_path} matches the selection; widen --types/--ids.")
    label = _slug(options.label or _default_label(assistant, options.baseline))
    out_dir = options.out_dir or RUNS_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}-{label}"
    progress = options.progress or (lambda done, total, what: None)
    results: dict[str, ItemResult] = {}
    plain = [i for i in items if not i.injection]
    planted = [i for i in items if i.injection]
    injection_manifest = None
    total = len(items) + len(heldout)
    _ask_all(assistant, plain, "corpus", options.baseline, results, total, progress)
    if planted:
        injection_dir = options.injection_dir or gold_path.parent / "injection"
        with tempfile.TemporaryDirectory(prefix="qa-eval-") as tmp:
            progress(len(results), len(items), "building the injection index")
            planted_assistant = _injection_assistant(assistant, Path(tmp) / "index", injection_dir,
                                                     options.baseline)
            _ask_all(planted_assistant, planted, "corpus+injection", options.baseline, results,
                     total, progress)
            injection_manifest = index_manifest(planted_assistant.config.index_dir)[1]
    if heldout and options.heldout_dir is not None:
        with tempfile.TemporaryDirectory(prefix="qa-eval-heldout-") as tmp:
            progress(len(results), total, "building the held-out index")
            other = _corpus_assistant(assistant, Path(tmp) / "index", options.heldout_dir / "corpus",
                                      options.baseline)
            _ask_all(other, list(heldout), "heldout", options.baseline, results, total, progress)
    ordered = tuple(results[i.id] for i in (*items, *heldout))
    progress(total, total, "writing the report")
    model_id = next((r.model_id for r in ordered if r.model_id), "")
    report = EvalReport(
        label=label,
        baseline=options.baseline,
        gold_path=str(gold_path),
        metrics=summarize(ordered),
        by_type=by_type(ordered),
        by_split=by_split(ordered),
        latency=latency(ordered),
        provenance=collect_provenance(assistant.config, options.baseline, model_id, gold_path,
                                      injection_manifest),
        items=ordered,
    )
    return RunResult(report, write_report(report, out_dir))


def _ask_all(assistant: Assistant, items: list[GoldItem], index: str, baseline: bool,
             results: dict[str, ItemResult], total: int, progress: Progress) -> None:
    if not items:
        return
    documents: Mapping[str, str] = {d: doc.text for d, doc in assistant.retriever.data.documents.items()}
    threshold = assistant.config.support_threshold
    for item in items:
        progress(len(results), total, item.id)
        hits = assistant.search(item.question, k=RETRIEVAL_K)
        answer = (baseline_answer(item.question, assistant.retriever, assistant.analyser, assistant.config) if baseline
                  else assistant.ask(item.question))
        results[item.id] = score_item(item, answer, hits, documents, threshold, index)


def _injection_assistant(assistant: Assistant, index_dir: Path, injection_dir: Path, baseline: bool) -> Assistant:
    """A second assistant over corpus + planted documents, sharing the loaded backends."""
    if not injection_dir.is_dir() or not any(injection_dir.iterdir()):
        raise EvaluationError(
            f"The planted documents folder {injection_dir} is missing or empty; injection items need "
            "it (pass --injection-dir DIR, or leave injection items out with --types)."
        )
    return _corpus_assistant(assistant, index_dir, assistant.config.corpus_dir, baseline, injection_dir)


def _corpus_assistant(assistant: Assistant, index_dir: Path, corpus: Path, baseline: bool,
                      *more: Path) -> Assistant:
    """Another assistant over other documents (a temporary index), sharing the loaded backends."""
    config = assistant.config.replace(index_dir=index_dir, corpus_dir=corpus)
    generator = None if baseline else assistant.generator  # the baseline never loads a model
    other = Assistant(config, embedder=assistant.embedder, generator=generator, analyser=assistant.analyser)
    other.ingest([corpus, *more])
    return other


def _heldout_items(options: RunOptions) -> tuple[GoldItem, ...]:
    """The second corpus's questions (all of them: it has no dev part), filtered like the rest."""
    if options.heldout_dir is None or options.splits and "heldout" not in options.splits:
        return ()
    gold, corpus = options.heldout_dir / "gold.jsonl", options.heldout_dir / "corpus"
    if not gold.is_file() or not corpus.is_dir():
        raise EvaluationError(f"The held-out set {options.heldout_dir} needs gold.jsonl and corpus/; pass "
                              "--heldout DIR with both, or --no-heldout.")
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
