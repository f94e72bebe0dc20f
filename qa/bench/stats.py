"""Latency statistics for the benchmarks: percentiles, a summary of timed samples, a stopwatch.

Plain functions over lists of milliseconds; percentiles come from `qa.eval.metrics`.
Nothing here prints, and nothing passes or fails on time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from ..eval.metrics import percentile

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class Latency:
    """A summary of `n` timed samples, in milliseconds."""

    n: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float


def summarize(samples_ms: Sequence[float]) -> Latency:
    """p50, p95, mean and max of at least one sample."""
    return Latency(
        n=len(samples_ms),
        p50_ms=percentile(samples_ms, 50),
        p95_ms=percentile(samples_ms, 95),
        mean_ms=sum(samples_ms) / len(samples_ms) if samples_ms else math.nan,
        max_ms=max(samples_ms),
    )


def summarize_any(samples_ms: Sequence[float]) -> Latency | None:
    """Like `summarize`, but None for no samples (e.g. every question abstained)."""
    return summarize(samples_ms) if samples_ms else None


def timed(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> tuple[T, float]:
    """`fn(*args, **kwargs)`'s result and its wall-clock time in milliseconds."""
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000.0


def since_ms(started: float) -> float:
    """Milliseconds elapsed since `started` (a time.perf_counter() reading)."""
    return (time.perf_counter() - started) * 1000.0
