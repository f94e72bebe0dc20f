"""Real embedder, real FAISS index, bundled corpus: the passage holding each answer is in the top 5.

The questions are written by hand; several use words other than the article's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Config
from qa.language.text import find_normalized

pytestmark = pytest.mark.e2e

# (question, a verbatim fragment of the passage that answers it)
QUESTIONS = [
    ("what did Rutte say about Russia's objection", "It's not for them to decide"),
    ("What did the NATO secretary general add about Russia's view?", "Why should we care what Russia thinks"),
    ("Who co-chaired the Paris summit?", "co-chaired by French President Emmanuel Macron and U.K. Prime Minister"),
    ("How many heads of state and government took part?", "35 heads of state and government"),
    ("Which leaders joined the talks remotely?", "participated in the talks via video link"),
    ("What did Putin call European soldiers sent to Ukraine?", "legitimate target"),
    ("Which Italian outlet commented on the troops?", "As noted by the Italian publication L`Antidiplomatico"),
    ("What share of Ukraine's weapons is made at home?", "About 60 percent of the weapons we use"),
    ("Who must approve a Dutch deployment?", "need for parliamentary approval"),
    ("Which EU countries still buy oil from Russia?", "only Slovakia and Hungary"),
    ("What did Lavrov say lasting peace requires?", "lasting peace would only be possible"),
    ("How long after the Alaska summit was the Paris meeting?", "Less than three weeks after the meeting"),
    ("Who is the US special envoy that went to Paris?", "Trump special envoy Steve Witkoff"),
    ("Which countries were hesitant to commit publicly?", "like Finland and Poland"),
    ("What did Trump urge Europeans to stop purchasing?", "cease purchasing Russian oil"),
    ("Who acknowledged that foreign peacekeepers might enter Ukraine?", "as acknowledged by the Russian State Duma"),
    ("Where did the Russian foreign ministry spokeswoman speak?", "said in Vladivostok"),
    ("Which two countries formally approved deploying troops?", "in France and Lithuania"),
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = Path(__file__).resolve().parents[1]
    cfg = Config(index_dir=tmp_path_factory.mktemp("e2e") / "index", corpus_dir=root / "corpus")
    a = Assistant(cfg)
    report = a.ingest()
    assert report.documents == 5
    return a


@pytest.mark.parametrize(("question", "fragment"), QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_answer_passage_in_top_five(assistant: Assistant, question: str, fragment: str) -> None:
    hits = assistant.search(question, k=5)
    assert len(hits) == 5
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert any(find_normalized(h.text, fragment) >= 0 for h in hits), [h.text[:80] for h in hits]
    docs = assistant.retriever.data.documents
    for h in hits:
        assert docs[h.doc_id].text[h.start:h.end] == h.text


def test_search_json_cli_prints_the_same_hits(assistant: Assistant, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from qa.cli import main

    code = main(["search", "Rutte Russia decide", "-k", "3", "--json",
                 "--index", str(assistant.config.index_dir)])
    hits = json.loads(capsys.readouterr().out)
    assert code == 0 and len(hits) == 3
    assert {"rank", "doc_id", "start", "end", "text", "score"} <= set(hits[0])
    assert hits == [json.loads(json.dumps(h.__dict__)) for h in assistant.search("Rutte Russia decide", k=3)]
