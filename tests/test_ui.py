"""The web page's helpers and handlers with a fake-backed Assistant: no browser, no real model."""

from __future__ import annotations

import html
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fakes import FakeScorer, HashEmbedder

from qa.answer import ABSTAIN_TEXT, Citation
from qa.assistant import Assistant
from qa.config import Config
from qa.ui.excerpts import excerpt
from qa.ui.page import Page, keep
from qa.ui.pool import stream_in_thread
from qa.ui.render import render_sources, source_id
from qa.ui.session import Session, Settings, Turn

pytest.importorskip("gradio", reason="the ui extra is not installed: pip install -e '.[ui]'")

RUTTE_Q = "What did Rutte say about Russia's objection?"
PARIS_Q = "How many heads of state and government took part in the Paris meeting?"
TROOPS_Q = "How many countries committed to sending troops?"


@pytest.fixture
def assistant(config: Config) -> Assistant:
    # the fake model likes passages that mention troops; it reads each article's title too, so a
    # word of one title (that article's subject) would lift every passage of that article
    a = Assistant(config, embedder=HashEmbedder(), generator=FakeScorer("troops"))
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


def final_outputs(page: Page, question: str, session: Session) -> list[tuple]:  # type: ignore[type-arg]
    return list(page.ask(question, session))


def test_excerpt_keeps_the_exact_span_and_cuts_context_at_words() -> None:
    text = ("alpha beta gamma " * 20) + "THE QUOTED WORDS" + (" delta epsilon" * 20)
    start = text.index("THE QUOTED")
    c = Citation(1, "d", "t", "", start, start + len("THE QUOTED WORDS"), "THE QUOTED WORDS")
    e = excerpt(text, c, chars=40)
    assert e.quote == "THE QUOTED WORDS"
    joined = e.before + e.quote + e.after
    assert joined in text and text.index(joined) + len(e.before) == start
    assert e.clipped_before and e.clipped_after
    assert e.before.split()[0] in ("alpha", "beta", "gamma") and len(e.before) <= 40
    assert not e.after.endswith(" ") and len(e.after) <= 40
    whole = excerpt("short THE QUOTED WORDS text", Citation(1, "d", "t", "", 6, 22, "THE QUOTED WORDS"))
    assert (whole.before, whole.after, whole.clipped_before, whole.clipped_after) == ("short ", " text", False, False)


def test_excerpt_of_a_changed_document_shows_only_the_quote() -> None:
    e = excerpt("the document now says something else", Citation(1, "d", "t", "", 4, 12, "was here"))
    assert (e.before, e.quote, e.after) == ("", "was here", "")


def test_sources_escape_text_and_highlight_exactly_the_cited_span(tmp_path: Path, config: Config) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    text = ("Harbour <b>report</b> & notes\n"
            'Officials said the harbour of Port Velmora holds 47 patrol boats & "two <script>alert(1)</script> '
            "tugs\" on Monday.\nThe mayor declined to comment on the figure.\n")
    (folder / "harbour.txt").write_text(text, encoding="utf-8")

    a = Assistant(config, embedder=HashEmbedder(), generator=FakeScorer("patrol"))
    a.ingest([folder])
    turns = [t for t in stream_in_thread(a, "How many patrol boats does Port Velmora hold?")
             if isinstance(t, Turn)]
    assert len(turns) == 1 and turns[0].answer.citations
    citation = turns[0].answer.citations[0]
    assert "47 patrol boats" in citation.quote and "<script>" in citation.quote

    panel = render_sources(turns)
    parsed = Parsed(panel)
    assert "script" not in parsed.tags and "b" not in parsed.tags  # document text never becomes markup
    # exactly the cited spans, unescaped back to the original
    assert parsed.marks == [c.quote for c in turns[0].answer.citations]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    assert source_id(1, citation.number) in parsed.ids
    shown = parsed.text.split(citation.quote)[0].rsplit("\n", 1)[-1]
    assert text[citation.start - len(shown):citation.start] == shown  # the context really precedes the span


def test_citation_links_match_the_source_anchors(assistant: Assistant) -> None:
    page = Page(assistant)
    first = final_outputs(page, RUTTE_Q, Session())[-1]
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
    outputs = final_outputs(Page(assistant), TROOPS_Q, Session())
    drafts = [o[0][-1]["content"] for o in outputs[:-1]]
    assert "Searching the articles" in drafts[0]
    assert any("Draft, being checked" in d and "26 countries" in d for d in drafts[1:])
    final = outputs[-1][0][-1]["content"]
    assert 'class="answer"' in final and "draft" not in final and 'href="#src-1-1"' in final
    assert outputs[0][1] == ""  # the question box is emptied once the question is accepted


def test_abstention_is_shown_as_such_not_as_an_error(assistant: Assistant) -> None:
    chat, _, sources, notice, session = final_outputs(Page(assistant), "What did Merz say at the meeting?",
                                                      Session())[-1]
    answer = session.turns[0].answer
    assert answer.abstained and notice == ""
    message = chat[-1]["content"]
    assert "abstained" in message and "Not in the articles" in message and html.escape(ABSTAIN_TEXT) in message
    assert "merz" in message.lower()  # the reason is given
    assert "error" not in message and not Parsed(message).hrefs
    assert "nothing is cited" in sources


def test_timings_are_shown_only_when_asked_for(assistant: Assistant) -> None:
    page = Page(assistant)
    session = final_outputs(page, RUTTE_Q, Session())[-1][4]
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
    outputs = final_outputs(Page(assistant), question, Session())
    assert len(outputs) == 1
    chat, box, sources, notice, session = outputs[0]
    assert message in html.unescape(notice) and 'class="notice error"' in notice
    assert session == Session() and all(v == keep() for v in (chat, box, sources))


def test_question_before_any_index_exists_says_how_to_build_one(tmp_path: Path, config: Config) -> None:
    empty = Assistant(config.replace(index_dir=tmp_path / "empty"), embedder=HashEmbedder(),
                      generator=FakeScorer("harbour"))
    page = Page(empty)
    assert page.pool.status.startswith("No index yet")
    chat, box, _, notice, session = final_outputs(page, RUTTE_Q, Session())[-1]
    assert "No index at" in html.unescape(notice) and "<code>qa ingest</code>" in notice
    assert "Add documents" in notice
    assert chat == [] and box == RUTTE_Q and session.turns == ()  # the question is kept for a retry


def test_upload_adds_good_files_reports_bad_ones_and_new_questions_see_them(tmp_path: Path, config: Config) -> None:
    from pdfs import write_text_pdf

    a = Assistant(config, embedder=HashEmbedder(), generator=FakeScorer("patrol"))
    a.ingest()
    page = Page(a)
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
                                                Session())[-1]
    assert notice == "" and "velmora.pdf" in sources and "47 patrol boats" in "".join(Parsed(sources).marks)


def test_settings_errors_are_shown_and_keep_the_old_settings(assistant: Assistant, tmp_path: Path) -> None:
    page = Page(assistant)
    session, notice = page.apply_settings(4, str(tmp_path / "missing.gguf"), "", Session())
    assert session.settings is None and "does not exist" in notice and "error" in notice
    session, notice = page.apply_settings(4, "gemma3-270m", "ftp://example", Session())
    assert session.settings is None and "must start with http" in notice
    session, notice = page.apply_settings(2, "", "http://127.0.0.1:9/v1", Session())
    assert session.settings == Settings(2, assistant.config.model, "http://127.0.0.1:9/v1")
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
    page = Page(assistant)
    runs = {TROOPS_Q: page.ask(TROOPS_Q, Session()), PARIS_Q: page.ask(PARIS_Q, Session())}
    last: dict[str, tuple] = {}  # type: ignore[type-arg]
    while runs:
        for question, run in list(runs.items()):  # alternate between the two sessions
            out = step_on_a_new_thread(run)
            if out is None:
                del runs[question]
            else:
                last[question] = out
    troops, paris = last[TROOPS_Q][4].turns[0].answer, last[PARIS_Q][4].turns[0].answer
    assert troops.question == TROOPS_Q and "26 countries" in troops.citations[0].quote
    assert paris.question == PARIS_Q and "35 heads of state" in paris.citations[0].quote


# ---- conversations: follow-ups resolved per session ------------------------------------------

TRAM = Path(__file__).resolve().parent / "data" / "tram"
VOSS_Q, VOSS_FOLLOW_UP = "Who cut the ribbon at the central station?", "What did she say about the line?"
BRANDT_Q, HADDAD_Q, HE_SAID = ("Who argued that the budget had doubled?",
                               "Who stressed that trams would run every six minutes?", "What did he say?")


@pytest.fixture(scope="module")
def tram_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tram-index")
    Assistant(Config(index_dir=folder, corpus_dir=TRAM), embedder=HashEmbedder()).ingest()
    return folder


@pytest.fixture
def tram(tram_index: Path) -> Assistant:
    """The default answer path (rerank with a scoring model) over tests/data/tram, with the real
    spaCy analyser, which follow-ups need. The fake model scores every passage alike (its favourite
    word is in none), so the fitted ranking alone picks the passages."""
    return Assistant(Config(index_dir=tram_index, corpus_dir=TRAM), embedder=HashEmbedder(),
                     generator=FakeScorer("(in no passage)"))


def conversation_of(page: Page, *questions: str, session: Session | None = None) -> tuple:  # type: ignore[type-arg]
    """The last outputs of asking `questions` one after another in one session."""
    out: tuple = (None, None, None, None, session or Session())  # type: ignore[type-arg]
    for question in questions:
        out = final_outputs(page, question, out[4])[-1]
    return out


def test_the_chosen_follow_ups_resolve_as_the_tests_expect(tram: Assistant) -> None:
    """The premise of the conversation tests (UI and browser): what the assistant makes of them."""
    from qa import Conversation

    for first, follow_up, expected in ((VOSS_Q, VOSS_FOLLOW_UP, "What did Clara Voss say about the line?"),
                                       (BRANDT_Q, HE_SAID, "What did Ivo Brandt say?"),
                                       (HADDAD_Q, HE_SAID, "What did Omar Haddad say?")):
        conversation = Conversation()
        tram.chat(conversation, first)
        assert tram.standalone(follow_up, conversation) == expected
    assert isinstance(tram.generator, FakeScorer) and tram.config.answer_style == "rerank"


def test_a_follow_up_is_answered_as_its_standalone_question_and_shows_it(tram: Assistant) -> None:
    page = Page(tram)
    chat, _, sources, notice, session = conversation_of(page, VOSS_Q, VOSS_FOLLOW_UP)
    assert notice == "" and len(session.turns) == 2
    first, second = (t.answer for t in session.turns)
    assert not first.rewrites and "Clara Voss" in first.text
    assert second.question == VOSS_FOLLOW_UP and second.answered_as == "What did Clara Voss say about the line?"
    assert second.rewrites and not second.abstained
    assert any("This line will change how people move" in c.quote for c in second.citations)
    scorer = tram.generator
    assert isinstance(scorer, FakeScorer) and scorer.scored  # the default path: the model scored passages

    questions = [Parsed(m["content"]) for m in chat if m["role"] == "user"]
    assert "Answered as" not in questions[0].text  # a question that needed no rewrite shows none
    assert questions[1].text == f"{VOSS_FOLLOW_UP}Answered as: What did Clara Voss say about the line?"
    assert 'href="#src-2-1"' in chat[3]["content"]
    assert "What did Clara Voss say about the line?</summary>" in sources  # the panel names it in full
    assert [t.question for t in session.conversation.turns] == [VOSS_Q, VOSS_FOLLOW_UP]


def test_answered_as_is_escaped(tram: Assistant) -> None:
    from dataclasses import replace

    from qa.ui.render import render_messages

    turn = conversation_of(Page(tram), VOSS_Q)[4].turns[0]
    forged = replace(turn.answer, standalone='What did <img src=x onerror="alert(1)"> say?', rewrites=("she -> x",))
    message = render_messages([Turn(forged, turn.excerpts)])[0]["content"]
    assert "<img" not in message and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in message
    assert Parsed(message).tags == {"div"}


def test_two_sessions_resolve_the_same_follow_up_against_their_own_first_question(tram: Assistant) -> None:
    page = Page(tram)
    brandt, haddad = Session(), Session()
    brandt = conversation_of(page, BRANDT_Q, session=brandt)[4]
    haddad = conversation_of(page, HADDAD_Q, session=haddad)[4]  # interleaved: each keeps its own
    brandt_out = conversation_of(page, HE_SAID, session=brandt)
    haddad_out = conversation_of(page, HE_SAID, session=haddad)
    assert brandt_out[4].turns[-1].answer.answered_as == "What did Ivo Brandt say?"
    assert haddad_out[4].turns[-1].answer.answered_as == "What did Omar Haddad say?"
    assert "Brandt" in brandt_out[4].turns[-1].answer.citations[0].quote
    assert "Haddad" in haddad_out[4].turns[-1].answer.citations[0].quote
    assert [t.answer.question for t in haddad_out[4].turns] == [HADDAD_Q, HE_SAID]


def test_a_new_conversation_forgets_the_context_but_keeps_the_options(tram: Assistant) -> None:
    page = Page(tram)
    session = conversation_of(page, VOSS_Q, session=Session(show_timings=True))[4]
    chat, sources, notice, fresh = page.new_conversation(session)
    assert chat == [] and "appear here" in sources and notice == ""
    assert fresh.turns == () and len(fresh.conversation) == 0 and fresh.show_timings
    assert len(session.turns) == 1  # the old value is untouched
    answer = conversation_of(page, VOSS_FOLLOW_UP, session=fresh)[4].turns[-1].answer
    assert not answer.rewrites and answer.answered_as == VOSS_FOLLOW_UP  # no "she" to resolve any more


# ---- settings: free on loopback, only the configured choices elsewhere -----------------------

@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.org", False), ("", False),
])
def test_only_loopback_addresses_count_as_local(host: str, loopback: bool) -> None:
    from qa.ui.choices import is_loopback

    assert is_loopback(host) is loopback


def test_on_loopback_any_model_path_or_server_may_be_tried(assistant: Assistant, tmp_path: Path) -> None:
    not_a_model = tmp_path / "notes.txt"
    not_a_model.write_text("not a model", encoding="utf-8")
    page = Page(assistant)  # a page on 127.0.0.1
    session, notice = page.apply_settings(4, str(not_a_model), "", Session())
    assert session.settings is None and "is not a .gguf file" in notice  # the path was looked at
    session, notice = page.apply_settings(3, "", "http://127.0.0.1:9/v1", Session())
    assert session.settings == Settings(3, assistant.config.model, "http://127.0.0.1:9/v1") and "Applied" in notice


def test_open_to_the_network_only_configured_models_and_servers_are_accepted(config: Config,
                                                                              tmp_path: Path) -> None:
    from qa.backends.gguf import BUNDLED_MODELS
    from qa.ui.choices import SettingsChoices

    configured = config.replace(server_url="http://127.0.0.1:9/v1")
    a = Assistant(configured, embedder=HashEmbedder(), generator=FakeScorer("troops"))
    a.ingest()
    choices = SettingsChoices.for_host("0.0.0.0", configured)
    assert not choices.free and choices.models == BUNDLED_MODELS and choices.servers == ("", configured.server_url)
    page = Page(a, choices)
    not_a_model = tmp_path / "notes.txt"
    not_a_model.write_text("not a model", encoding="utf-8")
    for model, server, refused in ((str(not_a_model), "", "Model"), ("/etc/passwd", "", "Model"),
                                   ("gemma3-270m", "http://169.254.169.254/v1", "Server"),
                                   ("gemma3-270m", "http://127.0.0.1:8080/v1", "Server")):
        session, notice = page.apply_settings(4, model, server, Session())
        assert session.settings is None and f"{refused} " in html.unescape(notice), notice
        assert "not offered on this page" in notice and "is not a .gguf file" not in notice
    session, notice = page.apply_settings(20, "gemma3-270m", configured.server_url, Session())
    assert session.settings is None and "between 1 and 10" in notice
    # what the configuration names is accepted (the server is reached lazily, so port 9 will do)
    session, notice = page.apply_settings(2, "smollm2-135m", configured.server_url, Session())
    assert session.settings == Settings(2, "smollm2-135m", configured.server_url) and "Applied" in notice


def test_the_configured_model_is_offered_even_when_it_is_a_path(config: Config) -> None:
    from qa.ui.choices import SettingsChoices

    choices = SettingsChoices.for_host("0.0.0.0", config.replace(model="/models/own.gguf"))
    assert choices.models[0] == "/models/own.gguf" and "gemma3-270m" in choices.models
    assert choices.servers == ("",)  # no server configured: none may be chosen


@pytest.mark.parametrize("host, kind", [("127.0.0.1", "textbox"), ("0.0.0.0", "dropdown")])
def test_the_settings_panel_offers_free_text_only_on_loopback(assistant: Assistant, host: str, kind: str) -> None:
    from qa.ui.app import build_app

    app = build_app(assistant, host)
    found = {b.elem_id: b for b in app.blocks.values() if getattr(b, "elem_id", None) in ("model", "server")}
    assert {b.get_block_name() for b in found.values()} == {kind}
    if kind == "dropdown":
        assert not found["model"].allow_custom_value and not found["server"].allow_custom_value
        assert [value for _, value in found["server"].choices] == [""]
        assert "gemma3-270m" in [value for _, value in found["model"].choices]


def test_the_page_style_and_script_are_package_files() -> None:
    import tomllib

    from qa.ui.app import static_text

    assert ".answered-as" in static_text("app.css") and "a.cite" in static_text("app.js")
    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    data = pyproject["tool"]["setuptools"]["package-data"]["qa"]
    assert {"ui/static/*.css", "ui/static/*.js"} <= set(data)
