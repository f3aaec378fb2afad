"""Shared statistics: percentiles, per-run figures, and median / p99 over several runs."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, linearly interpolated."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median of ``values`` (nan when empty)."""
    return statistics.median(values) if values else math.nan


@dataclass(slots=True)
class Figure:
    """One measured quantity: its value in each run, and the bare baseline's in the same runs.

    ``higher_is_better`` decides which way the ratio reads: the report always shows
    ``ratio`` as "explainbot relative to the baseline", > 1 meaning explainbot is better for
    throughput-like figures and meaning explainbot is slower (costlier) for latency-like ones.
    """

    area: str
    name: str
    unit: str
    runs: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    higher_is_better: bool = True
    note: str = ""
    target: str = ""
    met: bool | None = None

    @property
    def median(self) -> float:
        """Median over runs."""
        return median(self.runs)

    @property
    def p99(self) -> float:
        """99th percentile over runs (the worst-but-one run for ``higher_is_better`` is p1)."""
        return percentile(self.runs, 1 if self.higher_is_better else 99)

    @property
    def baseline_median(self) -> float:
        """Median of the baseline over runs."""
        return median(self.baseline)

    @property
    def ratio(self) -> float:
        """explainbot's median divided by the baseline's median."""
        base = self.baseline_median
        if not self.baseline or base == 0 or math.isnan(base):
            return math.nan
        return self.median / base

    def judge(self, target: str, met: bool) -> None:
        """Record a target and whether the median meets it."""
        self.target = target
        self.met = met


def latency_summary(samples_ms: Sequence[float]) -> tuple[float, float]:
    """(p50, p99) of one run's per-request latencies in milliseconds."""
    return percentile(samples_ms, 50), percentile(samples_ms, 99)


def fmt(value: float, unit: str = "") -> str:
    """A compact human number for the report."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 1000:
        text = f"{value:,.0f}"
    elif magnitude >= 100:
        text = f"{value:.0f}"
    elif magnitude >= 10:
        text = f"{value:.1f}"
    elif magnitude >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}".strip()
