"""A client for any OpenAI-compatible completions server (llama.cpp's server, vLLM, ...).

Text comes from the `/completions` endpoint with streaming (server-sent events), the GBNF grammar
passed as `grammar`, which llama.cpp's servers honour; a server that ignores it still returns
text, which the pipeline verifies like any other.

Passages are scored (`score`, the `Scorer` protocol) from the prompt's own log-probabilities,
which only some servers return: `echo: true` with `logprobs` (llama-cpp-python's server, vLLM) or
vLLM's `prompt_logprobs`. Which one a server answers is probed once per server and process, and a
server that answers neither is a `ConfigError` naming `answer_style`; there is no quiet fallback.
Standard library only; no network other than `server_url`.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..errors import ConfigError, ModelError
from .generator import Completion, GenerationRequest, Score
from .prompt_logprobs import PromptLogprobs, UnreadableLogprobs, continuation_logprobs, from_echo, from_prompt_logprobs
from .scoring import STYLE_HINT

# How to ask for a prompt's log-probabilities, tried in this order: the request fields, and the
# reader of the response. max_tokens is 1, not 0: llama-cpp-python reads 0 as "no limit".
SCORING_METHODS: dict[str, tuple[dict[str, Any], Callable[[Mapping[str, Any], str], PromptLogprobs]]] = {
    "echo": ({"echo": True, "logprobs": 1}, from_echo),
    "prompt_logprobs": ({"prompt_logprobs": 1}, from_prompt_logprobs),
}
PROBE = ("Question:", " Why?")  # short: some servers take a second per prompt token to answer

# (server_url, model) -> the scoring method that works, or why none does; probed once per process
_SCORING: dict[tuple[str, str], str] = {}
_CANNOT: dict[tuple[str, str], str] = {}


class _Refused(Exception):
    """The server answered a request with an HTTP error status (the message has its detail)."""


class OpenAIServerGenerator:
    def __init__(self, base_url: str, model: str = "", timeout_s: float = 120.0, api_key: str = "") -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ModelError(f"server_url {base_url!r} must start with http:// or https://.")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.model_id = f"{model or 'server'}@{self.base_url}"
        self.timeout_s = timeout_s
        self.api_key = api_key

    def stream(self, request: GenerationRequest) -> Iterator[str | Completion]:
        body: dict[str, Any] = {
            "prompt": request.prompt,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
            "stream": True,
        }
        if request.stop:
            body["stop"] = list(request.stop)
        if request.grammar:
            body["grammar"] = request.grammar
        started = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        usage: dict[str, int] = {}
        finish = ""
        try:
            with self._open(body, stream=True) as response:
                for raw in response:
                    line = raw.decode("utf-8", "replace").strip()
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    event = json.loads(data)
                    usage = event.get("usage") or usage
                    choice = (event.get("choices") or [{}])[0]
                    piece = choice.get("text") or ""
                    finish = choice.get("finish_reason") or finish
                    if first is None:
                        first = time.perf_counter()
                    if piece:
                        pieces.append(piece)
                        yield piece
        except _Refused as exc:
            raise ModelError(f"The server at {self.base_url} answered {exc}") from None
        except json.JSONDecodeError as exc:
            raise ModelError(f"The server at {self.base_url} sent a malformed event ({exc}).") from None
        except (TimeoutError, ConnectionError, urllib.error.URLError) as exc:
            raise self._unreachable(exc) from None
        ended = time.perf_counter()
        first = first or ended
        text = "".join(pieces)
        yield Completion(
            text=text,
            model_id=self.model_id,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            prompt_eval_ms=(first - started) * 1000,
            generation_ms=(ended - first) * 1000,
            finish_reason=finish,
        )

    def score(self, context: str, continuation: str) -> Score:
        """Mean log-probability per token of `continuation` after `context`, from the prompt's
        log-probabilities as the server returns them; the continuation's tokens are found by
        character offset. `tokens` counts the whole prompt as the server tokenised it."""
        method = self.scoring_method()
        started = time.perf_counter()
        try:
            response = self._post_json(_scoring_body(method, context + continuation))
            logprobs = continuation_logprobs(SCORING_METHODS[method][1](response, context + continuation),
                                             continuation)
        except (_Refused, UnreadableLogprobs) as exc:
            raise ModelError(f"The server at {self.base_url} could not score a passage ({exc}); it did "
                             f"when first asked. Check the server, or {STYLE_HINT}.") from None
        ms = (time.perf_counter() - started) * 1000
        if not logprobs:
            return Score(0.0, 0, ms)
        prompt_tokens = (response.get("usage") or {}).get("prompt_tokens")
        return Score(sum(logprobs) / len(logprobs), int(prompt_tokens or 0), ms)

    def scoring_method(self) -> str:
        """How this server returns a prompt's log-probabilities (a key of SCORING_METHODS), probed
        with one short request per method the first time; ConfigError when it returns none."""
        key = (self.base_url, self.model)
        if key in _SCORING:
            return _SCORING[key]
        if key not in _CANNOT:
            failures = []
            for method, (_, read) in SCORING_METHODS.items():
                try:
                    prompt = "".join(PROBE)
                    continuation_logprobs(read(self._post_json(_scoring_body(method, prompt)), prompt), PROBE[1])
                except (_Refused, UnreadableLogprobs) as exc:
                    failures.append(f"`{method}`: {exc}")
                    continue
                _SCORING[key] = method
                return method
            _CANNOT[key] = "; ".join(failures)
        raise ConfigError(
            f"The server at {self.base_url} cannot score passages, which the default answer style "
            f"(answer_style = \"rerank\") needs: it returns no log-probabilities for a prompt "
            f"({_CANNOT[key]}). Use a server that does (llama-cpp-python's `python -m llama_cpp.server`, "
            f"vLLM), or {STYLE_HINT}."
        )

    def _post_json(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            with self._open(body, stream=False) as response:
                data = json.loads(response.read())
        except json.JSONDecodeError as exc:
            raise UnreadableLogprobs(f"the response is not JSON ({exc})") from None
        except (TimeoutError, ConnectionError, urllib.error.URLError) as exc:
            raise self._unreachable(exc) from None
        if not isinstance(data, dict):
            raise UnreadableLogprobs("the response is not a JSON object")
        return data

    def _open(self, body: dict[str, Any], stream: bool) -> Any:
        """The HTTP response to a `/completions` request; `_Refused` for an error status."""
        if self.model:
            body = body | {"model": self.model}
        headers = {"Content-Type": "application/json",
                   "Accept": "text/event-stream" if stream else "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        http = urllib.request.Request(f"{self.base_url}/completions", data=json.dumps(body).encode(),
                                      headers=headers, method="POST")
        try:
            return urllib.request.urlopen(http, timeout=self.timeout_s)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise _Refused(f"{exc.code}: {detail}") from None

    def _unreachable(self, exc: BaseException) -> ModelError:
        reason = getattr(exc, "reason", exc)
        if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
            return ModelError(f"The model server at {self.base_url} did not answer within {self.timeout_s:.0f} s; "
                              "raise 'server_timeout_s' or use a faster server.")
        return ModelError(
            f"Cannot reach the model server at {self.base_url} ({reason}); start it (for example "
            "`python -m llama_cpp.server --model FILE.gguf`) or unset server_url to use a local model."
        )


def _scoring_body(method: str, prompt: str) -> dict[str, Any]:
    """A request that evaluates `prompt` and returns its log-probabilities, generating one token."""
    return {"prompt": prompt, "max_tokens": 1, "temperature": 0.0, "stream": False} | SCORING_METHODS[method][0]
