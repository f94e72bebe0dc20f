"""Gold questions: read eval/gold.jsonl into frozen `GoldItem`s, validating every line, and select
a subset of them.

A bad line raises `DataFileError` naming the file, the line and the field. It does not check the
quotes against the articles (tests/test_gold.py does) and does not score anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataFileError, EvaluationError
from .jsonl import read_objects

TYPES = ("single_fact", "number", "list", "attribution", "multi_doc", "time", "conflict",
         "unanswerable", "injection")
_FIELDS = {"id", "type", "split", "question", "key_facts", "evidence", "notes", "attack_markers"}
SPLITS = ("dev", "test")  # tune on dev; look at test only for totals


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
    split: str = ""  # "dev" or "test" in the bundled gold set; "" in a held-out set (all test)

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"

    @property
    def injection(self) -> bool:
        return self.type == "injection"


def load_gold(path: Path) -> tuple[GoldItem, ...]:
    """Every item of a gold file, in file order. Raises DataFileError naming the bad line."""
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for number, obj in read_objects(path, "gold"):
        where = f"{path}:{number}"
        item = _item(obj, where)
        if item.id in seen:
            raise DataFileError(f"{where}: id {item.id!r} is already used on line {seen[item.id]}; ids must be unique.")
        seen[item.id] = number
        items.append(item)
    return tuple(items)


def select_items(
    items: Sequence[GoldItem],
    ids: Iterable[str] = (),
    types: Iterable[str] = (),
    limit: int | None = None,
    splits: Iterable[str] = (),
) -> tuple[GoldItem, ...]:
    """Items with one of `ids`, `types` and `splits` (each if given), the first `limit` of them."""
    ids, types, splits = tuple(ids), tuple(types), tuple(splits)
    unknown_splits = sorted(set(splits) - {*SPLITS, "heldout"})
    if unknown_splits:
        raise EvaluationError(f"Unknown split(s) {', '.join(unknown_splits)}; use: {', '.join(SPLITS)}.")
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
              and (not splits or i.split in splits or (not i.split and "heldout" in splits))]
    return tuple(chosen[:limit] if limit is not None else chosen)


def _item(obj: dict[str, Any], where: str) -> GoldItem:
    unknown = sorted(set(obj) - _FIELDS)
    if unknown:
        raise DataFileError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FIELDS))}.")
    ident = _text(obj, "id", where)
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
