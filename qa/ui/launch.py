"""`python ui.py` and `qa ui`: read the flags, build the assistant and the page, and serve it.

    python ui.py [--host 127.0.0.1] [--port 7860] [--config FILE] [--index DIR]
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..assistant import Assistant
from ..config import load_config
from ..errors import QAError
from .choices import is_loopback


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa ui", description="Serve the question-answering page in a browser.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to the network, and "
                        "then the settings offer only the configured models and server)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--config", metavar="FILE", help="a TOML settings file (default: qa.toml if present)")
    parser.add_argument("--index", metavar="DIR", help="the index folder (default: index/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the page on 127.0.0.1 unless --host says otherwise; 2 on a configuration error."""
    from .app import build_app, launch

    args = build_parser().parse_args(argv)
    try:
        overrides: Mapping[str, Any] = {"index_dir": Path(args.index)} if args.index else {}
        assistant = Assistant(load_config(args.config, **overrides))
        app = build_app(assistant, args.host)
    except QAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    threading.Thread(target=_warm_up, args=(assistant,), daemon=True).start()
    print(f"Serving on http://{args.host}:{args.port} (Ctrl-C stops)", file=sys.stderr)
    if not is_loopback(args.host):
        print("The page is open to the network: its settings offer only the configured models and server.",
              file=sys.stderr)
    launch(app, args.host, args.port, quiet=True)
    return 0


def _warm_up(assistant: Assistant) -> None:
    """Load the model before the first question; a failure shows when someone asks."""
    try:
        assistant.generator  # noqa: B018
    except QAError:
        pass
