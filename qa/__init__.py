"""Offline question answering over news articles, with every claim cited to a verified passage.

The Python API:

    from qa import Assistant
    assistant = Assistant.from_config()          # qa.toml / QA_* variables / defaults
    assistant.ingest()                           # index corpus/ (incremental)
    hits = assistant.search("tram line", k=5)    # ranked passages
    answer = assistant.ask("How many stations does the line have?")

The package is laid out by pipeline stage: `index` modules (documents, sentences, chunking,
store, ingest), `retrieval`, `language` (spaCy analysis), `answer` (question analysis, ranking,
abstention, composition, verification), `backends` (embedder and generator protocols, llama.cpp,
OpenAI-compatible servers), `evaluation`, `benchmarks`. Names below are imported on first use,
so `import qa` (and `qa --help`) loads no model library.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assistant import Assistant
    from .chunking import Chunk
    from .config import Config, load_config
    from .documents import Document, read_document
    from .errors import (
        ConfigError,
        DocumentError,
        IndexMismatchError,
        IndexMissingError,
        ModelError,
        QAError,
        QuestionError,
    )
    from .ingest import FileResult, IngestReport, ingest
    from .retrieval import Hit, Retriever, SentenceHit

_WHERE = {
    "Assistant": "assistant", "Chunk": "chunking", "Config": "config", "load_config": "config",
    "Document": "documents", "read_document": "documents", "ConfigError": "errors", "DocumentError": "errors",
    "IndexMismatchError": "errors", "IndexMissingError": "errors", "ModelError": "errors", "QAError": "errors",
    "QuestionError": "errors", "FileResult": "ingest", "IngestReport": "ingest", "ingest": "ingest",
    "Hit": "retrieval", "Retriever": "retrieval", "SentenceHit": "retrieval",
}
__all__ = [
    "Assistant", "Chunk", "Config", "ConfigError", "Document", "DocumentError", "FileResult", "Hit",
    "IndexMismatchError", "IndexMissingError", "IngestReport", "ModelError", "QAError", "QuestionError",
    "Retriever", "SentenceHit", "ingest", "load_config", "read_document",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
