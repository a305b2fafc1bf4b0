"""Sample-ratio mismatch: the chi-square tail against published tables, and flagged splits."""

from __future__ import annotations

import pytest

from keycraft.services.experiments.assignment import assign, new_visitor_id
from keycraft.services.experiments.catalog import HERO_HEADLINE
from keycraft.services.experiments.srm import SRM_ALPHA, chi_square_sf, sample_ratio_check

# Critical values of the chi-square distribution as printed in the NIST/SEMATECH
# e-Handbook of Statistical Methods, section 1.3.6.7.4 (upper-tail probabilities).
PUBLISHED_CRITICAL_VALUES = [
    (1, 0.10, 2.706),
    (1, 0.05, 3.841),
    (1, 0.01, 6.635),
    (1, 0.001, 10.828),
    (2, 0.05, 5.991),
    (2, 0.001, 13.816),
    (3, 0.05, 7.815),
    (4, 0.01, 13.277),
    (10, 0.05, 18.307),
]


@pytest.mark.parametrize(("df", "tail", "critical"), PUBLISHED_CRITICAL_VALUES)
def test_chi_square_tail_matches_the_published_table(df: int, tail: float, critical: float) -> None:
    # The table rounds to three decimals, so the tail agrees to about 0.1% of itself.
    assert chi_square_sf(critical, df) == pytest.approx(tail, rel=2e-3)


def test_chi_square_tail_matches_closed_forms() -> None:
    # With two degrees of freedom the tail is exp(-x/2); with one it is erfc(sqrt(x/2)).
    import math

    for x in (0.1, 1.0, 4.0, 25.0, 80.0):
        assert chi_square_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-10)
        assert chi_square_sf(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-9)
    assert chi_square_sf(0.0, 3) == 1.0


def test_a_lopsided_split_of_an_even_experiment_is_flagged() -> None:
    # 5,200 vs 4,800 under 50/50: chi-square = 2 * 200^2 / 5,000 = 16, p = 6.3e-5.
    check = sample_ratio_check([5200, 4800], [50, 50])
    assert check is not None
    assert check.chi_square == pytest.approx(16.0)
    assert check.p_value == pytest.approx(6.334e-5, rel=1e-3)
    assert check.mismatch


def test_a_split_that_fits_the_weights_is_not_flagged() -> None:
    # 5,030 vs 4,970: chi-square 0.36, p = 0.5485.
    fair = sample_ratio_check([5030, 4970], [1, 1])
    assert fair is not None and not fair.mismatch
    assert fair.p_value == pytest.approx(0.5485, abs=1e-4)
    # Unequal weights: 9,000 / 1,000 fits 90/10 exactly, but is a glaring mismatch of 50/50.
    assert sample_ratio_check([9000, 1000], [90, 10]).p_value == pytest.approx(1.0)  # type: ignore[union-attr]
    assert sample_ratio_check([9000, 1000], [50, 50]).mismatch  # type: ignore[union-attr]
    assert sample_ratio_check([0, 0], [1, 1]) is None


def test_real_assignment_rarely_raises_a_false_alarm() -> None:
    # 300 populations of 2,000 visitors assigned by the real hash: with a correct split the
    # check may fire about SRM_ALPHA of the time, so more than a few alarms means a bug.
    alarms = 0
    for _ in range(300):
        counts = {"control": 0, "outcome": 0}
        for _ in range(2000):
            counts[assign(HERO_HEADLINE, new_visitor_id())] += 1
        check = sample_ratio_check([counts["control"], counts["outcome"]], [50, 50])
        alarms += bool(check and check.mismatch)
    assert alarms <= 3, f"{alarms} false alarms in 300 runs at alpha {SRM_ALPHA}"
