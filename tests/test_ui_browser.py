"""The web page in headless Chromium, driven by Playwright.

Most tests run `python ui.py` in a subprocess with the real embedder and model over an index built
from corpus/ in a temporary folder. The conversation tests serve the page in this process over
tests/data/tram with the fakes (a hashing embedder, a scoring model) and the real spaCy analyser,
which resolving follow-ups needs: the default answer path, quick enough for several turns. Every
wait is bounded. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pdfs import write_text_pdf

from qa.assistant import Assistant
from qa.config import Config

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]
TRAM = ROOT / "tests" / "data" / "tram"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUTTE_Q = "What did Rutte say about Russia's objection?"
RUTTE_QUOTES = ("not for them to decide", "Why should we care")
PARIS_Q = "How many heads of state and government took part in the Paris meeting?"
START_S = 180  # the server is up (it loads the embedder and reads the index first)
ANSWER_MS = 300_000  # one answer from the real model, with room for a busy 2-core machine
UI_MS = 30_000  # anything that needs no model

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytest.importorskip("gradio", reason="the ui extra is not installed (pip install -e '.[ui]')")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(index_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update(HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "ui.py"), "--port", str(port), "--index", str(index_dir)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"ui.py exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail(f"ui.py did not answer within {START_S} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("ui")
    Assistant(Config(index_dir=folder / "index", corpus_dir=ROOT / "corpus")).ingest()
    proc, url = start_server(folder / "index", folder / "server.log")
    yield url
    stop_server(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        yield chromium
        chromium.close()


def open_page(browser: Any, url: str) -> Any:
    """A page in its own browser context, so that it is a session of its own."""
    page = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    page.set_default_timeout(UI_MS)
    page.goto(url, timeout=60_000)
    page.wait_for_selector("#question textarea")
    # Remember whether a draft with text was ever on screen, however briefly.
    page.evaluate("""() => new MutationObserver(() => {
        if (document.querySelector('#chat .answer.draft .text')) window.sawDraft = true;
    }).observe(document.body, {subtree: true, childList: true, characterData: true})""")
    return page


def ask(page: Any, question: str) -> None:
    page.fill("#question textarea", question)
    page.click("#ask")


def wait_for_answer(page: Any, turn: int = 1) -> Any:
    """The verified answer of the `turn`-th question (not a draft)."""
    answers = page.locator("#chat .answer:not(.draft)")
    sync_api.expect(answers).to_have_count(turn, timeout=ANSWER_MS)
    return answers.nth(turn - 1)


def shot(page: Any, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_bad_questions_get_a_clear_message_and_the_page_stays_usable(server: str, browser: Any) -> None:
    page = open_page(browser, server)
    page.click("#ask")
    sync_api.expect(page.locator("#notice .notice.error")).to_contain_text("The question is empty")
    ask(page, "Why " + "x" * 19_996)
    sync_api.expect(page.locator("#notice .notice.error")).to_contain_text("20,000 characters long")
    shot(page, "ui-bad-question")
    assert page.locator("#chat .question").count() == 0  # nothing was added to the conversation
    assert page.input_value("#question textarea").startswith("Why xxx")  # the text is kept to edit

    ask(page, "What did Merz say at the meeting?")  # the page still answers, here by abstaining
    answer = wait_for_answer(page)
    sync_api.expect(answer).to_have_class("answer abstained")
    sync_api.expect(answer).to_contain_text("Not in the articles")
    sync_api.expect(page.locator("#notice .notice")).to_have_count(0)
    assert answer.locator("a.cite").count() == 0
    shot(page, "ui-abstention")
    page.context.close()


def test_answer_streams_then_its_citation_shows_the_quote_in_context(server: str, browser: Any) -> None:
    page = open_page(browser, server)
    ask(page, RUTTE_Q)
    sync_api.expect(page.locator("#chat .answer.draft")).to_be_visible(timeout=UI_MS)
    page.wait_for_function("document.querySelector('#chat .answer.draft .text') || "
                           "document.querySelector('#chat .answer:not(.draft)')", timeout=ANSWER_MS)
    if page.locator("#chat .answer.draft .text").count():
        shot(page, "ui-draft")
    answer = wait_for_answer(page)
    assert page.evaluate("window.sawDraft === true"), "no draft text was streamed before the answer"
    sync_api.expect(page.locator("#chat .answer.draft")).to_have_count(0)
    links = answer.locator("a.cite")
    assert links.count() >= 1
    shot(page, "ui-answer")

    cited = None
    for i in range(links.count()):  # the answer may cite other passages too; find Rutte's words
        target = links.nth(i).get_attribute("href")[1:]
        if any(q in page.locator(f"#{target} mark").inner_text() for q in RUTTE_QUOTES):
            cited, link = target, links.nth(i)
            break
    assert cited, "no citation highlights one of Rutte's quotes"

    ask(page, PARIS_Q)  # a second answer takes over the panel; the first one's sources fold away
    wait_for_answer(page, turn=2)
    card = page.locator(f"#{cited}")
    sync_api.expect(card).to_be_hidden()
    link.click()
    sync_api.expect(card).to_have_class("source flash")  # the script found the card (the flash lasts 2 s)
    sync_api.expect(card).to_be_visible()
    sync_api.expect(card).to_be_in_viewport(timeout=UI_MS)
    mark = card.locator("mark").inner_text()
    assert any(q in mark for q in RUTTE_QUOTES)
    context = card.locator("blockquote.context").inner_text()
    assert len(context) > len(mark) + 40 and mark in context  # the quote sits in its surrounding text
    shot(page, "ui-citation")

    page.get_by_text("Settings", exact=True).click()
    page.get_by_label("Show timings under each answer").check()
    sync_api.expect(answer.locator(".timings")).to_contain_text("total")
    shot(page, "ui-settings", full_page=True)
    page.context.close()


def test_uploaded_pdf_is_indexed_and_cited(server: str, browser: Any, tmp_path: Path) -> None:
    pdf = write_text_pdf(tmp_path / "velmora.pdf", ["The harbour of Port Velmora holds 47 patrol boats."])
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    page = open_page(browser, server)
    page.get_by_text("Add documents").click()
    page.locator("#upload input[type=file]").set_input_files([str(pdf), str(picture)])
    results = page.locator("#upload-results table.files")
    sync_api.expect(results).to_be_visible(timeout=120_000)
    sync_api.expect(results.locator("tr", has_text="velmora.pdf")).to_contain_text("added")
    sync_api.expect(results.locator("tr", has_text="photo.png")).to_contain_text("unsupported file type")
    sync_api.expect(page.locator("#index-status")).to_contain_text("6 documents")
    shot(page, "ui-upload", full_page=True)

    ask(page, "How many patrol boats does the harbour of Port Velmora hold?")
    answer = wait_for_answer(page)
    assert "47" in answer.locator(".text").inner_text()
    card = page.locator("#sources article.source", has_text="velmora.pdf")
    sync_api.expect(card).to_have_count(1)
    sync_api.expect(card.locator("mark")).to_contain_text("47 patrol boats")
    shot(page, "ui-upload-answer")
    page.context.close()


def test_two_sessions_asking_at_once_each_get_their_own_answer(server: str, browser: Any) -> None:
    first, second = open_page(browser, server), open_page(browser, server)
    first.fill("#question textarea", RUTTE_Q)
    second.fill("#question textarea", PARIS_Q)
    first.click("#ask")
    second.click("#ask")
    sync_api.expect(second.locator("#chat .answer.draft")).to_be_visible(timeout=UI_MS)  # both are in flight
    wait_for_answer(first)
    wait_for_answer(second)
    shot(first, "ui-session-1")
    shot(second, "ui-session-2")

    assert first.locator("#chat .question").all_inner_texts() == [RUTTE_Q]
    assert second.locator("#chat .question").all_inner_texts() == [PARIS_Q]
    first_marks = " ".join(first.locator("#sources mark").all_inner_texts())
    second_marks = " ".join(second.locator("#sources mark").all_inner_texts())
    assert any(q in first_marks for q in RUTTE_QUOTES), first_marks
    assert "35 heads of state" in second_marks, second_marks
    assert "Rutte" not in second_marks and "35 heads" not in first_marks
    first.context.close()
    second.context.close()


def test_question_before_any_index_exists_says_so(browser: Any, tmp_path: Path) -> None:
    proc, url = start_server(tmp_path / "no-index", tmp_path / "server.log")
    try:
        page = open_page(browser, url)
        sync_api.expect(page.locator("#index-status")).to_contain_text("No index yet")
        sync_api.expect(page.locator("#upload input[type=file]")).to_have_count(1)  # the upload panel is open
        ask(page, RUTTE_Q)
        notice = page.locator("#notice .notice.error")
        sync_api.expect(notice).to_contain_text("No index at", timeout=60_000)
        sync_api.expect(notice).to_contain_text("Add documents")
        assert page.input_value("#question textarea") == RUTTE_Q
        shot(page, "ui-no-index")
        page.context.close()
    finally:
        stop_server(proc)


# ---- conversations, over the fakes ------------------------------------------------------------

VOSS_Q, VOSS_FOLLOW_UP = "Who cut the ribbon at the central station?", "What did she say about the line?"
BRANDT_Q, HADDAD_Q, HE_SAID = ("Who argued that the budget had doubled?",
                               "Who stressed that trams would run every six minutes?", "What did he say?")


@pytest.fixture(scope="module")
def tram_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The page served in this process over tests/data/tram: rerank answers with a fake scoring
    model (its favourite word is in no passage, so the fitted ranking alone decides)."""
    from fakes import FakeScorer, HashEmbedder

    from qa.ui.app import serve

    folder = tmp_path_factory.mktemp("tram-ui")
    assistant = Assistant(Config(index_dir=folder / "index", corpus_dir=TRAM), embedder=HashEmbedder(),
                          generator=FakeScorer("(in no passage)"))
    assistant.ingest()
    port = free_port()
    app = serve(assistant, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def cited_marks(page: Any, answer: Any) -> list[str]:
    """The highlighted quotes that `answer`'s citation links point at."""
    targets = [link.get_attribute("href")[1:] for link in answer.locator("a.cite").all()]
    return [page.locator(f"#{target} mark").inner_text() for target in targets]


def test_a_follow_up_shows_what_it_was_answered_as_and_cites_its_answer(tram_server: str, browser: Any) -> None:
    page = open_page(browser, tram_server)
    ask(page, VOSS_Q)
    sync_api.expect(wait_for_answer(page)).to_contain_text("Clara Voss")
    sync_api.expect(page.locator("#chat .answered-as")).to_have_count(0)  # nothing to resolve yet
    ask(page, VOSS_FOLLOW_UP)
    answer = wait_for_answer(page, turn=2)
    answered_as = page.locator("#chat .answered-as")
    sync_api.expect(answered_as).to_have_count(1)
    sync_api.expect(answered_as).to_have_text("Answered as: What did Clara Voss say about the line?")
    assert page.locator("#chat .question").all_inner_texts() == [VOSS_Q, VOSS_FOLLOW_UP]
    marks = cited_marks(page, answer)
    assert any("This line will change how people move" in m for m in marks), marks
    sync_api.expect(page.locator("#sources details.turn[open] > summary")).to_have_text(
        "What did Clara Voss say about the line?")
    shot(page, "ui-follow-up")

    page.click("#new-conversation")  # clears the chat and the context
    sync_api.expect(page.locator("#chat .question")).to_have_count(0)
    sync_api.expect(page.locator("#sources .empty")).to_contain_text("appear here")
    ask(page, VOSS_FOLLOW_UP)
    wait_for_answer(page)
    sync_api.expect(page.locator("#chat .answered-as")).to_have_count(0)  # "she" refers to no one now

    page.reload()  # a reload is a new session, with no conversation either
    page.wait_for_selector("#question textarea")
    sync_api.expect(page.locator("#chat .question")).to_have_count(0)
    ask(page, VOSS_FOLLOW_UP)
    wait_for_answer(page)
    sync_api.expect(page.locator("#chat .answered-as")).to_have_count(0)
    page.context.close()


def test_two_sessions_resolve_the_same_follow_up_against_their_own_first_question(tram_server: str,
                                                                                 browser: Any) -> None:
    first, second = open_page(browser, tram_server), open_page(browser, tram_server)
    for page, question in ((first, BRANDT_Q), (second, HADDAD_Q)):
        page.fill("#question textarea", question)
    first.click("#ask")
    second.click("#ask")
    wait_for_answer(first)
    wait_for_answer(second)
    for page in (first, second):  # the same words in both, at the same time
        page.fill("#question textarea", HE_SAID)
    first.click("#ask")
    second.click("#ask")
    first_answer, second_answer = wait_for_answer(first, turn=2), wait_for_answer(second, turn=2)
    shot(first, "ui-follow-up-session-1")
    shot(second, "ui-follow-up-session-2")

    sync_api.expect(first.locator("#chat .answered-as")).to_have_text(["Answered as: What did Ivo Brandt say?"])
    sync_api.expect(second.locator("#chat .answered-as")).to_have_text(["Answered as: What did Omar Haddad say?"])
    assert first.locator("#chat .question").all_inner_texts() == [BRANDT_Q, HE_SAID]
    assert second.locator("#chat .question").all_inner_texts() == [HADDAD_Q, HE_SAID]
    first_marks, second_marks = cited_marks(first, first_answer), cited_marks(second, second_answer)
    assert first_marks and "Brandt" in first_marks[0], first_marks
    assert second_marks and "Haddad" in second_marks[0], second_marks
    assert not any("Haddad" in m for m in first_marks) and not any("Brandt" in m for m in second_marks)
    first.context.close()
    second.context.close()
