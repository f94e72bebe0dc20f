"""Compare two runs: the change in every metric, and paired per-question changes (key facts gained
or lost, abstentions started or stopped) over the items both runs share.

It reads report.json files through `report.read_report` and judges nothing about significance
beyond saying which direction is better for each metric.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .aggregate import METRICS
from .report import StoredReport, read_report

_LABELS = {name: label for name, label, _ in METRICS} | {
    "latency_p50_ms": "latency p50 (ms)", "latency_p95_ms": "latency p95 (ms)"}
LOWER_IS_BETTER = {name for name, _, lower in METRICS if lower} | {"latency_p50_ms", "latency_p95_ms"}
NEUTRAL = {"median_words"}  # a shorter answer is neither better nor worse by itself
_SHOWN_UNPAIRED = 10


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


def compare_files(old: Path, new: Path) -> Comparison:
    return compare_reports(read_report(old), read_report(new))


def compare_reports(old: StoredReport, new: StoredReport) -> Comparison:
    deltas = tuple(MetricDelta(name, old.metrics.get(name), new.metrics.get(name)) for name in _LABELS)
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


def _ids(ids: tuple[str, ...]) -> str:
    if not ids:
        return "-"
    more = len(ids) - _SHOWN_UNPAIRED
    return ", ".join(ids[:_SHOWN_UNPAIRED]) + (f" and {more} more" if more > 0 else "")


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
