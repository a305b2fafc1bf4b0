"""Results formatted for display: percentages, intervals and plain-language guidance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from keycraft.services.experiments.assignment import is_counted
from keycraft.services.experiments.model import Experiment
from keycraft.services.experiments.results import ExperimentResults, load_results
from keycraft.services.experiments.service import ExperimentChanged, verify_definition
from keycraft.services.repository.port_experiments import ExperimentsRepository


@dataclass(frozen=True, slots=True)
class ResultsView:
    """One experiment's results as display strings (small, so cheap to send to the page)."""

    key: str
    summary: dict[str, str]
    rows: list[dict[str, str]]


def _percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def _signed_percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


def _p_value(value: float | None) -> str:
    if value is None:
        return "—"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def guidance(results: ExperimentResults) -> str:
    """A sentence on whether the sample is large enough yet."""
    needed = results.needed_per_variant
    if needed is None:
        return "No baseline conversions yet: sample size cannot be estimated."
    have = results.smallest_arm
    mde = f"{results.relative_mde * 100:.0f}%"
    if have >= needed:
        return f"Enough traffic to detect a {mde} relative change ({needed:,} per variant)."
    return (
        f"About {needed:,} visitors per variant are needed to detect a {mde} relative "
        f"change; the smallest variant has {have:,} ({have / needed:.0%})."
    )


CHANGED_WARNING = (
    "The weights differ from the ones this version started with, so nobody is being "
    "counted. Restore them, or bump the version to start a new count."
)


def to_view(results: ExperimentResults, warning: str = "") -> ResultsView:
    """Format one experiment's results (``warning`` flags a refused definition)."""
    experiment = results.experiment
    rows = [
        {
            "variant": row.variant,
            "weight": str(row.weight),
            "exposures": f"{row.exposures:,}",
            "conversions": f"{row.conversions:,}",
            "rate": _percent(row.rate, 2),
            "interval": f"{_percent(row.rate_low)} – {_percent(row.rate_high)}",
            "uplift": _signed_percent(row.uplift),
            "p_value": _p_value(row.p_value),
            "beat_control": _percent(row.probability_to_beat_control),
        }
        for row in results.variants
    ]
    summary = {
        "key": experiment.key,
        "description": experiment.description,
        "where": f"{experiment.page} · {experiment.section}",
        "metric": results.metric.value.replace("_", " "),
        "status": experiment.status.value,
        "version": str(experiment.version),
        "guidance": guidance(results),
        "warning": warning,
    }
    return ResultsView(key=experiment.key, summary=summary, rows=rows)


def definition_warning(repo: ExperimentsRepository, experiment: Experiment, now: datetime) -> str:
    """Why a running experiment is not being counted ('' when it is fine)."""
    if not is_counted(experiment):
        return ""
    try:
        verify_definition(repo, experiment, now)
    except ExperimentChanged:
        return CHANGED_WARNING
    return ""


def results_views(
    repo: ExperimentsRepository, experiments: tuple[Experiment, ...], now: datetime
) -> list[ResultsView]:
    """Load and format the results of every experiment."""
    return [
        to_view(load_results(repo, experiment), definition_warning(repo, experiment, now))
        for experiment in experiments
    ]
