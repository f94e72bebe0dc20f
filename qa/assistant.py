"""`Assistant`: the one object the CLI, the UI and Python callers use.

It holds the configuration and builds its backends lazily (the embedder on the first search or
ingest, the language model on the first question), so `qa search` never loads a model and `qa
--help` loads nothing. It adds no logic of its own beyond wiring; each step lives in its module.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .answer.validate import check_question
from .backends import make_embedder, make_generator
from .backends.embedder import Embedder
from .config import Config, load_config
from .index.ingest import IngestReport, Progress, ingest
from .index.store import live_version, read_index
from .retrieve.retriever import Hit, Retriever

if TYPE_CHECKING:
    from .answer import Answer, AnswerEvent
    from .answer.conversation import Conversation
    from .backends.generator import Generator
    from .language.nlp import Analyser


class Assistant:
    """Question answering over one index. Safe to share between threads."""

    def __init__(
        self,
        config: Config | None = None,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        analyser: Analyser | None = None,
    ) -> None:
        self.config = config or load_config()
        self._embedder = embedder
        self._generator = generator
        self._analyser = analyser
        self._retriever: Retriever | None = None
        self._version: str | None = None  # the index version the retriever was loaded from
        self._lock = threading.RLock()  # one model call at a time; llama.cpp is not re-entrant

    @classmethod
    def from_config(cls, path: str | Path | None = None, **overrides: Any) -> Assistant:
        return cls(load_config(path, None, **overrides))

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.config)
            return self._embedder

    @property
    def analyser(self) -> Analyser:
        """Language analysis (spaCy), for indexed sentences and for questions."""
        with self._lock:
            if self._analyser is None:
                from .language.nlp import SpacyAnalyser

                self._analyser = SpacyAnalyser()
            return self._analyser

    @property
    def generator(self) -> Generator:
        with self._lock:
            if self._generator is None:
                self._generator = make_generator(self.config)
            return self._generator

    @property
    def retriever(self) -> Retriever:
        with self._lock:
            # Reload when another process (`qa ingest`, another UI) has made a new version live.
            version = live_version(self.config.index_dir)
            if self._retriever is None or version != self._version:
                # Read the index before loading the embedder: a missing index is reported at once.
                expected = self._embedder.model_id if self._embedder else self.config.embedder
                data = read_index(self.config.index_dir, expected)
                self._retriever = Retriever(data, self.embedder, self.config.retrieval, self.config.rrf_k)
                self._version = version
            return self._retriever

    def ingest(self, paths: Sequence[Path] = (), progress: Progress | None = None,
               rebuild: bool = False) -> IngestReport:
        """Add files and folders (default: the corpus folder) to the index, incrementally."""
        with self._lock:
            report = ingest(list(paths) or [self.config.corpus_dir], self.config, self.embedder,
                            progress=progress, rebuild=rebuild, analyser=self.analyser)
            self._retriever = None  # the next search loads the new version
            return report

    def search(self, query: str, k: int | None = None, mode: str | None = None) -> list[Hit]:
        """The best passages for `query`, fused from dense and lexical rankings."""
        return self.retriever.search(query, k or self.config.top_k, mode)

    def ask(self, question: str, history: Conversation | None = None) -> Answer:
        """A verified, cited answer, or an abstention. With `history`, a follow-up question ("What
        did he say about it?") is answered as the standalone question it stands for
        (`Answer.standalone`); `history` itself is not changed (see `chat`)."""
        from .answer.pipeline import answer_question

        check_question(question, self.config.max_question_chars)  # before loading any model
        with self._lock:
            return answer_question(question, self.retriever, self._answer_generator(), self.analyser, self.config,
                                   history.prior() if history else ())

    def chat(self, conversation: Conversation, question: str) -> Answer:
        """Answer `question` as the next turn of `conversation`, and add the turn to it."""
        answer = self.ask(question, conversation)
        conversation.add(question, answer)
        return answer

    def ask_stream(self, question: str, history: Conversation | None = None) -> Iterator[AnswerEvent]:
        """Draft text as the model writes it, then the verified `Answer` as the last event.

        The model lock is held until the generator is exhausted or closed, and it is re-entrant
        per thread: callers serving several people (the UI) run each question in its own thread,
        so a second question waits for the first instead of interleaving with it.
        """
        from .answer.pipeline import stream_answer

        check_question(question, self.config.max_question_chars)  # before loading any model
        with self._lock:
            yield from stream_answer(question, self.retriever, self._answer_generator(), self.analyser, self.config,
                                     history.prior() if history else ())

    def standalone(self, question: str, history: Conversation) -> str:
        """The question as it would be answered after `history` (no retrieval, no model)."""
        from .answer.followup import resolve

        text = check_question(question, self.config.max_question_chars)
        return resolve(self.analyser.parse(text), history.prior(), self.analyser.parse).text

    def _answer_generator(self) -> Generator | None:
        """The model, when the answer style uses one (always, today)."""
        return self.generator
