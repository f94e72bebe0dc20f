"""`qa bench`: how fast ingest, retrieval and answering are on this machine, as printed numbers.

Parts: `ingestion` (corpus and PDF throughput), `retrieval` (search latency and its split on the
project index), `scale` (FAISS, BM25 and hybrid search over a synthetic ~100k-chunk corpus built by
`synthetic`), `answering` (stage latencies, overhead over llama.cpp alone, cold start), shown by
`report`. `command` holds the CLI entry points. Benchmarks never pass or fail on time; the tests
cover the helpers (`stats`, `recall`, `synthetic`) with fakes.

Must not import: `ui`, `cli`.
"""

from .command import add_bench_parser, run_bench

__all__ = ["add_bench_parser", "run_bench"]
