"""Ingest throughput: the bundled corpus and a ~20-page PDF made from it, into temporary indexes.

Every run is a full rebuild with the real embedder (chunks and sentences are both embedded in one
run, so chunks/s and sentences/s divide the same wall time). The embedder is loaded and warmed up
before timing; its load time is reported on its own. The project's index is never touched.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..assistant import Assistant
from ..errors import DocumentError
from ..index.documents import TEXT_SUFFIXES, read_document
from ..index.store import read_index
from .pdf import paginate, write_text_pdf
from .stats import since_ms

PDF_PAGES = 20


@dataclass(frozen=True)
class IngestBench:
    runs: int  # full rebuilds timed; the rates use the median
    embedder_load_ms: float
    documents: int
    chunks: int
    sentences: int
    seconds: tuple[float, ...]  # wall time of each rebuild (read, chunk, embed, write)
    chunks_per_s: float
    sentences_per_s: float
    pdf_pages: int
    pdf_chars: int
    pdf_chunks: int
    pdf_extract_pages_per_s: float  # pypdf text extraction alone (read_document)
    pdf_seconds: tuple[float, ...]  # wall time of each PDF ingest into an empty index
    pdf_pages_per_s: float


def run_ingest_bench(base: Assistant, runs: int = 3, say: Callable[[str], None] = print) -> IngestBench:
    started = time.perf_counter()
    embedder = base.embedder
    load_ms = since_ms(started)
    embedder.embed(["warm-up"])  # the first call pays one-off set-up costs
    corpus_dir = base.config.corpus_dir
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        index_dir = Path(tmp) / "corpus-index"
        temp = Assistant(base.config.replace(index_dir=index_dir), embedder=embedder)
        say(f"ingest: {runs} rebuilds of {corpus_dir}/ into a temporary index")
        reports = [temp.ingest(rebuild=True) for _ in range(runs)]
        data = read_index(index_dir)
        seconds = tuple(r.seconds for r in reports)
        median = statistics.median(seconds)

        paragraphs = [line.strip() for path in sorted(corpus_dir.rglob("*"))
                      if path.suffix.lower() in TEXT_SUFFIXES
                      for line in read_document(path).text.splitlines() if line.strip()]
        pages = paginate(paragraphs, PDF_PAGES)
        pdf = write_text_pdf(Path(tmp) / "corpus.pdf", pages)
        say(f"ingest: {len(pages)}-page PDF, {runs} extractions and {runs} ingests")
        extract_s = []
        for _ in range(runs):
            t = time.perf_counter()
            doc = read_document(pdf)
            extract_s.append(time.perf_counter() - t)
        pdf_index = Path(tmp) / "pdf-index"
        pdf_assistant = Assistant(base.config.replace(index_dir=pdf_index), embedder=embedder)
        pdf_reports = [pdf_assistant.ingest([pdf], rebuild=True) for _ in range(runs)]
        if pdf_reports[-1].skipped:
            raise DocumentError(pdf_reports[-1].skipped[0].reason)
        pdf_seconds = tuple(r.seconds for r in pdf_reports)
    return IngestBench(
        runs=runs,
        embedder_load_ms=load_ms,
        documents=reports[-1].documents,
        chunks=len(data.chunks),
        sentences=len(data.sentences),
        seconds=seconds,
        chunks_per_s=len(data.chunks) / median,
        sentences_per_s=len(data.sentences) / median,
        pdf_pages=len(pages),
        pdf_chars=len(doc.text),
        pdf_chunks=pdf_reports[-1].chunks,
        pdf_extract_pages_per_s=len(pages) / statistics.median(extract_s),
        pdf_seconds=pdf_seconds,
        pdf_pages_per_s=len(pages) / statistics.median(pdf_seconds),
    )
