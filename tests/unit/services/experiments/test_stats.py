"""Experiment statistics against values published or derived by hand."""

from __future__ import annotations

import math

import pytest
from scipy import integrate
from scipy.stats import beta

from keycraft.services.experiments.stats import (
    probability_to_beat_control,
    relative_uplift,
    sample_size_per_variant,
    two_proportion_p_value,
    wilson_interval,
)


def test_wilson_interval_matches_published_values() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 0/10 and 5/10 rows.
    half = wilson_interval(5, 10)
    assert (round(half.low, 4), round(half.high, 4)) == (0.2366, 0.7634)
    none = wilson_interval(0, 10)
    assert none.low == pytest.approx(0.0, abs=1e-12)
    assert round(none.high, 4) == 0.2775
    assert wilson_interval(0, 0) == wilson_interval(0, 0).__class__(0.0, 1.0)


def test_two_proportion_p_value_matches_a_hand_computation() -> None:
    # 20% vs 25% of 1,000: pooled p = .225, se = .018675, z = 2.6774, p = .00742.
    assert two_proportion_p_value(200, 1000, 250, 1000) == pytest.approx(0.007420, abs=2e-6)
    assert two_proportion_p_value(100, 1000, 100, 1000) == pytest.approx(1.0)
    assert two_proportion_p_value(0, 10, 0, 10) is None
    assert two_proportion_p_value(1, 0, 1, 10) is None


def test_probability_to_beat_control_matches_closed_forms_and_integration() -> None:
    # Beta(2,1) vs Beta(1,1): P = integral of x * 2x dx = 2/3.
    assert probability_to_beat_control(0, 0, 1, 1) == pytest.approx(2 / 3)
    assert probability_to_beat_control(10, 100, 10, 100) == pytest.approx(0.5)
    a, b = beta(1 + 40, 1 + 960), beta(1 + 55, 1 + 945)
    numeric = integrate.quad(lambda x: a.cdf(x) * b.pdf(x), 0, 1)[0]
    assert probability_to_beat_control(40, 1000, 55, 1000) == pytest.approx(numeric, abs=1e-9)
    assert probability_to_beat_control(55, 1000, 40, 1000) == pytest.approx(1 - numeric, abs=1e-9)


def test_sample_size_matches_the_textbook_value() -> None:
    # 10% -> 12% at alpha .05 two-sided, power .8: 3,841 per group (Fleiss, pooled).
    assert sample_size_per_variant(0.10, 0.20) == 3841
    assert sample_size_per_variant(0.0, 0.10) is None
    assert sample_size_per_variant(0.95, 0.10) is None
    smaller_effect = sample_size_per_variant(0.10, 0.10)
    assert smaller_effect is not None and smaller_effect > 3841


def test_relative_uplift() -> None:
    assert relative_uplift(0.10, 0.12) == pytest.approx(0.20)
    assert relative_uplift(0.0, 0.12) is None
    assert math.isclose(relative_uplift(0.2, 0.1) or 0, -0.5)
