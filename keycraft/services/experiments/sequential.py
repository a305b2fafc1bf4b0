"""Peeking-safe comparison of two conversion rates: the mixture sequential probability ratio test.

Staff look at results whenever they like, and a classic fixed-sample p-value checked every
day finds a "winner" in an A/A test far more often than its 5% promises. The mSPRT
(Johari, Koomen, Pekelis & Walsh, "Always Valid Inference", Operations Research 2022;
the method behind Optimizely's Stats Engine) gives a p-value and a confidence interval
valid at every look at once: the chance that an A/A test is *ever* declared significant
stays below alpha. It uses the normal approximation of the difference in rates, with a
normal mixing distribution N(0, tau^2) over the true difference.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

SEQUENTIAL_ALPHA = 0.05
"""Error rate of the sequential test (split across variants when there are several)."""

MIXTURE_SD = 0.01
"""tau: the spread of differences in rate we expect (one percentage point). It sets where
the test has most power, never its validity; fixed in advance, not fitted to the data."""


@dataclass(frozen=True, slots=True)
class Counts:
    """Cumulative exposures and conversions of control (a) and a variant (b) at one look."""

    exposures_a: int
    conversions_a: int
    exposures_b: int
    conversions_b: int


@dataclass(frozen=True, slots=True)
class SequentialResult:
    """The always-valid comparison of a variant with the control after every look so far."""

    difference: float
    """Observed rate of the variant minus that of the control."""
    low: float
    high: float
    p_value: float
    """Always-valid p-value: the smallest 1/likelihood ratio seen at any look."""
    alpha: float

    @property
    def significant(self) -> bool:
        """Whether the test has concluded that the rates differ (final at any look)."""
        return self.p_value <= self.alpha


def _variance(counts: Counts) -> float | None:
    if min(counts.exposures_a, counts.exposures_b) == 0:
        return None
    rate_a = counts.conversions_a / counts.exposures_a
    rate_b = counts.conversions_b / counts.exposures_b
    variance = (
        rate_a * (1 - rate_a) / counts.exposures_a + rate_b * (1 - rate_b) / counts.exposures_b
    )
    return variance if variance > 0 else None


def _difference(counts: Counts) -> float:
    return counts.conversions_b / counts.exposures_b - counts.conversions_a / counts.exposures_a


def likelihood_ratio(counts: Counts, tau: float = MIXTURE_SD) -> float:
    """The mixture likelihood ratio of "rates differ" against "rates are equal" at one look.

    With estimated difference d and its variance V: sqrt(V / (V + tau^2)) *
    exp(tau^2 d^2 / (2 V (V + tau^2))). Returns 1 (no evidence) before both arms have
    a non-degenerate rate.
    """
    variance = _variance(counts)
    if variance is None:
        return 1.0
    spread = variance + tau * tau
    exponent = tau * tau * _difference(counts) ** 2 / (2 * variance * spread)
    return math.sqrt(variance / spread) * math.exp(min(exponent, 700.0))


def half_width(counts: Counts, alpha: float, tau: float = MIXTURE_SD) -> float | None:
    """Half-width of the always-valid interval for the difference at one look.

    It is the set of differences the test would not reject:
    sqrt(V (V + tau^2) / tau^2 * (2 ln(1/alpha) + ln((V + tau^2) / V))).
    """
    variance = _variance(counts)
    if variance is None:
        return None
    spread = variance + tau * tau
    return math.sqrt(
        variance * spread / (tau * tau) * (2 * math.log(1 / alpha) + math.log(spread / variance))
    )


def sequential_test(
    looks: Iterable[Counts], alpha: float = SEQUENTIAL_ALPHA, tau: float = MIXTURE_SD
) -> SequentialResult | None:
    """Run the test over cumulative counts in time order (the last look is "now").

    The p-value is the running minimum of 1/likelihood ratio and the interval the running
    intersection, so neither can get worse by looking again. None without any usable look.
    """
    p_value, low, high = 1.0, -1.0, 1.0
    last: Counts | None = None
    for counts in looks:
        width = half_width(counts, alpha, tau)
        if width is None:
            continue
        last = counts
        p_value = min(p_value, 1 / likelihood_ratio(counts, tau))
        difference = _difference(counts)
        low, high = max(low, difference - width), min(high, difference + width)
    if last is None:
        return None
    # An empty intersection can only follow a rejection; keep the interval around the
    # latest estimate then rather than show an impossible range.
    difference = _difference(last)
    if low > high:
        low = high = difference
    return SequentialResult(difference, low, high, min(1.0, p_value), alpha)
