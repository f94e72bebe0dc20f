"""The llama.cpp backend (llama-cpp-python), run in-process. The only module that imports it.

Loads a GGUF file once and streams completions, optionally constrained by a GBNF grammar.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .generator import Completion, GenerationRequest, Score

KEPT_PROMPTS = 8  # evaluated prompts kept for a later prompt that extends one (a question's passages)
_SILENT: Any = None  # the no-op log callback handed to llama.cpp; kept referenced while installed


def quiet_llama_logs(verbose: bool = False) -> None:
    """Send llama.cpp's own log lines (model loading, KV cache set-up) nowhere unless `verbose`.

    llama-cpp-python's `verbose=False` hides most of them but not all that llama.cpp prints while
    it creates a context, so a no-op callback replaces its logger; `verbose` restores it."""
    global _SILENT
    import ctypes

    import llama_cpp

    if verbose:
        from llama_cpp._logger import llama_log_callback, set_verbose

        set_verbose(True)
        llama_cpp.llama_log_set(llama_log_callback, ctypes.c_void_p(0))
        return
    if _SILENT is None:
        _SILENT = llama_cpp.llama_log_callback(lambda level, text, user_data: None)
    llama_cpp.llama_log_set(_SILENT, ctypes.c_void_p(0))


class LlamaGenerator:
    def __init__(self, model_path: Path, n_ctx: int = 2048, n_threads: int = 0, seed: int = 0,
                 verbose: bool = False, probe: bool = True) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelError(
                "llama-cpp-python is not installed; run `bash scripts/setup.sh` (it compiles it for a "
                "baseline x86-64 CPU)."
            ) from None
        if probe:  # a llama.cpp build that crashes on this CPU is caught in a child, not here
            from .probe import ensure_runs

            ensure_runs(Path(model_path))
        quiet_llama_logs(verbose)
        self.model_id = Path(model_path).name
        self.model_path = Path(model_path)
        threads = n_threads or os.cpu_count() or 1
        try:
            self._llm = Llama(model_path=str(model_path), n_ctx=n_ctx, n_threads=threads,
                              n_threads_batch=threads, seed=seed, verbose=verbose)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"llama.cpp could not load {model_path} ({exc}); is it a valid GGUF file?") from None
        self._grammars: dict[str, Any] = {}
        self._kept: OrderedDict[str, Kept] = OrderedDict()  # text -> its evaluated state

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

    @property
    def llama(self) -> Any:
        """The llama_cpp.Llama underneath, for benchmarks that time llama.cpp on its own."""
        return self._llm

    def clear_cache(self) -> None:
        """Make llama.cpp evaluate the next prompt from scratch (no reuse of a cached prefix)."""
        self._llm.reset()
        self._kept.clear()

    def score(self, context: str, continuation: str) -> Score:
        """Mean log-probability per token of `continuation` after `context`, teacher-forced in one
        batch; logits are computed only at the positions that predict the continuation."""
        import llama_cpp

        head = self._llm.tokenize(context.encode("utf-8"), add_bos=True, special=False)
        tail = self._llm.tokenize(continuation.encode("utf-8"), add_bos=False, special=False)
        started = time.perf_counter()
        if not tail:
            return Score(0.0, 0, 0.0)
        with decoded(self._llm, head + tail, range(len(head) - 1, len(head) + len(tail) - 1)):
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits(self._llm.ctx),
                                           shape=(len(tail), self._llm.n_vocab()))
            total = _logprob(logits, tail)
        return Score(total / len(tail), len(head) + len(tail), (time.perf_counter() - started) * 1000)

    def score_many(self, context: str, continuations: Sequence[str]) -> list[Score]:
        """`score` of each continuation after one context, the context evaluated once."""
        return self.score_after(context, [("", c) for c in continuations])

    def score_after(self, prefix: str, items: Sequence[tuple[str, str]]) -> list[Score]:
        """`score(prefix + rest, continuation)` of each (rest, continuation), the prefix evaluated
        once: its KV cache is kept while each rest and continuation is evaluated after it and then
        dropped. Each Score counts the tokens evaluated for it (the prefix's go to the first).

        Each prompt evaluated whole (prefix, a rest and its continuation) is kept for a while
        (`KEPT_PROMPTS`): a later prefix that extends one starts from its state, so only the
        extension is evaluated (a passage's prompt and question, then its candidate answers)."""
        import llama_cpp

        llm = self._llm
        kept = self._kept_before(prefix)
        head = [*kept.tokens, *self._tokens(prefix[len(kept.text):])] if kept else self._tokens(prefix, bos=True)
        bodies = [(self._tokens(rest), self._tokens(continuation)) for rest, continuation in items]
        if len(head) + max((len(r) + len(t) for r, t in bodies), default=0) > min(llm.n_ctx(), llm.n_batch):
            return [self.score(prefix + rest, continuation) for rest, continuation in items]
        memory = llama_cpp.llama_get_memory(llm.ctx)
        vocab = llm.n_vocab()
        out = []
        # the prefix's last logits predict a continuation with no rest before it; nothing else
        # reads them, and each row of logits costs about as much as two tokens of the prompt
        continued = any(not rest for rest, _ in bodies)
        with decoded(llm, head, range(len(head) - 1 if continued else len(head), len(head)), kept):
            started = time.perf_counter()
            last = np.ctypeslib.as_array(llama_cpp.llama_get_logits(llm.ctx), shape=(1, vocab)).copy() \
                if continued else np.empty((0, vocab), dtype=np.float32)
            fresh = len(head) - (len(kept.tokens) if kept else 0)  # the prefix's tokens evaluated here
            for n, ((rest, tail), (rest_text, tail_text)) in enumerate(zip(bodies, items, strict=True)):
                if not tail:
                    out.append(Score(0.0, 0, 0.0))
                    continue
                body = rest + tail
                # the rows predicting the continuation: from the rest's last token, or from the
                # prefix's (kept in `last`) when there is no rest
                predicting = range(max(0, len(rest) - 1), len(body) - 1)
                _decode(llm.ctx, body, len(head), predicting)
                rows = np.ctypeslib.as_array(llama_cpp.llama_get_logits(llm.ctx), shape=(len(predicting), vocab)) \
                    if predicting else np.empty((0, vocab), dtype=last.dtype)
                total = _logprob(rows if rest else np.vstack([last, rows]), tail)
                if rest:
                    self._keep(prefix + rest_text + tail_text, [*head, *body])
                llama_cpp.llama_memory_seq_rm(memory, 0, len(head), -1)
                ms = (time.perf_counter() - started) * 1000
                out.append(Score(total / len(tail), len(body) + (fresh if n == 0 else 0), ms))
                started = time.perf_counter()
        return out

    def _tokens(self, text: str, bos: bool = False) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=bos, special=False)  # type: ignore[no-any-return]

    def _keep(self, text: str, tokens: list[int]) -> None:
        """Keep the state of sequence 0, which holds `tokens` (`text`), dropping the oldest kept."""
        import ctypes

        import llama_cpp

        size = llama_cpp.llama_state_seq_get_size(self._llm.ctx, 0)
        data = (ctypes.c_uint8 * size)()
        if llama_cpp.llama_state_seq_get_data(self._llm.ctx, data, size, 0) != size:
            return  # not kept: a later prompt is evaluated whole, as without keeping
        self._kept[text] = Kept(text, tuple(tokens), data)
        self._kept.move_to_end(text)
        while len(self._kept) > KEPT_PROMPTS:
            self._kept.popitem(last=False)

    def _kept_before(self, prefix: str) -> Kept | None:
        """The longest kept prompt that `prefix` extends (by at least one character)."""
        found = [k for text, k in self._kept.items() if len(text) < len(prefix) and prefix.startswith(text)]
        return max(found, key=lambda k: len(k.text), default=None)

    def _grammar(self, gbnf: str | None) -> Any:
        if gbnf is None:
            return None
        if gbnf not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[gbnf] = LlamaGrammar.from_string(gbnf, verbose=False)
        return self._grammars[gbnf]


@dataclass(frozen=True)
class Kept:
    """An evaluated prompt's text, tokens and the KV state of the sequence that held them."""

    text: str
    tokens: tuple[int, ...]
    state: Any  # a ctypes byte array from llama_state_seq_get_data


@contextmanager
def decoded(llm: Any, tokens: Sequence[int], outputs: range, start: Kept | None = None) -> Iterator[None]:
    """Evaluate `tokens` from position 0 in one llama.cpp batch, with logits kept for the
    positions in `outputs` (for a continuation: those that predict its tokens; for a context
    continued later: its last one), readable inside the block. With `start`, a kept state of
    tokens' first part, only the rest is evaluated. The KV cache is cleared before and after, so
    a later completion re-evaluates its prompt."""
    import llama_cpp

    if len(tokens) > min(llm.n_ctx(), llm.n_batch):
        raise ModelError(f"Scoring needs {len(tokens)} tokens, more than n_ctx/n_batch allow; raise 'n_ctx'.")
    memory = llama_cpp.llama_get_memory(llm.ctx)
    llm.reset()
    llama_cpp.llama_memory_clear(memory, True)
    try:
        done = 0
        if start is not None and llama_cpp.llama_state_seq_set_data(llm.ctx, start.state, len(start.state), 0):
            done = len(start.tokens)
        elif start is not None:
            llama_cpp.llama_memory_clear(memory, True)  # not restored: evaluated whole
        _decode(llm.ctx, tokens[done:], done, range(outputs.start - done, outputs.stop - done))
        yield
    finally:
        llama_cpp.llama_memory_clear(memory, True)


def _decode(ctx: Any, tokens: Sequence[int], offset: int, outputs: range) -> None:
    """Evaluate `tokens` at positions offset.. of sequence 0 in one batch, logits for `outputs`."""
    import llama_cpp

    batch = llama_cpp.llama_batch_init(len(tokens), 0, 1)
    try:
        batch.n_tokens = len(tokens)
        for i, token in enumerate(tokens):
            batch.token[i] = token
            batch.pos[i] = offset + i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = i in outputs
        if llama_cpp.llama_decode(ctx, batch) != 0:
            raise ModelError("llama.cpp failed to evaluate a scoring batch.")
    finally:
        llama_cpp.llama_batch_free(batch)


def _logprob(logits: np.ndarray, tokens: Sequence[int]) -> float:
    """Sum of the log-probabilities of `tokens`, row i of `logits` predicting token i."""
    top = logits.max(axis=1, keepdims=True)
    shifted = np.subtract(logits, top)  # one scratch array, exponentiated in place
    np.exp(shifted, out=shifted)
    log_norm = np.log(shifted.sum(axis=1, dtype=np.float64)) + top[:, 0]
    return float((logits[np.arange(len(tokens)), tokens] - log_norm).sum())
