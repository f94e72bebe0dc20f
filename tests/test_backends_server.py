"""Scoring through an OpenAI-compatible server, without a model: response shapes read by
`prompt_logprobs`, and a tiny HTTP server on 127.0.0.1 that answers like a server that returns no
prompt log-probabilities (llama.cpp's llama-server) or only vLLM's `prompt_logprobs`."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeGenerator, FakeScorer, HashEmbedder

from qa.assistant import Assistant
from qa.backends.openai_server import OpenAIServerGenerator
from qa.backends.prompt_logprobs import (
    PromptLogprobs,
    PromptToken,
    UnreadableLogprobs,
    continuation_logprobs,
    from_echo,
    from_prompt_logprobs,
)
from qa.backends.scoring import passage_scorer
from qa.config import Config
from qa.errors import ConfigError

TRAM = Path(__file__).resolve().parent / "data" / "tram"
Reply = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]


def echoed(prompt: list[str], generated: list[str], logprobs: list[float | None], bos: str = "") -> dict[str, Any]:
    """A completions response with `echo: true` (tokens listed, offsets the running lengths of their
    texts); `bos` is a first token spelled out in the list but not in the text, as vLLM does."""
    tokens = ([bos] if bos else []) + prompt + generated
    offsets = [sum(len(t) for t in tokens[:i]) for i in range(len(tokens))]
    return {"choices": [{"text": "".join(prompt + generated), "index": 0, "finish_reason": "length",
                         "logprobs": {"tokens": tokens, "text_offset": offsets, "token_logprobs": logprobs,
                                      "top_logprobs": [None] * len(tokens)}}],
            "usage": {"prompt_tokens": len(prompt) + 1, "completion_tokens": len(generated)}}


NO_LOGPROBS = {"choices": [{"text": " Paris", "index": 0, "logprobs": None, "finish_reason": "length"}],
               "usage": {"prompt_tokens": 4, "completion_tokens": 1}}


def test_the_continuation_is_found_by_character_offset_in_an_echoed_prompt() -> None:
    # llama-cpp-python's shape: no BOS token, offsets into the prompt, one generated token last
    response = echoed(["Question", ":", " Why", " not", "?"], ["\n"], [None, -1.0, -2.0, -0.5, -3.0, -0.1])
    assert continuation_logprobs(from_echo(response, "Question: Why not?"), " Why not?") == [-2.0, -0.5, -3.0]
    assert continuation_logprobs(from_echo(response, "Question: Why not?"), " not?") == [-0.5, -3.0]


def test_a_spelled_out_bos_token_does_not_shift_the_continuation() -> None:
    # vLLM's shape: the BOS token spelled "<bos>" first, counted in every later offset
    response = echoed(["Question", ":", " Why", "?"], ["!"], [None, -4.0, -1.0, -2.0, -3.0, -0.2], bos="<bos>")
    assert continuation_logprobs(from_echo(response, "Question: Why?"), " Why?") == [-2.0, -3.0]


def test_a_token_that_straddles_the_boundary_counts_for_the_continuation() -> None:
    prompt = PromptLogprobs((PromptToken("Question", 0, None), PromptToken(": Why", 8, -1.5),
                             PromptToken("?", 13, -0.5)), 14)
    assert continuation_logprobs(prompt, " Why?") == [-1.5, -0.5]


def test_vllm_prompt_logprobs_pick_the_prompt_token_and_survive_dropped_spaces() -> None:
    # per-token texts without their leading space, as a tokenizer decoding one token at a time gives
    entries: list[Any] = [
        None,
        {"11": {"logprob": -1.0, "rank": 1, "decoded_token": ":"}},
        {"5": {"logprob": -0.7, "rank": 1, "decoded_token": "How"},
         "12": {"logprob": -2.0, "rank": 4, "decoded_token": "Why"}},  # the prompt token, below the top 1
        {"13": {"logprob": -3.0, "rank": 1, "decoded_token": "?"}},
    ]
    response = {"choices": [{"text": "", "prompt_logprobs": entries}], "usage": {"prompt_tokens": 4}}
    assert continuation_logprobs(from_prompt_logprobs(response, ": Why?"), " Why?") == [-2.0, -3.0]


def test_logprobs_of_generated_tokens_only_are_refused() -> None:
    # llama-server's shape: echo ignored, logprobs for the one generated token
    only_generated = echoed([], [" Paris"], [-0.3])
    with pytest.raises(UnreadableLogprobs, match="does not echo the prompt"):
        from_echo(only_generated, "Capital:")
    with pytest.raises(UnreadableLogprobs, match="only the generated tokens"):
        from_echo(only_generated, "")
    with pytest.raises(UnreadableLogprobs, match="no `logprobs`"):
        from_echo(NO_LOGPROBS, "Capital:")
    with pytest.raises(UnreadableLogprobs, match="no `prompt_logprobs`"):
        from_prompt_logprobs(NO_LOGPROBS, "Capital:")


def test_logprobs_shifted_by_one_token_are_refused() -> None:
    # llama-cpp-python's server with a model that adds no BOS token: every prompt token listed
    # with the log-probabilities of the next position, and the generated token left out
    response = echoed(["Question", ":", " Why", "?"], [], [None, -1.0, -2.0, -3.0])
    response["choices"][0]["text"] += "\n"
    response["usage"]["completion_tokens"] = 1
    with pytest.raises(UnreadableLogprobs, match="do not line up"):
        from_echo(response, "Question: Why?")


def test_tokens_that_do_not_spell_the_continuation_are_refused() -> None:
    response = echoed(["Question", ":", " When", "?"], ["\n"], [None, -1.0, -2.0, -3.0, -0.1])
    with pytest.raises(UnreadableLogprobs, match="do not spell"):
        continuation_logprobs(from_echo(response, "Question: When?"), " Why?")


class FakeServer:
    """`/v1/completions` on 127.0.0.1 answered by `reply(body)`; records every request body."""

    def __init__(self, reply: Reply) -> None:
        self.bodies: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.bodies.append(body)
                status, payload = reply(body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def no_logprobs_server() -> Iterator[FakeServer]:
    server = FakeServer(lambda body: (200, NO_LOGPROBS))
    yield server
    server.close()


def test_a_server_without_prompt_logprobs_is_a_clear_error_naming_the_setting(no_logprobs_server: FakeServer) -> None:
    gen = OpenAIServerGenerator(no_logprobs_server.url)
    with pytest.raises(ConfigError) as caught:
        gen.score("Question:", " Why?")
    message = str(caught.value)
    assert "cannot score passages" in message and no_logprobs_server.url in message
    assert 'answer_style = "extract"' in message and "QA_ANSWER_STYLE=extract" in message
    assert [set(b) & {"echo", "prompt_logprobs"} for b in no_logprobs_server.bodies] == [{"echo"}, {"prompt_logprobs"}]
    # probed once: a second server object for the same URL asks nothing more and fails the same way
    with pytest.raises(ConfigError, match="cannot score passages"):
        passage_scorer(OpenAIServerGenerator(no_logprobs_server.url), "rerank")
    assert len(no_logprobs_server.bodies) == 2
    assert passage_scorer(OpenAIServerGenerator(no_logprobs_server.url), "extract") is None


def test_asking_through_a_server_that_cannot_score_fails_before_any_answer(no_logprobs_server: FakeServer,
                                                                          tmp_path: Path) -> None:
    config = Config(index_dir=tmp_path / "index", corpus_dir=TRAM, server_url=no_logprobs_server.url)
    a = Assistant(config, embedder=HashEmbedder())
    a.ingest()
    with pytest.raises(ConfigError, match='answer_style = "extract"'):
        a.ask("How much did the tram line cost?")


def test_a_server_with_only_vllm_prompt_logprobs_scores_with_them() -> None:
    def reply(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if body.get("echo"):
            return 400, {"error": {"message": "echo is not supported"}}
        assert body["prompt_logprobs"] == 1 and body["max_tokens"] == 1 and not body["stream"]
        words = body["prompt"].replace(":", ": ").split()  # one token a word, spaces dropped like SPM
        entries = [None] + [{str(i): {"logprob": -float(i), "rank": 1, "decoded_token": w}}
                            for i, w in enumerate(words[1:], 1)]
        return 200, {"choices": [{"text": "", "prompt_logprobs": entries}], "usage": {"prompt_tokens": len(words)}}

    server = FakeServer(reply)
    try:
        gen = OpenAIServerGenerator(server.url, model="served-model")
        assert gen.scoring_method() == "prompt_logprobs"
        score = gen.score("Passage: rain fell.\nQuestion:", " Why did it rain?")
        assert score.logprob == pytest.approx(-(4 + 5 + 6 + 7) / 4) and score.tokens == 8
        assert server.bodies[-1]["model"] == "served-model"
    finally:
        server.close()


def test_the_rerank_style_never_runs_without_a_scorer() -> None:
    scorer = FakeScorer("tram")
    assert passage_scorer(scorer, "rerank") is scorer  # type: ignore[arg-type]
    assert passage_scorer(scorer, "extract") is None  # type: ignore[arg-type]
    assert passage_scorer(None, "rerank") is None  # no model at all: the retrieval-only reference
    with pytest.raises(ConfigError, match="answer_style"):
        passage_scorer(FakeGenerator(), "rerank")  # type: ignore[arg-type]
