"""Sample-ratio mismatch: are exposures split the way the weights say they should be?

A split far from the configured weights means assignment or counting is broken (bots,
redirects, a variant that crashes before it reports), and then no comparison between the
variants can be trusted. The check is Pearson's chi-square goodness-of-fit test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SRM_ALPHA = 0.001
"""A mismatch is flagged below this p-value: strict, since the check runs on every view."""

_MAX_ITERATIONS = 500
_EPSILON = 1e-15
_TINY = 1e-300


def _lower_series(a: float, x: float) -> float:
    # P(a, x) = x^a e^-x / Gamma(a+1) * sum_n x^n / ((a+1)...(a+n)); converges fast for x < a+1.
    term = total = 1.0 / a
    denominator = a
    for _ in range(_MAX_ITERATIONS):
        denominator += 1
        term *= x / denominator
        total += term
        if abs(term) < abs(total) * _EPSILON:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_fraction(a: float, x: float) -> float:
    # Q(a, x) by its continued fraction, evaluated with the modified Lentz method;
    # converges fast for x >= a+1, where the series would need many terms.
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    result = d
    for i in range(1, _MAX_ITERATIONS):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        step = d * c
        result *= step
        if abs(step - 1) < _EPSILON:
            break
    return result * math.exp(-x + a * math.log(x) - math.lgamma(a))


def chi_square_sf(statistic: float, degrees_of_freedom: int) -> float:
    """P(X >= statistic) for a chi-square variable: the regularised upper gamma Q(k/2, x/2)."""
    if degrees_of_freedom < 1:
        raise ValueError("degrees_of_freedom must be 1 or more")
    if statistic <= 0:
        return 1.0
    a, x = degrees_of_freedom / 2, statistic / 2
    if x < a + 1:
        return max(0.0, 1.0 - _lower_series(a, x))
    return min(1.0, _upper_fraction(a, x))


@dataclass(frozen=True, slots=True)
class SrmCheck:
    """The chi-square test of observed exposures against the configured weights."""

    chi_square: float
    p_value: float
    expected: tuple[float, ...]

    @property
    def mismatch(self) -> bool:
        """Whether the split is so unlikely under the weights that the data are suspect."""
        return self.p_value < SRM_ALPHA


def sample_ratio_check(exposures: list[int], weights: list[int]) -> SrmCheck | None:
    """Test whether ``exposures`` (one count per variant) fit ``weights``.

    Returns None before there is anything to test (no exposures at all).
    """
    if len(exposures) != len(weights) or len(weights) < 2:
        raise ValueError("one exposure count and one weight per variant, two or more")
    total = sum(exposures)
    if total == 0:
        return None
    weight_total = sum(weights)
    expected = tuple(total * weight / weight_total for weight in weights)
    statistic = sum((o - e) ** 2 / e for o, e in zip(exposures, expected, strict=True))
    return SrmCheck(statistic, chi_square_sf(statistic, len(weights) - 1), expected)
