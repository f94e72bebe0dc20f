"""Tune what the answer path decides with, against hand labels: the support judge's threshold
(`calibrate`, `qa eval --calibrate`) and the ranking and abstention model (`fit_and_write`, `qa eval
--fit`).

Calibration: agreement of `qa.answer.judge.judge` with hand-labelled (claim, passage) pairs
(eval/support_pairs.jsonl) at thresholds 0.30 to 0.90. "Positive" means "supported": precision is
the share of the judge's "supported" verdicts that the labels agree with (what guards against
hallucination), recall the share of labelled-supported pairs it accepts. The best threshold has
the highest agreement; ties go to higher precision, then to the stricter threshold. It reports;
it does not change the configuration.

Fitting, on the gold set's dev split and the tuning corpus (eval/tuning/, its own articles and
questions, fitted on like dev) and only there: every dev question (injection items aside)
is analysed and its evidence ranked as the assistant does; each passage becomes one row of
features, labelled 1 when it contains one of the question's key facts, and a logistic regression
(scikit-learn) over those rows gives the passage weights. Then each question part becomes one row
of question features (the best score, the best kind fit, ...), labelled by whether it is
answerable, and a second logistic regression gives the answerability weights; the threshold is
the highest answerability that keeps false abstention on the dev answerable questions at or under
`MAX_FALSE_ABSTAIN`, which maximises correct abstention there. On the questions fitted on, the
cap holds by construction and correct abstention is at its best; `cross_validated` gives both
rates for questions left out of the fit (10 folds), which is what to expect elsewhere. Two
models are fitted: with the
language model's scores, and without them (servers without log-probabilities, the retrieval-only
baseline). The test split and the held-out corpus are never read here.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..answer import ranking
from ..answer.features import FEATURES, QUESTION_FEATURES, question_features
from ..answer.judge import judge
from ..answer.pipeline import rank_evidence
from ..answer.question import analyse_question
from ..answer.ranking import RankingModel, load_ranking, write_ranking
from ..assistant import Assistant
from ..backends.generator import Scorer
from ..errors import ConfigError
from ..language.text import find_normalized
from . import DataFileError, EvaluationError
from .gold import GoldItem, SupportPair, load_gold, select_items

THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(13))  # 0.30, 0.35, ..., 0.90
MAX_FALSE_ABSTAIN = 0.05
REGULARISATION = 1.0  # scikit-learn's C
CV_FOLDS = 10  # folds of the cross-validated abstention rates `qa eval --fit` prints

# --- the support judge ------------------------------------------------------------------------


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


# --- the ranking and abstention model ---------------------------------------------------------


@dataclass(frozen=True)
class FitRows:
    features: np.ndarray  # (n_passages, n_features)
    labels: np.ndarray  # (n_passages,) 0/1
    question: np.ndarray  # (n_passages,) index of the question part each row belongs to
    answerable: np.ndarray  # (n_parts,) bool


@dataclass(frozen=True)
class FitResult:
    model: RankingModel
    questions: int
    passages: int
    false_abstain: float  # on dev, at the chosen threshold
    correct_abstain: float
    held_out: HeldOut | None = None  # the same for questions the model was not fitted on


@dataclass(frozen=True)
class HeldOut:
    """How the fitting procedure does on questions it did not see (`cross_validated`)."""

    false_abstain: float
    correct_abstain: float
    first_right: int  # question parts whose best-scored passage holds a key fact ...
    with_fact: int  # ... of those where any of their passages holds one


def dev_items(items: Sequence[GoldItem]) -> tuple[GoldItem, ...]:
    """What the model is fitted on: the dev split's questions, injection items aside."""
    return tuple(i for i in select_items(items, splits=("dev",)) if not i.injection)


def collect_rows(assistant: Assistant, items: Sequence[GoldItem], with_lm: bool,
                 progress: Callable[[int, int, str], None] = lambda *_: None) -> FitRows:
    """Feature rows of every passage of every dev question, with their labels."""
    scorer = assistant.generator if with_lm else None
    if with_lm and not isinstance(scorer, Scorer):
        raise EvaluationError("Fitting the with-LM model needs a backend that scores passages (a local GGUF).")
    features: list[tuple[float, ...]] = []
    labels: list[int] = []
    owner: list[int] = []
    answerable: list[bool] = []
    for n, item in enumerate(items):
        progress(n, len(items), item.id)
        question = analyse_question(assistant.analyser.parse(item.question), assistant.analyser.parse)
        for part in question.parts or (question,):
            ranked = rank_evidence(part, assistant.retriever, scorer if with_lm else None, assistant.config)
            for s in ranked.scored:
                text = s.passage.text
                hit = any(find_normalized(text, alias) >= 0 for fact in item.key_facts for alias in fact)
                features.append(s.featured.values)
                labels.append(1 if hit and item.answerable else 0)
                owner.append(len(answerable))
            answerable.append(item.answerable)
    return FitRows(np.array(features, dtype=np.float64).reshape(-1, len(FEATURES)), np.array(labels),
                   np.array(owner), np.array(answerable, dtype=bool))


def fit_model(rows: FitRows, variant: str) -> FitResult:
    from sklearn.linear_model import LogisticRegression

    if rows.labels.min(initial=1) == rows.labels.max(initial=0) or rows.answerable.all():
        raise EvaluationError("The dev rows have only one label; the gold set cannot train a ranking.")
    clf = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(rows.features, rows.labels)
    weights, bias = tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0])
    passages = RankingModel(variant, weights, bias, (0.0,) * len(QUESTION_FEATURES), 0.0, 0.0)
    per_question = question_rows(rows, passages)
    answerable = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(per_question, rows.answerable)
    a_weights, a_bias = tuple(float(w) for w in answerable.coef_[0]), float(answerable.intercept_[0])
    provisional = RankingModel(variant, weights, bias, a_weights, a_bias, 0.0)
    answerability = np.array([provisional.answerability(q) for q in per_question])
    threshold = choose_threshold(answerability, rows.answerable)
    model = RankingModel(variant, weights, bias, a_weights, a_bias, threshold)
    false_abstain = float(np.mean(answerability[rows.answerable] < threshold))
    correct = float(np.mean(answerability[~rows.answerable] < threshold))
    return FitResult(model, len(rows.answerable), len(rows.labels), false_abstain, correct)


def cross_validated(rows: FitRows, variant: str, folds: int = CV_FOLDS) -> HeldOut | None:
    """False and correct abstention of the fitting procedure on questions it did not see, and how
    often its best-scored passage holds a key fact there: answerable and unanswerable questions
    are dealt into `folds` folds each; each fold is answered (abstain or not, and which passage
    first) by the passage and abstention models and threshold fitted on the other folds. The
    in-sample rates of `fit_model` meet its false-abstain cap by construction; these say what to
    expect elsewhere, and whether a new feature helps the ranking. None when there are too few
    questions of either kind to fit without a fold."""
    answerable = rows.answerable
    folds = min(folds, int(answerable.sum()), int((~answerable).sum()))
    if folds < 2:
        return None
    fold = np.empty(len(answerable), dtype=int)
    fold[answerable] = np.arange(int(answerable.sum())) % folds
    fold[~answerable] = np.arange(int((~answerable).sum())) % folds
    refused = np.zeros(len(answerable), dtype=bool)
    first_right = with_fact = 0
    for f in range(folds):
        try:
            model = fit_model(_questions(rows, fold != f), variant).model
        except EvaluationError:  # the other folds' passages have only one label
            return None
        held = _questions(rows, fold == f)
        refused[fold == f] = [model.answerability(q) < model.abstain_below for q in question_rows(held, model)]
        for q in range(len(held.answerable)):
            mine = held.question == q
            if held.labels[mine].any():
                with_fact += 1
                first_right += int(held.labels[mine][int(np.argmax([model.score(r) for r in held.features[mine]]))])
    return HeldOut(float(np.mean(refused[answerable])), float(np.mean(refused[~answerable])), first_right, with_fact)


def _questions(rows: FitRows, keep: np.ndarray) -> FitRows:
    """The rows of the question parts `keep` marks, renumbered from 0."""
    number = np.cumsum(keep) - 1
    mine = keep[rows.question]
    return FitRows(rows.features[mine], rows.labels[mine], number[rows.question[mine]], rows.answerable[keep])


def question_rows(rows: FitRows, model: RankingModel) -> np.ndarray:
    """(n_parts, n_question_features): each question part's evidence summarised as the pipeline does."""
    out = []
    for q in range(len(rows.answerable)):
        mine = rows.features[rows.question == q]
        featured = [_Row(tuple(r)) for r in mine]
        out.append(question_features(featured, [model.score(r) for r in mine]))  # type: ignore[arg-type]
    return np.array(out, dtype=np.float64).reshape(len(rows.answerable), len(QUESTION_FEATURES))


@dataclass(frozen=True)
class _Row:
    """A passage's features alone, read like `features.Featured` by `question_features`."""

    values: tuple[float, ...]

    def value(self, name: str) -> float:
        return self.values[FEATURES.index(name)]


def choose_threshold(best: np.ndarray, answerable: np.ndarray) -> float:
    """The highest threshold whose false abstention on answerable questions is at most
    MAX_FALSE_ABSTAIN (questions scoring below it are refused)."""
    scores = np.sort(best[answerable])
    allowed = int(np.floor(MAX_FALSE_ABSTAIN * len(scores)))
    if len(scores) == 0:
        return 0.5
    # refusing the `allowed` lowest-scoring answerable questions: the threshold sits just above them
    return float(scores[allowed]) - 1e-6 if allowed < len(scores) else float(scores[-1])


def fit_and_write(assistant: Assistant, items: Sequence[GoldItem], tuning_dir: Path | None = None,
                  progress: Callable[[int, int, str], None] = lambda *_: None,
                  path: Path | None = None) -> list[FitResult]:
    """Fit both variants on `dev_items(items)` and, with `tuning_dir` (DIR/corpus/ and
    DIR/gold.jsonl), on every question of that corpus asked over its own temporary index; write
    qa/answer/ranking.json. The evidence is ranked as the assistant ranks it, which preselects
    passages with the model in use: when that one is stale (fitted on other features), a neutral
    model stands in and the fit runs twice, the second round preselecting with the first's model."""
    dev = dev_items(items)
    if not dev:
        raise EvaluationError("The gold file has no dev items (field split = \"dev\"); nothing to fit on.")
    rounds = 1 if _usable() else 2
    if rounds == 2:  # evidence is preselected with the model in use: a neutral one stands in, once
        write_ranking(_neutral_models(), {"fitted_on": "nothing: provisional, for the first round of a fit"})
    for round_ in range(rounds, 0, -1):  # an earlier round's model is the one the next preselects with
        results = _fit_once(assistant, dev, tuning_dir, progress, path if round_ == 1 else None)
    return results


def _usable() -> bool:
    try:
        load_ranking("without_lm")
        return True
    except ConfigError:
        return False


def _neutral_models() -> list[RankingModel]:
    """Every feature weighted alike, for preselecting evidence before any model fits these features."""
    return [RankingModel(variant, (1.0,) * len(FEATURES), 0.0, (1.0,) * len(QUESTION_FEATURES), 0.0, 0.0)
            for variant in ("with_lm", "without_lm")]


def _fit_once(assistant: Assistant, dev: Sequence[GoldItem], tuning_dir: Path | None,
              progress: Callable[[int, int, str], None], path: Path | None) -> list[FitResult]:
    with tempfile.TemporaryDirectory(prefix="qa-fit-tuning-") as tmp:
        sets: list[tuple[Assistant, Sequence[GoldItem]]] = [(assistant, dev)]
        if tuning_dir is not None:
            from .run import corpus_assistant

            tuning = [i for i in load_gold(tuning_dir / "gold.jsonl") if not i.injection]
            sets.append((corpus_assistant(assistant, Path(tmp) / "index", tuning_dir / "corpus", False), tuning))
        results = []
        for variant, with_lm in (("with_lm", True), ("without_lm", False)):
            rows = [collect_rows(a, its, with_lm, progress) for a, its in sets]
            joined = _joined(rows)
            fitted = fit_model(joined, variant)
            results.append(replace(fitted, held_out=cross_validated(joined, variant)))
    fitted_on = "gold dev split" + (f" and {tuning_dir.name} corpus" if tuning_dir is not None else "")
    write_ranking([r.model for r in results], {
        "fitted_on": fitted_on, "questions": sum(len(its) for _, its in sets),
        "fitted_at": time.strftime("%Y-%m-%d"), "command": "qa eval --fit", "model": assistant.config.model,
        "embedder": assistant.config.embedder,
    }, path)
    return results


def _joined(parts: Sequence[FitRows]) -> FitRows:
    """The rows of several question sets as one (question numbers offset so they stay distinct)."""
    offsets = np.cumsum([0, *(len(p.answerable) for p in parts)])[:-1]
    return FitRows(np.concatenate([p.features for p in parts]), np.concatenate([p.labels for p in parts]),
                   np.concatenate([p.question + o for p, o in zip(parts, offsets, strict=True)]),
                   np.concatenate([p.answerable for p in parts]))


def format_fit(results: Sequence[FitResult], path: Path | None = None) -> str:
    """The fit's table, after the file it was written to (`path`, else the model in use)."""
    lines = [f"wrote {path or ranking.MODEL_FILE}", "",
             "| model | questions | passages | threshold | false abstain (fitted on) | correct abstain (fitted on) "
             f"| {CV_FOLDS}-fold cross-validated: false / correct abstain / best passage holds a key fact "
             "| weights |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        weights = ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, r.model.weights, strict=True))
        answerable = ", ".join(f"{n} {w:+.2f}" for n, w in zip(QUESTION_FEATURES, r.model.answerable_weights,
                                                                 strict=True))
        lines.append(f"| {r.model.variant} | {r.questions} | {r.passages} | {r.model.abstain_below:.3f} | "
                     f"{r.false_abstain:.2f} | {r.correct_abstain:.2f} | {_held_out(r.held_out)} | "
                     f"passages: {weights}; bias "
                     f"{r.model.bias:+.2f}; answerable: {answerable}; bias {r.model.answerable_bias:+.2f} |")
    return "\n".join(lines)


def _held_out(rates: HeldOut | None) -> str:
    return "-" if rates is None else f"{rates.false_abstain:.2f} / {rates.correct_abstain:.2f} / " \
        f"{rates.first_right}/{rates.with_fact}"
