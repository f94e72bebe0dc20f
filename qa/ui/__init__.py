"""The browser interface: a Gradio page over `Assistant`, and the only package that imports gradio.

It asks, streams the model's draft, then shows the verified answer with numbered citations that
link to a sources panel, where each cited span is highlighted in its article's text. Each browser
session is a conversation: a follow-up ("What did she say about it?") is answered as the
standalone question it stands for, shown under it. The page also adds uploaded files to the index
and changes a few settings per session. It does no retrieval, generation or verification of its
own: everything it shows comes from `Answer`, `IngestReport` and the exceptions of `qa.errors`.

Owns: `excerpts` (a cited span with its surrounding text), `session` (what one browser session
keeps), `render` (HTML for answers, sources, uploads and notices), `choices` (which models and
servers the settings panel may offer, stricter off loopback), `pool` (assistants shared by
sessions; answering in a worker thread), `page` (the event handlers), `app` (the Gradio layout, with
`static/app.css` and `static/app.js`) and `launch` (`python ui.py`, `qa ui`). Gradio is imported
inside functions only, so importing this package loads no UI library.

Must not import: `eval`, `bench`, `cli`.
"""

from .launch import main

__all__ = ["main"]
