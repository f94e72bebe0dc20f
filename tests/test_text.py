from __future__ import annotations

from pathlib import Path

import pytest

from qa.language.text import find_normalized, normalize, stem, tokens, words

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_normalize_keeps_every_offset(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    folded = normalize(text)
    assert len(folded) == len(text)
    assert "`" not in folded and "\u2019" not in folded and "\u201c" not in folded


def test_backtick_apostrophe_matches_plain_apostrophe() -> None:
    text = (CORPUS / "000_3c05940459aadc6b.txt").read_text(encoding="utf-8")
    at = find_normalized(text, "L'Antidiplomatico")
    assert at >= 0
    assert text[at:at + len("L'Antidiplomatico")] == "L`Antidiplomatico"


def test_curly_quotes_and_spacing_fold() -> None:
    hay = "He said \u201cIt\u2019s  not\nfor them\u201d today."
    at = find_normalized(hay, '"it\'s not for them"')
    assert at == hay.index("\u201c")
    assert find_normalized(hay, "for us") == -1
    assert find_normalized(hay, "   ") == -1


def test_words_drop_possessives_and_inner_apostrophes() -> None:
    assert words("Russia`s objection isn't new") == ["russia", "objection", "isnt", "new"]


def test_tokens_stem_and_drop_stopwords() -> None:
    assert tokens("The troops were deployed to the countries") == ["troop", "deploy", "country"]
    assert stem("guarantees") == "guarantee"
    assert stem("countries") == "country"
    assert stem("discuss") == "discuss"
