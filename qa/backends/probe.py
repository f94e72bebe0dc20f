"""Check, in a child process, that llama.cpp can load a GGUF model and evaluate tokens on this CPU.

A llama.cpp build that uses instructions the CPU cannot run (or kernels that are broken on it, such
as the AMX kernels of a `GGML_NATIVE=ON` build on some Xeons) dies with SIGSEGV or SIGILL inside
`llama_decode`, which no Python `try` can catch. So the first load of a model in a new install
runs this probe as a child; a crash there becomes a `ModelError` that names the fix, and a pass is
remembered (per llama.cpp build and model file) so later starts skip it.

`python -m qa.backends.probe [--fresh] [MODEL]` is the smoke test that scripts/setup.sh runs.
This module does not answer questions or load a model into the calling process.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

PROBE_TEXT = "The quick brown fox jumps over the lazy dog"
TIMEOUT_S = 300.0
REBUILD_HINT = (
    "Rebuild llama-cpp-python for a baseline CPU: run `bash scripts/setup.sh`, which compiles it with "
    "GGML_NATIVE=OFF and AVX2 (no AVX-512, no AMX) and re-runs this check."
)


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    detail: str  # what the child printed last, or how it died


def probe(model_path: Path, command: list[str] | None = None, timeout_s: float = TIMEOUT_S) -> ProbeResult:
    """Run the probe child (by default this module on `model_path`) and say how it went."""
    command = command or [sys.executable, "-m", "qa.backends.probe", "--child", str(model_path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return ProbeResult(False, f"it did not finish within {timeout_s:.0f} s")
    if done.returncode == 0:
        return ProbeResult(True, "ok")
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        return ProbeResult(False, f"llama.cpp crashed with {name} while evaluating tokens")
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return ProbeResult(False, f"exit status {done.returncode}: {last}")


def ensure_runs(model_path: Path, command: list[str] | None = None) -> None:
    """Probe `model_path` once per llama.cpp build and model file; raise ModelError if it fails.
    `command` replaces the probe child (tests use one that crashes)."""
    stamp = _stamp_path(model_path)
    if stamp is not None and stamp.is_file():
        return
    result = probe(model_path, command)
    if not result.ok:
        raise ModelError(f"llama.cpp cannot run {model_path.name} on this CPU ({result.detail}). {REBUILD_HINT}")
    if stamp is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text("ok\n", encoding="utf-8")
        except OSError:
            pass  # an unwritable cache only means probing again next time


def _stamp_path(model_path: Path) -> Path | None:
    """Where a pass is remembered: keyed by the llama.cpp libraries and the model file."""
    import importlib.util

    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    key = hashlib.sha256()
    for lib in sorted(package.glob("lib/*")) + [model_path]:
        try:
            st = lib.stat()
        except OSError:
            continue
        key.update(f"{lib.resolve()}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa-news" / "probe"
    return cache / key.hexdigest()[:24]


def _child(model_path: Path) -> int:
    """Load the model and evaluate a few tokens; a crash kills this process, not the caller."""
    from .llama import quiet_llama_logs

    quiet_llama_logs()
    from llama_cpp import Llama

    llm = Llama(model_path=str(model_path), n_ctx=64, n_threads=1, verbose=False)
    tokens = llm.tokenize(PROBE_TEXT.encode("utf-8"), add_bos=True)
    llm.eval(tokens)
    if llm.n_tokens != len(tokens):
        print(f"evaluated {llm.n_tokens} of {len(tokens)} tokens", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m qa.backends.probe",
        description="Smoke-test llama.cpp: load a GGUF model and evaluate a few tokens in a child process.")
    parser.add_argument("model", nargs="?", default="gemma3-270m",
                        help="a bundled model name or a .gguf path (default: gemma3-270m)")
    parser.add_argument("--fresh", action="store_true", help="probe even if this build passed before")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(Path(args.model))
    from .gguf import resolve_model_path

    try:
        path = resolve_model_path(args.model)
        if args.fresh:
            stamp = _stamp_path(path)
            if stamp is not None:
                stamp.unlink(missing_ok=True)
        ensure_runs(path)
    except ModelError as exc:
        print(f"probe: {exc}", file=sys.stderr)
        return 1
    print(f"probe: llama.cpp loads {path.name} and evaluates tokens on this CPU", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
