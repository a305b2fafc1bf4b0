"""Statistics for conversion experiments, in the standard library only.

Rates use the Wilson score interval (sound near 0 and 1, where the Wald interval is not);
differences use the pooled two-proportion z-test; the Bayesian comparison is the exact
probability that one Beta posterior (uniform prior) exceeds another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()
Z_95 = _NORMAL.inv_cdf(0.975)


@dataclass(frozen=True, slots=True)
class Interval:
    """A two-sided confidence interval for a proportion."""

    low: float
    high: float


def conversion_rate(conversions: int, exposures: int) -> float:
    """Conversions per exposure (0 when nobody was exposed)."""
    return conversions / exposures if exposures else 0.0


def wilson_interval(conversions: int, exposures: int, z: float = Z_95) -> Interval:
    """Wilson score interval for ``conversions / exposures`` (95% by default)."""
    if exposures == 0:
        return Interval(0.0, 1.0)
    p = conversions / exposures
    denominator = 1 + z * z / exposures
    centre = (p + z * z / (2 * exposures)) / denominator
    half = z * math.sqrt(p * (1 - p) / exposures + z * z / (4 * exposures**2)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def relative_uplift(control_rate: float, variant_rate: float) -> float | None:
    """(variant - control) / control; None when the control rate is zero."""
    return None if control_rate == 0 else (variant_rate - control_rate) / control_rate


def two_proportion_p_value(
    control_conversions: int,
    control_exposures: int,
    variant_conversions: int,
    variant_exposures: int,
) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test; None if it is undefined."""
    if control_exposures == 0 or variant_exposures == 0:
        return None
    pooled = (control_conversions + variant_conversions) / (control_exposures + variant_exposures)
    variance = pooled * (1 - pooled) * (1 / control_exposures + 1 / variant_exposures)
    if variance == 0:
        return None
    difference = variant_conversions / variant_exposures - control_conversions / control_exposures
    z = difference / math.sqrt(variance)
    return 2 * (1 - _NORMAL.cdf(abs(z)))


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def probability_to_beat_control(
    control_conversions: int,
    control_exposures: int,
    variant_conversions: int,
    variant_exposures: int,
) -> float:
    """P(variant rate > control rate) under Beta(1 + conversions, 1 + misses) posteriors.

    The exact finite sum (Evan Miller, "Formulas for Bayesian A/B testing") costs one
    term per variant conversion, which is cheap at any realistic traffic.
    """
    alpha_a = 1 + control_conversions
    beta_a = 1 + control_exposures - control_conversions
    alpha_b = 1 + variant_conversions
    beta_b = 1 + variant_exposures - variant_conversions
    total = 0.0
    for i in range(alpha_b):
        total += math.exp(
            _log_beta(alpha_a + i, beta_a + beta_b)
            - math.log(beta_b + i)
            - _log_beta(1 + i, beta_b)
            - _log_beta(alpha_a, beta_a)
        )
    return min(1.0, max(0.0, total))


def sample_size_per_variant(
    baseline_rate: float, relative_mde: float, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Visitors each arm needs to detect a relative change of ``relative_mde``.

    Two-sided test at level ``alpha`` with the given power, pooled variance under the null.
    None when the baseline or the target rate is outside (0, 1).
    """
    target = baseline_rate * (1 + relative_mde)
    if not (0 < baseline_rate < 1 and 0 < target < 1) or target == baseline_rate:
        return None
    z_alpha = _NORMAL.inv_cdf(1 - alpha / 2)
    z_power = _NORMAL.inv_cdf(power)
    mean = (baseline_rate + target) / 2
    numerator = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(
        baseline_rate * (1 - baseline_rate) + target * (1 - target)
    )
    return math.ceil(numerator**2 / (target - baseline_rate) ** 2)
