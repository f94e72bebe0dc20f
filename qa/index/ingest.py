"""Bring files into the index incrementally: read, chunk, embed what changed, write atomically.

Unchanged documents (same id, same content hash) keep their vectors; changed ones are re-embedded;
documents whose file is gone from a folder being ingested are dropped; a file whose text exactly
matches an indexed document is stored once. A bad file is skipped with a one-line reason and the
rest of the batch goes on. Nothing reaches disk until the whole batch is embedded, and then the
write is atomic (see `store`). This module does not rank or answer.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..backends.embedder import Embedder
from ..config import Config
from ..errors import DocumentError
from ..language.analysis import SentenceAnalysis
from ..language.nlp import Analyser
from .chunking import Chunk, chunk_document
from .documents import SUPPORTED_SUFFIXES, Document, read_document
from .store import FORMAT_VERSION, IndexData, Manifest, Sentence, exists, read_index, write_index

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file)


@dataclass(frozen=True)
class FileResult:
    """What happened to one file. status: added | updated | unchanged | duplicate | removed |
    skipped (a problem: reason says what and how to fix) | ignored (not a document type)."""

    path: str
    status: str
    doc_id: str = ""
    chunks: int = 0
    reason: str = ""


@dataclass(frozen=True)
class IngestReport:
    """The outcome of one ingest run."""

    files: tuple[FileResult, ...]
    index_dir: str
    documents: int  # documents in the index afterwards
    chunks: int  # chunks in the index afterwards
    embedded_chunks: int  # chunks embedded in this run
    seconds: float

    @property
    def skipped(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "skipped"]


def ingest(
    paths: Sequence[Path],
    config: Config,
    embedder: Embedder,
    progress: Progress | None = None,
    rebuild: bool = False,
    analyser: Analyser | None = None,
) -> IngestReport:
    """Ingest files and folders (walked recursively) into `config.index_dir`. `analyser` does the
    language analysis of new sentences (default: spaCy's English pipeline, loaded when needed)."""
    started = time.perf_counter()
    index_dir = config.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    with _locked(index_dir):
        old = None if rebuild or not exists(index_dir) else read_index(index_dir, embedder.model_id)
        same_chunking = old is not None and (old.manifest.chunk_chars, old.manifest.chunk_overlap) == (
            config.chunk_chars, config.chunk_overlap)
        files, results = _expand(paths)
        kept: dict[str, Document] = dict(old.documents) if old else {}
        by_hash = {d.content_hash: d.doc_id for d in kept.values()}
        fresh: dict[str, Document] = {}
        for done, path in enumerate(files):
            if progress:
                progress(done, len(files), str(path))
            try:
                doc = read_document(path)
            except DocumentError as exc:
                results.append(FileResult(str(path), "skipped", reason=str(exc)))
                continue
            doc = _with_unique_id(doc, path, kept, fresh)
            previous = kept.get(doc.doc_id)
            twin = by_hash.get(doc.content_hash)
            if previous is not None and previous.content_hash == doc.content_hash:
                status = "unchanged" if same_chunking else "updated"
                if status == "updated":
                    fresh[doc.doc_id] = kept.pop(doc.doc_id)
            elif twin is not None and twin != doc.doc_id:
                results.append(FileResult(str(path), "duplicate", twin,
                                          reason=f"same text as {twin}; stored once"))
                continue
            else:
                status = "updated" if previous is not None else "added"
                kept.pop(doc.doc_id, None)
                fresh[doc.doc_id] = doc
                by_hash[doc.content_hash] = doc.doc_id
            results.append(FileResult(str(path), status, doc.doc_id))
        if progress:
            progress(len(files), len(files), "")
        results.extend(_drop_removed(paths, kept))
        if not same_chunking:  # new chunking settings: every kept document is re-chunked
            fresh = {**kept, **fresh}
            kept = {}
        data, embedded = _assemble(old, kept, fresh, config, embedder, analyser)
        counts: dict[str, int] = {}
        for chunk in data.chunks:
            counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
        results = [FileResult(r.path, r.status, r.doc_id, counts.get(r.doc_id, 0), r.reason)
                   if r.status in ("added", "updated", "unchanged") else r for r in results]
        if old is None or fresh or len(kept) != len(old.documents) or not same_chunking:
            write_index(index_dir, data)
    return IngestReport(
        files=tuple(results),
        index_dir=str(index_dir),
        documents=len(data.documents),
        chunks=len(data.chunks),
        embedded_chunks=embedded,
        seconds=time.perf_counter() - started,
    )


def _expand(paths: Sequence[Path]) -> tuple[list[Path], list[FileResult]]:
    files: list[Path] = []
    results: list[FileResult] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(child)
                else:
                    results.append(FileResult(str(child), "ignored", reason="not .txt, .md or .pdf"))
        elif path.exists():
            files.append(path)
        else:
            results.append(FileResult(str(path), "skipped",
                                      reason=f"{path}: no such file or folder; check the path."))
    return files, results


def _with_unique_id(doc: Document, path: Path, *taken: dict[str, Document]) -> Document:
    """Keep the file name as id unless another file of that name is indexed from elsewhere."""
    def clash(doc_id: str) -> bool:
        return any(doc_id in t and Path(t[doc_id].path).resolve() != path.resolve() for t in taken)

    doc_id = doc.doc_id
    if clash(doc_id):
        doc_id = f"{path.parent.name}/{path.name}"
    if clash(doc_id):
        doc_id = str(path)
    if doc_id == doc.doc_id:
        return doc
    from dataclasses import replace

    return replace(doc, doc_id=doc_id)


def _drop_removed(paths: Sequence[Path], kept: dict[str, Document]) -> list[FileResult]:
    """Remove indexed documents whose file, inside a folder being ingested, no longer exists."""
    roots = [p.resolve() for p in paths if p.is_dir()]
    gone = []
    for doc_id, doc in list(kept.items()):
        where = Path(doc.path).resolve()
        if not where.exists() and any(where.is_relative_to(root) for root in roots):
            del kept[doc_id]
            gone.append(FileResult(doc.path, "removed", doc_id, reason="file no longer exists"))
    return gone


def _assemble(
    old: IndexData | None,
    kept: dict[str, Document],
    fresh: dict[str, Document],
    config: Config,
    embedder: Embedder,
    analyser: Analyser | None,
) -> tuple[IndexData, int]:
    """The new index: kept documents reuse their vectors and analyses; fresh ones are chunked,
    embedded and analysed."""
    chunks: list[Chunk] = []
    sentences: list[Sentence] = []
    analyses: list[SentenceAnalysis] = []
    chunk_vecs: list[np.ndarray] = []
    sent_vecs: list[np.ndarray] = []
    if old is not None and kept:
        keep_chunks = [i for i, c in enumerate(old.chunks) if c.doc_id in kept]
        keep_sents = [i for i, s in enumerate(old.sentences) if s.doc_id in kept]
        chunks.extend(old.chunks[i] for i in keep_chunks)
        sentences.extend(Sentence(n, *_fields(old.sentences[i])) for n, i in enumerate(keep_sents))
        chunk_vecs.append(old.chunk_vectors[keep_chunks])
        sent_vecs.append(old.sentence_vectors[keep_sents])
        analyses.extend(old.analyses[i] for i in keep_sents)
    if fresh and analyser is None:
        from ..language.nlp import SpacyAnalyser

        analyser = SpacyAnalyser()
    embedded = 0
    for doc in fresh.values():
        doc_chunks = chunk_document(doc, config.chunk_chars, config.chunk_overlap)
        spans = sorted({s for c in doc_chunks for s in c.sentences}, key=lambda s: s.start)
        chunk_vecs.append(embedder.embed([doc.text[c.start:c.end] for c in doc_chunks]))
        sent_vecs.append(embedder.embed([doc.text[s.start:s.end] for s in spans]))
        assert analyser is not None
        analyses.extend(analyser.analyse(doc.text, [(s.start, s.end) for s in spans]))
        base = len(sentences)
        sentences.extend(Sentence(base + n, doc.doc_id, s.start, s.end, s.is_heading)
                         for n, s in enumerate(spans))
        chunks.extend(doc_chunks)
        embedded += len(doc_chunks)
    dim = embedder.dim
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        embedder=embedder.model_id,
        dim=dim,
        chunk_chars=config.chunk_chars,
        chunk_overlap=config.chunk_overlap,
        vector_index="",
        analyser=analyser.model_id if analyser is not None else (old.manifest.analyser if old else ""),
        documents={d.doc_id: d.content_hash for d in [*kept.values(), *fresh.values()]},
    )
    data = IndexData(
        manifest=manifest,
        documents={**kept, **fresh},
        chunks=chunks,
        sentences=sentences,
        chunk_vectors=np.vstack(chunk_vecs) if chunk_vecs else np.zeros((0, dim), np.float32),
        sentence_vectors=np.vstack(sent_vecs) if sent_vecs else np.zeros((0, dim), np.float32),
        analyses=analyses,
    )
    return data, embedded


def _fields(s: Sentence) -> tuple[str, int, int, bool]:
    return s.doc_id, s.start, s.end, s.is_heading


@contextmanager
def _locked(index_dir: Path) -> Iterator[None]:
    """One ingest at a time per index folder (a second waits for the first)."""
    with (index_dir / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
