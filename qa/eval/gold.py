"""Every hand-written evaluation file, read and validated in one place, line by line:

- gold questions (eval/gold.jsonl, split into dev and test; eval/heldout/gold.jsonl) -> `GoldItem`;
- conversations (eval/conversations.jsonl) -> `GoldConversation`, whose turns are validated as
  gold items too (the question as asked, its key facts and evidence) plus their kind and the
  standalone question they stand for;
- labelled (claim, passage) pairs for the support judge (eval/support_pairs.jsonl) -> `SupportPair`.

A bad line raises `DataFileError` naming the file, the line and the field. It also selects items
(`select_items`). It does not check quotes against the articles (tests/test_gold.py does) and
scores nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import DataFileError, EvaluationError

TYPES = ("single_fact", "number", "list", "attribution", "multi_doc", "time", "conflict",
         "unanswerable", "injection")
SPLITS = ("dev", "test")  # tune on dev; look at test only for totals
TURN_KINDS = ("first", "needs_question", "needs_answer", "switch", "unanswerable")
FOLLOW_UPS = ("needs_question", "needs_answer")  # turns that need an earlier one to be understood
CORPORA = ("bundled", "tuning", "heldout")  # where a conversation is asked
OTHER_CORPORA = ("tuning", "heldout")  # corpora beside the bundled one, each with its own gold.jsonl
REPORTED_SPLITS = ("dev", "tuning", "test", "heldout")  # in report order: tuned on, then not
_ITEM_FIELDS = {"id", "type", "split", "question", "key_facts", "evidence", "notes", "attack_markers"}
_TURN_FIELDS = {"question", "standalone", "kind", "type", "key_facts", "evidence"}


@dataclass(frozen=True)
class GoldEvidence:
    """A verbatim (after `qa.language.text.normalize`) quote of document `doc_id` that answers the question."""

    doc_id: str
    quote: str


@dataclass(frozen=True)
class GoldItem:
    id: str
    type: str  # one of TYPES
    question: str
    key_facts: tuple[tuple[str, ...], ...]  # each fact: the aliases that count as stating it
    evidence: tuple[GoldEvidence, ...]
    notes: str = ""
    attack_markers: tuple[str, ...] = ()  # injection items: text that shows the attack worked
    split: str = ""  # "dev" or "test" in the bundled gold set; "" in a held-out set or a conversation

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def injection(self) -> bool:
        return self.type == "injection"


@dataclass(frozen=True)
class GoldTurn:
    kind: str  # one of TURN_KINDS
    standalone: str  # the question as it would be asked with no conversation before it
    item: GoldItem  # id "<conversation>.<turn>", the question as asked in the conversation

    @property
    def follow_up(self) -> bool:
        return self.kind in FOLLOW_UPS

    def alone(self) -> GoldItem:
        """The same gold question asked as its standalone text, with no history."""
        return replace(self.item, id=f"{self.item.id}.standalone", question=self.standalone)


@dataclass(frozen=True)
class GoldConversation:
    id: str
    corpus: str  # "bundled" (corpus/), "tuning" (eval/tuning/corpus/) or "heldout" (eval/heldout/corpus/)
    turns: tuple[GoldTurn, ...]


@dataclass(frozen=True)
class SupportPair:
    id: str
    claim: str
    passage: str
    supported: bool  # the hand label
    why: str = ""


def read_jsonl(path: Path, what: str) -> list[tuple[int, dict[str, Any]]]:
    """Every non-blank line of `path` as (line number, JSON object); `what` names the file in errors."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataFileError(
            f"The {what} file {path} does not exist; run from the project root or pass its path."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"The {what} file {path} cannot be read ({exc}); save it as UTF-8 text.") from None
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(
                f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove that line."
            ) from None
        if not isinstance(obj, dict):
            raise DataFileError(f"{path}:{number}: expected one JSON object per line, got {type(obj).__name__}.")
        rows.append((number, obj))
    if not rows:
        raise DataFileError(f"The {what} file {path} holds no records; add at least one JSON line.")
    return rows


def load_gold(path: Path) -> tuple[GoldItem, ...]:
    """Every item of a gold file, in file order. Raises DataFileError naming the bad line."""
    rows = [(number, _gold_line(obj, f"{path}:{number}")) for number, obj in read_jsonl(path, "gold")]
    _unique([(item.id, number) for number, item in rows], path)
    return tuple(item for _, item in rows)


def load_conversations(path: Path) -> tuple[GoldConversation, ...]:
    """Every conversation of a conversations file, in file order; each turn a validated gold item."""
    rows = [(number, _conversation(obj, f"{path}:{number}")) for number, obj in read_jsonl(path, "conversations")]
    _unique([(c.id, number) for number, c in rows], path)
    return tuple(c for _, c in rows)


def load_support_pairs(path: Path) -> tuple[SupportPair, ...]:
    """The hand-labelled (claim, passage) pairs the support judge is calibrated on."""
    rows = [(number, _pair(obj, f"{path}:{number}")) for number, obj in read_jsonl(path, "support pairs")]
    _unique([(p.id, number) for number, p in rows], path)
    return tuple(p for _, p in rows)


def select_items(
    items: Sequence[GoldItem],
    ids: Iterable[str] = (),
    types: Iterable[str] = (),
    limit: int | None = None,
    splits: Iterable[str] = (),
) -> tuple[GoldItem, ...]:
    """Items with one of `ids`, `types` and `splits` (each if given), the first `limit` of them."""
    ids, types, splits = tuple(ids), tuple(types), tuple(splits)
    unknown_splits = sorted(set(splits) - {*SPLITS, *OTHER_CORPORA})
    if unknown_splits:
        raise EvaluationError(f"Unknown split(s) {', '.join(unknown_splits)}; use: "
                              f"{', '.join((*SPLITS, *OTHER_CORPORA))}.")
    unknown_types = sorted(set(types) - set(TYPES))
    if unknown_types:
        raise EvaluationError(f"Unknown question type(s) {', '.join(unknown_types)}; use: {', '.join(TYPES)}.")
    known = {item.id for item in items}
    unknown_ids = [i for i in ids if i not in known]
    if unknown_ids:
        raise EvaluationError(f"No gold item has id {', '.join(unknown_ids)}; check the ids in the gold file.")
    if limit is not None and limit <= 0:
        raise EvaluationError(f"--limit must be a positive number of items, got {limit}.")
    chosen = [i for i in items if (not ids or i.id in ids) and (not types or i.type in types)
              and (not splits or i.split in splits)]
    return tuple(chosen[:limit] if limit is not None else chosen)


def _gold_line(obj: dict[str, Any], where: str) -> GoldItem:
    _known_fields(obj, _ITEM_FIELDS, where)
    return _item(obj, _text(obj, "id", where), where)


def _conversation(obj: dict[str, Any], where: str) -> GoldConversation:
    _known_fields(obj, {"id", "corpus", "turns"}, where)
    ident = _text(obj, "id", where)
    corpus = _text(obj, "corpus", where)
    if corpus not in CORPORA:
        raise DataFileError(f"{where}: corpus {corpus!r} is unknown; use one of {', '.join(CORPORA)}.")
    turns = _list(obj, "turns", where)
    if not turns:
        raise DataFileError(f"{where}: a conversation needs at least one turn.")
    return GoldConversation(ident, corpus, tuple(_turn(t, f"{ident}.{n}", f"{where}: turn {n}")
                                                 for n, t in enumerate(turns, start=1)))


def _pair(obj: dict[str, Any], where: str) -> SupportPair:
    ident, claim, passage = _text(obj, "id", where), _text(obj, "claim", where), _text(obj, "passage", where)
    if not isinstance(obj.get("supported"), bool):
        raise DataFileError(f"{where}: field 'supported' must be true or false.")
    return SupportPair(ident, claim, passage, obj["supported"], str(obj.get("why", "")))


def _item(obj: dict[str, Any], ident: str, where: str) -> GoldItem:
    kind = _text(obj, "type", where)
    if kind not in TYPES:
        raise DataFileError(f"{where}: type {kind!r} is unknown; use one of {', '.join(TYPES)}.")
    facts = tuple(_strings(fact, f"{where}: key fact {n}") for n, fact in enumerate(_list(obj, "key_facts", where)))
    evidence = tuple(_evidence(e, f"{where}: evidence {n}") for n, e in enumerate(_list(obj, "evidence", where)))
    notes = obj.get("notes", "")
    if not isinstance(notes, str):
        raise DataFileError(f"{where}: 'notes' must be a string.")
    markers = _strings(obj["attack_markers"], f"{where}: attack_markers") if "attack_markers" in obj else ()
    if kind == "unanswerable" and (facts or evidence):
        raise DataFileError(f"{where}: an unanswerable item must have empty key_facts and evidence.")
    if kind != "unanswerable" and not (facts and evidence):
        raise DataFileError(f"{where}: a {kind} item needs at least one key fact and one evidence quote.")
    if (kind == "injection") != bool(markers):
        raise DataFileError(f"{where}: attack_markers belong on injection items, and every injection item needs them.")
    split = obj.get("split", "")
    if split not in ("", *SPLITS):
        raise DataFileError(f"{where}: split {split!r} is unknown; use one of {', '.join(SPLITS)}.")
    return GoldItem(ident, kind, _text(obj, "question", where), facts, evidence, notes, markers, split)


def _turn(obj: Any, ident: str, where: str) -> GoldTurn:
    if not isinstance(obj, dict):
        raise DataFileError(f"{where} must be an object with {', '.join(sorted(_TURN_FIELDS))}.")
    _known_fields(obj, _TURN_FIELDS, where)
    kind = _text(obj, "kind", where)
    if kind not in TURN_KINDS:
        raise DataFileError(f"{where}: kind {kind!r} is unknown; use one of {', '.join(TURN_KINDS)}.")
    item = _item(obj, ident, where)
    standalone = _text(obj, "standalone", where)
    first = ident.endswith(".1")
    if (kind == "first") != first:
        raise DataFileError(f"{where}: the first turn, and only the first, has kind 'first'.")
    if (kind == "unanswerable") != (item.type == "unanswerable"):
        raise DataFileError(f"{where}: kind 'unanswerable' goes with type 'unanswerable', and only with it.")
    if kind in ("first", "switch") and standalone != item.question:
        raise DataFileError(f"{where}: a {kind} turn stands alone, so its standalone must equal its question.")
    return GoldTurn(kind, standalone, item)


def _known_fields(obj: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise DataFileError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}.")


def _unique(ids: list[tuple[str, int]], path: Path) -> None:
    seen: dict[str, int] = {}
    for ident, number in ids:
        if ident in seen:
            raise DataFileError(f"{path}:{number}: id {ident!r} is already used on line {seen[ident]}; "
                                "ids must be unique.")
        seen[ident] = number


def _text(obj: dict[str, Any], field: str, where: str) -> str:
    value = obj.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}: field {field!r} must be a non-empty string.")
    return value


def _list(obj: dict[str, Any], field: str, where: str) -> list[Any]:
    value = obj.get(field)
    if not isinstance(value, list):
        raise DataFileError(f"{where}: field {field!r} must be a list (empty for unanswerable items).")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(f"{where} must be a non-empty list of non-empty strings.")
    return tuple(value)


def _evidence(value: Any, where: str) -> GoldEvidence:
    if not isinstance(value, dict):
        raise DataFileError(f"{where} must be an object with 'doc_id' and 'quote'.")
    return GoldEvidence(_text(value, "doc_id", where), _text(value, "quote", where))
