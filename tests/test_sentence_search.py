"""Sentence search inside the best chunks: dense, lexical and the chunk's own rank, fused.

Fake embedder (hashing), real BM25 and FAISS; the index is built by the real ingest."""

from __future__ import annotations

import pytest
from fakes import HashEmbedder

from qa.assistant import Assistant
from qa.config import load_config

ARTICLES = {
    "a.txt": "Harbour news\n\nQuay works will resume next week, officials said on Monday.\n",
    "b.txt": "Port notes\n\nQuay works resume next week.\n",
    "c.txt": "Depot\n\nThe depot opened on Friday.\n",
    "d.txt": "Bakery\n\nA bakery sold bread all day.\n",
    "e.txt": "Choir\n\nThe choir sang at dawn.\n",
}
QUERY = "Quay works resume next week?"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("sentences")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    config = load_config(env={}, index_dir=root / "index", corpus_dir=corpus, chunk_chars=400)
    a = Assistant(config, embedder=HashEmbedder())
    a.ingest()
    return a


def _best(a: Assistant, order: str) -> str:
    """The document of the best sentence when the chunks rank in this order of documents."""
    r = a.retriever
    chunks = {h.doc_id: h for h in r.search(QUERY, k=10)}
    return r.search_sentences(QUERY, k=3, chunk_hits=[chunks[f"{d}.txt"] for d in order])[0].doc_id


def test_a_sentence_of_the_best_chunk_beats_a_slightly_closer_one_far_down(assistant: Assistant) -> None:
    r = assistant.retriever
    rows = [s.row for s in r.search_sentences(QUERY, k=2, chunk_hits=r.search(QUERY, k=10))]
    assert {assistant.retriever.data.sentences[x].doc_id for x in rows} == {"a.txt", "b.txt"}
    # b's sentence is the closer one in words and vectors: it wins unless its chunk ranks far below a's
    assert _best(assistant, "bacde") == "b.txt"
    assert _best(assistant, "acdeb") == "a.txt"


def test_dense_and_lexical_modes_ignore_the_chunk_rank(assistant: Assistant) -> None:
    r = assistant.retriever
    assert r._fuse("dense", {1: 0.5, 2: 0.9}, {1: 3.0}, {1: -1.0, 2: -2.0}) == {1: 0.5, 2: 0.9}
    hybrid = r._fuse("hybrid", {1: 0.5, 2: 0.9}, {1: 3.0, 2: 1.0}, {1: -1.0, 2: -2.0})
    assert hybrid[1] > hybrid[2]  # first in two of the three rankings
