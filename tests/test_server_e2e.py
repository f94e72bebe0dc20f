"""The OpenAI-compatible backend against a real server (llama-cpp-python's) on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.backends.generator import GenerationRequest, complete
from qa.backends.gguf import resolve_model_path
from qa.backends.openai_server import OpenAIServerGenerator
from qa.config import Config
from qa.errors import ModelError

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    pytest.importorskip("uvicorn", reason="the server test needs the [dev] extras (scripts/setup.sh)")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(resolve_model_path("gemma3-270m")),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--verbose", "False"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode()[-2000:] if proc.stderr else ""
                    pytest.fail(f"the llama.cpp server did not start: {err}")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_server_backend_streams_and_honours_the_grammar(server_url: str) -> None:
    gen = OpenAIServerGenerator(server_url)
    req = GenerationRequest(prompt="Question: Is Paris in France?\nAnswer:", max_tokens=8,
                            grammar='root ::= " yes" | " no"')
    result = complete(gen, req)
    assert result.text in (" yes", " no")


def test_assistant_answers_through_the_server(server_url: str, tmp_path: Path) -> None:
    a = Assistant(Config(index_dir=tmp_path / "index", corpus_dir=ROOT / "corpus", server_url=server_url))
    a.ingest()
    answer = a.ask("What did Rutte say about Russia's objection?")
    assert not answer.abstained and answer.citations
    docs = a.retriever.data.documents
    for c in answer.citations:
        assert docs[c.doc_id].text[c.start:c.end] == c.quote
    assert answer.model_id.endswith(server_url)


def test_unreachable_server_names_the_fix() -> None:
    gen = OpenAIServerGenerator(f"http://127.0.0.1:{free_port()}/v1", timeout_s=5)
    with pytest.raises(ModelError, match="Cannot reach the model server"):
        complete(gen, GenerationRequest(prompt="hi"))
