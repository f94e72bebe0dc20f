"""The llama.cpp smoke test: a backend that crashes in a child becomes a ModelError naming the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qa.backends.probe import ensure_runs, probe
from qa.errors import ModelError

CRASH = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
FAIL = [sys.executable, "-c", "import sys; print('cannot load model', file=sys.stderr); sys.exit(3)"]
PASS = [sys.executable, "-c", "pass"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_a_crashing_child_is_reported_by_signal_name(tmp_path: Path) -> None:
    result = probe(tmp_path / "m.gguf", CRASH)
    assert not result.ok
    assert "SIGSEGV" in result.detail


def test_a_failing_child_reports_its_last_words(tmp_path: Path) -> None:
    result = probe(tmp_path / "m.gguf", FAIL)
    assert not result.ok
    assert "exit status 3" in result.detail and "cannot load model" in result.detail


def test_a_crash_becomes_a_model_error_that_names_the_rebuild(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    with pytest.raises(ModelError) as caught:
        ensure_runs(model, CRASH)
    message = str(caught.value)
    assert "SIGSEGV" in message and "scripts/setup.sh" in message and "GGML_NATIVE=OFF" in message


def test_a_pass_is_remembered_and_a_failure_is_not(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    with pytest.raises(ModelError):
        ensure_runs(model, CRASH)
    ensure_runs(model, PASS)  # a failure is not cached, so a fixed build is probed again
    ensure_runs(model, CRASH)  # the pass is remembered: the crashing child is not run again
    model.write_bytes(b"GGUF2")  # another model file (size and time change) is probed afresh
    with pytest.raises(ModelError):
        ensure_runs(model, CRASH)


@pytest.mark.e2e
def test_the_bundled_model_passes_the_real_probe(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "qa.backends.probe", "--fresh"], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "evaluates tokens on this CPU" in done.stderr
