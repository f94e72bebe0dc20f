"""The index: read documents, split them into sentences and chunks, analyse and embed them, and
store one immutable version per ingest.

Owns: `documents` (reading text, Markdown, HTML and PDF files), `sentences`, `chunking`,
`vectors` (the FAISS index), `store` (on-disk format and live version), `ingest` (incremental
indexing). May import `language`, the backend protocols, `config` and `errors`.

Must not import: `retrieve`, `answer`, `eval`, `bench`, `ui`, `assistant`, `cli`.
"""
