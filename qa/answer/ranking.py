"""One ranking of evidence passages and one abstention decision, from the same features.

A passage's score is a logistic model over its features (`features.FEATURES`): the probability
that it holds a fact the question asks for. Passages are answered from best first. Whether to
answer at all is a second logistic model over the same features taken over the whole evidence
(`features.QUESTION_FEATURES`: the best score, the best kind fit, ...); below `abstain_below`,
the answer is "the articles don't say". Weights and threshold
are data (`ranking.json`), fitted by `qa eval --fit` on the gold set's dev split only; there are
two models, for backends that can score passages with the language model and for those that
cannot (its `lm` feature is then 0). This module applies a model; it does not fit one.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from .features import FEATURES, QUESTION_FEATURES

MODEL_FILE = Path(__file__).with_name("ranking.json")


@dataclass(frozen=True)
class RankingModel:
    variant: str  # "with_lm" | "without_lm"
    weights: tuple[float, ...]  # one per passage feature, FEATURES order
    bias: float
    answerable_weights: tuple[float, ...]  # one per question feature, QUESTION_FEATURES order
    answerable_bias: float
    abstain_below: float  # abstain when the answerability is below this, 0..1

    def score(self, values: Sequence[float]) -> float:
        """The probability that a passage holds an asked-for fact."""
        return _logistic(self.bias, self.weights, values)

    def answerability(self, values: Sequence[float]) -> float:
        """The probability that the evidence answers the question at all."""
        return _logistic(self.answerable_bias, self.answerable_weights, values)


def _logistic(bias: float, weights: Sequence[float], values: Sequence[float]) -> float:
    z = bias + sum(w * v for w, v in zip(weights, values, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@functools.cache
def load_ranking(variant: str, path: Path | None = None) -> RankingModel:
    """The fitted model for `variant` (from `MODEL_FILE` unless `path`); a missing or stale file
    names the command that refits it."""
    path = MODEL_FILE if path is None else path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES or tuple(data["question_features"]) != QUESTION_FEATURES:
            raise ValueError(f"fitted on features {data['features']}, this version has {list(FEATURES)}")
        model = data[variant]
        return RankingModel(variant, tuple(float(w) for w in model["weights"]), float(model["bias"]),
                            tuple(float(w) for w in model["answerable_weights"]), float(model["answerable_bias"]),
                            float(model["abstain_below"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"The ranking model {path} is unusable ({exc}); refit it with `qa eval --fit`.") from None


def write_ranking(models: Sequence[RankingModel], provenance: dict[str, object], path: Path | None = None) -> None:
    path = MODEL_FILE if path is None else path
    data: dict[str, object] = {"features": list(FEATURES), "question_features": list(QUESTION_FEATURES),
                               "provenance": provenance}
    for m in models:
        data[m.variant] = {"weights": [round(w, 6) for w in m.weights], "bias": round(m.bias, 6),
                           "answerable_weights": [round(w, 6) for w in m.answerable_weights],
                           "answerable_bias": round(m.answerable_bias, 6), "abstain_below": round(m.abstain_below, 6)}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    load_ranking.cache_clear()
