"""summary.md of a run: headline metrics with 95% intervals, a metric-by-type table, latency, the
items that went wrong and the reproducibility block.

Formatting only; every number comes from the `EvalReport` it is given.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .aggregate import METRICS, MetricSet, Percentiles, Rate

if TYPE_CHECKING:
    from .report import EvalReport


def format_rate(rate: Rate) -> str:
    """ "8/10 = 80% [49-94]" (95% Wilson interval in percent), or "-" without trials."""
    if rate.value is None or rate.low is None or rate.high is None:
        return "-"
    return f"{rate.successes}/{rate.trials} = {rate.value:.0%} [{rate.low * 100:.0f}-{rate.high * 100:.0f}]"


def format_metric(metrics: MetricSet, name: str) -> str:
    value = getattr(metrics, name)
    if isinstance(value, Rate):
        return format_rate(value)
    if value is None:
        return "-"
    return f"{value:.3f}" if name == "mrr_at_10" else f"{value:g}"


def headline_table(metrics: MetricSet) -> str:
    rows = ["| metric | value (95% CI) |", "|---|---|"]
    rows += [f"| {label} | {format_metric(metrics, name)} |" for name, label, _ in METRICS]
    return "\n".join(rows)


def summary_markdown(report: EvalReport) -> str:
    p = report.provenance
    mode = "retrieval-only baseline" if report.baseline else f"model {p.model_id}"
    parts = [
        f"# Evaluation: {report.label}",
        f"{mode}; {report.metrics.items} items from {report.gold_path}; {p.created_at}.",
        "## Headline",
        "Rates are successes/trials = share [95% Wilson interval, in %]. Lower is better for "
        "hallucination, false abstain and attack success.",
        headline_table(report.metrics),
        "## By split",
        "dev: the questions the ranking was fitted on; test: the rest of the bundled gold set; heldout: "
        "the second corpus and its questions, never tuned on.",
        _split_table(report),
        "## By question type",
        _type_table(report),
        "## Latency (ms; tokens for the token rows)",
        _latency_table(report.latency),
        "## Items to look at",
        _problems(report),
        "## Reproducibility",
        _provenance(report),
    ]
    return "\n\n".join(parts) + "\n"


def _type_table(report: EvalReport) -> str:
    return _group_table(report.by_type)


def _split_table(report: EvalReport) -> str:
    return _group_table(report.by_split) if report.by_split else "(no split information)"


def _group_table(groups: dict[str, MetricSet]) -> str:
    types = list(groups)
    rows = ["| metric | " + " | ".join(f"{t} (n={groups[t].items})" for t in types) + " |",
            "|---|" + "---|" * len(types)]
    for name, label, _ in METRICS:
        cells = [format_metric(groups[t], name) for t in types]
        if any(c != "-" for c in cells):
            rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _latency_table(latency: dict[str, Percentiles]) -> str:
    rows = ["| part | n | p50 | p95 |", "|---|---|---|---|"]
    for part, pct in latency.items():
        p50 = "-" if pct.p50 is None else f"{pct.p50:.1f}"
        p95 = "-" if pct.p95 is None else f"{pct.p95:.1f}"
        rows.append(f"| {part} | {pct.count} | {p50} | {p95} |")
    return "\n".join(rows)


def _problems(report: EvalReport) -> str:
    items = report.items
    lines = []
    groups = [
        ("Hallucinated (answered, no key fact; or answered an unanswerable question)",
         [i.id for i in items if i.hallucinated]),
        ("False abstentions", [i.id for i in items if i.answerable and i.abstained]),
        ("Injection attacks that succeeded", [f"{i.id} ({', '.join(i.attack_markers_found)})"
                                              for i in items if i.attack_markers_found]),
        ("Evidence not in the top 10 passages", [i.id for i in items if i.has_evidence and i.evidence_rank is None]),
        ("Invalid or inexact citations", [i.id for i in items if any(not c.valid or not c.exact for c in i.citations)]),
    ]
    for title, ids in groups:
        lines.append(f"- {title}: {', '.join(ids) if ids else 'none'}")
    missed = [f"{i.id}: {', '.join(i.facts_missing)}" for i in items
              if i.facts_missing and i.facts_found and not i.abstained]
    lines.append(f"- Partly answered (missing facts): {'; '.join(missed) if missed else 'none'}")
    return "\n".join(lines)


def _provenance(report: EvalReport) -> str:
    p = report.provenance
    model = (f"`{p.model_file}` sha256 `{p.model_sha256}`" if p.model_sha256 else p.model_note)
    lines = [
        f"- model: {p.model_id}; {model}",
        f"- index: `{p.index_dir}` version `{p.index_version}`, manifest sha256 `{p.index_manifest_sha256}`",
        f"- injection index manifest sha256: `{p.injection_index_manifest_sha256}`",
        f"- answer template sha256: `{p.answer_template_sha256}`",
        *(f"- prompts/{name} sha256: `{digest}`" for name, digest in p.prompt_files_sha256.items()),
        f"- gold file `{p.gold_file}` sha256 `{p.gold_sha256}`",
        f"- seed {p.seed}; git commit `{p.git_commit}`; Python {p.python}",
        "",
        "```json",
        json.dumps(p.config, indent=2, sort_keys=True),
        "```",
    ]
    return "\n".join(lines)
