"""Compare two runs: the change in every metric, paired per-question changes (key facts gained or
lost, abstentions started or stopped) over the items both runs share, and a chart of the two.

It reads report.json files back (`read_report`, only the parts a comparison needs) and judges
nothing about significance beyond saying which direction is better for each metric; the chart's
95% intervals show how far apart the runs really are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import DataFileError
from .metrics import METRICS, Rate
from .report import SCHEMA, Bars, Panel, write_chart

# conversation rates over all conversations ("all" in report.json), when a report has them
CONVERSATION_METRICS = (("followup_recall", "conv: follow-up key-fact recall"),
                        ("standalone_recall", "conv: same, asked standalone"),
                        ("recall_ratio", "conv: follow-up / standalone"),
                        ("switch_as_asked", "conv: switches answered as asked"),
                        ("unanswerable_abstain", "conv: unanswerable abstained"))
_LABELS = {name: label for name, label, _ in METRICS} | {
    "latency_p50_ms": "latency p50 (ms)", "latency_p95_ms": "latency p95 (ms)"} | {
    f"conversations_{name}": label for name, label in CONVERSATION_METRICS}
LOWER_IS_BETTER = {name for name, _, lower in METRICS if lower} | {"latency_p50_ms", "latency_p95_ms"}
NEUTRAL = {"median_words"}  # a shorter answer is neither better nor worse by itself
CHARTED = ("key_fact_recall", "all_facts", "recall_at_5", "correct_abstain", "false_abstain", "hallucination",
           "citation_validity", "quote_fidelity")  # the headline rates the comparison chart draws
_SHOWN_UNPAIRED = 10


@dataclass(frozen=True)
class StoredItem:
    id: str
    type: str
    abstained: bool
    facts_found: tuple[str, ...]
    facts_missing: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class StoredReport:
    path: Path
    label: str
    metrics: dict[str, float | None]  # name -> value, plus latency and conversation values
    rates: dict[str, Rate]  # every headline rate with its interval
    by_type: dict[str, dict[str, float | None]]
    type_recall: dict[str, Rate]  # key-fact recall per question type
    items: tuple[StoredItem, ...]


@dataclass(frozen=True)
class MetricDelta:
    name: str
    old: float | None
    new: float | None

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def verdict(self) -> str:
        """"better", "worse", "same" or "" (not comparable, or no better direction)."""
        if self.delta is None or self.name in NEUTRAL:
            return ""
        if abs(self.delta) < 1e-9:
            return "same"
        return "better" if (self.delta < 0) == (self.name in LOWER_IS_BETTER) else "worse"


@dataclass(frozen=True)
class ItemChange:
    id: str
    type: str
    gained: tuple[str, ...]  # key facts found now, missed before
    lost: tuple[str, ...]  # key facts found before, missed now
    abstain: str  # "", "now abstains" or "no longer abstains"


@dataclass(frozen=True)
class Comparison:
    old: str  # the reports' paths
    new: str
    old_label: str
    new_label: str
    metrics: tuple[MetricDelta, ...]
    changes: tuple[ItemChange, ...]  # only items that changed
    paired: int  # items in both reports
    only_old: tuple[str, ...]
    only_new: tuple[str, ...]


def read_report(path: Path) -> StoredReport:
    """Read a report.json (or the run folder holding one)."""
    path = path / "report.json" if path.is_dir() else path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(
            f"Report {path} does not exist; pass the report.json of an earlier `qa eval` run."
        ) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(
            f"Report {path} cannot be read as JSON ({exc}); pass a report.json from `qa eval`."
        ) from None
    try:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema {data.get('schema')!r}, expected {SCHEMA}")
        metrics = _values(data["metrics"])
        metrics["latency_p50_ms"] = data["latency"]["total_ms"]["p50"]
        metrics["latency_p95_ms"] = data["latency"]["total_ms"]["p95"]
        talk = data.get("conversations", {}).get("all")  # older reports have none
        for name, _ in CONVERSATION_METRICS if talk else ():
            value = talk[name]
            metrics[f"conversations_{name}"] = value["value"] if isinstance(value, dict) else value
        items = tuple(StoredItem(r["id"], r["type"], bool(r["abstained"]), tuple(r["facts_found"]),
                                 tuple(r["facts_missing"]), r["answer"]) for r in data["items"])
        rates = {n: _rate(data["metrics"][n]) for n, _, _ in METRICS if isinstance(data["metrics"][n], dict)}
        return StoredReport(path, str(data["label"]), metrics, rates,
                            {t: _values(m) for t, m in data["by_type"].items()},
                            {t: _rate(m["key_fact_recall"]) for t, m in data["by_type"].items()}, items)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(
            f"Report {path} is not a report.json written by this version of `qa eval` ({exc!r}); "
            "re-run the evaluation to get one."
        ) from None


def compare_files(old: Path, new: Path) -> Comparison:
    return compare_reports(read_report(old), read_report(new))


def compare_reports(old: StoredReport, new: StoredReport) -> Comparison:
    names = [n for n in _LABELS if not n.startswith("conversations_") or n in old.metrics or n in new.metrics]
    deltas = tuple(MetricDelta(name, old.metrics.get(name), new.metrics.get(name)) for name in names)
    old_items = {i.id: i for i in old.items}
    new_items = {i.id: i for i in new.items}
    changes = []
    for item_id, after in new_items.items():
        before = old_items.get(item_id)
        if before is None:
            continue
        gained = tuple(f for f in after.facts_found if f not in before.facts_found)
        lost = tuple(f for f in before.facts_found if f not in after.facts_found)
        abstain = ("" if before.abstained == after.abstained
                   else "now abstains" if after.abstained else "no longer abstains")
        if gained or lost or abstain:
            changes.append(ItemChange(item_id, after.type, gained, lost, abstain))
    return Comparison(
        old=str(old.path), new=str(new.path), old_label=old.label, new_label=new.label,
        metrics=deltas, changes=tuple(changes),
        paired=len(old_items.keys() & new_items.keys()),
        only_old=tuple(i for i in old_items if i not in new_items),
        only_new=tuple(i for i in new_items if i not in old_items),
    )


def format_comparison(comparison: Comparison) -> str:
    c = comparison
    lines = [f"old: {c.old_label} ({c.old})", f"new: {c.new_label} ({c.new})", "",
             f"{'metric':<34}{'old':>10}{'new':>10}{'change':>10}"]
    for d in c.metrics:
        change = "" if d.delta is None else f"{d.delta:+.3f}"
        lines.append(f"{_LABELS[d.name]:<34}{_number(d.old):>10}{_number(d.new):>10}{change:>10}  {d.verdict}")
    lines += ["", f"{c.paired} questions in both runs; {len(c.changes)} changed:"]
    for ch in c.changes:
        bits = []
        if ch.gained:
            bits.append("gained " + ", ".join(ch.gained))
        if ch.lost:
            bits.append("lost " + ", ".join(ch.lost))
        if ch.abstain:
            bits.append(ch.abstain)
        lines.append(f"  {ch.id} ({ch.type}): {'; '.join(bits)}")
    if c.only_old or c.only_new:
        lines.append(f"unpaired: only in old {_ids(c.only_old)}; only in new {_ids(c.only_new)}")
        lines.insert(3, "note: the runs cover different questions, so the metric changes are not paired.\n")
    return "\n".join(lines)


def comparison_panels(old: StoredReport, new: StoredReport) -> list[Panel]:
    """The headline rates, then key-fact recall per question type: one bar per run."""
    labels = {name: label + (" (lower is better)" if lower else "") for name, label, lower in METRICS}
    types = tuple(t for t in {**old.type_recall, **new.type_recall}
                  if any(r.get(t) is not None and r[t].trials for r in (old.type_recall, new.type_recall)))
    return [
        Panel("headline rates (95% Wilson intervals)", tuple(labels[n] for n in CHARTED),
              tuple(Bars(r.label, tuple(r.rates.get(n) for n in CHARTED)) for r in (old, new))),
        Panel("key-fact recall by question type", types,
              tuple(Bars(r.label, tuple(r.type_recall.get(t) for t in types)) for r in (old, new))),
    ]


def write_comparison_chart(old: StoredReport, new: StoredReport, out_dir: Path | None = None) -> Path:
    """Draw the two runs side by side; the PNG goes into `out_dir` (default: the new report's folder)."""
    folder = out_dir or new.path.parent
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"compare-{_file_part(old.label)}-vs-{_file_part(new.label)}.png"
    write_chart(path, f"{old.label} (old) vs {new.label} (new)", comparison_panels(old, new))
    return path


def _rate(value: dict[str, Any]) -> Rate:
    return Rate(int(value["successes"]), int(value["trials"]), value["value"], value["low"], value["high"])


def _values(metrics: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, _, _ in METRICS:
        value = metrics[name]
        out[name] = value["value"] if isinstance(value, dict) else value
    return out


def _file_part(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in label) or "run"


def _ids(ids: tuple[str, ...]) -> str:
    if not ids:
        return "-"
    more = len(ids) - _SHOWN_UNPAIRED
    return ", ".join(ids[:_SHOWN_UNPAIRED]) + (f" and {more} more" if more > 0 else "")


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
