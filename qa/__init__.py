"""Offline question answering over news articles, with every claim cited to a verified passage.

The Python API:

    from qa import Assistant
    assistant = Assistant.from_config()          # qa.toml / QA_* variables / defaults
    assistant.ingest()                           # index corpus/ (incremental)
    hits = assistant.search("Rutte Russia", k=5) # ranked passages
"""

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

__all__ = [
    "Assistant",
    "Chunk",
    "Config",
    "ConfigError",
    "Document",
    "DocumentError",
    "FileResult",
    "Hit",
    "IndexMismatchError",
    "IndexMissingError",
    "IngestReport",
    "ModelError",
    "QAError",
    "QuestionError",
    "Retriever",
    "SentenceHit",
    "ingest",
    "load_config",
    "read_document",
]
