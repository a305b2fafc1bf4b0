"""Results per variant and their CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from keycraft.services.experiments.catalog import HERO_HEADLINE
from keycraft.services.experiments.model import EXPOSURE, Metric, Tally
from keycraft.services.experiments.results import CSV_COLUMNS, compute_results, results_csv

TALLIES = [
    Tally("control", EXPOSURE, 1000),
    Tally("control", Metric.SIGNUP.value, 200),
    Tally("control", Metric.PAID.value, 7),
    Tally("outcome", EXPOSURE, 1000),
    Tally("outcome", Metric.SIGNUP.value, 250),
]


def test_results_compare_each_variant_with_the_control() -> None:
    results = compute_results(HERO_HEADLINE, TALLIES)
    control, outcome = results.variants
    assert (control.exposures, control.conversions, control.rate) == (1000, 200, 0.2)
    assert control.uplift is None and control.p_value is None
    assert (outcome.exposures, outcome.conversions) == (1000, 250)
    assert outcome.uplift == pytest.approx(0.25)
    assert outcome.p_value == pytest.approx(0.00742, abs=1e-5)
    assert outcome.probability_to_beat_control is not None
    assert outcome.probability_to_beat_control > 0.99
    assert outcome.rate_low < 0.25 < outcome.rate_high
    assert results.needed_per_variant == pytest.approx(6500, rel=0.1)
    assert results.smallest_arm == 1000


def test_results_with_no_traffic_are_empty_not_errors() -> None:
    results = compute_results(HERO_HEADLINE, [])
    assert [v.exposures for v in results.variants] == [0, 0]
    assert results.needed_per_variant is None


def test_csv_has_one_row_per_metric_and_variant() -> None:
    signup = compute_results(HERO_HEADLINE, TALLIES)
    paid = compute_results(HERO_HEADLINE, TALLIES, Metric.PAID)
    rows = list(csv.DictReader(io.StringIO(results_csv(signup, paid))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["metric"], r["variant"]) for r in rows] == [
        ("signup", "control"),
        ("signup", "outcome"),
        ("paid", "control"),
        ("paid", "outcome"),
    ]
    assert rows[1]["conversions"] == "250"
    assert rows[1]["uplift_vs_control"] == "0.250000"
    assert rows[0]["p_value"] == ""
    assert (rows[2]["conversions"], rows[3]["conversions"]) == ("7", "0")
