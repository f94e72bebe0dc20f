"""`qa --help` answers without loading numpy, a model library or the pipeline."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numpy", "torch", "spacy", "llama_cpp", "faiss", "qa.assistant", "qa.answer", "qa.retrieve.retriever")


def test_help_imports_nothing_heavy() -> None:
    code = ("import sys\nfrom qa.cli import build_parser\nbuild_parser().format_help()\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_help_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "qa", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for command in ("ingest", "search", "ask", "chat", "eval", "bench", "ui"):
        assert command in done.stdout


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    """`qa ask ... | head -3`: the pipe closes under the answer; no traceback, the shell's code."""
    import os

    code = ("import qa.cli as cli\n"
            "cli._dispatch = lambda args: (print('an answer line\\n' * 20000, flush=True), 0)[1]\n"
            "raise SystemExit(cli.main(['ask', 'What happened?']))\n")
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        done = subprocess.run([sys.executable, "-c", code], stdout=write, stderr=subprocess.PIPE, text=True,
                              timeout=60)
    finally:
        os.close(write)
    assert done.returncode == 141, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
