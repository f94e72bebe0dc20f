"""End-to-end answering with the real model: where the time goes, the overhead over llama.cpp
alone, and the cold start of `qa ask` as a fresh process.

Each question runs through the real pipeline with a generator wrapper that records what it asked
of the model. In the default rerank style that is one scoring pass per evidence passage; llama.cpp
alone then decodes the same token sequences with logits at the same positions (the same work, none
of our code), and once more with `Llama.eval` (logits for the last token only), to show what
reading the question's log-probabilities costs. In the extract and free styles it is the final
`GenerationRequest`; right after it (paired, so a busy machine affects both alike) that request
goes straight to the underlying `llama_cpp.Llama.create_completion` with the same prompt, grammar,
stop, temperature, max_tokens and seed, streamed as the pipeline does, and then once more without
the grammar, to show what constrained decoding costs. llama.cpp's KV cache is cleared before each
of the three, so none reuses another's prompt. Overhead = our wall time / llama.cpp's - 1. One
warm-up question, not counted, loads and warms the model first.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from ..answer.pipeline import answer_question
from ..assistant import Assistant
from ..backends.generator import Completion, GenerationRequest, Generator, Score
from ..backends.llama import LlamaGenerator, decoded
from ..errors import QAError
from ..index.store import exists
from .questions import QuestionSet
from .stats import Latency, since_ms, summarize, summarize_any

COLD_RUNS = 2


@dataclass(frozen=True)
class QuestionRun:
    question: str
    abstained: bool
    retrieval_ms: float
    prompt_tokens: int
    prompt_eval_ms: float
    completion_tokens: int
    generation_ms: float
    verification_ms: float
    end_to_end_ms: float  # wall time of the whole pipeline call
    llama_ms: float | None  # the same request, llama.cpp alone (None when the pipeline abstained)
    overhead_pct: float | None  # end_to_end_ms / llama_ms - 1, in percent
    same_output: bool | None  # llama.cpp alone wrote exactly the pipeline's draft
    llama_variant_ms: float | None  # generation: without the grammar; rerank: last-token logits only


@dataclass(frozen=True)
class ColdStart:
    run: int
    wall_s: float  # process start to exit
    peak_rss_mb: float  # ru_maxrss of that one child process
    exit_code: int
    error: str = ""  # the last line it printed, when it failed


@dataclass(frozen=True)
class AnswerBench:
    model_id: str
    model_load_s: float
    questions: str
    runs: tuple[QuestionRun, ...]
    retrieval: Latency
    prompt_eval: Latency | None  # over answered questions only
    generation: Latency | None
    verification: Latency | None
    end_to_end: Latency
    median_overhead_pct: float | None
    median_ratio: float | None  # ours / llama.cpp alone
    cold_start_command: str
    cold_starts: tuple[ColdStart, ...]


class _RecordingGenerator:
    """Passes requests through to the real generator, keeping the last one and every scoring call."""

    def __init__(self, inner: LlamaGenerator) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.last: GenerationRequest | None = None
        self.scored: list[_Scoring] = []

    def stream(self, request: GenerationRequest) -> Iterator[str | Completion]:
        self.last = request
        yield from self.inner.stream(request)

    def score(self, context: str, continuation: str) -> Score:
        self.scored.append(_Scoring(context, (("", continuation),), alone=True))
        return self.inner.score(context, continuation)

    def score_many(self, context: str, continuations: Sequence[str]) -> list[Score]:
        return self.score_after(context, [("", c) for c in continuations])

    def score_after(self, prefix: str, items: Sequence[tuple[str, str]]) -> list[Score]:
        self.scored.append(_Scoring(prefix, tuple(items), alone=False))
        return self.inner.score_after(prefix, items)


@dataclass(frozen=True)
class _Scoring:
    """One scoring call: each (rest, continuation) scored after `prefix`; `alone`: by `score`."""

    prefix: str
    items: tuple[tuple[str, str], ...]
    alone: bool


def run_answer_bench(assistant: Assistant, questions: QuestionSet, warm_up: str,
                     say: Callable[[str], None] = print) -> AnswerBench:
    if not exists(assistant.config.index_dir):
        say(f"answer: no index at {assistant.config.index_dir}/; ingesting {assistant.config.corpus_dir}/ first")
        assistant.ingest()
    retriever = assistant.retriever
    started = time.perf_counter()
    generator = assistant.generator
    load_s = since_ms(started) / 1000
    if not isinstance(generator, LlamaGenerator):
        raise QAError("qa bench --part answer measures the in-process llama.cpp model; unset 'server_url'.")
    recorder = _RecordingGenerator(generator)
    say(f"answer: warm-up, then {len(questions.texts)} questions, each through the pipeline, "
        "llama.cpp alone on the same model work, and a variant (see the table)")
    answer_question(warm_up, retriever, recorder, assistant.analyser, assistant.config)
    runs = []
    for question in questions.texts:
        recorder.last = None
        recorder.scored = []
        _clear_cache(generator)
        asked = time.perf_counter()
        answer = answer_question(question, retriever, recorder, assistant.analyser, assistant.config)
        wall_ms = since_ms(asked)
        solo: tuple[float, str | None] | None = None
        variant: float | None = None
        if recorder.scored:
            solo = (_llama_alone_scoring(generator, recorder.scored, same_logits=True), None)
            variant = _llama_alone_scoring(generator, recorder.scored, same_logits=False)
        elif recorder.last is not None:
            _clear_cache(generator)
            solo = _llama_alone(generator, recorder.last)
            _clear_cache(generator)
            unconstrained = _llama_alone(generator, replace(recorder.last, grammar=None))
            variant = unconstrained[0] if unconstrained else None
        t = answer.timings
        runs.append(QuestionRun(
            answer.question, answer.abstained, t.retrieval_ms, t.prompt_tokens, t.prompt_eval_ms,
            t.completion_tokens, t.generation_ms, t.verification_ms, wall_ms,
            solo[0] if solo else None,
            (wall_ms / solo[0] - 1) * 100 if solo else None,
            solo[1] == answer.draft if solo and solo[1] is not None else None,
            variant,
        ))
    answered = [r for r in runs if not r.abstained]
    overheads = [r.overhead_pct for r in runs if r.overhead_pct is not None]
    command = _qa_command()
    say(f"answer: cold start of `qa ask`, {COLD_RUNS} runs")
    cold = tuple(_cold_start(n, [*command, "ask", questions.texts[0]]) for n in range(1, COLD_RUNS + 1))
    return AnswerBench(
        model_id=generator.model_id,
        model_load_s=load_s,
        questions=questions.describe(),
        runs=tuple(runs),
        retrieval=summarize([r.retrieval_ms for r in runs]),
        prompt_eval=summarize_any([r.prompt_eval_ms for r in answered]),
        generation=summarize_any([r.generation_ms for r in answered]),
        verification=summarize_any([r.verification_ms for r in answered]),
        end_to_end=summarize([r.end_to_end_ms for r in runs]),
        median_overhead_pct=statistics.median(overheads) if overheads else None,
        median_ratio=statistics.median(1 + o / 100 for o in overheads) if overheads else None,
        cold_start_command=" ".join([os.path.basename(command[0]), *command[1:], "ask", "QUESTION"]),
        cold_starts=cold,
    )


def _clear_cache(generator: Generator) -> None:
    """Make llama.cpp evaluate the next prompt from scratch (no reuse of a cached prefix)."""
    if isinstance(generator, LlamaGenerator):
        generator.clear_cache()


def _llama_alone_scoring(generator: LlamaGenerator, calls: list[_Scoring], same_logits: bool) -> float:
    """Wall ms for llama.cpp alone to decode the token sequences the scoring passes decoded: with
    logits at the same positions (the same work, none of our ranking code; texts after a shared
    prefix or a kept prompt evaluated after it once, as `score_after` does), or, for comparison,
    with `Llama.eval` of each whole sequence (logits for the last token only, which is all a
    completion needs)."""
    llm = generator.llama
    generator.clear_cache()
    started = time.perf_counter()
    for call in calls:
        head = llm.tokenize(call.prefix.encode("utf-8"), add_bos=True, special=False)
        if same_logits and call.alone:
            tail = llm.tokenize(call.items[0][1].encode("utf-8"), add_bos=False, special=False)
            with decoded(llm, head + tail, range(len(head) - 1, len(head) + len(tail) - 1)):
                pass
        elif same_logits:
            generator.score_after(call.prefix, call.items)
        else:
            for rest, continuation in call.items:
                llm.reset()
                llm.eval(head + llm.tokenize((rest + continuation).encode("utf-8"), add_bos=False, special=False))
    llm.reset()
    return since_ms(started)


def _llama_alone(generator: Generator, request: GenerationRequest) -> tuple[float, str] | None:
    """(wall ms, text) of `request` sent straight to llama.cpp; None for other backends."""
    if not isinstance(generator, LlamaGenerator):
        return None
    from llama_cpp import LlamaGrammar

    llm = generator.llama
    started = time.perf_counter()
    llm.set_seed(request.seed)
    pieces = []
    for chunk in llm.create_completion(
        request.prompt,
        max_tokens=request.max_tokens,
        temperature=request.temperature,
        stop=list(request.stop) or None,
        grammar=LlamaGrammar.from_string(request.grammar, verbose=False) if request.grammar else None,
        seed=request.seed,
        stream=True,
    ):
        pieces.append(chunk["choices"][0].get("text") or "")  # type: ignore[index, union-attr]
    return since_ms(started), "".join(pieces)


def _qa_command() -> list[str]:
    """The installed `qa` script next to this Python, else `python -m qa`."""
    script = os.path.join(os.path.dirname(sys.executable), "qa")
    if os.access(script, os.X_OK):
        return [script]
    found = shutil.which("qa")
    return [found] if found else [sys.executable, "-m", "qa"]


def _cold_start(run: int, argv: list[str]) -> ColdStart:
    # os.wait4 gives this child's own peak RSS; getrusage(RUSAGE_CHILDREN) would report the
    # largest of all children so far, hiding the second run behind the first.
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
        wall_s = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = [line for line in out.read().decode("utf-8", "replace").splitlines() if line.strip()]
    error = lines[-1] if proc.returncode and lines else ""
    return ColdStart(run, wall_s, usage.ru_maxrss / 1024, proc.returncode, error)
