"""The helpers behind `qa bench`, with the hash embedder: synthetic corpus, recall, percentiles.

No model is loaded and nothing is timed; benchmarks print numbers, tests check the arithmetic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest
from fakes import HashEmbedder

from qa.bench import add_bench_parser
from qa.bench.pdf import paginate, to_ascii, write_text_pdf
from qa.bench.questions import corpus_sentences
from qa.bench.recall import recall, recall_at_k
from qa.bench.stats import percentile, summarize
from qa.bench.synthetic import build_synthetic_corpus
from qa.index.documents import read_document
from qa.index.vectors import build_vector_index

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QUERIES = [
    "What did Rutte say about Russia's objection?",
    "Which leaders joined the talks by video link?",
    "Where did the coalition of the willing meet?",
    "What did Putin call European soldiers sent to Ukraine?",
    "Which EU countries still buy Russian oil?",
    "Who is the US special envoy that went to Paris?",
]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return corpus_sentences(CORPUS)


@pytest.mark.parametrize("n_chunks", [1, 7, 2_000])
def test_synthetic_corpus_has_the_requested_number_of_unit_vectors(sentences: list[str], n_chunks: int) -> None:
    corpus = build_synthetic_corpus(sentences, HashEmbedder(), n_chunks)
    assert corpus.vectors.shape == (n_chunks, 64)
    assert corpus.vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(corpus.vectors, axis=1), 1.0, atol=1e-5)
    assert len(corpus.texts) == n_chunks
    assert corpus.distinct_sentences == len(set(sentences))
    assert all(any(t.startswith(s) for s in sentences) for t in corpus.texts)  # made of corpus sentences


def test_synthetic_corpus_is_reproducible_and_embeds_each_sentence_once(sentences: list[str]) -> None:
    embedder = HashEmbedder()
    first = build_synthetic_corpus(sentences, embedder, 300, seed=1)
    assert embedder.texts_embedded == len(set(sentences))
    again = build_synthetic_corpus(sentences, HashEmbedder(), 300, seed=1)
    other = build_synthetic_corpus(sentences, HashEmbedder(), 300, seed=2)
    assert first.texts == again.texts and np.array_equal(first.vectors, again.vectors)
    assert first.texts != other.texts


def test_synthetic_chunk_vector_stays_near_its_sentences(sentences: list[str]) -> None:
    embedder = HashEmbedder()
    corpus = build_synthetic_corpus(sentences, embedder, 50, noise=0.0)
    # With no noise, a chunk vector is the normalised mean of its sentences: close to the text's own.
    own = embedder.embed(list(corpus.texts))
    assert float(np.mean(np.sum(own * corpus.vectors, axis=1))) > 0.8


def test_the_approximate_index_keeps_its_recall(sentences: list[str]) -> None:
    """The HNSW index that large corpora get (its M, efConstruction and efSearch) finds nearly all
    of the exact top 10; a weaker setting of efSearch finds fewer, so the measure can tell."""
    vectors = build_synthetic_corpus(sentences, HashEmbedder(), 3000, seed=3).vectors
    queries = vectors[np.random.default_rng(1).choice(len(vectors), 60, replace=False)] + 0.05
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    index = build_vector_index(vectors, "hnsw")
    assert recall_at_k(index, vectors, queries, k=10) >= 0.95
    index._index.hnsw.efSearch = 1  # type: ignore[attr-defined]  # a weaker search, on purpose
    assert recall_at_k(index, vectors, queries, k=10) < 0.95


def test_recall_of_a_bad_index_is_below_one(sentences: list[str]) -> None:
    vectors = build_synthetic_corpus(sentences, HashEmbedder(), 500).vectors
    queries = HashEmbedder().embed(QUERIES)
    shuffled = vectors[np.random.default_rng(0).permutation(len(vectors))]  # row ids point elsewhere
    value = recall_at_k(build_vector_index(shuffled, "flat"), vectors, queries, k=10)
    assert 0.0 <= value < 1.0


def test_recall_counts_the_shared_rows() -> None:
    truth = np.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    assert recall([np.array([4, 3, 2, 1]), np.array([5, 0, 0, 0])], truth) == pytest.approx((1.0 + 0.25) / 2)
    with pytest.raises(ValueError):
        recall([np.array([1, 2, 3, 4])], truth)


def test_percentile_interpolates_between_ranks() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 100..1, unsorted on purpose
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([1.0, 3.0], 25) == pytest.approx(1.5)


@pytest.mark.parametrize("q", [0, 5, 33.3, 50, 90, 95, 99, 100])
def test_percentile_agrees_with_numpy(q: float) -> None:
    samples = np.random.default_rng(3).lognormal(size=37).tolist()
    assert percentile(samples, q) == pytest.approx(float(np.percentile(samples, q)))


def test_percentile_rejects_what_has_no_answer() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_reports_the_percentiles() -> None:
    lat = summarize([4.0, 1.0, 3.0, 2.0, 10.0])
    assert (lat.n, lat.p50_ms, lat.max_ms, lat.mean_ms) == (5, 3.0, 10.0, 4.0)
    assert lat.p95_ms == pytest.approx(8.8)


def test_pdf_made_from_the_corpus_reads_back_page_by_page(tmp_path: Path) -> None:
    paragraphs = [line.strip() for p in sorted(CORPUS.glob("*.txt"))
                  for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    pages = paginate(paragraphs, 20)
    assert len(pages) == 20 and [p for page in pages for p in page] == paragraphs
    doc = read_document(write_text_pdf(tmp_path / "corpus.pdf", pages))
    assert len(doc.pages) == 20
    assert to_ascii(paragraphs[3]) in doc.text  # a whole paragraph survives as one line


def test_bench_options_parse_and_reject_unknown_parts() -> None:
    parser = argparse.ArgumentParser(prog="qa")
    add_bench_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["bench", "--part", "answer,ingest", "--synthetic", "0", "--json"])
    assert (args.part, args.synthetic, args.questions, args.json) == (("answer", "ingest"), 0, 10, True)
    assert parser.parse_args(["bench"]).part == ("ingest", "retrieval", "answer")
    with pytest.raises(SystemExit):
        parser.parse_args(["bench", "--part", "ingest,speed"])
