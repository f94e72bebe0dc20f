"""A finished run as one typed `EvalReport`, written as report.json, summary.md and chart.png,
with its `Provenance`: what the run was made with, so a number can be reproduced (model file and
index manifest hashes, prompt and gold file hashes, the whole configuration, seed, git commit).

report.json holds every metric with its interval, per split and per type, latency, the
conversation rates, the provenance and one record per question and per conversation turn (answer
text, claims, citations, facts found, timings). summary.md presents the same, and
chart.png draws key-fact recall per question type and split with 95% Wilson intervals as error
bars (and, with conversations, follow-up against standalone recall). Charts are drawn with
matplotlib's Agg backend, imported only when a chart is drawn. This module computes no metric
(see `metrics`) and reads no report back (see `compare`).
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..answer.prompts import PROMPT_DIR, template_hash
from ..backends.gguf import resolve_model_path
from ..config import Config
from ..errors import QAError
from . import EvaluationError
from .metrics import (
    METRICS,
    RATIO_TARGET,
    SWITCH_TARGET,
    ConversationMetrics,
    MetricSet,
    Percentiles,
    Rate,
    by_type,
    problems,
)

if TYPE_CHECKING:
    from .run import ItemResult, TurnResult

SCHEMA = 1  # conversations and turns were added without changing what older readers read
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class EvalReport:
    label: str
    baseline: bool  # retrieval-only: no language model
    gold_path: str
    metrics: MetricSet
    by_type: dict[str, MetricSet]
    by_split: dict[str, MetricSet]  # dev, tuning, test, heldout
    latency: dict[str, Percentiles]  # by Timings field
    provenance: Provenance
    items: tuple[ItemResult, ...]
    conversations: dict[str, ConversationMetrics]  # by corpus, and "all"; {} when none were run
    turns: tuple[TurnResult, ...]


@dataclass(frozen=True)
class ReportFiles:
    json: Path
    markdown: Path
    chart: Path


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
    write_chart(chart_path, report.label, report_panels(report))
    return ReportFiles(json_path, md_path, chart_path)


# --- charts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bars:
    name: str  # the legend entry
    rates: tuple[Rate | None, ...]  # one per group; None or no trials: drawn as "n/a"


@dataclass(frozen=True)
class Panel:
    title: str
    groups: tuple[str, ...]
    bars: tuple[Bars, ...]


def report_panels(report: EvalReport) -> list[Panel]:
    """Key-fact recall per question type (and over all types), one bar per split; with
    conversations, follow-up recall against the same questions asked standalone, per corpus."""
    series = {s: (by_type([i for i in report.items if i.split == s]), m) for s, m in report.by_split.items()}
    series = series or {"all items": (report.by_type, report.metrics)}  # a gold file without splits
    types = tuple(t for t in report.by_type if report.by_type[t].key_fact_recall.trials)
    panels = [Panel("key-fact recall by question type (95% Wilson intervals)", (*types, "all"), tuple(
        Bars(s, (*(per[t].key_fact_recall if t in per else None for t in types), total.key_fact_recall))
        for s, (per, total) in series.items()))]
    if report.conversations:
        c = report.conversations
        panels.append(Panel("conversations: follow-ups and topic switches (95% Wilson intervals)", tuple(c), (
            Bars("follow-up key facts, in conversation", tuple(m.followup_recall for m in c.values())),
            Bars("same questions asked standalone", tuple(m.standalone_recall for m in c.values())),
            Bars("topic switches answered as asked", tuple(m.switch_as_asked for m in c.values())))))
    return panels


def require_matplotlib() -> None:
    """Fail before a run, not after it, when the charts cannot be drawn."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise EvaluationError("`qa eval` draws its charts with matplotlib, which is not installed; "
                              "install the eval extra: pip install -e '.[eval]'") from None


def write_chart(path: Path, title: str, panels: Sequence[Panel]) -> None:
    """Grouped bars of shares (0..1) with their 95% intervals as error bars, one panel per row."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    slots = max(len(p.groups) * max(1, len(p.bars)) for p in panels)  # bars side by side, legend to the right
    figure = Figure(figsize=(max(8.0, 0.3 * slots + 4.5), 3.8 * len(panels) + 0.4), layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(title)
    for axes, panel in zip(figure.subplots(len(panels), 1, squeeze=False)[:, 0], panels, strict=True):
        width = 0.8 / max(1, len(panel.bars))
        for i, bars in enumerate(panel.bars):
            xs = [g + (i - (len(panel.bars) - 1) / 2) * width for g in range(len(panel.groups))]
            shown = [(x, r) for x, r in zip(xs, bars.rates, strict=True) if r is not None and r.value is not None]
            values = [r.value or 0.0 for _, r in shown]
            errors = [[max(0.0, v - (r.low or 0.0)) for v, (_, r) in zip(values, shown, strict=True)],
                      [max(0.0, (r.high or 0.0) - v) for v, (_, r) in zip(values, shown, strict=True)]]
            axes.bar([x for x, _ in shown], values, width, yerr=errors, capsize=2, label=bars.name,
                     color=f"C{i}", error_kw={"elinewidth": 0.8, "ecolor": "0.25"})
            for x, r in shown:
                axes.text(x, (r.high or 0.0) + 0.02, f"{r.successes}/{r.trials}", ha="center", va="bottom",
                          fontsize=7, rotation=90)
            for x, missing in zip(xs, bars.rates, strict=True):
                if missing is None or missing.value is None:
                    axes.text(x, 0.02, "n/a", ha="center", va="bottom", fontsize=6, rotation=90, color="0.5")
        axes.set_xticks(range(len(panel.groups)), list(panel.groups), rotation=30, ha="right")
        axes.set_ylim(0, 1.22)
        axes.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        axes.grid(axis="y", color="0.9")
        axes.set_axisbelow(True)
        axes.set_ylabel("share")
        axes.set_title(panel.title, fontsize="medium")
        if panel.bars:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    figure.savefig(path, dpi=100)


# --- summary.md -------------------------------------------------------------------------------


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


def conversation_table(groups: dict[str, ConversationMetrics]) -> str:
    """Follow-up, topic-switch and abstention rates per corpus, with their targets."""
    rows = ["| metric | " + " | ".join(f"{c} ({m.conversations} conversations, {m.turns} turns)"
                                        for c, m in groups.items()) + " |", "|---|" + "---|" * len(groups)]
    ratio = [("-" if m.recall_ratio is None else f"{m.recall_ratio:.2f}") for m in groups.values()]
    for label, cells in (
        ("follow-up key-fact recall, asked in conversation", [format_rate(m.followup_recall) for m in groups.values()]),
        ("the same questions asked standalone", [format_rate(m.standalone_recall) for m in groups.values()]),
        (f"ratio, follow-up / standalone (target >= {RATIO_TARGET:.2f})", ratio),
        (f"topic switches answered as asked (target >= {SWITCH_TARGET:.2f})",
         [format_rate(m.switch_as_asked) for m in groups.values()]),
        ("first turns unchanged", [format_rate(m.first_unchanged) for m in groups.values()]),
        ("unanswerable follow-ups: correct abstain", [format_rate(m.unanswerable_abstain) for m in groups.values()]),
    ):
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
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
        "dev: the bundled questions the ranking was fitted on; tuning: a corpus of its own, fitted on "
        "too; test: the rest of the bundled gold set; heldout: the second corpus and its questions, "
        "never tuned on.",
        _group_table(report.by_split) if report.by_split else "(no split information)",
        "## By question type",
        _group_table(report.by_type),
        "## Latency (ms; tokens for the token rows)",
        _latency_table(report.latency),
        "## Items to look at",
        "\n".join(f"- {title}: {_join(ids)}" for title, ids in problems(report.items)),
        *(_conversations(report) if report.conversations else []),
        "## Reproducibility",
        _provenance(report),
    ]
    return "\n\n".join(parts) + "\n"


def _conversations(report: EvalReport) -> list[str]:
    turns = report.turns
    follow = [t for t in turns if t.standalone is not None]
    worse = [f"{t.asked.id} ({len(t.asked.facts_found)} of {t.asked.facts_total} facts; standalone "
             f"{len(t.standalone.facts_found)})" for t in follow
             if t.standalone is not None and len(t.asked.facts_found) < len(t.standalone.facts_found)]
    rewritten = [f"{t.asked.id} ({t.kind}): {t.asked.question!r} -> {t.answered_as!r}"
                 for t in turns if not t.as_asked and t.kind in ("first", "switch")]
    return [
        "## Conversations",
        f"{len({t.conversation for t in turns})} conversations from {report.provenance.conversations_file}, asked "
        "turn by turn; each follow-up turn (needs_question, needs_answer) is also asked as its gold standalone "
        "question with no history. Key-fact recall pools the facts of those turns.",
        conversation_table(report.conversations),
        "### Every turn, scored like a gold question",
        _group_table({c: m.all_turns for c, m in report.conversations.items()}),
        "### Turns to look at",
        "\n".join([f"- First or switch turns rewritten from earlier turns: {'; '.join(rewritten) or 'none'}",
                   f"- Follow-ups that found fewer facts than their standalone question: {', '.join(worse) or 'none'}",
                   "- Follow-ups, as answered:",
                   *(f"  - {t.asked.id}: {t.asked.question!r} -> {t.answered_as!r}" for t in follow)]),
    ]


def _join(ids: list[str]) -> str:
    """Ids with ", ", or with "; " when they carry details ("q1: a, b")."""
    return ("; " if any(": " in i for i in ids) else ", ").join(ids) or "none"


def _group_table(groups: dict[str, MetricSet]) -> str:
    names = list(groups)
    rows = ["| metric | " + " | ".join(f"{t} (n={groups[t].items})" for t in names) + " |",
            "|---|" + "---|" * len(names)]
    for name, label, _ in METRICS:
        cells = [format_metric(groups[t], name) for t in names]
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
        *([f"- conversations file `{p.conversations_file}` sha256 `{p.conversations_sha256}`"]
          if p.conversations_file else []),
        f"- seed {p.seed}; git commit `{p.git_commit}`; Python {p.python}",
        "",
        "```json",
        json.dumps(p.config, indent=2, sort_keys=True),
        "```",
    ]
    return "\n".join(lines)


# --- provenance: what a run was made with, so a number can be reproduced ------------------------
# It reads files and asks git, and never fails the run: a piece that cannot be had (no git, a
# model behind a server) is recorded as None with a note.


@dataclass(frozen=True)
class Provenance:
    created_at: str  # UTC, ISO 8601
    mode: str  # "model" | "retrieval-only"
    model_id: str  # as the answers report it
    model_file: str | None
    model_sha256: str | None
    model_note: str  # why there is no model hash, when there is none
    server_url: str
    index_dir: str
    index_version: str | None  # the folder CURRENT names
    index_manifest_sha256: str | None
    injection_index_manifest_sha256: str | None  # the corpus + planted documents index, if built
    answer_template_sha256: str  # the template of the configured answer style (rerank or extract)
    prompt_files_sha256: dict[str, str]  # every prompts/*.txt, by file name, hash of its bytes
    gold_file: str
    gold_sha256: str
    config: dict[str, Any]  # Config.as_dict()
    seed: int
    git_commit: str | None
    python: str
    conversations_file: str | None = None  # None: no conversations were run
    conversations_sha256: str | None = None


def sha256_file(path: Path, block: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:  # in 1 MB blocks: a model is hundreds of MB
        while chunk := fh.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def index_manifest(index_dir: Path) -> tuple[str | None, str | None]:
    """(live version folder, sha256 of its manifest.json), or (None, None) without an index."""
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None, None
    version = pointer.read_text(encoding="utf-8").strip()
    manifest = index_dir / version / "manifest.json"
    return version, sha256_file(manifest) if manifest.is_file() else None


def git_commit(root: Path = REPO_ROOT) -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


def collect_provenance(config: Config, baseline: bool, model_id: str, gold_path: Path,
                       injection_manifest: str | None = None, conversations: Path | None = None) -> Provenance:
    model_file, model_sha, note = _model(config, baseline)
    version, manifest_sha = index_manifest(config.index_dir)
    return Provenance(
        created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        mode="retrieval-only" if baseline else "model",
        model_id=model_id, model_file=model_file, model_sha256=model_sha, model_note=note,
        server_url=config.server_url,
        index_dir=str(config.index_dir), index_version=version, index_manifest_sha256=manifest_sha,
        injection_index_manifest_sha256=injection_manifest,
        answer_template_sha256=template_hash(config.answer_style),
        prompt_files_sha256={p.name: sha256_file(p) for p in sorted(PROMPT_DIR.glob("*.txt"))},
        gold_file=str(gold_path), gold_sha256=sha256_file(gold_path),
        config=config.as_dict(), seed=config.seed, git_commit=git_commit(), python=platform.python_version(),
        conversations_file=str(conversations) if conversations else None,
        conversations_sha256=sha256_file(conversations) if conversations else None,
    )


def _model(config: Config, baseline: bool) -> tuple[str | None, str | None, str]:
    if baseline:
        return None, None, "retrieval-only baseline: no language model was used"
    if config.server_url:
        return None, None, f"served by {config.server_url}; the weights are not visible from here"
    try:
        path = resolve_model_path(config.model)
    except QAError as exc:
        return None, None, f"model file not hashed: {exc}"
    return str(path), sha256_file(path), ""
