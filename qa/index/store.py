"""The index on disk: documents, chunks, sentences, their vectors and a manifest, written atomically.

Layout under the index folder: `CURRENT` names the live version folder (`v-<id>/`), which holds
`manifest.json`, `documents.jsonl`, `chunks.jsonl`, `sentences.jsonl`, `chunk_vectors.npy`,
`sentence_vectors.npy` and `faiss.index`. A write fills a fresh folder and only then swaps
`CURRENT` (os.replace), so a crash or Ctrl-C mid-write leaves the previous version live. This
module reads and writes; it does not embed (see `ingest`) or rank (see `retrieval`).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexMismatchError, IndexMissingError
from ..language.analysis import SentenceAnalysis
from .chunking import Chunk
from .documents import Document, Page
from .sentences import SentenceSpan
from .vectors import VectorIndex, build_vector_index, read_vector_index

FORMAT_VERSION = 21  # 2: question lines are sub-headings; 3: sentence analyses; 4: descriptors, roles;
# 5: evaluative reporting verbs (blame, criticise, welcome ...) find more speakers;
# 6: a named person's quotation under any verb ("X called it 'a mistake'") is theirs;
# 7: a one-word "person" the document uses only as a place is labelled a place;
# 8: a figure after "every" is marked an interval ("every six minutes");
# 9: a figure keeps what its unit measures ("740 gigabytes of data" -> data);
# 10: a relative clause describes the name before it ("X, who chairs the board");
# 11: a first-person sentence after reported words goes on with them ("he said: We ... Our ...");
# 12: a name keeps the nouns that say what it is ("X, the retired teacher" -> teacher);
# 13: a name keeps the preposition it is the object of ("held at X" -> at);
# 14: lists of noun phrases ("A, B and C") with their items and the verb they depend on;
# 15: a reporting verb inside quotation marks reports nothing; a speaker keeps the words that name them;
# 16: a time of day written as one word ("3.40am") is a time;
# 17: a figure keeps the noun it is the amount of ("a premium of 9 percent" -> premium);
# 18: a speaker the recogniser missed is a PERSON entity ("Dame X Y, who chairs ..., said");
# 19: a figure a verb values something at is its amount ("put the cost at 9 million" -> cost);
# 20: what a colon after a reporting verb's object opens is reported too ("stated a fact: ...");
# 21: a clause or reported span neither starts on punctuation nor ends on a dangling conjunction
_POINTER = "CURRENT"


@dataclass(frozen=True)
class Sentence:
    """A sentence of an indexed document; `row` is its row in the sentence vector matrix."""

    row: int
    doc_id: str
    start: int
    end: int
    is_heading: bool


@dataclass(frozen=True)
class Manifest:
    """What an index was built from and with; a mismatch with the config is caught on load."""

    format_version: int
    embedder: str
    dim: int
    chunk_chars: int
    chunk_overlap: int
    vector_index: str  # the FAISS index type, e.g. "Flat" or "HNSW32"
    analyser: str = ""  # the language pipeline that analysed the sentences
    documents: dict[str, str] = field(default_factory=dict)  # doc_id -> content sha256
    built_at: float = 0.0  # unix seconds


@dataclass
class IndexData:
    """Everything an index holds, in memory. Rows of the vector matrices follow the lists."""

    manifest: Manifest
    documents: dict[str, Document]
    chunks: list[Chunk]
    sentences: list[Sentence]
    chunk_vectors: np.ndarray  # (n_chunks, dim) float32, L2-normalised
    sentence_vectors: np.ndarray  # (n_sentences, dim) float32, L2-normalised
    analyses: list[SentenceAnalysis]  # one per sentence, same order
    vector_index: VectorIndex | None = None  # FAISS over chunk_vectors, built on save or read


def exists(index_dir: Path) -> bool:
    return (index_dir / _POINTER).is_file()


def live_version(index_dir: Path) -> str | None:
    """The name of the live version folder, or None when there is no index."""
    try:
        return (index_dir / _POINTER).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def read_index(index_dir: Path, embedder: str | None = None) -> IndexData:
    """Load the live index. With `embedder`, refuse an index built with another embedder."""
    pointer = index_dir / _POINTER
    if not pointer.is_file():
        raise IndexMissingError(
            f"No index at {index_dir}/ yet; build it with `qa ingest` (reads corpus/) "
            "or `qa ingest PATH ...`."
        )
    folder = index_dir / pointer.read_text(encoding="utf-8").strip()
    try:
        manifest = Manifest(**json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise IndexMissingError(
            f"The index at {index_dir}/ is unreadable ({exc}); rebuild it with `qa ingest --rebuild`."
        ) from None
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"The index at {index_dir}/ has format {manifest.format_version}, this version reads "
            f"{FORMAT_VERSION}; rebuild it with `qa ingest --rebuild`."
        )
    if embedder is not None and manifest.embedder != embedder:
        raise IndexMismatchError(
            f"The index at {index_dir}/ was built with embedder '{manifest.embedder}' "
            f"(dim {manifest.dim}) but the configured embedder is '{embedder}'; rebuild it with "
            f"`qa ingest --rebuild`, or set embedder = \"{manifest.embedder}\"."
        )
    documents = {}
    for rec in _read_jsonl(folder / "documents.jsonl"):
        rec["pages"] = tuple(Page(**p) for p in rec["pages"])
        documents[rec["doc_id"]] = Document(**rec)
    sentences = [Sentence(*row) for row in _read_jsonl(folder / "sentences.jsonl")]
    chunks = [
        Chunk(
            chunk_id=rec["chunk_id"],
            doc_id=rec["doc_id"],
            start=rec["start"],
            end=rec["end"],
            sentences=tuple(
                SentenceSpan(sentences[r].start, sentences[r].end, sentences[r].is_heading)
                for r in rec["sentence_rows"]
            ),
        )
        for rec in _read_jsonl(folder / "chunks.jsonl")
    ]
    return IndexData(
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        sentences=sentences,
        chunk_vectors=np.load(folder / "chunk_vectors.npy"),
        sentence_vectors=np.load(folder / "sentence_vectors.npy"),
        analyses=[SentenceAnalysis.from_json(row) for row in _read_jsonl(folder / "analysis.jsonl")],
        vector_index=read_vector_index(folder / "faiss.index"),
    )


def write_index(index_dir: Path, data: IndexData) -> Path:
    """Write `data` as a new version and make it live atomically. Returns the version folder."""
    index_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale(index_dir)
    name = f"v-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    building = index_dir / f".building-{name}"
    building.mkdir()
    if data.vector_index is None:
        data.vector_index = build_vector_index(data.chunk_vectors)
    manifest = replace(data.manifest, vector_index=data.vector_index.kind, built_at=time.time())
    data.manifest = manifest
    _write_json(building / "manifest.json", asdict(manifest))
    _write_jsonl(building / "documents.jsonl", [_document_record(d) for d in data.documents.values()])
    rows = {(s.doc_id, s.start): s.row for s in data.sentences}
    _write_jsonl(building / "sentences.jsonl", [
        [s.row, s.doc_id, s.start, s.end, s.is_heading] for s in data.sentences
    ])
    _write_jsonl(building / "analysis.jsonl", [a.to_json() for a in data.analyses])
    _write_jsonl(building / "chunks.jsonl", [
        {"chunk_id": c.chunk_id, "doc_id": c.doc_id, "start": c.start, "end": c.end,
         "sentence_rows": [rows[(c.doc_id, s.start)] for s in c.sentences]}
        for c in data.chunks
    ])
    _save_npy(building / "chunk_vectors.npy", data.chunk_vectors)
    _save_npy(building / "sentence_vectors.npy", data.sentence_vectors)
    data.vector_index.write(building / "faiss.index")
    _fsync_dir(building)
    final = index_dir / name
    os.replace(building, final)
    tmp_pointer = index_dir / f".{_POINTER}.{uuid.uuid4().hex[:8]}"
    tmp_pointer.write_text(name + "\n", encoding="utf-8")
    _fsync_file(tmp_pointer)
    os.replace(tmp_pointer, index_dir / _POINTER)  # the commit point
    _fsync_dir(index_dir)
    _remove_stale(index_dir)
    return final


def _remove_stale(index_dir: Path) -> None:
    """Delete half-built folders and versions that `CURRENT` no longer names."""
    pointer = index_dir / _POINTER
    live = pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None
    for child in index_dir.iterdir():
        if child.is_dir() and (child.name.startswith(".building-") or
                               (child.name.startswith("v-") and child.name != live)):
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(f".{_POINTER}."):
            child.unlink(missing_ok=True)


def _document_record(doc: Document) -> dict[str, Any]:
    rec = asdict(doc)
    rec["pages"] = [asdict(p) for p in doc.pages]
    return rec


def _read_jsonl(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _write_jsonl(path: Path, records: list[Any]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _write_json(path: Path, obj: Any) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=2, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())


def _save_npy(path: Path, array: np.ndarray) -> None:
    with path.open("wb") as fh:
        np.save(fh, np.ascontiguousarray(array, dtype=np.float32))
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_file(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
