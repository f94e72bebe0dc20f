"""A client for any OpenAI-compatible completions server (llama.cpp's server, vLLM, ...).

Uses the `/completions` endpoint with streaming (server-sent events) and passes the GBNF grammar as
`grammar`, which llama.cpp's servers honour; a server that ignores it still returns text, which the
pipeline verifies like any other. Standard library only; no network other than `server_url`.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

from ..errors import ModelError
from .generator import Completion, GenerationRequest


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
        body: dict[str, object] = {
            "prompt": request.prompt,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
            "stream": True,
        }
        if self.model:
            body["model"] = self.model
        if request.stop:
            body["stop"] = list(request.stop)
        if request.grammar:
            body["grammar"] = request.grammar
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        http = urllib.request.Request(f"{self.base_url}/completions", data=json.dumps(body).encode(),
                                      headers=headers, method="POST")
        started = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        usage: dict[str, int] = {}
        finish = ""
        try:
            with urllib.request.urlopen(http, timeout=self.timeout_s) as response:
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
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise ModelError(f"The server at {self.base_url} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ModelError(
                f"Cannot reach the model server at {self.base_url} ({reason}); start it (for example "
                "`python -m llama_cpp.server --model FILE.gguf`) or unset server_url to use a local model."
            ) from None
        except json.JSONDecodeError as exc:
            raise ModelError(f"The server at {self.base_url} sent a malformed event ({exc}).") from None
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
