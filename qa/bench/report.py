"""Print a benchmark report as aligned text tables. JSON output is `dataclasses.asdict` of it.

Formatting only: it measures nothing and judges nothing (no thresholds, no pass/fail).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .answering import AnswerBench
from .ingestion import IngestBench
from .retrieval import CorpusSearchBench
from .scale import ScaleBench
from .stats import Latency


@dataclass(frozen=True)
class Machine:
    cpus: int
    python: str
    platform: str
    libraries: dict[str, str]  # distribution -> version
    load_start: tuple[float, ...]  # os.getloadavg() (1, 5, 15 min) when the run began
    load_end: tuple[float, ...] = ()  # ... and when it ended; above the CPU count, numbers are inflated


@dataclass(frozen=True)
class BenchReport:
    machine: Machine
    ingest: IngestBench | None = None
    retrieval: CorpusSearchBench | None = None
    scale: ScaleBench | None = None
    answer: AnswerBench | None = None


def format_report(report: BenchReport) -> str:
    m = report.machine
    libs = ", ".join(f"{k} {v}" for k, v in m.libraries.items())
    load = " -> ".join(", ".join(f"{x:.1f}" for x in la) for la in (m.load_start, m.load_end) if la)
    out = [f"qa bench: {m.cpus} CPUs, Python {m.python}, {m.platform}", f"  {libs}",
           f"  load average (1, 5, 15 min) at start -> end: {load}"]
    if report.ingest:
        out += _ingest(report.ingest)
    if report.retrieval:
        out += _retrieval(report.retrieval)
    if report.scale:
        out += _scale(report.scale)
    if report.answer:
        out += _answer(report.answer)
    return "\n".join(out)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return [("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                              for i, (c, w) in enumerate(zip(r, widths, strict=True)))).rstrip()
            for r in cells]


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"
    return str(value)


def _lat(name: str, lat: Latency | None) -> list[object]:
    return [name, None, None, None] if lat is None else [name, lat.p50_ms, lat.p95_ms, lat.n]


def _ingest(b: IngestBench) -> list[str]:
    runs = ", ".join(f"{s:.2f}" for s in b.seconds)
    pdf_runs = ", ".join(f"{s:.2f}" for s in b.pdf_seconds)
    return ["", f"INGEST (real embedder, temporary index, full rebuild; median of {b.runs} runs)",
            f"  embedder load {b.embedder_load_ms:,.0f} ms (not in the rates below)",
            f"  bundled corpus: {b.documents} files, {b.chunks} chunks, {b.sentences} sentences; "
            f"runs {runs} s",
            f"    {b.chunks_per_s:.1f} chunks/s, {b.sentences_per_s:.1f} sentences/s "
            "(same wall time: each run embeds every chunk and every sentence)",
            f"  PDF made from the corpus text: {b.pdf_pages} pages, {b.pdf_chars:,} chars, {b.pdf_chunks} chunks; "
            f"runs {pdf_runs} s",
            f"    ingest {b.pdf_pages_per_s:.1f} pages/s; "
            f"text extraction alone {b.pdf_extract_pages_per_s:.1f} pages/s"]


def _retrieval(b: CorpusSearchBench) -> list[str]:
    rows = [_lat("query embedding", b.embedding), _lat(f"FAISS ({b.index_kind})", b.faiss),
            _lat("BM25 (scores + top candidates)", b.bm25), _lat("fusion + hits", b.fusion),
            _lat(f"assistant.search(q, {b.k}), as called", b.search)]
    return ["", f"RETRIEVAL, project index ({b.chunks} chunks, {b.mode}); {b.questions}, "
            f"{b.samples} searches",
            f"  first search of a fresh assistant (read index, load embedder, build BM25; libraries already "
            f"imported if an earlier part ran): "
            f"{b.first_search_ms:,.0f} ms",
            *_table(["step", "p50 ms", "p95 ms", "n"], rows),
            f"  step-by-step runs ranked the same chunks as search(): {'yes' if b.split_matches_search else 'NO'}"]


def _scale(b: ScaleBench) -> list[str]:
    rows: list[list[object]] = [
        [f"FAISS {v.kind} ({v.chosen_by}), k=10", v.build_s, v.search.p50_ms, v.search.p95_ms, f"{v.recall_at_10:.4f}"]
        for v in b.vector_indexes]
    rows += [["BM25 (scores + top 50)", b.bm25_build_s, b.bm25.p50_ms, b.bm25.p95_ms, None],
             ["hybrid search k=5, query vector given", None, b.hybrid.p50_ms, b.hybrid.p95_ms, None],
             ["hybrid search k=5, embedding the query", None, b.hybrid_with_embedding.p50_ms,
              b.hybrid_with_embedding.p95_ms, None]]
    return ["", f"RETRIEVAL AT SCALE: synthetic corpus of {b.chunks:,} chunks, dim {b.dim}, "
            f"built in {b.corpus_build_s:.1f} s",
            f"  {b.method}; {b.distinct_sentences} distinct sentences embedded once with the real embedder",
            f"  queries: {b.queries}; recall@10 is against exact inner-product search",
            *_table(["", "build s", "p50 ms", "p95 ms", "recall@10"], rows)]


def _answer(b: AnswerBench) -> list[str]:
    rows = [_lat("retrieval", b.retrieval), _lat("prompt eval", b.prompt_eval),
            _lat("generation", b.generation), _lat("verification", b.verification),
            _lat("end to end", b.end_to_end)]
    per = [[_short(r.question), "abstained" if r.abstained else r.prompt_tokens, r.completion_tokens,
            r.end_to_end_ms, r.llama_ms, r.overhead_pct,
            None if r.same_output is None else "yes" if r.same_output else "no", r.llama_variant_ms]
           for r in b.runs]
    ratio = "-" if b.median_ratio is None else f"{b.median_ratio:.3f}x"
    overhead = "-" if b.median_overhead_pct is None else f"{b.median_overhead_pct:+.1f}%"
    cold = [[c.run, c.wall_s, c.peak_rss_mb, c.exit_code, c.error] for c in b.cold_starts]
    return ["", f"ANSWER with {b.model_id} (loaded in {b.model_load_s:.1f} s); {b.questions}; "
            "warm model, 1 warm-up question not counted",
            *_table(["stage", "p50 ms", "p95 ms", "n"], rows),
            "  ours vs llama.cpp alone on the same model work, run right after it; KV cache cleared before every run.",
            "  generation: the same final request (prompt, grammar, stop, sampling); variant = without the grammar.",
            "  rerank: the same token sequences decoded with logits at the same positions; variant = Llama.eval,",
            "  logits for the last token only (what reading the question's log-probabilities costs).",
            *_table(["question", "prompt tok", "out tok", "ours ms", "llama.cpp ms", "overhead %", "same text",
                     "variant ms"], per),
            f"  median overhead {overhead} (ours / llama.cpp alone = {ratio})",
            f"  cold start of `{b.cold_start_command}` (process start to exit; OS file cache warm):",
            *_table(["run", "wall s", "peak RSS MB", "exit", "error"], cold)]


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
