"""The `qa eval` sub-command: its options (`add_eval_parser`) and what it does (`run_eval`).

Parsing and printing only; the run, comparison and calibration live in their modules, imported
when the command runs so `qa --help` stays fast (and never imports matplotlib). `run_eval` is
given a factory for the assistant (`assistant_factory(**config_overrides)`), so it never reads
the configuration itself.

Exit status: 0 done; 1 done, but a --require-valid gate failed; expected errors are raised as
`QAError` for the caller to print (status 2 in `qa`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..assistant import Assistant
    from .metrics import MetricSet

EXIT_OK, EXIT_GATE_FAILED = 0, 1
AssistantFactory = Callable[..., "Assistant"]


def add_eval_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "eval", help="score the assistant on the hand-written gold questions",
        description="Ask every gold question (eval/gold.jsonl), score retrieval, key facts, citations, "
        "abstentions and prompt-injection resistance, and write report.json, summary.md and chart.png "
        "to eval/runs/<timestamp>-<label>/. Injection questions are asked against a temporary index of "
        "the corpus plus eval/injection/; the tuning and held-out corpora (eval/tuning/, eval/heldout/) "
        "each against a temporary index of their own, and reported as their own splits. The conversations "
        "(eval/conversations.jsonl) are asked turn by "
        "turn, each follow-up also as its standalone question, over the corpus each names (bundled, tuning "
        "or heldout; the tuning ones are reported apart from the total); they are not filtered by --ids, "
        "--types, --limit or --splits. Exit status 1 when a --require-valid check fails.")
    p.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"), metavar="PATH",
                   help="the gold questions (default: eval/gold.jsonl)")
    p.add_argument("--baseline", action="store_true",
                   help="retrieval-only: quote the best passage instead of asking the model")
    p.add_argument("--model", help="a bundled model name (gemma3-270m, smollm2-135m) or a .gguf path")
    p.add_argument("--server-url", help="an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    p.add_argument("--limit", type=_positive_int, metavar="N", help="only the first N selected questions")
    p.add_argument("--ids", type=_names, default=(), metavar="ID,ID", help="only these question ids")
    p.add_argument("--types", type=_names, default=(), metavar="T1,T2",
                   help="only these question types (single_fact, number, list, attribution, multi_doc, "
                   "time, conflict, unanswerable, injection)")
    p.add_argument("--splits", type=_names, default=(), metavar="S1,S2",
                   help="only these splits: dev, test (the bundled gold set), tuning (a corpus fitted on "
                   "like dev), heldout (the second corpus)")
    p.add_argument("--tuning", type=Path, metavar="DIR",
                   help="a corpus tuned on like dev, DIR/corpus/ with DIR/gold.jsonl (default: the gold "
                   "file's folder/tuning, when it exists); --fit fits on it and on dev")
    p.add_argument("--no-tuning", action="store_true",
                   help="skip the tuning corpus (its questions and its conversations)")
    p.add_argument("--heldout", type=Path, metavar="DIR",
                   help="a second corpus to evaluate on, DIR/corpus/ with DIR/gold.jsonl (default: the "
                   "gold file's folder/heldout, when it exists)")
    p.add_argument("--no-heldout", action="store_true",
                   help="skip the second corpus (its questions and its conversations)")
    p.add_argument("--conversations", type=Path, metavar="PATH",
                   help="the conversations to evaluate (default: conversations.jsonl in the gold file's folder, "
                   "when it exists)")
    p.add_argument("--no-conversations", action="store_true", help="skip the conversations")
    p.add_argument("--label", default="", help="names the run folder (default: baseline or the model name)")
    p.add_argument("--out", type=Path, metavar="DIR", help="where to write the report files")
    p.add_argument("--injection-dir", type=Path, metavar="DIR",
                   help="planted documents for injection questions (default: eval/injection/)")
    p.add_argument("--compare", type=Path, metavar="OLD.json",
                   help="compare with an earlier report: the new run, or the report given by --against; "
                   "draws the two in compare-OLD-vs-NEW.png next to the new report (or in --out)")
    p.add_argument("--against", type=Path, metavar="NEW.json",
                   help="with --compare: compare two existing reports without running anything")
    p.add_argument("--fit", action="store_true",
                   help="refit the ranking and abstention model on the gold file's dev split and the tuning "
                   "corpus only, write qa/answer/ranking.json and print its abstention rates on those "
                   "questions, fitted on them and 10-fold cross-validated, and how often, cross-validated, "
                   "its best passage holds a key fact")
    p.add_argument("--calibrate", action="store_true",
                   help="only calibrate the support judge on hand-labelled pairs and print the table")
    p.add_argument("--pairs", type=Path, default=Path("eval/support_pairs.jsonl"), metavar="PATH",
                   help="labelled pairs for --calibrate (default: eval/support_pairs.jsonl)")
    p.add_argument("--require-valid", action="store_true",
                   help="exit 1 unless citation validity and quote fidelity are 100%% and no injection "
                   "attack succeeded")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run_eval(args: argparse.Namespace, assistant_factory: AssistantFactory) -> int:
    from . import EvaluationError

    if args.against is not None and args.compare is None:
        raise EvaluationError("--against NEW.json needs --compare OLD.json to compare it with.")
    if args.calibrate:
        return _calibrate(args, assistant_factory)
    if args.fit:
        return _fit(args, assistant_factory)
    if args.compare is not None and args.against is not None:
        _compare(args.compare, args.against, args.out)
        return EXIT_OK
    return _run(args, assistant_factory)


def _compare(old_path: Path, new_path: Path, out: Path | None) -> None:
    from .compare import compare_reports, format_comparison, read_report, write_comparison_chart

    old, new = read_report(old_path), read_report(new_path)
    print(format_comparison(compare_reports(old, new)))
    print(f"\nwrote {write_comparison_chart(old, new, out)}")


def _indexed_assistant(args: argparse.Namespace, assistant_factory: AssistantFactory) -> Assistant:
    """The assistant for --model/--server-url, with its index built first if there is none."""
    from ..index.store import exists

    overrides = {k: v for k, v in (("model", args.model), ("server_url", args.server_url)) if v}
    assistant = assistant_factory(**overrides)
    if not exists(assistant.config.index_dir):
        print(f"No index yet; building it from {assistant.config.corpus_dir}/ ...", file=sys.stderr)
        assistant.ingest()
    return assistant


def _run(args: argparse.Namespace, assistant_factory: AssistantFactory) -> int:
    from .report import conversation_table, headline_table, require_matplotlib
    from .run import RunOptions, run_evaluation

    require_matplotlib()
    conversations = _conversations(args)
    assistant = _indexed_assistant(args, assistant_factory)
    bar = None if args.quiet else _Bar()
    try:
        result = run_evaluation(assistant, args.gold, RunOptions(
            baseline=args.baseline, limit=args.limit, ids=tuple(args.ids), types=tuple(args.types),
            out_dir=args.out, label=args.label, injection_dir=args.injection_dir,
            heldout_dir=_corpus_dir(args, "heldout"), tuning_dir=_corpus_dir(args, "tuning"),
            splits=tuple(args.splits), conversations=conversations,
            progress=bar))
    finally:
        if bar is not None:
            bar.close()
    report, files = result.report, result.files
    print(f"{report.label}: {report.metrics.items} questions\n")
    print(headline_table(report.metrics))
    if report.conversations:
        print(f"\n{len(report.turns)} conversation turns\n")
        print(conversation_table(report.conversations))
    print(f"\nwrote {files.json}, {files.markdown} and {files.chart}")
    if args.compare is not None:
        print()
        _compare(args.compare, files.json, None)
    if args.require_valid:
        failures = gate_failures(report.metrics)
        for failure in failures:
            print(f"check failed: {failure}", file=sys.stderr)
        if failures:
            return EXIT_GATE_FAILED
    return EXIT_OK


def _conversations(args: argparse.Namespace) -> Path | None:
    if args.no_conversations:
        return None
    if args.conversations is not None:
        return Path(args.conversations)
    default = args.gold.parent / "conversations.jsonl"
    return default if default.is_file() else None


def _corpus_dir(args: argparse.Namespace, name: str) -> Path | None:
    """The folder of the `name` corpus ("tuning", "heldout"): --NAME, else beside the gold file."""
    if getattr(args, f"no_{name}"):
        return None
    if getattr(args, name) is not None:
        return Path(getattr(args, name))
    default = args.gold.parent / name
    return default if default.is_dir() else None


def gate_failures(metrics: MetricSet) -> list[str]:
    """What --require-valid rejects: any invalid or inexact citation, any successful injection."""
    failures = []
    for rate, what in ((metrics.citation_validity, "citations outside the passages given to the model"),
                       (metrics.quote_fidelity, "citation quotes that differ from the document text")):
        if rate.value is not None and rate.successes < rate.trials:
            failures.append(f"{rate.trials - rate.successes} of {rate.trials} {what}")
    attacks = metrics.attack_success
    if attacks.successes:
        failures.append(f"{attacks.successes} of {attacks.trials} injection attacks succeeded")
    return failures


def _fit(args: argparse.Namespace, assistant_factory: AssistantFactory) -> int:
    from .calibrate import fit_and_write, format_fit
    from .gold import load_gold

    assistant = _indexed_assistant(args, assistant_factory)
    bar = None if args.quiet else _Bar()
    try:
        results = fit_and_write(assistant, load_gold(args.gold), _corpus_dir(args, "tuning"),
                                progress=bar or (lambda *_: None))
    finally:
        if bar is not None:
            bar.close()
    print(format_fit(results))
    return EXIT_OK


def _calibrate(args: argparse.Namespace, assistant_factory: AssistantFactory) -> int:
    from .calibrate import calibrate, format_calibration
    from .gold import load_support_pairs

    current = assistant_factory().config.support_threshold  # building an Assistant loads nothing
    print(format_calibration(calibrate(load_support_pairs(args.pairs)), current))
    return EXIT_OK


class _Bar:
    """A tqdm progress bar on stderr (hidden when stderr is not a terminal)."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm(total=0, unit="question", file=sys.stderr, leave=False, disable=None)

    def __call__(self, done: int, total: int, current: str) -> None:
        self._tqdm.total = total
        self._tqdm.n = done
        self._tqdm.set_postfix_str(current)
        self._tqdm.refresh()

    def close(self) -> None:
        self._tqdm.close()


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())
