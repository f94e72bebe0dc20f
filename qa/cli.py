"""The `qa` command line: argument parsing and printing only; the work is done by `Assistant`.

Exit status: 0 done; 1 done, but some input was skipped (each skip is printed with its reason; for
`qa chat --json`, some questions got an error line);
2 nothing done because of an error, printed as one message that names the fix; 141 the reader of
the output stopped early ("qa ask ... | head -3"), as a shell reports it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .bench import add_bench_parser, run_bench
from .errors import QAError
from .eval.cli import add_eval_parser, run_eval

EXIT_OK, EXIT_SKIPPED, EXIT_ERROR = 0, 1, 2
EXIT_PIPE = 141  # the reader of the output went away, as a shell reports a process ended by SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="a TOML settings file (default: qa.toml if present)")
    common.add_argument("--index", metavar="DIR", default=argparse.SUPPRESS,
                        help="the index folder (default: index/)")
    common.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="also print llama.cpp's and the embedder's own loading logs")
    parser = argparse.ArgumentParser(
        prog="qa",
        parents=[common],
        description="Answer questions over a folder of news articles, citing the exact passages, "
        "entirely offline. Settings come from qa.toml, QA_* environment variables and flags.",
    )
    sub = _Subcommands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"), common)

    p = sub.add_parser("ingest", help="add txt, Markdown and PDF files to the index",
                       description="Add files and folders (walked recursively) to the index. "
                       "Unchanged files are skipped, changed ones re-embedded, deleted ones dropped.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: corpus/)")
    p.add_argument("--rebuild", action="store_true", help="ignore the existing index and build a new one")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("search", help="print the passages that best match a query",
                       description="Rank passages by hybrid (dense + BM25) retrieval.")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=None, help="how many passages (default: 5)")
    p.add_argument("--mode", choices=("hybrid", "dense", "lexical"), default=None,
                   help="ranking to use (default: hybrid)")
    p.add_argument("--json", action="store_true", help="print the hits as JSON")
    _add_ask(sub)
    add_eval_parser(sub)
    add_bench_parser(sub)
    p = sub.add_parser("ui", help="start the chat UI in the browser (needs the ui extra)",
                       description="Start the Gradio chat UI (the same as `python ui.py`). It listens on "
                       "127.0.0.1 unless --host says otherwise.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860, help="port to listen on (default: 7860)")
    return parser


class _Subcommands:
    """Adds every sub-command with the common options, so they work before or after it."""

    def __init__(self, action: Any, common: argparse.ArgumentParser) -> None:
        self._action = action
        self._common = common

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return self._action.add_parser(name, parents=[self._common], **kwargs)  # type: ignore[no-any-return]


def _add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="a bundled model name (gemma3-270m, smollm2-135m) or a .gguf path")
    p.add_argument("--server-url", help="an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    p.add_argument("--answer-style", choices=("rerank", "extract"), default=None,
                   help="rerank (default): the model scores passages and the answer is a direct answer over "
                   "verbatim quotes; extract: the model picks verbatim spans under a grammar")
    p.add_argument("--timings", action="store_true", help="print where the time went")


def _add_ask(sub: Any) -> None:
    p = sub.add_parser("ask", help="answer a question with cited passages",
                       description="Answer a question from the indexed articles. Every sentence of "
                       "the answer is checked against the passage it cites; when the articles do not "
                       "hold the answer, it says so. Builds the index first if there is none.")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    _add_model_options(p)
    p = sub.add_parser("chat", help="a conversation: follow-up questions see the earlier turns",
                       description="Ask questions one after another; a follow-up (\"What did she say "
                       "about it?\") is answered as the standalone question it stands for, which is "
                       "printed above the answer. Commands: /new starts a new conversation, /quit "
                       "leaves. With --json, reads one question a line from standard input and writes "
                       "one JSON answer a line; an empty line starts a new conversation.")
    p.add_argument("--json", action="store_true",
                   help="read questions from standard input, one a line; write one JSON answer a line")
    _add_model_options(p)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except QAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; nothing was changed.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # "qa ask ... | head -3": stop quietly, and keep the flush of stdout at exit from failing again
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE


def _assistant(args: argparse.Namespace, **overrides: Any) -> Any:
    from .assistant import Assistant
    from .config import load_config

    if getattr(args, "index", None):
        overrides["index_dir"] = Path(args.index)
    if getattr(args, "verbose", False):
        overrides["verbose"] = True
    return Assistant(load_config(getattr(args, "config", None), **overrides))


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "ingest":
        return _ingest(args)
    if args.command == "search":
        return _search(args)
    if args.command == "ask":
        return _ask(args)
    if args.command == "chat":
        return _chat(args)
    if args.command == "eval":
        return run_eval(args, lambda **overrides: _assistant(args, **overrides))
    if args.command == "bench":
        return run_bench(args, lambda **overrides: _assistant(args, **overrides))
    if args.command == "ui":
        return _ui(args)
    raise AssertionError(args.command)


def _ui(args: argparse.Namespace) -> int:
    try:
        import gradio  # noqa: F401

        from .ui import main as ui_main
    except ImportError as exc:
        raise QAError(f"the chat UI needs the ui extra ({exc}); install it with: pip install -e '.[ui]'") from None
    argv = ["--host", args.host, "--port", str(args.port)]
    if getattr(args, "config", None):
        argv += ["--config", str(args.config)]
    if getattr(args, "index", None):
        argv += ["--index", str(args.index)]
    return ui_main(argv)


def _ingest(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    bar = None if args.quiet else _progress_bar()
    report = assistant.ingest(args.paths, progress=bar, rebuild=args.rebuild)
    if bar is not None:
        bar.close()
    for f in report.files:
        detail = f"{f.chunks} chunks" if f.status in ("added", "updated", "unchanged") else f.reason
        print(f"{f.status:<10} {f.doc_id or f.path}  {detail}")
    print(f"index: {report.documents} documents, {report.chunks} chunks in {report.index_dir}/ "
          f"({report.embedded_chunks} chunks embedded in {report.seconds:.1f}s)")
    if report.skipped:
        print(f"{len(report.skipped)} file(s) skipped; see the reasons above.", file=sys.stderr)
        return EXIT_SKIPPED
    return EXIT_OK


class _Bar:
    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm(total=0, unit="file", file=sys.stderr, leave=False, disable=None)

    def __call__(self, done: int, total: int, current: str) -> None:
        self._tqdm.total = total
        self._tqdm.n = done
        self._tqdm.set_postfix_str(Path(current).name if current else "writing index")
        self._tqdm.refresh()

    def close(self) -> None:
        self._tqdm.close()


def _progress_bar() -> _Bar:
    return _Bar()


def _search(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    hits = assistant.search(args.query, args.k, args.mode)
    if args.json:
        print(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not hits:
        print("no passages; the index is empty. Add documents with `qa ingest PATH`.")
    for h in hits:
        parts = [f"dense={h.dense_score:.3f}" if h.dense_score is not None else "",
                 f"bm25={h.lexical_score:.2f}" if h.lexical_score is not None else ""]
        page = f" p.{h.page}" if h.page else ""
        print(f"[{h.rank}] {h.doc_id}{page} chars {h.start}-{h.end}  score={h.score:.4f} "
              + " ".join(p for p in parts if p))
        print("    " + " ".join(h.text.split()))
    return EXIT_OK


def _answering_assistant(args: argparse.Namespace) -> Any:
    """The assistant for `ask` and `chat`, with an index built first if there is none."""
    from .index.store import exists

    overrides: dict[str, Any] = {}
    if args.model:
        overrides["model"] = args.model
    if args.server_url:
        overrides["server_url"] = args.server_url
    if args.answer_style:
        overrides["answer_style"] = args.answer_style
    assistant = _assistant(args, **overrides)
    if not exists(assistant.config.index_dir):
        print(f"No index yet; building it from {assistant.config.corpus_dir}/ ...", file=sys.stderr)
        report = assistant.ingest()
        print(f"indexed {report.documents} documents, {report.chunks} chunks.", file=sys.stderr)
    return assistant


def _chat(args: argparse.Namespace) -> int:
    from .chat import chat_json, chat_terminal

    assistant = _answering_assistant(args)
    if args.json:
        return EXIT_SKIPPED if chat_json(assistant, sys.stdin, sys.stdout) else EXIT_OK
    return chat_terminal(assistant, timings=args.timings)


def _ask(args: argparse.Namespace) -> int:
    from .render import answer_as_json, answer_as_text

    assistant = _answering_assistant(args)
    answer = assistant.ask(args.question)
    print(answer_as_json(answer) if args.json else answer_as_text(answer, timings=args.timings))
    return EXIT_OK
