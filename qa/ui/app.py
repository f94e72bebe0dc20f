"""The Gradio page: its layout, the wiring of its events to `Page`, and its static files.

The style and the citation-link script are `static/app.css` and `static/app.js`, read when the app
is served. The settings panel takes free text (a model path, a server URL) on loopback only;
elsewhere it offers drop-downs of what the configuration names (see `choices`).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from ..assistant import Assistant
from .choices import MAX_EVIDENCE, SettingsChoices
from .page import Page
from .render import render_sources, render_status
from .session import Session

TITLE = "qa · cited answers from news articles"
INTRO = ('<div class="brand"><h1>Cited answers from the news archive</h1><p>Every sentence of an answer is '
         "checked against the article passage it cites. Click a number to read that passage in context. "
         "Follow-up questions see the earlier ones. When the articles don’t hold the answer, it says so.</p></div>")


def static_text(name: str) -> str:
    """A file of `qa/ui/static/` (installed as package data)."""
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def build_app(assistant: Assistant, host: str = "127.0.0.1") -> Any:
    """The Gradio Blocks app over `assistant`, to be served on `host` (which decides what the
    settings panel offers). Theme, style and script are applied by `launch`."""
    import gradio as gr

    config = assistant.config
    choices = SettingsChoices.for_host(host, config)
    page = Page(assistant, choices)

    # Gradio finds its progress tracker by this default value.
    def add_files(files: list[str] | None, progress: Any = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        return page.add_files(files, progress)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        session = gr.State(Session())  # copied for each page load: one conversation per visitor
        with gr.Row(elem_id="masthead"):
            gr.HTML(INTRO)
            status = gr.HTML(render_status(page.pool.status), elem_id="index-status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chat = gr.Chatbot(elem_id="chat", label="Questions and answers", show_label=False, height=520,
                                  placeholder="Ask about the indexed articles, e.g. *What did Rutte say about "
                                  "Russia’s objection?*", layout="panel", buttons=[])
                with gr.Row(elem_id="ask-row"):
                    box = gr.Textbox(elem_id="question", show_label=False, scale=6, lines=1, max_lines=4,
                                     placeholder="Ask a question, or a follow-up to the last answer",
                                     autofocus=True, container=False)
                    ask_button = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="ask")
                    new_button = gr.Button("New conversation", variant="secondary", scale=1, min_width=170,
                                           elem_id="new-conversation")
                notice = gr.HTML("", elem_id="notice")
                with gr.Accordion("Add documents", open=page.pool.status.startswith("No index"),
                                  elem_id="upload-panel"):
                    files = gr.File(file_count="multiple", label="txt, Markdown or PDF files", height=120,
                                    elem_id="upload")
                    results = gr.HTML("", elem_id="upload-results")
                with gr.Accordion("Settings", open=False, elem_id="settings"):
                    evidence = gr.Slider(1, MAX_EVIDENCE, value=config.evidence_sentences, step=1,
                                         label="Passages given to the model per question")
                    with gr.Row():
                        model, server = _model_inputs(gr, choices, config.model, config.server_url)
                    timings = gr.Checkbox(False, label="Show timings under each answer")
                    apply_button = gr.Button("Apply settings", size="sm")
                    settings_notice = gr.HTML("", elem_id="settings-notice")
            with gr.Column(scale=2, min_width=340, elem_id="sources-column"):
                gr.HTML('<h2 class="panel-title">Sources</h2>')
                sources = gr.HTML(render_sources(()), elem_id="sources", js_on_load=None)

        asking = gr.on([box.submit, ask_button.click], page.ask, [box, session], [chat, box, sources, notice, session],
                       concurrency_limit=8, show_progress="hidden", api_visibility="private")
        # A new conversation also stops a question still being answered, whose turn would bring
        # the old conversation back when it finished.
        for clear in (new_button.click, chat.clear):
            clear(page.new_conversation, session, [chat, sources, notice, session], cancels=[asking],
                  api_visibility="private")
        files.upload(add_files, files, [files, results, status], api_visibility="private")
        apply_button.click(page.apply_settings, [evidence, model, server, session], [session, settings_notice],
                           api_visibility="private")
        timings.change(page.show_timings, [timings, session], [chat, session], api_visibility="private")
        app.load(lambda: render_status(page.pool.status), None, status, api_visibility="private")
    app.queue(default_concurrency_limit=1)
    return app


def _model_inputs(gr: Any, choices: SettingsChoices, model: str, server_url: str) -> tuple[Any, Any]:
    """Free text on loopback; elsewhere drop-downs that accept only the offered values."""
    if choices.free:
        return (gr.Textbox(model, label="Model: a bundled name or a .gguf path", elem_id="model"),
                gr.Textbox(server_url, label="or an OpenAI-compatible server URL", elem_id="server",
                           placeholder="http://127.0.0.1:8080/v1"))
    servers = [(url or "none: the model runs on this machine", url) for url in choices.servers]
    return (gr.Dropdown(list(choices.models), value=model, label="Model (as configured on the server)",
                        allow_custom_value=False, elem_id="model"),
            gr.Dropdown(servers, value=server_url, label="Server (as configured on the server)",
                        allow_custom_value=False, elem_id="server"))


def launch(app: Any, host: str = "127.0.0.1", port: int = 7860, **kwargs: Any) -> Any:
    """Serve `app` (built by `build_app` for the same `host`) with the page's theme, style and
    script; Gradio 6 takes them at launch."""
    import gradio as gr

    theme = gr.themes.Default(primary_hue=gr.themes.colors.slate, neutral_hue=gr.themes.colors.gray).set(
        button_primary_background_fill="#1f2937", button_primary_background_fill_hover="#374151",
        button_primary_text_color="#ffffff")
    head = f"<script>\n{static_text('app.js')}</script>\n"
    return app.launch(server_name=host, server_port=port, theme=theme, css=static_text("app.css"), head=head,
                      footer_links=[], show_error=False, **kwargs)


def serve(assistant: Assistant, host: str = "127.0.0.1", port: int = 7860, **kwargs: Any) -> Any:
    """Build the app for `host` and serve it there; returns the app (with `prevent_thread_lock=True`
    this returns at once, and `app.close()` stops the server)."""
    app = build_app(assistant, host)
    launch(app, host, port, **kwargs)
    return app
