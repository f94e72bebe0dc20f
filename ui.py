"""The browser interface: a Gradio page over `Assistant`, and the only module that imports gradio.

It asks, streams the model's draft, then shows the verified answer with numbered citations that
link to a sources panel, where each cited span is highlighted in its article's surrounding text.
It also adds uploaded files to the index and changes a few settings per browser session. It does
no retrieval, generation or verification of its own: everything it shows comes from `Answer`,
`IngestReport` and the exceptions of `qa.errors`.

    python ui.py [--host 127.0.0.1] [--port 7860] [--config FILE] [--index DIR]
"""

from __future__ import annotations

import argparse
import html
import logging
import queue
import re
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qa.answer import Answer, AnswerDelta, Citation
from qa.answer.validate import check_question
from qa.assistant import Assistant
from qa.config import load_config
from qa.errors import IndexMissingError, QAError
from qa.index.ingest import IngestReport

log = logging.getLogger(__name__)

CONTEXT_CHARS = 150  # document text shown on each side of a cited span (about 300 in all)
MAX_CUSTOM_ASSISTANTS = 3  # assistants kept for non-default settings; each holds a loaded model
STATUS_CLASSES = {"added": "ok", "updated": "ok", "unchanged": "same", "duplicate": "same",
                  "removed": "same", "skipped": "bad", "ignored": "bad"}


# ---- values kept per browser session ---------------------------------------------------------

@dataclass(frozen=True)
class Excerpt:
    """A cited span with the document text around it: before + quote + after is contiguous."""

    before: str
    quote: str
    after: str
    clipped_before: bool  # the document goes on before `before`
    clipped_after: bool


@dataclass(frozen=True)
class Turn:
    """One answered question and the excerpts of its citations, in citation order."""

    answer: Answer
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True)
class Settings:
    """What a session may change; None in `Session.settings` means the app's own assistant."""

    evidence_sentences: int
    model: str
    server_url: str


@dataclass(frozen=True)
class Session:
    turns: tuple[Turn, ...] = ()
    settings: Settings | None = None
    show_timings: bool = False


# ---- pure rendering (tested without a browser) -----------------------------------------------

def excerpt(text: str, citation: Citation, chars: int = CONTEXT_CHARS) -> Excerpt:
    """The cited span and up to `chars` characters each side, cut at word boundaries."""
    start, end = citation.start, citation.end
    if text[start:end] != citation.quote:  # the document changed since: show the quote alone
        return Excerpt("", citation.quote, "", False, False)
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return Excerpt(text[lo:start], citation.quote, text[end:hi], lo > 0, hi < len(text))


def source_id(turn: int, number: int) -> str:
    """The element id of citation `number` of answer `turn` in the sources panel."""
    return f"src-{turn}-{number}"


def link_citations(text: str, turn: int) -> str:
    """Escape an answer's text and turn each [n] marker into a link to its source."""
    return re.sub(
        r"\[(\d+)\]",
        lambda m: f'<a class="cite" href="#{source_id(turn, int(m.group(1)))}">[{m.group(1)}]</a>',
        html.escape(text),
    )


def render_question(question: str) -> str:
    return f'<div class="question">{html.escape(question)}</div>'


def render_answer(answer: Answer, turn: int, show_timings: bool = False) -> str:
    """The chat message for a verified answer or an abstention."""
    if answer.abstained:
        why = "".join(f'<p class="why">{html.escape(_sentence(note))}</p>' for note in answer.notes)
        return (f'<div class="answer abstained"><div class="label">Not in the articles</div>'
                f'<p>{html.escape(answer.text)}</p>{why}{_timings(answer, show_timings)}</div>')
    n = len(answer.citations)
    meta = f"Checked against {n} cited passage{'s' if n != 1 else ''}"
    if answer.model_id:
        meta += f" · {html.escape(answer.model_id)}"
    notes = ""
    if answer.notes:
        items = "".join(f"<li>{html.escape(note)}</li>" for note in answer.notes)
        notes = f'<details class="notes"><summary>What the check changed</summary><ul>{items}</ul></details>'
    return (f'<div class="answer"><p class="text">{link_citations(answer.text, turn)}</p>'
            f'<div class="meta">{meta}</div>{notes}{_timings(answer, show_timings)}</div>')


def render_draft(draft: str) -> str:
    """The model's unverified draft while it streams, marked as such."""
    label = "Draft, being checked against the articles" if draft else "Searching the articles"
    body = f'<p class="text">{html.escape(draft)}</p>' if draft else ""
    return f'<div class="answer draft"><div class="label">{label}…</div>{body}</div>'


def render_messages(turns: Sequence[Turn], show_timings: bool = False) -> list[dict[str, str]]:
    messages = []
    for number, turn in enumerate(turns, start=1):
        messages.append({"role": "user", "content": render_question(turn.answer.question)})
        messages.append({"role": "assistant", "content": render_answer(turn.answer, number, show_timings)})
    return messages


def render_sources(turns: Sequence[Turn]) -> str:
    """The sources panel: every answer's citations, newest answer first and open."""
    if not turns:
        return ('<div class="sources"><p class="empty">Each answer’s sources appear here: the passage '
                "behind every number, highlighted in its article.</p></div>")
    sections = []
    for number in range(len(turns), 0, -1):
        turn = turns[number - 1]
        if turn.answer.abstained:
            body = '<p class="empty">No passage answers this question, so nothing is cited.</p>'
        else:
            body = "".join(_source_card(number, c, e) for c, e in zip(turn.answer.citations, turn.excerpts,
                                                                        strict=True))
        is_open = " open" if number == len(turns) else ""
        sections.append(f'<details class="turn" id="turn-{number}"{is_open}><summary>'
                        f"{html.escape(turn.answer.question)}</summary>{body}</details>")
    return f'<div class="sources">{"".join(sections)}</div>'


def render_ingest(report: IngestReport) -> str:
    """The per-file result table of an upload."""
    rows = []
    for f in report.files:
        name = Path(f.path).name
        if f.status in ("added", "updated", "unchanged"):
            detail = f"{f.chunks} passage{'s' if f.chunks != 1 else ''} · id {f.doc_id}"
        else:  # reasons name the file by its path, here a temporary upload folder: the name will do
            detail = f.reason.replace(f.path, name)
        rows.append(f'<tr class="file-{f.status}"><td>{html.escape(name)}</td>'
                    f'<td><span class="badge {STATUS_CLASSES.get(f.status, "same")}">{f.status}</span></td>'
                    f"<td>{html.escape(detail)}</td></tr>")
    return ('<table class="files"><thead><tr><th>File</th><th>Result</th><th>Details</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table><p class="summary">The index now holds '
            f"{report.documents} documents ({report.chunks} passages).</p>")


def render_notice(message: str, kind: str = "error") -> str:
    """A message under the question box (kind: error or info); `command` spans become code."""
    if not message:
        return ""
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(message))
    return f'<div class="notice {kind}" role="status">{text}</div>'


def _source_card(turn: int, c: Citation, e: Excerpt) -> str:
    where = [c.source, c.doc_id, f"p. {c.page}" if c.page else "", f"characters {c.start}–{c.end}"]
    credit = " · ".join(html.escape(part) for part in where if part)
    context = (("…" if e.clipped_before else "") + html.escape(e.before) + f"<mark>{html.escape(e.quote)}</mark>"
               + html.escape(e.after) + ("…" if e.clipped_after else ""))
    return (f'<article class="source" id="{source_id(turn, c.number)}"><header><span class="num">{c.number}</span>'
            f'<span class="title">{html.escape(c.title)}</span></header><div class="credit">{credit}</div>'
            f'<blockquote class="context">{context}</blockquote></article>')


def _timings(answer: Answer, show: bool) -> str:
    if not show:
        return ""
    t = answer.timings
    parts = [f"retrieval {t.retrieval_ms:.0f} ms"]
    if t.prompt_tokens:
        parts += [f"prompt {t.prompt_tokens} tokens in {t.prompt_eval_ms:.0f} ms",
                  f"answer {t.completion_tokens} tokens in {t.generation_ms:.0f} ms",
                  f"check {t.verification_ms:.0f} ms"]
    parts.append(f"total {t.total_ms / 1000:.1f} s")
    return f'<div class="timings">{" · ".join(parts)}</div>'


def _sentence(note: str) -> str:
    return note[:1].upper() + note[1:] + ("" if note.endswith(".") else ".")


# ---- assistants shared by sessions -----------------------------------------------------------

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


def stream_in_thread(assistant: Assistant, question: str) -> Iterator[AnswerDelta | Turn]:
    """Draft pieces, then the finished `Turn`: `assistant.ask_stream` run in one worker thread.

    Gradio advances a sync generator on whichever pool thread is free, but the Assistant's lock
    is re-entrant per thread: stepping `ask_stream` from several threads would let two sessions
    use the model at once (or fail to release the lock). The excerpts are cut while the lock is
    still held, so a finished answer never waits for someone else's question.
    """
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            for event in assistant.ask_stream(question):
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
    documents = assistant.retriever.data.documents
    return Turn(answer, tuple(excerpt(documents[c.doc_id].text, c) if c.doc_id in documents
                              else Excerpt("", c.quote, "", False, False) for c in answer.citations))


# ---- the page --------------------------------------------------------------------------------

class Page:
    """The page's event handlers, apart from the layout so that tests can call them directly.

    Each returns (or yields) the new values of its outputs, in the order `build_app` wires them;
    `keep()` leaves an output as it is. Expected failures become a notice, never a traceback.
    """

    def __init__(self, assistant: Assistant) -> None:
        self.pool = AssistantPool(assistant)

    def ask(self, question: str, session: Session) -> Iterator[tuple[Any, ...]]:
        """Outputs: chat messages, question box, sources panel, notice, session."""
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
            for event in stream_in_thread(who, question):
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
        assert turn is not None
        session = replace(session, turns=session.turns + (turn,))
        yield render_messages(session.turns, session.show_timings), keep(), render_sources(session.turns), "", session

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

    def apply_settings(self, evidence: float, model: str, server_url: str, session: Session) -> tuple[Any, ...]:
        """Outputs: session, settings notice."""
        settings = Settings(int(evidence), model.strip() or self.pool.default.config.model, server_url.strip())
        try:
            who = self.pool.get(settings)
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

    def clear(self, session: Session) -> tuple[Any, ...]:
        """Outputs: session, sources panel, notice."""
        return replace(session, turns=()), render_sources(()), ""


def keep() -> Any:
    """An output value that leaves the component unchanged."""
    import gradio as gr

    return gr.skip()


def render_status(text: str) -> str:
    return f'<div class="status">{html.escape(text)}</div>'


def build_app(assistant: Assistant) -> Any:
    """The Gradio Blocks app over `assistant` (theme, CSS and script are applied by `launch`)."""
    import gradio as gr

    page = Page(assistant)
    config = assistant.config

    # Gradio finds its progress tracker by this default value.
    def add_files(files: list[str] | None, progress: Any = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        return page.add_files(files, progress)

    with gr.Blocks(title="qa · cited answers from news articles", analytics_enabled=False) as app:
        session = gr.State(Session())
        with gr.Row(elem_id="masthead"):
            gr.HTML('<div class="brand"><h1>Cited answers from the news archive</h1><p>Every sentence of '
                    "an answer is checked against the article passage it cites. Click a number to read "
                    "that passage in context. When the articles don’t hold the answer, it says so.</p></div>")
            status = gr.HTML(render_status(page.pool.status), elem_id="index-status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chat = gr.Chatbot(elem_id="chat", label="Questions and answers", show_label=False, height=520,
                                  placeholder="Ask about the indexed articles, e.g. *What did Rutte say about "
                                  "Russia’s objection?*", layout="panel", buttons=[])
                with gr.Row(elem_id="ask-row"):
                    box = gr.Textbox(elem_id="question", show_label=False, scale=6, lines=1, max_lines=4,
                                     placeholder="Ask a question about the articles", autofocus=True,
                                     container=False)
                    ask_button = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="ask")
                notice = gr.HTML("", elem_id="notice")
                with gr.Accordion("Add documents", open=page.pool.status.startswith("No index"),
                                  elem_id="upload-panel"):
                    files = gr.File(file_count="multiple", label="txt, Markdown or PDF files", height=120,
                                    elem_id="upload")
                    results = gr.HTML("", elem_id="upload-results")
                with gr.Accordion("Settings", open=False, elem_id="settings"):
                    evidence = gr.Slider(1, 10, value=config.evidence_sentences, step=1,
                                         label="Passages given to the model per question")
                    with gr.Row():
                        model = gr.Textbox(config.model, label="Model: a bundled name or a .gguf path")
                        server = gr.Textbox(config.server_url, label="or an OpenAI-compatible server URL",
                                            placeholder="http://127.0.0.1:8080/v1")
                    timings = gr.Checkbox(False, label="Show timings under each answer")
                    apply_button = gr.Button("Apply settings", size="sm")
                    settings_notice = gr.HTML("")
            with gr.Column(scale=2, min_width=340, elem_id="sources-column"):
                gr.HTML('<h2 class="panel-title">Sources</h2>')
                sources = gr.HTML(render_sources(()), elem_id="sources", js_on_load=None)

        gr.on([box.submit, ask_button.click], page.ask, [box, session], [chat, box, sources, notice, session],
              concurrency_limit=8, show_progress="hidden", api_visibility="private")
        files.upload(add_files, files, [files, results, status], api_visibility="private")
        apply_button.click(page.apply_settings, [evidence, model, server, session], [session, settings_notice],
                           api_visibility="private")
        timings.change(page.show_timings, [timings, session], [chat, session], api_visibility="private")
        chat.clear(page.clear, session, [session, sources, notice], api_visibility="private")
        app.load(lambda: render_status(page.pool.status), None, status, api_visibility="private")
    app.queue(default_concurrency_limit=1)
    return app


CSS = """
.gradio-container { width: 100% !important; max-width: 1320px !important; margin: 0 auto; }
#masthead { align-items: flex-end; border-bottom: 2px solid #1f2937; padding-bottom: 10px; margin-bottom: 6px; }
.brand h1 { font-family: Georgia, 'Times New Roman', serif; font-size: 1.7rem; font-weight: 700; color: #111827;
  margin: 0 0 4px; }
.brand p { margin: 0; color: #4b5563; font-size: .92rem; max-width: 62ch; }
#index-status .status { text-align: right; color: #374151; font-size: .85rem; }
.question { font-weight: 600; color: #111827; }
.answer .text { font-family: Georgia, 'Times New Roman', serif; font-size: 1.05rem; line-height: 1.55;
  color: #111827; margin: 0; }
.answer .meta, .answer .timings { color: #6b7280; font-size: .8rem; margin-top: 6px; }
.answer .notes { font-size: .8rem; color: #4b5563; margin-top: 4px; }
.answer .label { font-size: .8rem; font-weight: 700; margin-bottom: 4px; }
.answer.draft .label { color: #92400e; }
.answer.draft .text { color: #6b7280; font-style: italic; }
.answer.abstained { border-left: 3px solid #64748b; padding-left: 10px; }
.answer.abstained .label { color: #475569; }
.answer.abstained .why { color: #4b5563; font-size: .88rem; margin: 4px 0 0; }
a.cite { color: #1d4ed8; text-decoration: none; font-family: ui-sans-serif, system-ui, sans-serif;
  font-size: .78em; font-weight: 700; padding: 0 2px; border-radius: 3px; vertical-align: super; }
a.cite:hover, a.cite:focus { background: #dbeafe; text-decoration: underline; }
#notice .notice { border-radius: 6px; padding: 8px 12px; font-size: .9rem; }
.notice.error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; }
.notice code { font-size: .85em; background: rgba(0, 0, 0, .05); padding: 0 3px; border-radius: 3px; }
.notice.info { background: #f0fdf4; border: 1px solid #bbf7d0; color: #166534; }
.panel-title { font-family: Georgia, 'Times New Roman', serif; font-size: 1.15rem; margin: 0;
  border-bottom: 1px solid #d1d5db; padding-bottom: 4px; }
#sources { max-height: 70vh; overflow-y: auto; scroll-behavior: smooth; }
.sources .empty { color: #6b7280; font-size: .9rem; }
.sources details.turn { margin: 0 0 10px; }
.sources details.turn > summary { cursor: pointer; font-weight: 600; color: #111827; font-size: .92rem;
  padding: 6px 0; }
.sources details.turn:not([open]) > summary { color: #6b7280; font-weight: 400; }
.source { border: 1px solid #e5e7eb; border-radius: 6px; padding: 10px 12px; margin: 8px 0; background: #fff;
  transition: box-shadow .3s, border-color .3s; }
.source.flash { border-color: #1d4ed8; box-shadow: 0 0 0 3px #bfdbfe; }
.source header { display: flex; gap: 8px; align-items: baseline; }
.source .num { background: #1f2937; color: #fff; border-radius: 3px; font-size: .75rem; font-weight: 700;
  padding: 1px 6px; }
.source .title { font-weight: 600; color: #111827; }
.source .credit { color: #6b7280; font-size: .78rem; margin: 2px 0 6px; word-break: break-all; }
.source .context { font-family: Georgia, 'Times New Roman', serif; white-space: pre-line; margin: 0;
  padding: 0 0 0 10px; border-left: 3px solid #e5e7eb; color: #374151; font-size: .93rem; line-height: 1.5; }
.source mark { background: #fef08a; color: #111827; padding: 0 1px; }
#upload-results table.files { width: 100%; border-collapse: collapse; font-size: .85rem; margin: 4px 0;
  border: none !important; }
#upload-results table.files th, #upload-results table.files td { text-align: left; padding: 5px 8px;
  border: none; border-bottom: 1px solid #e5e7eb; vertical-align: top; overflow-wrap: anywhere; }
#upload-results table.files th { font-weight: 600; color: #4b5563; border-bottom: 1px solid #9ca3af; }
.badge { border-radius: 3px; padding: 1px 6px; font-size: .75rem; font-weight: 700; }
.badge.ok { background: #dcfce7; color: #166534; }
.badge.same { background: #f3f4f6; color: #374151; }
.badge.bad { background: #fee2e2; color: #991b1b; }
.summary { color: #4b5563; font-size: .85rem; }
"""

# Citation links scroll the sources panel to their passage (and open an older answer's sources).
HEAD = """
<script>
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.cite") : null;
  if (!link) return;
  var card = document.getElementById((link.getAttribute("href") || "").slice(1));
  if (!card) return;
  event.preventDefault();
  event.stopPropagation();
  var group = card.closest("details");
  if (group) group.open = true;
  card.scrollIntoView({behavior: "smooth", block: "center"});
  card.classList.remove("flash");
  void card.offsetWidth;
  card.classList.add("flash");
  setTimeout(function () { card.classList.remove("flash"); }, 2000);
}, true);
</script>
"""


def launch(app: Any, host: str = "127.0.0.1", port: int = 7860, **kwargs: Any) -> Any:
    """Serve `app` with the page's theme, style and script (Gradio 6 takes them at launch)."""
    import gradio as gr

    theme = gr.themes.Default(primary_hue=gr.themes.colors.slate, neutral_hue=gr.themes.colors.gray).set(
        button_primary_background_fill="#1f2937", button_primary_background_fill_hover="#374151",
        button_primary_text_color="#ffffff")
    return app.launch(server_name=host, server_port=port, theme=theme, css=CSS, head=HEAD, footer_links=[],
                      show_error=False, **kwargs)


def main(argv: Sequence[str] | None = None) -> int:
    """`python ui.py` / `qa ui`: serve the page on 127.0.0.1 unless --host says otherwise."""
    parser = argparse.ArgumentParser(prog="qa ui", description="Serve the question-answering page in a browser.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to the network)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--config", metavar="FILE", help="a TOML settings file (default: qa.toml if present)")
    parser.add_argument("--index", metavar="DIR", help="the index folder (default: index/)")
    args = parser.parse_args(argv)
    try:
        overrides: Mapping[str, Any] = {"index_dir": Path(args.index)} if args.index else {}
        assistant = Assistant(load_config(args.config, **overrides))
        app = build_app(assistant)
    except QAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    threading.Thread(target=_warm_up, args=(assistant,), daemon=True).start()
    print(f"Serving on http://{args.host}:{args.port} (Ctrl-C stops)", file=sys.stderr)
    launch(app, args.host, args.port, quiet=True)
    return 0


def _warm_up(assistant: Assistant) -> None:
    """Load the model before the first question; a failure shows when someone asks."""
    try:
        assistant.generator  # noqa: B018
    except QAError:
        pass


if __name__ == "__main__":
    sys.exit(main())
