"""The web page's helpers and handlers with a fake-backed Assistant: no browser, no real model."""

from __future__ import annotations

import html
import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fakes import FakeGenerator, FakeScorer, HashEmbedder, passage_number

from qa.answer import ABSTAIN_TEXT, Citation
from qa.assistant import Assistant
from qa.config import Config

pytest.importorskip("gradio", reason="the ui extra is not installed: pip install -e '.[ui]'")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import ui  # noqa: E402

RUTTE_Q = "What did Rutte say about Russia's objection?"
PARIS_Q = "How many heads of state and government took part in the Paris meeting?"


def reply_for(request) -> str:  # type: ignore[no-untyped-def]
    """A fake model that quotes the passage that answers whichever question it is given."""
    if "Rutte" in request.prompt.rsplit("Question:", 1)[-1]:
        n = passage_number(request.prompt, "Why should we care")
        return f'"Why should we care what Russia thinks about it?" [{n}].\n'
    n = passage_number(request.prompt, "35 heads of state")
    return f"In Paris, 35 heads of state and government participated in person or via video conference [{n}].\n"


@pytest.fixture
def assistant(config: Config) -> Assistant:
    a = Assistant(config, embedder=HashEmbedder(), generator=FakeScorer("russia"))
    a.ingest()
    return a


class Parsed(HTMLParser):
    """Elements of rendered HTML: ids, link targets, marked text and every tag seen."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.marks: list[str] = []
        self.tags: set[str] = set()
        self.text = ""
        self._in_mark = False
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        if tag == "mark":
            self._in_mark = True
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._in_mark:
            self.marks[-1] += data


def final_outputs(page: ui.Page, question: str, session: ui.Session) -> list[tuple]:  # type: ignore[type-arg]
    return list(page.ask(question, session))


def test_excerpt_keeps_the_exact_span_and_cuts_context_at_words() -> None:
    text = ("alpha beta gamma " * 20) + "THE QUOTED WORDS" + (" delta epsilon" * 20)
    start = text.index("THE QUOTED")
    c = Citation(1, "d", "t", "", start, start + len("THE QUOTED WORDS"), "THE QUOTED WORDS")
    e = ui.excerpt(text, c, chars=40)
    assert e.quote == "THE QUOTED WORDS"
    joined = e.before + e.quote + e.after
    assert joined in text and text.index(joined) + len(e.before) == start
    assert e.clipped_before and e.clipped_after
    assert e.before.split()[0] in ("alpha", "beta", "gamma") and len(e.before) <= 40
    assert not e.after.endswith(" ") and len(e.after) <= 40
    whole = ui.excerpt("short THE QUOTED WORDS text", Citation(1, "d", "t", "", 6, 22, "THE QUOTED WORDS"))
    assert (whole.before, whole.after, whole.clipped_before, whole.clipped_after) == ("short ", " text", False, False)


def test_excerpt_of_a_changed_document_shows_only_the_quote() -> None:
    e = ui.excerpt("the document now says something else", Citation(1, "d", "t", "", 4, 12, "was here"))
    assert (e.before, e.quote, e.after) == ("", "was here", "")


def test_sources_escape_text_and_highlight_exactly_the_cited_span(tmp_path: Path, config: Config) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    text = ("Harbour <b>report</b> & notes\n"
            'Officials said the harbour of Port Velmora holds 47 patrol boats & "two <script>alert(1)</script> '
            "tugs\" on Monday.\nThe mayor declined to comment on the figure.\n")
    (folder / "harbour.txt").write_text(text, encoding="utf-8")

    def reply(request) -> str:  # type: ignore[no-untyped-def]
        return f"The harbour holds 47 patrol boats [{passage_number(request.prompt, '47 patrol boats')}].\n"

    a = Assistant(config, embedder=HashEmbedder(), generator=FakeGenerator(reply))
    a.ingest([folder])
    turns = [t for t in ui.stream_in_thread(a, "How many patrol boats does Port Velmora hold?")
             if isinstance(t, ui.Turn)]
    assert len(turns) == 1 and turns[0].answer.citations
    citation = turns[0].answer.citations[0]
    assert "47 patrol boats" in citation.quote and "<script>" in citation.quote

    panel = ui.render_sources(turns)
    parsed = Parsed(panel)
    assert "script" not in parsed.tags and "b" not in parsed.tags  # document text never becomes markup
    # exactly the cited spans, unescaped back to the original
    assert parsed.marks == [c.quote for c in turns[0].answer.citations]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    assert ui.source_id(1, citation.number) in parsed.ids
    shown = parsed.text.split(citation.quote)[0].rsplit("\n", 1)[-1]
    assert text[citation.start - len(shown):citation.start] == shown  # the context really precedes the span


def test_citation_links_match_the_source_anchors(assistant: Assistant) -> None:
    page = ui.Page(assistant)
    first = final_outputs(page, RUTTE_Q, ui.Session())[-1]
    second = final_outputs(page, PARIS_Q, first[4])[-1]
    chat, _, sources, notice, session = second
    assert notice == "" and len(session.turns) == 2
    panel = Parsed(sources)
    for turn_number, message in ((1, chat[1]["content"]), (2, chat[3]["content"])):
        links = Parsed(message).hrefs
        markers = re.findall(r"\[(\d+)\]", session.turns[turn_number - 1].answer.text)
        assert links == [f"#src-{turn_number}-{n}" for n in markers]
        assert all(link[1:] in panel.ids for link in links)
    assert sources.index('id="turn-2"') < sources.index('id="turn-1"')  # newest first
    assert re.search(r'id="turn-2" open', sources) and not re.search(r'id="turn-1" open', sources)


def test_answer_streams_a_draft_before_the_verified_text(assistant: Assistant) -> None:
    outputs = final_outputs(ui.Page(assistant), RUTTE_Q, ui.Session())
    drafts = [o[0][-1]["content"] for o in outputs[:-1]]
    assert "Searching the articles" in drafts[0]
    assert any("Draft, being checked" in d and "Why should we care" in d for d in drafts[1:])
    final = outputs[-1][0][-1]["content"]
    assert 'class="answer"' in final and "draft" not in final and 'href="#src-1-1"' in final
    assert outputs[0][1] == ""  # the question box is emptied once the question is accepted


def test_abstention_is_shown_as_such_not_as_an_error(assistant: Assistant) -> None:
    chat, _, sources, notice, session = final_outputs(ui.Page(assistant), "What did Merz say at the meeting?",
                                                      ui.Session())[-1]
    answer = session.turns[0].answer
    assert answer.abstained and notice == ""
    message = chat[-1]["content"]
    assert "abstained" in message and "Not in the articles" in message and html.escape(ABSTAIN_TEXT) in message
    assert "merz" in message.lower()  # the reason is given
    assert "error" not in message and not Parsed(message).hrefs
    assert "nothing is cited" in sources


def test_timings_are_shown_only_when_asked_for(assistant: Assistant) -> None:
    page = ui.Page(assistant)
    session = final_outputs(page, RUTTE_Q, ui.Session())[-1][4]
    assert "timings" not in page.show_timings(False, session)[0][-1]["content"]
    shown, session = page.show_timings(True, session)
    assert "retrieval" in shown[-1]["content"] and "total" in shown[-1]["content"] and session.show_timings


@pytest.mark.parametrize("question, message", [
    ("", "The question is empty"),
    ("   \n ", "The question is empty"),
    ("Why " + "x" * 19_996, "20,000 characters long"),
    ("Was hat Merz über die Koalition gesagt und warum?", "please ask in English"),
])
def test_bad_questions_get_a_notice_and_change_nothing(assistant: Assistant, question: str, message: str) -> None:
    outputs = final_outputs(ui.Page(assistant), question, ui.Session())
    assert len(outputs) == 1
    chat, box, sources, notice, session = outputs[0]
    assert message in html.unescape(notice) and 'class="notice error"' in notice
    assert session == ui.Session() and all(v == ui.keep() for v in (chat, box, sources))


def test_question_before_any_index_exists_says_how_to_build_one(tmp_path: Path, config: Config) -> None:
    empty = Assistant(config.replace(index_dir=tmp_path / "empty"), embedder=HashEmbedder(),
                      generator=FakeGenerator())
    page = ui.Page(empty)
    assert page.pool.status.startswith("No index yet")
    chat, box, _, notice, session = final_outputs(page, RUTTE_Q, ui.Session())[-1]
    assert "No index at" in html.unescape(notice) and "<code>qa ingest</code>" in notice
    assert "Add documents" in notice
    assert chat == [] and box == RUTTE_Q and session.turns == ()  # the question is kept for a retry


def test_upload_adds_good_files_reports_bad_ones_and_new_questions_see_them(tmp_path: Path, config: Config) -> None:
    from pdfs import write_text_pdf

    def reply(request) -> str:  # type: ignore[no-untyped-def]
        return f"It holds 47 patrol boats [{passage_number(request.prompt, '47 patrol boats')}].\n"

    a = Assistant(config, embedder=HashEmbedder(), generator=FakeGenerator(reply))
    a.ingest()
    page = ui.Page(a)
    pdf = write_text_pdf(tmp_path / "velmora.pdf", ["The harbour of Port Velmora holds 47 patrol boats."])
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    calls: list[tuple[float, str]] = []
    box, table, status = page.add_files([str(pdf), str(picture), str(empty)],
                                        lambda share, desc="": calls.append((share, desc)))
    assert box is None
    rows = dict(re.findall(r"<td>([^<]+)</td><td><span class=\"badge \w+\">(\w+)</span>", table))
    assert rows == {"velmora.pdf": "added", "photo.png": "skipped", "empty.txt": "skipped"}
    assert "unsupported file type" in table and ".txt, .md or .pdf" in table
    assert str(tmp_path) not in table  # reasons name the file, not the upload folder
    assert "6 documents" in table and "6 documents" in status
    assert calls and calls[-1][0] == 1.0 and any("velmora.pdf" in d for _, d in calls)

    chat, _, sources, notice, _ = final_outputs(page, "How many patrol boats does the harbour of Port Velmora hold?",
                                                ui.Session())[-1]
    assert notice == "" and "velmora.pdf" in sources and "47 patrol boats" in "".join(Parsed(sources).marks)


def test_settings_errors_are_shown_and_keep_the_old_settings(assistant: Assistant, tmp_path: Path) -> None:
    page = ui.Page(assistant)
    session, notice = page.apply_settings(4, str(tmp_path / "missing.gguf"), "", ui.Session())
    assert session.settings is None and "does not exist" in notice and "error" in notice
    session, notice = page.apply_settings(4, "gemma3-270m", "ftp://example", ui.Session())
    assert session.settings is None and "must start with http" in notice
    session, notice = page.apply_settings(2, "", "http://127.0.0.1:9/v1", ui.Session())
    assert session.settings == ui.Settings(2, assistant.config.model, "http://127.0.0.1:9/v1")
    assert "Applied: 2 passages" in notice
    custom = page.pool.get(session.settings)
    assert custom is not assistant and custom.config.evidence_sentences == 2
    assert custom.embedder is assistant.embedder


def step_on_a_new_thread(run, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    """next(run) on a fresh daemon thread, as Gradio may do; None when the run is over."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(next(run, None)), daemon=True)
    worker.start()
    worker.join(timeout)
    assert result, f"a step took more than {timeout} s: the sessions are blocking each other"
    return result[0]


def test_two_sessions_stepped_from_any_thread_each_get_their_own_answer(assistant: Assistant) -> None:
    """Gradio steps a generator on whichever worker is free; answers must not cross sessions."""
    page = ui.Page(assistant)
    runs = {RUTTE_Q: page.ask(RUTTE_Q, ui.Session()), PARIS_Q: page.ask(PARIS_Q, ui.Session())}
    last: dict[str, tuple] = {}  # type: ignore[type-arg]
    while runs:
        for question, run in list(runs.items()):  # alternate between the two sessions
            out = step_on_a_new_thread(run)
            if out is None:
                del runs[question]
            else:
                last[question] = out
    rutte, paris = last[RUTTE_Q][4].turns[0].answer, last[PARIS_Q][4].turns[0].answer
    assert rutte.question == RUTTE_Q and "Why should we care" in rutte.citations[0].quote
    assert paris.question == PARIS_Q and "35 heads of state" in paris.citations[0].quote
