"""Results formatted for the staff page."""

from __future__ import annotations

from keycraft.services.experiments.catalog import HERO_HEADLINE
from keycraft.services.experiments.model import EXPOSURE, Metric, Tally
from keycraft.services.experiments.report import guidance, to_view
from keycraft.services.experiments.results import compute_results

TALLIES = [
    Tally("control", EXPOSURE, 1000),
    Tally("control", Metric.SIGNUP.value, 100),
    Tally("outcome", EXPOSURE, 1000),
    Tally("outcome", Metric.SIGNUP.value, 130),
]


def test_rows_are_display_strings() -> None:
    control, outcome = to_view(compute_results(HERO_HEADLINE, TALLIES)).rows
    assert control["rate"] == "10.00%" and control["uplift"] == "—"
    assert outcome["exposures"] == "1,000"
    assert outcome["uplift"] == "+30.0%"
    assert outcome["interval"] == "11.1% – 15.2%"
    assert outcome["p_value"] == "0.035"  # z = 2.103 by hand


def test_guidance_compares_the_smallest_arm_with_the_needed_sample() -> None:
    # 10% -> 11%: (1.96 * .43353 + .84162 * .43347)^2 / .01^2 = 14,750.8 per variant.
    text = guidance(compute_results(HERO_HEADLINE, TALLIES))
    assert text.startswith("About 14,751 visitors per variant are needed")
    assert "has 1,000 (7%)" in text
    plenty = [Tally(t.variant, t.event, t.count * 20) for t in TALLIES]
    assert guidance(compute_results(HERO_HEADLINE, plenty)).startswith("Enough traffic")
    assert "cannot be estimated" in guidance(compute_results(HERO_HEADLINE, []))
