"""Validate the hand-written evaluation data in eval/ against the articles it is drawn from."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from qa.language.text import find_normalized

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "corpus"
EVAL_DIR = ROOT / "eval"
INJECTION_DIR = EVAL_DIR / "injection"
GOLD_PATH = EVAL_DIR / "gold.jsonl"
PAIRS_PATH = EVAL_DIR / "support_pairs.jsonl"

TYPES = frozenset(
    {
        "single_fact",
        "number",
        "list",
        "attribution",
        "multi_doc",
        "time",
        "conflict",
        "unanswerable",
        "injection",
    }
)
MIN_ITEMS = 80
MIN_UNANSWERABLE = 15
MIN_INJECTION = 5
MIN_PAIRS = 60
RUTTE_QUESTION = "What did Rutte say about Russia's objection?"


def _load_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - reported as a failure
            raise AssertionError(f"{path.name}:{number}: invalid JSON: {exc}") from exc
        assert isinstance(row, dict), f"{path.name}:{number}: not a JSON object"
        rows.append(row)
    return rows


def _read_docs(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    assert GOLD_PATH.is_file(), f"missing {GOLD_PATH}"
    return _load_jsonl(GOLD_PATH)


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    assert PAIRS_PATH.is_file(), f"missing {PAIRS_PATH}"
    return _load_jsonl(PAIRS_PATH)


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    docs = _read_docs(CORPUS_DIR)
    assert docs, f"no articles in {CORPUS_DIR}"
    return docs


@pytest.fixture(scope="module")
def planted() -> dict[str, str]:
    return _read_docs(INJECTION_DIR) if INJECTION_DIR.is_dir() else {}


def _answerable(item: dict) -> bool:
    return item["type"] != "unanswerable"


# --- gold.jsonl -----------------------------------------------------------------------------


def test_gold_has_enough_items(gold):
    assert len(gold) >= MIN_ITEMS, f"only {len(gold)} gold items"


def test_gold_required_fields(gold):
    problems = []
    for item in gold:
        ident = item.get("id", "<no id>")
        for field, kind in (
            ("id", str),
            ("type", str),
            ("question", str),
            ("key_facts", list),
            ("evidence", list),
        ):
            if not isinstance(item.get(field), kind):
                problems.append(f"{ident}: field {field!r} missing or not {kind.__name__}")
        if isinstance(item.get("question"), str) and not item["question"].strip():
            problems.append(f"{ident}: empty question")
        if "notes" in item and not isinstance(item["notes"], str):
            problems.append(f"{ident}: notes is not a string")
    assert not problems, "\n".join(problems)


def test_gold_ids_unique(gold):
    counts = Counter(item["id"] for item in gold)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    assert not duplicates, f"duplicate ids: {duplicates}"


def test_gold_questions_unique(gold):
    counts = Counter(item["question"].strip().lower() for item in gold)
    duplicates = sorted(q for q, n in counts.items() if n > 1)
    assert not duplicates, f"duplicate questions: {duplicates}"


def test_gold_types_known(gold):
    unknown = sorted({item["type"] for item in gold} - TYPES)
    assert not unknown, f"unknown types: {unknown}"


def test_every_key_fact_alias_list_non_empty(gold):
    problems = []
    for item in gold:
        for index, fact in enumerate(item["key_facts"]):
            if not isinstance(fact, list) or not fact:
                problems.append(f"{item['id']}: key fact {index} is not a non-empty list")
            elif not all(isinstance(alias, str) and alias.strip() for alias in fact):
                problems.append(f"{item['id']}: key fact {index} has an empty or non-string alias")
    assert not problems, "\n".join(problems)


def test_answerable_items_have_facts_and_evidence(gold):
    problems = []
    for item in gold:
        if not _answerable(item):
            continue
        if not item["key_facts"]:
            problems.append(f"{item['id']}: no key facts")
        if not item["evidence"]:
            problems.append(f"{item['id']}: no evidence")
    assert not problems, "\n".join(problems)


def test_unanswerable_items(gold):
    unanswerable = [item for item in gold if item["type"] == "unanswerable"]
    assert len(unanswerable) >= MIN_UNANSWERABLE, f"only {len(unanswerable)} unanswerable items"
    bad = [item["id"] for item in unanswerable if item["key_facts"] or item["evidence"]]
    assert not bad, f"unanswerable items with key facts or evidence: {bad}"


def test_injection_items(gold, planted):
    injection = [item for item in gold if item["type"] == "injection"]
    assert len(injection) >= MIN_INJECTION, f"only {len(injection)} injection items"
    problems = []
    for item in injection:
        markers = item.get("attack_markers")
        if not isinstance(markers, list) or not markers:
            problems.append(f"{item['id']}: attack_markers missing or empty")
        elif not all(isinstance(m, str) and m.strip() for m in markers):
            problems.append(f"{item['id']}: empty or non-string attack marker")
    assert not problems, "\n".join(problems)
    assert planted, f"no planted documents in {INJECTION_DIR}"


def test_attack_markers_only_on_injection_items(gold):
    stray = [item["id"] for item in gold if "attack_markers" in item and item["type"] != "injection"]
    assert not stray, f"attack_markers on non-injection items: {stray}"


def test_planted_documents_carry_detectable_attacks(gold, planted):
    planted_text = "\n".join(planted.values())
    markers = {m for item in gold if item["type"] == "injection" for m in item["attack_markers"]}
    present = [m for m in markers if find_normalized(planted_text, m) != -1]
    assert present, "no attack marker appears in any planted document"


def test_evidence_quotes_found_in_their_documents(gold, corpus, planted):
    problems = []
    for item in gold:
        for index, evidence in enumerate(item["evidence"]):
            if not isinstance(evidence, dict):
                problems.append(f"{item['id']}: evidence {index} is not an object")
                continue
            doc_id = evidence.get("doc_id")
            quote = evidence.get("quote")
            if not isinstance(quote, str) or not quote.strip():
                problems.append(f"{item['id']}: evidence {index} has an empty quote")
                continue
            text = corpus.get(doc_id)
            if text is None:
                text = planted.get(doc_id)
            if text is None:
                problems.append(f"{item['id']}: unknown doc_id {doc_id!r}")
            elif find_normalized(text, quote) == -1:
                problems.append(f"{item['id']}: quote not found in {doc_id}: {quote[:80]!r}")
    assert not problems, "\n".join(problems)


def test_each_key_fact_is_grounded_in_the_evidence(gold):
    """At least one alias of every key fact occurs in the item's own evidence quotes."""
    problems = []
    for item in gold:
        if not _answerable(item):
            continue
        evidence_text = "\n".join(e["quote"] for e in item["evidence"])
        for fact in item["key_facts"]:
            if not any(find_normalized(evidence_text, alias) != -1 for alias in fact):
                problems.append(f"{item['id']}: no alias of {fact} in the evidence")
    assert not problems, "\n".join(problems)


def test_multi_document_items_cite_two_articles(gold):
    problems = []
    for item in gold:
        if item["type"] in ("multi_doc", "conflict"):
            docs = {e["doc_id"] for e in item["evidence"]}
            if len(docs) < 2:
                problems.append(f"{item['id']}: evidence from {len(docs)} article(s)")
    assert not problems, "\n".join(problems)


def test_rutte_question_present(gold):
    matches = [item for item in gold if item["question"] == RUTTE_QUESTION]
    assert matches, f"missing question {RUTTE_QUESTION!r}"
    item = matches[0]
    facts = [[alias.lower() for alias in fact] for fact in item["key_facts"]]
    assert ["not for them to decide"] in facts
    assert ["why should we care what russia thinks"] in facts
    docs = {e["doc_id"][:3] for e in item["evidence"]}
    assert {"001", "004"} <= docs


# --- support_pairs.jsonl --------------------------------------------------------------------


def test_support_pairs_count_and_labels(pairs):
    assert len(pairs) >= MIN_PAIRS, f"only {len(pairs)} support pairs"
    labels = {pair.get("supported") for pair in pairs}
    assert labels == {True, False}, f"labels present: {labels}"


def test_support_pairs_fields(pairs):
    problems = []
    for pair in pairs:
        ident = pair.get("id", "<no id>")
        for field in ("id", "claim", "passage", "why"):
            if not isinstance(pair.get(field), str) or not pair[field].strip():
                problems.append(f"{ident}: field {field!r} missing or empty")
        if not isinstance(pair.get("supported"), bool):
            problems.append(f"{ident}: 'supported' is not a boolean")
    assert not problems, "\n".join(problems)
    counts = Counter(pair["id"] for pair in pairs)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    assert not duplicates, f"duplicate pair ids: {duplicates}"


def test_support_pair_passages_are_verbatim(pairs, corpus):
    missing = [
        pair["id"]
        for pair in pairs
        if not any(find_normalized(text, pair["passage"]) != -1 for text in corpus.values())
    ]
    assert not missing, f"passages not found verbatim in any article: {missing}"
