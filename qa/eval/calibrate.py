"""Calibrate the support judge: agreement of `qa.answer.judge.judge` with hand-labelled (claim, passage)
pairs (eval/support_pairs.jsonl) at thresholds 0.30 to 0.90, and the best threshold.

"Positive" means "supported": precision is the share of the judge's "supported" verdicts that the
labels agree with (what guards against hallucination), recall the share of labelled-supported
pairs it accepts. The best threshold has the highest agreement; ties go to higher precision,
then to the stricter threshold. It reports; it does not change the configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..answer.judge import judge
from .errors import DataFileError
from .jsonl import read_objects

THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(13))  # 0.30, 0.35, ..., 0.90


@dataclass(frozen=True)
class SupportPair:
    id: str
    claim: str
    passage: str
    supported: bool  # the hand label
    why: str = ""


@dataclass(frozen=True)
class ThresholdRow:
    threshold: float
    agreement: float  # share of pairs where judge and label agree
    precision: float | None  # of "supported"; None when the judge says "supported" to nothing
    recall: float | None
    true_pos: int
    false_pos: int
    false_neg: int
    true_neg: int


@dataclass(frozen=True)
class Calibration:
    pairs: int
    rows: tuple[ThresholdRow, ...]
    best: ThresholdRow
    disagreements: tuple[str, ...]  # pair ids the judge gets wrong at the best threshold


def load_support_pairs(path: Path) -> tuple[SupportPair, ...]:
    pairs = []
    for number, obj in read_objects(path, "support pairs"):
        where = f"{path}:{number}"
        for field in ("id", "claim", "passage"):
            if not isinstance(obj.get(field), str) or not obj[field].strip():
                raise DataFileError(f"{where}: field {field!r} must be a non-empty string.")
        if not isinstance(obj.get("supported"), bool):
            raise DataFileError(f"{where}: field 'supported' must be true or false.")
        pairs.append(SupportPair(obj["id"], obj["claim"], obj["passage"], obj["supported"], str(obj.get("why", ""))))
    return tuple(pairs)


def calibrate(pairs: Sequence[SupportPair], thresholds: Sequence[float] = THRESHOLDS) -> Calibration:
    if not pairs or not thresholds:
        raise DataFileError("Calibration needs at least one labelled pair and one threshold.")
    rows = []
    verdicts: dict[float, list[bool]] = {}
    for t in thresholds:
        said = [judge(p.claim, [p.passage], t).supported for p in pairs]
        verdicts[t] = said
        tp = sum(s and p.supported for s, p in zip(said, pairs, strict=True))
        fp = sum(s and not p.supported for s, p in zip(said, pairs, strict=True))
        fn = sum(not s and p.supported for s, p in zip(said, pairs, strict=True))
        tn = len(pairs) - tp - fp - fn
        rows.append(ThresholdRow(t, (tp + tn) / len(pairs), tp / (tp + fp) if tp + fp else None,
                                 tp / (tp + fn) if tp + fn else None, tp, fp, fn, tn))
    best = max(rows, key=lambda r: (r.agreement, r.precision or 0.0, r.threshold))
    wrong = tuple(p.id for p, s in zip(pairs, verdicts[best.threshold], strict=True) if s != p.supported)
    return Calibration(len(pairs), tuple(rows), best, wrong)


def format_calibration(calibration: Calibration, current: float | None = None) -> str:
    lines = [f"support judge vs {calibration.pairs} hand-labelled pairs",
             f"{'threshold':>9} {'agree':>6} {'prec':>6} {'recall':>6}   tp  fp  fn  tn"]
    for r in calibration.rows:
        mark = " <- best" if r == calibration.best else ""
        if current is not None and abs(r.threshold - current) < 1e-9:
            mark += " <- configured"
        lines.append(f"{r.threshold:>9.2f} {r.agreement:>6.3f} {_share(r.precision):>6} {_share(r.recall):>6}"
                     f" {r.true_pos:>4}{r.false_pos:>4}{r.false_neg:>4}{r.true_neg:>4}{mark}")
    lines.append(f"best threshold {calibration.best.threshold:.2f} (agreement {calibration.best.agreement:.3f}); "
                 f"set support_threshold in qa.toml to use it.")
    if calibration.disagreements:
        lines.append("disagreements at the best threshold: " + ", ".join(calibration.disagreements))
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
