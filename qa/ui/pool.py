"""Assistants shared by the page's sessions, and one question answered in a worker thread.

Sessions hold only their `Settings` and turns; the assistants (each with a loaded model) live here,
one for the app's own settings and a few for sessions that changed theirs. No rendering here.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..answer import Answer, AnswerDelta
from ..answer.conversation import Conversation
from ..assistant import Assistant
from ..errors import IndexMissingError, QAError
from ..index.ingest import IngestReport
from .excerpts import excerpts_of
from .session import Settings, Turn

MAX_CUSTOM_ASSISTANTS = 3  # assistants kept for non-default settings; each holds a loaded model


class AssistantPool:
    """The app's assistant, plus one per distinct session settings, all sharing one embedder.

    Assistants are shared by sessions (each serialises its own model calls); sessions keep only
    their `Settings`. Every upload goes through the default assistant, and the others are
    dropped so that they reload the new index the next time they are needed.
    """

    def __init__(self, default: Assistant) -> None:
        self.default = default
        self._custom: dict[Settings, Assistant] = {}
        self._lock = threading.Lock()
        self.status = ""
        self.refresh_status()

    def default_settings(self) -> Settings:
        c = self.default.config
        return Settings(c.evidence_sentences, c.model, c.server_url)

    def get(self, settings: Settings | None) -> Assistant:
        """The assistant for these settings, its model loaded; raises QAError for bad settings."""
        if settings is None or settings == self.default_settings():
            return self.default
        with self._lock:
            found = self._custom.get(settings)
        if found is not None:
            return found
        config = self.default.config.replace(evidence_sentences=settings.evidence_sentences,
                                             model=settings.model, server_url=settings.server_url)
        assistant = Assistant(config, embedder=self.default.embedder)
        assistant.generator  # noqa: B018 -- load now, so a bad model path is reported at once
        with self._lock:
            self._custom[settings] = assistant
            while len(self._custom) > MAX_CUSTOM_ASSISTANTS:
                self._custom.pop(next(iter(self._custom)))
        return assistant

    def ingest(self, paths: Sequence[Path], progress: Any = None) -> IngestReport:
        report = self.default.ingest(paths, progress=progress)
        with self._lock:
            self._custom.clear()
        self.refresh_status()
        return report

    def refresh_status(self) -> None:
        """The header line; read here, not on every page load, to avoid waiting on a busy model."""
        try:
            data = self.default.retriever.data
        except IndexMissingError:
            self.status = "No index yet: add documents below to start."
            return
        except QAError as exc:
            self.status = f"The index cannot be used: {exc}"
            return
        self.status = (f"{len(data.documents)} documents indexed ({len(data.chunks)} passages) · "
                       f"model {self.default.config.server_url or self.default.config.model}")


def stream_in_thread(assistant: Assistant, question: str,
                     history: Conversation | None = None) -> Iterator[AnswerDelta | Turn]:
    """Draft pieces, then the finished `Turn`: `assistant.ask_stream` run in one worker thread.

    `history` is the session's conversation so far, against which a follow-up is resolved; it
    is only read. Gradio advances a sync generator on whichever pool thread is free, but the
    Assistant's lock is re-entrant per thread: stepping `ask_stream` from several threads would
    let two sessions use the model at once (or fail to release the lock). The excerpts are cut
    while the lock is still held, so a finished answer never waits for someone else's question.
    """
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            for event in assistant.ask_stream(question, history=history):
                events.put(("event", event if isinstance(event, AnswerDelta) else _turn(assistant, event)))
        except BaseException as exc:  # handed to the caller, which decides what to show
            events.put(("error", exc))
        events.put(("done", None))

    threading.Thread(target=work, name="qa-answer", daemon=True).start()
    while True:
        kind, item = events.get()
        if kind == "done":
            return
        if kind == "error":
            raise item
        yield item


def _turn(assistant: Assistant, answer: Answer) -> Turn:
    return Turn(answer, excerpts_of(answer, assistant.retriever.data.documents))
