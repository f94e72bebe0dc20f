"""A finished run as one typed `EvalReport`, written as report.json, summary.md and chart.png, and
read back (only the parts a comparison needs) as a `StoredReport`.

report.json holds every metric with its interval, per type, latency, the reproducibility block and
one record per question (answer text, claims, citations, facts found, timings). This module does
not compute metrics (see `aggregate`) or format the Markdown (see `markdown`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .aggregate import METRICS, MetricSet, Percentiles
from .chart import write_chart
from .errors import DataFileError
from .markdown import summary_markdown
from .provenance import Provenance
from .records import ItemResult

SCHEMA = 1


@dataclass(frozen=True)
class EvalReport:
    label: str
    baseline: bool  # retrieval-only: no language model
    gold_path: str
    metrics: MetricSet
    by_type: dict[str, MetricSet]
    by_split: dict[str, MetricSet]  # dev, test, heldout
    latency: dict[str, Percentiles]  # by Timings field
    provenance: Provenance
    items: tuple[ItemResult, ...]


@dataclass(frozen=True)
class ReportFiles:
    json: Path
    markdown: Path
    chart: Path
    chart_renderer: str  # "matplotlib" | "builtin"


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
    metrics: dict[str, float | None]  # name -> value, plus latency_p50_ms / latency_p95_ms
    by_type: dict[str, dict[str, float | None]]
    items: tuple[StoredItem, ...]


def write_report(report: EvalReport, out_dir: Path) -> ReportFiles:
    out_dir.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"schema": SCHEMA, **asdict(report)}
    for record, item in zip(data["items"], report.items, strict=True):
        record["hallucinated"] = item.hallucinated
    json_path = out_dir / "report.json"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path = out_dir / "summary.md"
    md_path.write_text(summary_markdown(report), encoding="utf-8")
    chart_path = out_dir / "chart.png"
    groups = [*report.by_type, "all"]
    sets = [*report.by_type.values(), report.metrics]
    renderer = write_chart(chart_path, f"{report.label}: by question type", groups, [
        ("key-fact recall", [m.key_fact_recall.value for m in sets]),
        ("evidence recall@5", [m.recall_at_5.value for m in sets]),
    ])
    return ReportFiles(json_path, md_path, chart_path, renderer)


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
        items = tuple(StoredItem(r["id"], r["type"], bool(r["abstained"]), tuple(r["facts_found"]),
                                 tuple(r["facts_missing"]), r["answer"]) for r in data["items"])
        return StoredReport(path, str(data["label"]), metrics,
                            {t: _values(m) for t, m in data["by_type"].items()}, items)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataFileError(
            f"Report {path} is not a report.json written by this version of `qa eval` ({exc!r}); "
            "re-run the evaluation to get one."
        ) from None


def _values(metrics: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, _, _ in METRICS:
        value = metrics[name]
        out[name] = value["value"] if isinstance(value, dict) else value
    return out
