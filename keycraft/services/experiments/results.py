"""Per-variant results of an experiment for the staff page and the CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from keycraft.services.experiments.model import EXPOSURE, Experiment, Metric, Tally
from keycraft.services.experiments.stats import (
    conversion_rate,
    probability_to_beat_control,
    relative_uplift,
    sample_size_per_variant,
    two_proportion_p_value,
    wilson_interval,
)
from keycraft.services.repository.port_experiments import ExperimentsRepository

DEFAULT_RELATIVE_MDE = 0.10
"""The smallest relative uplift the sample-size guidance plans for (10%)."""


@dataclass(frozen=True, slots=True)
class VariantResult:
    """One variant's numbers for the experiment's primary metric."""

    variant: str
    weight: int
    exposures: int
    conversions: int
    rate: float
    rate_low: float
    rate_high: float
    uplift: float | None
    p_value: float | None
    probability_to_beat_control: float | None


@dataclass(frozen=True, slots=True)
class ExperimentResults:
    """Everything the results page shows about one experiment version."""

    experiment: Experiment
    metric: Metric
    variants: tuple[VariantResult, ...]
    needed_per_variant: int | None
    relative_mde: float

    @property
    def smallest_arm(self) -> int:
        """Exposures of the least-seen variant (what the sample-size guidance compares)."""
        return min((v.exposures for v in self.variants), default=0)


def _count(tallies: list[Tally], variant: str, event: str) -> int:
    return sum(t.count for t in tallies if t.variant == variant and t.event == event)


def compute_results(
    experiment: Experiment,
    tallies: list[Tally],
    metric: Metric | None = None,
    relative_mde: float = DEFAULT_RELATIVE_MDE,
) -> ExperimentResults:
    """Turn raw tallies into rates, intervals and comparisons with the control."""
    metric = metric or experiment.metric
    control_n = _count(tallies, experiment.control, EXPOSURE)
    control_c = _count(tallies, experiment.control, metric.value)
    control_rate = conversion_rate(control_c, control_n)
    rows = []
    for variant in experiment.variants:
        n = _count(tallies, variant.key, EXPOSURE)
        c = _count(tallies, variant.key, metric.value)
        rate = conversion_rate(c, n)
        interval = wilson_interval(c, n)
        is_control = variant.key == experiment.control
        compared = not is_control and n > 0 and control_n > 0
        rows.append(
            VariantResult(
                variant=variant.key,
                weight=variant.weight,
                exposures=n,
                conversions=c,
                rate=rate,
                rate_low=interval.low,
                rate_high=interval.high,
                uplift=relative_uplift(control_rate, rate) if compared else None,
                p_value=two_proportion_p_value(control_c, control_n, c, n) if compared else None,
                probability_to_beat_control=(
                    probability_to_beat_control(control_c, control_n, c, n) if compared else None
                ),
            )
        )
    return ExperimentResults(
        experiment=experiment,
        metric=metric,
        variants=tuple(rows),
        needed_per_variant=sample_size_per_variant(control_rate, relative_mde),
        relative_mde=relative_mde,
    )


def load_results(repo: ExperimentsRepository, experiment: Experiment) -> ExperimentResults:
    """Read the current version's tallies and compute its primary-metric results."""
    return compute_results(experiment, repo.experiment_tallies(experiment.key, experiment.version))


def load_all_metrics(
    repo: ExperimentsRepository, experiment: Experiment
) -> tuple[ExperimentResults, ...]:
    """Results for every metric, the primary one first (one read of the tallies)."""
    tallies = repo.experiment_tallies(experiment.key, experiment.version)
    metrics = (experiment.metric, *(m for m in Metric if m is not experiment.metric))
    return tuple(compute_results(experiment, tallies, metric) for metric in metrics)


CSV_COLUMNS = (
    "experiment",
    "version",
    "metric",
    "variant",
    "weight",
    "exposures",
    "conversions",
    "rate",
    "rate_low_95",
    "rate_high_95",
    "uplift_vs_control",
    "p_value",
    "probability_to_beat_control",
)


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def results_csv(*all_results: ExperimentResults) -> str:
    """Render results as CSV, one row per metric and variant."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for results in all_results:
        _write_rows(writer, results)
    return buffer.getvalue()


def _write_rows(writer: Any, results: ExperimentResults) -> None:
    for row in results.variants:
        writer.writerow(
            [
                results.experiment.key,
                results.experiment.version,
                results.metric.value,
                row.variant,
                row.weight,
                row.exposures,
                row.conversions,
                _cell(row.rate),
                _cell(row.rate_low),
                _cell(row.rate_high),
                _cell(row.uplift),
                _cell(row.p_value),
                _cell(row.probability_to_beat_control),
            ]
        )
