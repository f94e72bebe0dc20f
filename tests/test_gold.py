"""The hand-written evaluation files, read through `qa.eval.gold` (the one reader: it validates
every line's fields), then checked against the articles they are drawn from; and the reader's own
checks, each shown to reject a bad line."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qa.eval import DataFileError, EvaluationError
from qa.eval.gold import (
    FOLLOW_UPS,
    TURN_KINDS,
    GoldConversation,
    GoldItem,
    SupportPair,
    load_conversations,
    load_gold,
    load_support_pairs,
    select_items,
)
from qa.language.text import find_normalized

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "eval"
MIN_ITEMS = 80
MIN_UNANSWERABLE = 15
MIN_INJECTION = 5
MIN_PAIRS = 60
MIN_CONVERSATIONS = 20
RUTTE_QUESTION = "What did Rutte say about Russia's objection?"


def _read_docs(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


@pytest.fixture(scope="module")
def gold() -> tuple[GoldItem, ...]:
    return load_gold(EVAL_DIR / "gold.jsonl")


@pytest.fixture(scope="module")
def heldout() -> tuple[GoldItem, ...]:
    return load_gold(EVAL_DIR / "heldout" / "gold.jsonl")


@pytest.fixture(scope="module")
def tuning() -> tuple[GoldItem, ...]:
    return load_gold(EVAL_DIR / "tuning" / "gold.jsonl")


@pytest.fixture(scope="module")
def conversations() -> tuple[GoldConversation, ...]:
    return load_conversations(EVAL_DIR / "conversations.jsonl")


@pytest.fixture(scope="module")
def pairs() -> tuple[SupportPair, ...]:
    return load_support_pairs(EVAL_DIR / "support_pairs.jsonl")


@pytest.fixture(scope="module")
def articles() -> dict[str, dict[str, str]]:
    """The documents each set's quotes must come from: bundled (with the planted documents, which
    injection items may quote) and heldout."""
    bundled = _read_docs(ROOT / "corpus")
    assert bundled, "no articles in corpus/"
    planted = _read_docs(EVAL_DIR / "injection")
    assert planted, "no planted documents in eval/injection/"
    return {"bundled": bundled | planted, "heldout": _read_docs(EVAL_DIR / "heldout" / "corpus"),
            "tuning": _read_docs(EVAL_DIR / "tuning" / "corpus"), "planted": planted}


@pytest.fixture(scope="module")
def every_set(gold: tuple[GoldItem, ...], heldout: tuple[GoldItem, ...], tuning: tuple[GoldItem, ...],
              conversations: tuple[GoldConversation, ...]) -> list[tuple[str, str, GoldItem]]:
    """(set name, corpus, item) for every gold question and every conversation turn (as asked)."""
    out = [("gold", "bundled", i) for i in gold] + [("heldout", "heldout", i) for i in heldout]
    out += [("tuning", "tuning", i) for i in tuning]
    return out + [("conversations", c.corpus, t.item) for c in conversations for t in c.turns]


# --- the files' contents ----------------------------------------------------------------------


def test_gold_set_size_and_splits(gold: tuple[GoldItem, ...]) -> None:
    assert len(gold) >= MIN_ITEMS, f"only {len(gold)} gold items"
    kinds = Counter(i.type for i in gold)
    assert kinds["unanswerable"] >= MIN_UNANSWERABLE and kinds["injection"] >= MIN_INJECTION, kinds
    assert Counter(i.split for i in gold).keys() == {"dev", "test"}  # every bundled item has a split


@pytest.mark.parametrize("name", ["heldout", "tuning"])
def test_other_corpora_have_no_split(name: str, heldout: tuple[GoldItem, ...], tuning: tuple[GoldItem, ...]) -> None:
    items = heldout if name == "heldout" else tuning
    assert len(items) >= 50 and {i.split for i in items} == {""}
    assert sum(not i.answerable for i in items) >= 10


def test_tuning_corpus_shares_no_article_with_the_others(articles: dict[str, dict[str, str]]) -> None:
    """Fitting on the tuning corpus must not be fitting on the bundled or held-out articles."""
    tuning = set(articles["tuning"])
    assert len(tuning) >= 8 and not tuning & (set(articles["bundled"]) | set(articles["heldout"]))


@pytest.mark.parametrize("name", ["gold", "heldout", "tuning"])
def test_questions_unique(name: str, gold: tuple[GoldItem, ...], heldout: tuple[GoldItem, ...],
                          tuning: tuple[GoldItem, ...]) -> None:
    counts = Counter(i.question.strip().lower() for i in {"gold": gold, "heldout": heldout, "tuning": tuning}[name])
    assert not [q for q, n in counts.items() if n > 1]


def test_conversations_cover_every_kind(conversations: tuple[GoldConversation, ...]) -> None:
    assert len(conversations) >= MIN_CONVERSATIONS
    assert {c.corpus for c in conversations} == {"bundled", "tuning", "heldout"}
    for corpus in ("bundled", "tuning", "heldout"):  # each corpus's conversations have every kind of turn
        kinds = Counter(t.kind for c in conversations if c.corpus == corpus for t in c.turns)
        assert set(kinds) == set(TURN_KINDS), (corpus, kinds)
    assert all(len(c.turns) >= 2 for c in conversations)
    # a follow-up cannot be understood alone, so its standalone question says more than it
    same = [t.item.id for c in conversations for t in c.turns
            if t.kind in FOLLOW_UPS and t.standalone == t.item.question]
    assert not same


def test_planted_documents_carry_detectable_attacks(gold: tuple[GoldItem, ...],
                                                    articles: dict[str, dict[str, str]]) -> None:
    planted_text = "\n".join(articles["planted"].values())
    markers = {m for i in gold if i.injection for m in i.attack_markers}
    assert any(find_normalized(planted_text, m) != -1 for m in markers), "no marker in a planted document"


def test_evidence_quotes_found_in_their_documents(every_set: list[tuple[str, str, GoldItem]],
                                                  articles: dict[str, dict[str, str]]) -> None:
    problems = []
    for name, corpus, item in every_set:
        for e in item.evidence:
            text = articles[corpus].get(e.doc_id)
            if text is None:
                problems.append(f"{name} {item.id}: unknown doc_id {e.doc_id!r} in the {corpus} corpus")
            elif find_normalized(text, e.quote) == -1:
                problems.append(f"{name} {item.id}: quote not found in {e.doc_id}: {e.quote[:80]!r}")
    assert not problems, "\n".join(problems)


def test_each_key_fact_is_grounded_in_the_evidence(every_set: list[tuple[str, str, GoldItem]]) -> None:
    """At least one alias of every key fact occurs in the item's own evidence quotes."""
    problems = []
    for name, _, item in every_set:
        evidence_text = "\n".join(e.quote for e in item.evidence)
        for fact in item.key_facts:
            if not any(find_normalized(evidence_text, alias) != -1 for alias in fact):
                problems.append(f"{name} {item.id}: no alias of {list(fact)} in the evidence")
    assert not problems, "\n".join(problems)


def test_multi_document_and_conflict_items_cite_two_sources(every_set: list[tuple[str, str, GoldItem]]) -> None:
    """multi_doc items cite two articles; conflict items two quotes, from two articles in the
    bundled gold set (a held-out conflict may set organisers against police in one article)."""
    def articles(item: GoldItem) -> int:
        return len({e.doc_id for e in item.evidence})

    few = [f"{name} {i.id}" for name, _, i in every_set
           if (i.type == "multi_doc" or (i.type == "conflict" and name == "gold")) and articles(i) < 2
           or i.type == "conflict" and len(i.evidence) < 2]
    assert not few, few


def test_rutte_question_present(gold: tuple[GoldItem, ...]) -> None:
    matches = [i for i in gold if i.question == RUTTE_QUESTION]
    assert matches, f"missing question {RUTTE_QUESTION!r}"
    facts = [[alias.lower() for alias in fact] for fact in matches[0].key_facts]
    assert ["not for them to decide"] in facts
    assert ["why should we care what russia thinks"] in facts
    assert {"001", "004"} <= {e.doc_id[:3] for e in matches[0].evidence}


def test_support_pairs(pairs: tuple[SupportPair, ...], articles: dict[str, dict[str, str]]) -> None:
    assert len(pairs) >= MIN_PAIRS, f"only {len(pairs)} support pairs"
    assert {p.supported for p in pairs} == {True, False}
    assert all(p.why.strip() for p in pairs), "every label says why"
    missing = [p.id for p in pairs if not any(find_normalized(t, p.passage) != -1
                                              for t in articles["bundled"].values())]
    assert not missing, f"passages not found verbatim in any article: {missing}"


# --- the reader rejects bad lines, naming the line ----------------------------------------------

GOOD_ITEM: dict[str, Any] = {"id": "a", "type": "number", "split": "dev", "question": "How many?",
                             "key_facts": [["26", "twenty-six"]], "evidence": [{"doc_id": "d.txt", "quote": "26 came"}]}
GOOD_TURNS: list[dict[str, Any]] = [
    {"question": "How many came?", "standalone": "How many came?", "kind": "first", "type": "number",
     "key_facts": [["26"]], "evidence": [{"doc_id": "d.txt", "quote": "26 came"}]},
    {"question": "Who said so?", "standalone": "Who said 26 came?", "kind": "needs_answer", "type": "attribution",
     "key_facts": [["Ana"]], "evidence": [{"doc_id": "d.txt", "quote": "Ana said 26 came"}]},
]
GOOD_CONVERSATION: dict[str, Any] = {"id": "c1", "corpus": "bundled", "turns": GOOD_TURNS}
GOOD_PAIR: dict[str, Any] = {"id": "s1", "claim": "26 came", "passage": "Ana said 26 came.", "supported": True,
                             "why": "same figure"}
Edit = Callable[[dict[str, Any]], dict[str, Any]]


def _turn(n: int, **change: Any) -> Edit:
    return lambda c: c | {"turns": [t | change if i == n else t for i, t in enumerate(c["turns"])]}


BAD_LINES: list[tuple[str, Edit, str]] = [
    ("gold", lambda o: o | {"colour": "red"}, r":1: unknown field\(s\) colour"),
    ("gold", lambda o: o | {"type": "trivia"}, r":1: type 'trivia' is unknown"),
    ("gold", lambda o: o | {"question": " "}, r":1: field 'question' must be a non-empty string"),
    ("gold", lambda o: o | {"key_facts": [[]]}, r":1: key fact 0 must be a non-empty list"),
    ("gold", lambda o: o | {"key_facts": [["ok", 3]]}, r":1: key fact 0 must be a non-empty list of non-empty"),
    ("gold", lambda o: o | {"evidence": []}, r":1: a number item needs at least one key fact and one evidence"),
    ("gold", lambda o: o | {"evidence": ["26 came"]}, r":1: evidence 0 must be an object"),
    ("gold", lambda o: o | {"type": "unanswerable"}, r":1: an unanswerable item must have empty key_facts"),
    ("gold", lambda o: o | {"type": "injection"}, r":1: attack_markers belong on injection items"),
    ("gold", lambda o: o | {"attack_markers": ["pwned"]}, r":1: attack_markers belong on injection items"),
    ("gold", lambda o: o | {"split": "train"}, r":1: split 'train' is unknown"),
    ("conversations", lambda c: c | {"corpus": "other"}, r":1: corpus 'other' is unknown"),
    ("conversations", lambda c: c | {"turns": []}, r":1: a conversation needs at least one turn"),
    ("conversations", _turn(1, kind="later"), r":1: turn 2: kind 'later' is unknown"),
    ("conversations", _turn(0, kind="switch"), r":1: turn 1: the first turn, and only the first"),
    ("conversations", _turn(1, kind="first"), r":1: turn 2: the first turn, and only the first"),
    ("conversations", _turn(1, kind="unanswerable"), r":1: turn 2: kind 'unanswerable' goes with type"),
    ("conversations", _turn(1, kind="switch"), r":1: turn 2: a switch turn stands alone"),
    ("conversations", _turn(1, evidence=[]), r":1: turn 2: a attribution item needs at least one key fact"),
    ("conversations", _turn(1, speaker="Ana"), r":1: turn 2: unknown field\(s\) speaker"),
    ("support pairs", lambda p: p | {"supported": "yes"}, r":1: field 'supported' must be true or false"),
    ("support pairs", lambda p: p | {"claim": ""}, r":1: field 'claim' must be a non-empty string"),
]
READERS = {"gold": (load_gold, GOOD_ITEM), "conversations": (load_conversations, GOOD_CONVERSATION),
           "support pairs": (load_support_pairs, GOOD_PAIR)}


def _write(path: Path, *rows: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(("kind", "edit", "message"), BAD_LINES, ids=[f"{k}-{m[4:30]}" for k, _, m in BAD_LINES])
def test_the_reader_names_a_bad_line(kind: str, edit: Edit, message: str, tmp_path: Path) -> None:
    read, good = READERS[kind]
    assert read(_write(tmp_path / "good.jsonl", good))  # the good line is read as it is
    with pytest.raises(DataFileError, match=message):
        read(_write(tmp_path / "bad.jsonl", edit(good)))


@pytest.mark.parametrize("kind", list(READERS))
def test_every_reader_rejects_duplicate_ids_bad_json_and_empty_files(kind: str, tmp_path: Path) -> None:
    read, good = READERS[kind]
    with pytest.raises(DataFileError, match=r"dup\.jsonl:3: id .* is already used on line 1"):
        read(_write(tmp_path / "dup.jsonl", good, good | {"id": "zz"}, good))
    (tmp_path / "broken.jsonl").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"broken\.jsonl:2: not valid JSON"):
        read(tmp_path / "broken.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="holds no records"):
        read(tmp_path / "empty.jsonl")
    with pytest.raises(DataFileError, match="does not exist"):
        read(tmp_path / "missing.jsonl")


def test_conversation_turns_are_gold_items(tmp_path: Path) -> None:
    (conversation,) = load_conversations(_write(tmp_path / "c.jsonl", GOOD_CONVERSATION))
    first, follow = conversation.turns
    assert (first.item.id, follow.item.id) == ("c1.1", "c1.2")
    assert follow.follow_up and not first.follow_up
    assert follow.item.question == "Who said so?" and follow.item.key_facts == (("Ana",),)
    alone = follow.alone()
    assert (alone.id, alone.question, alone.key_facts) == ("c1.2.standalone", "Who said 26 came?", (("Ana",),))


def test_select_items(gold: tuple[GoldItem, ...]) -> None:
    assert len(select_items(gold, types=["unanswerable"], limit=3)) == 3
    dev = select_items(gold, splits=["dev"])
    assert dev and {i.split for i in dev} == {"dev"}
    with pytest.raises(EvaluationError, match="No gold item has id zz"):
        select_items(gold, ids=["zz"])
    with pytest.raises(EvaluationError, match=r"Unknown split\(s\) train"):
        select_items(gold, splits=["train"])
