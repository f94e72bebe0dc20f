from __future__ import annotations

from pathlib import Path

import pytest

from qa.index.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def texts(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "The summit was co-chaired by U.K. Prime Minister Keir Starmer. Mr. Putin replied. Done."
    assert texts(text) == [
        "The summit was co-chaired by U.K. Prime Minister Keir Starmer.",
        "Mr. Putin replied.",
        "Done.",
    ]


def test_headings_are_their_own_segments() -> None:
    text = "First line of text.\nThe Warning Shot Heard Across Continents\nBody sentence one. Two."
    spans = split_sentences(text)
    assert [text[s.start:s.end] for s in spans if s.is_heading] == ["The Warning Shot Heard Across Continents"]
    assert [text[s.start:s.end] for s in spans if not s.is_heading] == [
        "First line of text.", "Body sentence one.", "Two."]


@pytest.mark.parametrize(("line", "heading"), [
    ("Why would Russia decide on Ukraine?", True),  # a sub-heading posed as a question
    ("Who will pay?", True),
    ('"Why should we care what Russia thinks about it?"', False),  # a quotation
    ("He asked why. Would Russia decide on Ukraine?", False),  # more than one sentence
    ("Is it a long paragraph that simply ends with a question mark after a great many words here?", False),
])
def test_a_lone_short_question_line_is_a_heading(line: str, heading: bool) -> None:
    text = f"Body sentence.\n{line}\nNext paragraph."
    assert [s.is_heading for s in split_sentences(text)][1] is heading


def test_quote_glued_to_full_stop_opens_next_sentence() -> None:
    text = 'Rutte said Russia would not decide."Why should we care what Russia thinks about it?" he added.'
    assert texts(text) == [
        "Rutte said Russia would not decide.",
        '"Why should we care what Russia thinks about it?" he added.',
    ]


def test_question_in_quotes_stays_with_its_speaker() -> None:
    text = "\u201cWhat are they thinking?\u201d L`Antidiplomatico reportedly mused, capturing it. Next one."
    assert texts(text) == [
        "\u201cWhat are they thinking?\u201d L`Antidiplomatico reportedly mused, capturing it.",
        "Next one.",
    ]


def test_sentence_inside_quotation_is_not_split_at_ellipsis_marker() -> None:
    text = "It said \u201cthis is unacceptable. <\u2026> It is obvious.\u201d This follows."
    assert texts(text)[0] == "It said \u201cthis is unacceptable. <\u2026> It is obvious.\u201d"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_spans_are_exact_ordered_and_stripped(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    spans = split_sentences(text)
    assert spans, "every article has sentences"
    previous_end = 0
    for span in spans:
        piece = text[span.start:span.end]
        assert piece == piece.strip() and piece
        assert "\n" not in piece
        assert span.start >= previous_end
        previous_end = span.end
