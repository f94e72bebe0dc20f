"""HTML for the page: chat messages, the sources panel, upload results, notices and status.

Pure functions of typed values; every piece of text from a question, an answer or a document is
escaped, so that nothing a visitor or an article writes becomes markup. No Gradio here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from ..answer import Answer, Citation
from ..index.ingest import IngestReport
from .excerpts import Excerpt
from .session import Turn

STATUS_CLASSES = {"added": "ok", "updated": "ok", "unchanged": "same", "duplicate": "same",
                  "removed": "same", "skipped": "bad", "ignored": "bad"}


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


def render_question(question: str, answered_as: str = "") -> str:
    """The question as asked; under it, when it was rewritten, the question it was answered as."""
    shown = f'<div class="question">{html.escape(question)}</div>'
    if answered_as:
        shown += f'<div class="answered-as">Answered as: {html.escape(answered_as)}</div>'
    return shown


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
    """The chat: each question (with the form it was answered as, if rewritten) and its answer."""
    messages = []
    for number, turn in enumerate(turns, start=1):
        answer = turn.answer
        messages.append({"role": "user",
                         "content": render_question(answer.question, answer.answered_as if answer.rewrites else "")})
        messages.append({"role": "assistant", "content": render_answer(answer, number, show_timings)})
    return messages


def render_sources(turns: Sequence[Turn]) -> str:
    """The sources panel: every answer's citations, newest answer first and open, each headed by
    the question as answered (a follow-up's "she" is no help out of context)."""
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
                        f"{html.escape(turn.answer.answered_as)}</summary>{body}</details>")
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


def render_status(text: str) -> str:
    return f'<div class="status">{html.escape(text)}</div>'


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
