"""Retrieval: dense (FAISS) and lexical (BM25) search over an index, fused, for chunks and for
sentences; and the check that keeps instruction-like text out of the evidence.

Owns: `retriever` (`Retriever`, `Hit`, `SentenceHit`), `lexical` (BM25), `injection`. May import
`index` (read only), `language`, the backend protocols, `config` and `errors`.

Must not import: `answer`, `eval`, `bench`, `ui`, `assistant`, `cli`.
"""
