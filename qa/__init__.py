"""Offline question answering over news articles, with every claim cited to a verified passage.

The Python API:

    from qa import Assistant, Conversation
    assistant = Assistant.from_config()          # qa.toml / QA_* variables / defaults
    assistant.ingest()                           # index corpus/ (incremental)
    hits = assistant.search("tram line", k=5)    # ranked passages
    answer = assistant.ask("How many stations does the line have?")
    chat = Conversation()                        # follow-ups: each turn sees the ones before
    assistant.chat(chat, "Who runs the line?")
    assistant.chat(chat, "What did she say about delays?")   # answered as "What did <name> say ..."

The package is laid out by pipeline stage: `index` (read, split, analyse, embed, store),
`retrieve` (dense and lexical search), `language` (spaCy analysis, word classes), `answer`
(question analysis, follow-ups, ranking, abstention, composition, verification), `backends`
(embedder and generator protocols, llama.cpp, OpenAI-compatible servers), `eval`, `bench` and
`ui`; `assistant` wires them and `cli` is the `qa` command. Names below are imported on first use,
so `import qa` (and `qa --help`) loads no model library.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .answer.conversation import Conversation, Turn
    from .answer.types import Answer
    from .assistant import Assistant
    from .config import Config, load_config
    from .errors import (
        ConfigError,
        DocumentError,
        IndexMismatchError,
        IndexMissingError,
        ModelError,
        QAError,
        QuestionError,
    )
    from .index.chunking import Chunk
    from .index.documents import Document, read_document
    from .index.ingest import FileResult, IngestReport, ingest
    from .retrieve.retriever import Hit, Retriever, SentenceHit

_WHERE = {
    "Answer": "answer.types", "Assistant": "assistant", "Chunk": "index.chunking", "Config": "config",
    "ConfigError": "errors", "Conversation": "answer.conversation", "Document": "index.documents",
    "DocumentError": "errors", "FileResult": "index.ingest", "Hit": "retrieve.retriever",
    "IndexMismatchError": "errors", "IndexMissingError": "errors", "IngestReport": "index.ingest",
    "ModelError": "errors", "QAError": "errors", "QuestionError": "errors", "Retriever": "retrieve.retriever",
    "SentenceHit": "retrieve.retriever", "Turn": "answer.conversation", "ingest": "index.ingest",
    "load_config": "config", "read_document": "index.documents",
}
__all__ = [
    "Answer", "Assistant", "Chunk", "Config", "ConfigError", "Conversation", "Document", "DocumentError",
    "FileResult", "Hit", "IndexMismatchError", "IndexMissingError", "IngestReport", "ModelError", "QAError",
    "QuestionError", "Retriever", "SentenceHit", "Turn", "ingest", "load_config", "read_document",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
