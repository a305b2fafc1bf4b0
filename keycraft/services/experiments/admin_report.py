"""The staff page's view of one experiment: lifecycle, results, checks and history as text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from keycraft.services.experiments.analysis import ExperimentAnalysis, load_analysis
from keycraft.services.experiments.assignment import OVERRIDE_PARAM
from keycraft.services.experiments.model import Experiment, Status
from keycraft.services.experiments.report import definition_warning, guidance, to_view
from keycraft.services.experiments.results import ExperimentResults
from keycraft.services.experiments.sequential import SEQUENTIAL_ALPHA, SequentialResult
from keycraft.services.experiments.srm import SRM_ALPHA
from keycraft.services.repository.port import Repository

METHOD = (
    "Sequential test (mixture SPRT, always valid): look as often as you like. A result is "
    f"final once the always-valid p-value falls to {SEQUENTIAL_ALPHA:.0%} or below; until then "
    "the difference is not established, however large it looks."
)

SRM_WARNING = (
    "Sample ratio mismatch: exposures are split {split}, far from the configured weights "
    "(chi-square {chi:.1f}, p = {p}). Assignment or counting is broken, so these numbers "
    "cannot be trusted and no winner can be declared."
)


@dataclass(frozen=True, slots=True)
class AdminView:
    """Everything the staff page shows for one experiment, as small, display-ready values."""

    key: str
    summary: dict[str, str]
    rows: list[dict[str, str]]
    guardrail_rows: list[dict[str, str]]
    history: list[dict[str, Any]]
    previews: list[dict[str, str]]
    weights: dict[str, str]


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _points(value: float) -> str:
    return f"{value * 100:+.2f} pp"


def _sequential_cells(result: SequentialResult | None) -> dict[str, str]:
    if result is None:
        return {"always_valid": "—", "seq_p": "—", "verdict": ""}
    direction = "better" if result.difference > 0 else "worse"
    return {
        "always_valid": f"{_points(result.low)} to {_points(result.high)}",
        "seq_p": _p(result.p_value),
        "verdict": direction if result.significant else "not yet",
    }


def _rows(
    results: ExperimentResults, tests: dict[str, SequentialResult | None]
) -> list[dict[str, str]]:
    rows = to_view(results).rows
    for row in rows:
        row.update(_sequential_cells(tests.get(row["variant"])))
        if row["variant"] == results.experiment.control:
            row["verdict"] = "control"
    return rows


def _srm_text(analysis: ExperimentAnalysis) -> str:
    srm = analysis.srm
    if srm is None or not srm.mismatch:
        return ""
    split = " / ".join(f"{row.exposures:,}" for row in analysis.primary.variants)
    return SRM_WARNING.format(split=split, chi=srm.chi_square, p=_p(srm.p_value))


def _verdict(analysis: ExperimentAnalysis) -> str:
    experiment = analysis.experiment
    if experiment.winner:
        return f"Concluded: {experiment.winner} is served to everyone."
    if analysis.srm_blocks_decision:
        return "No verdict: the sample ratio mismatch makes the numbers untrustworthy."
    final = [
        (variant, result)
        for variant, result in analysis.sequential.items()
        if result is not None and result.significant
    ]
    if not final:
        return "Not final yet: no variant differs from the control beyond chance so far."
    parts = [
        f"{variant} is {'better' if r.difference > 0 else 'worse'} than control "
        f"({_points(r.difference)})"
        for variant, r in final
    ]
    return "Final: " + "; ".join(parts) + "."


def _guardrail_note(analysis: ExperimentAnalysis) -> str:
    metric = analysis.experiment.guardrail
    if metric is None:
        return ""
    harmed = [
        variant
        for variant, r in analysis.guardrail_sequential.items()
        if r is not None and r.significant and r.difference < 0
    ]
    name = metric.value.replace("_", " ")
    if harmed:
        return f"Guardrail breached: {', '.join(harmed)} lowers {name}."
    return f"Guardrail ({name}): no variant has lowered it beyond chance."


def _history(analysis: ExperimentAnalysis) -> list[dict[str, Any]]:
    by_day: dict[str, dict[str, Any]] = {}
    for point in analysis.history:
        day = point.day.isoformat()
        by_day.setdefault(day, {"day": day})[point.variant] = round(point.rate * 100, 3)
    return [by_day[day] for day in sorted(by_day)]


def preview_path(experiment: Experiment, variant: str) -> str:
    """A link that shows staff one variant of the experiment (never counted)."""
    return f"{experiment.page}?{OVERRIDE_PARAM}={quote(f'{experiment.key}:{variant}', safe=':')}"


def _actions(experiment: Experiment) -> dict[str, str]:
    status = experiment.status
    can = {
        "can_start": status in (Status.DRAFT, Status.STOPPED),
        "can_pause": status is Status.RUNNING,
        "can_resume": status is Status.PAUSED,
        "can_stop": status in (Status.RUNNING, Status.PAUSED),
        "can_change": status is not Status.STOPPED,
        "can_declare": status is not Status.DRAFT and not experiment.winner,
    }
    return {name: "yes" if allowed else "" for name, allowed in can.items()}


def admin_view(analysis: ExperimentAnalysis, warning: str = "") -> AdminView:
    """Format one analysed experiment (``warning`` flags a refused definition)."""
    experiment = analysis.experiment
    srm_text = _srm_text(analysis)
    summary = {
        **to_view(analysis.primary, warning).summary,
        "ramp": f"{experiment.ramp_percent}%",
        "winner": experiment.winner,
        "split": " / ".join(f"{v.key} {v.weight}" for v in experiment.variants),
        "guardrail": experiment.guardrail.value.replace("_", " ") if experiment.guardrail else "",
        "guardrail_note": _guardrail_note(analysis),
        "srm": srm_text,
        "srm_p": "—" if analysis.srm is None else _p(analysis.srm.p_value),
        "srm_alpha": f"{SRM_ALPHA}",
        "method": METHOD,
        "verdict": _verdict(analysis),
        "guidance": guidance(analysis.primary),
        "next_version": str(experiment.version + 1),
        **_actions(experiment),
    }
    if srm_text:
        summary["can_declare"] = ""
    return AdminView(
        key=experiment.key,
        summary=summary,
        rows=_rows(analysis.primary, analysis.sequential),
        guardrail_rows=(
            _rows(analysis.guardrail, analysis.guardrail_sequential) if analysis.guardrail else []
        ),
        history=_history(analysis),
        previews=[
            {"variant": variant, "path": preview_path(experiment, variant)}
            for variant in experiment.variant_keys
        ],
        weights={v.key: str(v.weight) for v in experiment.variants},
    )


def admin_views(
    repo: Repository, experiments: tuple[Experiment, ...], now: datetime
) -> list[AdminView]:
    """Analyse and format every experiment as it runs now."""
    return [
        admin_view(load_analysis(repo, e), definition_warning(repo, e, now)) for e in experiments
    ]
