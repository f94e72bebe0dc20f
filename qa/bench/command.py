"""The `qa bench` sub-command: its options, and running the chosen parts into one report.

Progress goes to stderr; the report (a table, or JSON with --json) goes to stdout. Errors from the
project (QAError) propagate for the CLI to print. A benchmark prints numbers; it never fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the benchmarks themselves load when `qa bench` runs, so `qa --help` stays light
    from ..assistant import Assistant
    from .report import BenchReport, Machine

PARTS = ("ingest", "retrieval", "answer")
SEARCH_QUESTIONS = 30
SCALE_QUERIES = 200
LIBRARIES = ("faiss-cpu", "llama_cpp_python", "sentence-transformers", "torch", "numpy")

AssistantFactory = Callable[..., "Assistant"]  # (**config overrides) -> Assistant


def add_bench_parser(sub: Any) -> argparse.ArgumentParser:
    """Add `bench` to a sub-command set (anything with argparse's `add_parser`)."""
    p: argparse.ArgumentParser = sub.add_parser(
        "bench", help="measure ingest, retrieval and answer speed (prints numbers)",
        description="Measure ingest throughput (bundled corpus and a PDF made from it, into a temporary "
        "index), search latency on the index and on a synthetic corpus of --synthetic chunks (FAISS "
        "build, latency and recall@10, BM25, hybrid), and answering with the real model (stage "
        "latencies, overhead over llama.cpp alone, cold start of `qa ask`). Prints numbers; nothing "
        "passes or fails.")
    p.add_argument("--part", type=_parts, default=PARTS, metavar="PARTS",
                   help="comma-separated parts to run: ingest,retrieval,answer (default: all)")
    p.add_argument("--synthetic", type=_count(0), default=100_000, metavar="N",
                   help="chunks in the synthetic retrieval corpus; 0 skips it (default: 100000)")
    p.add_argument("--questions", type=_count(1), default=10, metavar="N",
                   help="questions for the answer part (default: 10)")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    return p


def run_bench(args: argparse.Namespace, assistant_factory: AssistantFactory) -> int:
    """Run the parts named in `args.part` and print the report. Returns the exit status (0)."""
    from .answering import run_answer_bench
    from .ingestion import run_ingest_bench
    from .questions import question_set
    from .report import BenchReport, format_report
    from .retrieval import run_corpus_search_bench
    from .scale import run_scale_bench

    parts = set(args.part)
    report = BenchReport(machine=_machine())
    if "ingest" in parts:
        report = _with(report, ingest=run_ingest_bench(assistant_factory(), say=_say))
    if "retrieval" in parts:
        assistant = assistant_factory()
        corpus_dir = assistant.config.corpus_dir
        report = _with(report, retrieval=run_corpus_search_bench(
            assistant, question_set(corpus_dir, SEARCH_QUESTIONS), say=_say))
        if args.synthetic:
            report = _with(report, scale=run_scale_bench(
                assistant, args.synthetic, question_set(corpus_dir, SCALE_QUERIES), say=_say))
    if "answer" in parts:
        assistant = assistant_factory()
        questions = question_set(assistant.config.corpus_dir, args.questions + 1, answerable_only=True)
        counted, warm_up = questions.without_last()
        report = _with(report, answer=run_answer_bench(assistant, counted, warm_up, say=_say))
    report = replace(report, machine=replace(report.machine, load_end=os.getloadavg()))
    print(json.dumps(asdict(report), indent=2, ensure_ascii=False) if args.json else format_report(report))
    return 0


def _with(report: BenchReport, **parts: Any) -> BenchReport:
    return replace(report, **parts)


def _machine() -> Machine:
    from importlib import metadata  # here, not at the top: it costs `qa --help` 80 ms

    from .report import Machine

    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return Machine(os.cpu_count() or 1, platform.python_version(), platform.platform(), versions,
                   os.getloadavg())


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _parts(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
    unknown = [n for n in names if n not in PARTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown part {', '.join(unknown) or '(none)'}; choose from {','.join(PARTS)}")
    return names


def _count(minimum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {number}")
        return number

    return parse
