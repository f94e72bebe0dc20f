"""The llama.cpp backend (llama-cpp-python), run in-process. The only module that imports it.

Loads a GGUF file once and streams completions, optionally constrained by a GBNF grammar.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import ModelError
from .generation import Completion, GenerationRequest


class LlamaGenerator:
    def __init__(self, model_path: Path, n_ctx: int = 2048, n_threads: int = 0, seed: int = 0) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelError(
                "llama-cpp-python is not installed; run scripts/setup.sh (it compiles it for this CPU)."
            ) from None
        self.model_id = Path(model_path).name
        self.model_path = Path(model_path)
        threads = n_threads or os.cpu_count() or 1
        try:
            self._llm = Llama(model_path=str(model_path), n_ctx=n_ctx, n_threads=threads,
                              n_threads_batch=threads, seed=seed, verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"llama.cpp could not load {model_path} ({exc}); is it a valid GGUF file?") from None
        self._grammars: dict[str, Any] = {}

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=False))

    def stream(self, request: GenerationRequest) -> Iterator[str | Completion]:
        prompt_tokens = self.count_tokens(request.prompt)
        if prompt_tokens + request.max_tokens > self._llm.n_ctx():
            raise ModelError(
                f"The prompt has {prompt_tokens} tokens, too many for n_ctx={self._llm.n_ctx()} with "
                f"max_tokens={request.max_tokens}; raise 'n_ctx' or lower 'evidence_sentences'."
            )
        started = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        finish = ""
        self._llm.set_seed(request.seed)
        for chunk in self._llm.create_completion(
            request.prompt,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            stop=list(request.stop) or None,
            grammar=self._grammar(request.grammar),
            seed=request.seed,
            stream=True,
        ):
            choice: dict[str, Any] = chunk["choices"][0]  # type: ignore[index,assignment]
            piece = choice.get("text") or ""
            if first is None:
                first = time.perf_counter()
            if piece:
                pieces.append(piece)
                yield piece
            finish = choice.get("finish_reason") or finish
        ended = time.perf_counter()
        first = first or ended
        text = "".join(pieces)
        yield Completion(
            text=text,
            model_id=self.model_id,
            prompt_tokens=prompt_tokens,
            completion_tokens=len(self._llm.tokenize(text.encode("utf-8"), add_bos=False)) if text else 0,
            prompt_eval_ms=(first - started) * 1000,
            generation_ms=(ended - first) * 1000,
            finish_reason=finish,
        )

    def _grammar(self, gbnf: str | None) -> Any:
        if gbnf is None:
            return None
        if gbnf not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[gbnf] = LlamaGrammar.from_string(gbnf, verbose=False)
        return self._grammars[gbnf]
