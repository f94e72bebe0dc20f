"""The page's event handlers, apart from the layout so that tests can call them directly.

Each handler returns (or yields) the new values of its outputs, in the order `app.build_app`
wires them; `keep()` leaves an output as it is. Expected failures become a notice, never a
traceback. No layout here, and no answering logic: `Assistant` does that.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..answer import AnswerDelta
from ..answer.validate import check_question
from ..assistant import Assistant
from ..errors import IndexMissingError, QAError
from .choices import SettingsChoices
from .pool import AssistantPool, stream_in_thread
from .render import (
    render_draft,
    render_ingest,
    render_messages,
    render_notice,
    render_question,
    render_sources,
    render_status,
)
from .session import Session, Settings, Turn

log = logging.getLogger(__name__)


def keep() -> Any:
    """An output value that leaves the component unchanged."""
    import gradio as gr

    return gr.skip()


class Page:
    """The handlers of one app. `choices` says which settings a session may apply; by default
    (a page on loopback) any model name, path or server URL."""

    def __init__(self, assistant: Assistant, choices: SettingsChoices | None = None) -> None:
        self.pool = AssistantPool(assistant)
        self.choices = choices or SettingsChoices.for_host("127.0.0.1", assistant.config)

    def ask(self, question: str, session: Session) -> Iterator[tuple[Any, ...]]:
        """Outputs: chat messages, question box, sources panel, notice, session.

        The question is answered as the next turn of the session's conversation, so a follow-up
        is resolved against this session's earlier answers and no one else's."""
        try:
            who = self.pool.get(session.settings)
            question = check_question(question or "", who.config.max_question_chars)
        except QAError as exc:
            yield keep(), keep(), keep(), render_notice(str(exc)), session
            return
        shown = render_messages(session.turns, session.show_timings)
        pending = [{"role": "user", "content": render_question(question)}]
        yield shown + pending + [{"role": "assistant", "content": render_draft("")}], "", keep(), "", session
        draft, turn = "", None
        try:
            for event in stream_in_thread(who, question, session.conversation):
                if isinstance(event, AnswerDelta):
                    draft += event.text
                    yield (shown + pending + [{"role": "assistant", "content": render_draft(draft)}],
                           keep(), keep(), keep(), session)
                else:
                    turn = event
        except IndexMissingError as exc:
            yield shown, question, keep(), render_notice(f"{exc} Or add files under “Add documents” below."), session
            return
        except QAError as exc:
            yield shown, question, keep(), render_notice(str(exc)), session
            return
        except Exception as exc:  # a bug: keep the app up and say so; the details go to the log
            log.exception("answering %r failed", question)
            yield shown, question, keep(), render_notice(
                f"Something went wrong ({type(exc).__name__}); the server log has the details."), session
            return
        assert isinstance(turn, Turn)
        session = session.add(turn)
        yield render_messages(session.turns, session.show_timings), keep(), render_sources(session.turns), "", session

    def new_conversation(self, session: Session) -> tuple[Any, ...]:
        """Outputs: chat messages, sources panel, notice, session. Forgets the turns, and with
        them the context of follow-ups; settings stay."""
        return [], render_sources(()), "", session.new_conversation()

    def add_files(self, files: Sequence[str] | None, progress: Any = None) -> tuple[Any, ...]:
        """Outputs: upload box (emptied), result table, index status."""
        if not files:
            return keep(), keep(), keep()

        def report(done: int, total: int, current: str) -> None:
            if progress is not None:
                progress(done / max(total, 1), desc=f"Reading {Path(current).name}" if current else "Indexing")

        try:
            result = self.pool.ingest([Path(f) for f in files], progress=report)
        except QAError as exc:
            return None, render_notice(str(exc)), keep()
        return None, render_ingest(result), render_status(self.pool.status)

    def apply_settings(self, evidence: float, model: str | None, server_url: str | None,
                       session: Session) -> tuple[Any, ...]:
        """Outputs: session, settings notice. Off loopback only the configured models and servers
        are accepted, whatever the page sent."""
        default = self.pool.default.config
        settings = Settings(int(evidence), (model or "").strip() or default.model, (server_url or "").strip())
        try:
            who = self.pool.get(self.choices.check(settings))
        except QAError as exc:
            return session, render_notice(str(exc))
        c = who.config
        used = f"server {c.server_url}" if c.server_url else f"model {c.model}"
        message = f"Applied: {c.evidence_sentences} passages per question, {used}."
        return replace(session, settings=settings), render_notice(message, "info")

    def show_timings(self, show: bool, session: Session) -> tuple[Any, ...]:
        """Outputs: chat messages, session."""
        session = replace(session, show_timings=show)
        return render_messages(session.turns, show), session
