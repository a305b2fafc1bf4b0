"""The staff page's view: SRM blocks a winner, the verdict, the history, preview links."""

from __future__ import annotations

from datetime import date

from keycraft.services.experiments.admin_report import admin_view, preview_path
from keycraft.services.experiments.analysis import analyse
from keycraft.services.experiments.catalog import HERO_HEADLINE
from keycraft.services.experiments.model import EXPOSURE, DailyTally, Tally

DAY_ONE, DAY_TWO = date(2026, 12, 1), date(2026, 12, 2)


def _tallies(control: tuple[int, int], outcome: tuple[int, int]) -> list[Tally]:
    return [
        Tally("control", EXPOSURE, control[0]),
        Tally("control", "signup", control[1]),
        Tally("outcome", EXPOSURE, outcome[0]),
        Tally("outcome", "signup", outcome[1]),
    ]


def test_a_sample_ratio_mismatch_is_shown_and_hides_the_winner_buttons() -> None:
    # 5,200 vs 4,800 on a 50/50 split: p = 6e-5, below the 0.001 threshold.
    view = admin_view(analyse(HERO_HEADLINE, _tallies((5200, 520), (4800, 600)), []))
    assert view.summary["srm"].startswith(
        "Sample ratio mismatch: exposures are split 5,200 / 4,800"
    )
    assert view.summary["can_declare"] == ""
    assert view.summary["verdict"].startswith("No verdict")


def test_a_clear_difference_is_final_and_the_guardrail_is_reported() -> None:
    tallies = _tallies((5000, 250), (5000, 400)) + [
        Tally("control", "checkout_started", 100),
        Tally("outcome", "checkout_started", 60),
    ]
    view = admin_view(analyse(HERO_HEADLINE, tallies, []))
    assert view.summary["srm"] == "" and view.summary["can_declare"] == "yes"
    assert view.summary["verdict"] == "Final: outcome is better than control (+3.00 pp)."
    assert [row["verdict"] for row in view.rows] == ["control", "better"]
    assert view.summary["guardrail_note"] == "Guardrail breached: outcome lowers checkout started."


def test_history_is_cumulative_per_day_and_variant() -> None:
    daily = [
        DailyTally(DAY_ONE, "control", EXPOSURE, 100),
        DailyTally(DAY_ONE, "control", "signup", 5),
        DailyTally(DAY_ONE, "outcome", EXPOSURE, 100),
        DailyTally(DAY_TWO, "control", EXPOSURE, 100),
        DailyTally(DAY_TWO, "outcome", EXPOSURE, 100),
        DailyTally(DAY_TWO, "outcome", "signup", 20),
    ]
    view = admin_view(analyse(HERO_HEADLINE, _tallies((200, 5), (200, 20)), daily))
    assert view.history == [
        {"day": "2026-12-01", "control": 5.0, "outcome": 0.0},
        {"day": "2026-12-02", "control": 2.5, "outcome": 10.0},
    ]


def test_preview_links_name_the_experiment_and_variant() -> None:
    assert preview_path(HERO_HEADLINE, "outcome") == "/?kc_variant=hero_headline:outcome"
