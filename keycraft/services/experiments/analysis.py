"""What staff judge an experiment by: primary and guardrail metrics, SRM, sequential test, history.

The sample-ratio check says whether the data can be trusted at all, the sequential test
whether a difference is real (at any look), and the history how the rates moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from keycraft.services.experiments.model import (
    EXPOSURE,
    DailyTally,
    Experiment,
    Metric,
    Tally,
)
from keycraft.services.experiments.results import ExperimentResults, compute_results
from keycraft.services.experiments.sequential import (
    SEQUENTIAL_ALPHA,
    Counts,
    SequentialResult,
    sequential_test,
)
from keycraft.services.experiments.srm import SrmCheck, sample_ratio_check
from keycraft.services.repository.port import Repository


@dataclass(frozen=True, slots=True)
class DailyPoint:
    """Cumulative exposures and conversions of one variant at the end of one UTC day."""

    day: date
    variant: str
    exposures: int
    conversions: int

    @property
    def rate(self) -> float:
        """Cumulative conversion rate (0 before anyone was exposed)."""
        return self.conversions / self.exposures if self.exposures else 0.0


@dataclass(frozen=True, slots=True)
class ExperimentAnalysis:
    """One experiment version, analysed."""

    experiment: Experiment
    primary: ExperimentResults
    guardrail: ExperimentResults | None
    srm: SrmCheck | None
    sequential: dict[str, SequentialResult | None]
    """Primary metric, each non-control variant against the control."""
    guardrail_sequential: dict[str, SequentialResult | None]
    history: tuple[DailyPoint, ...]
    """Primary metric, cumulative per day and variant."""

    @property
    def srm_blocks_decision(self) -> bool:
        """Whether the split is too far off the weights to trust any comparison."""
        return self.srm is not None and self.srm.mismatch

    @property
    def concluded(self) -> bool:
        """Whether the sequential test has reached a final result for some variant."""
        return any(result and result.significant for result in self.sequential.values())


def cumulative_history(
    experiment: Experiment, daily: list[DailyTally], metric: Metric
) -> tuple[DailyPoint, ...]:
    """Cumulative exposures and conversions per variant at the end of every day seen."""
    days = sorted({tally.day for tally in daily})
    points: list[DailyPoint] = []
    for variant in experiment.variant_keys:

        def on(day: date, event: str, variant: str = variant) -> int:
            return sum(
                t.count for t in daily if t.day == day and t.variant == variant and t.event == event
            )

        exposures = accumulate(on(day, EXPOSURE) for day in days)
        conversions = accumulate(on(day, metric.value) for day in days)
        points += [
            DailyPoint(day, variant, n, c)
            for day, n, c in zip(days, exposures, conversions, strict=True)
        ]
    return tuple(sorted(points, key=lambda p: (p.day, experiment.variant_keys.index(p.variant))))


def _looks(
    experiment: Experiment, variant: str, daily: list[DailyTally], metric: Metric, now: Counts
) -> list[Counts]:
    history = cumulative_history(experiment, daily, metric)
    by_day: dict[date, dict[str, DailyPoint]] = {}
    for point in history:
        by_day.setdefault(point.day, {})[point.variant] = point
    looks = [
        Counts(
            points[experiment.control].exposures,
            points[experiment.control].conversions,
            points[variant].exposures,
            points[variant].conversions,
        )
        for _, points in sorted(by_day.items())
    ]
    # The totals are the latest look (they also hold events older than the daily counters).
    return [*looks, now]


def _sequential(
    experiment: Experiment, results: ExperimentResults, daily: list[DailyTally]
) -> dict[str, SequentialResult | None]:
    rows = {row.variant: row for row in results.variants}
    control = rows[experiment.control]
    # Several variants share the error rate (Bonferroni), so the family stays at alpha.
    alpha = SEQUENTIAL_ALPHA / max(1, len(experiment.variants) - 1)
    compared: dict[str, SequentialResult | None] = {}
    for variant in experiment.variant_keys[1:]:
        row = rows[variant]
        now = Counts(control.exposures, control.conversions, row.exposures, row.conversions)
        looks = _looks(experiment, variant, daily, results.metric, now)
        compared[variant] = sequential_test(looks, alpha)
    return compared


def analyse(
    experiment: Experiment, tallies: list[Tally], daily: list[DailyTally]
) -> ExperimentAnalysis:
    """Analyse one experiment version from its tallies and daily tallies (pure)."""
    primary = compute_results(experiment, tallies)
    guardrail = (
        compute_results(experiment, tallies, experiment.guardrail) if experiment.guardrail else None
    )
    srm = sample_ratio_check(
        [row.exposures for row in primary.variants], [row.weight for row in primary.variants]
    )
    return ExperimentAnalysis(
        experiment=experiment,
        primary=primary,
        guardrail=guardrail,
        srm=srm,
        sequential=_sequential(experiment, primary, daily),
        guardrail_sequential=_sequential(experiment, guardrail, daily) if guardrail else {},
        history=cumulative_history(experiment, daily, experiment.metric),
    )


def load_analysis(repo: Repository, experiment: Experiment) -> ExperimentAnalysis:
    """Read the current version's tallies and analyse them."""
    tallies = repo.experiment_tallies(experiment.key, experiment.version)
    daily = repo.experiment_daily_tallies(experiment.key, experiment.version)
    return analyse(experiment, tallies, daily)
