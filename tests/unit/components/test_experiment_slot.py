"""An experiment slot must be given exactly one view per declared variant."""

from __future__ import annotations

import pytest
import reflex as rx

from keycraft.components.experiments import experiment_slot
from keycraft.services.experiments.catalog import HERO_HEADLINE


def _view() -> rx.Component:
    return rx.text("x")


def _control() -> rx.Component:
    return rx.text("control-view")


def _outcome() -> rx.Component:
    return rx.text("outcome-view")


def test_views_must_match_the_declared_variants() -> None:
    with pytest.raises(ValueError, match="hero_headline"):
        experiment_slot(HERO_HEADLINE, control=_view)
    with pytest.raises(ValueError, match="hero_headline"):
        experiment_slot(HERO_HEADLINE, control=_view, outcome=_view, extra=_view)
    rendered = str(experiment_slot(HERO_HEADLINE, control=_control, outcome=_outcome))
    # Each variant's view is tagged with its key; the control doubles as the hidden
    # placeholder and the fallback.
    assert rendered.count('data-variant":"outcome"') == 1
    assert rendered.count('data-variant":"control"') == 2
    assert rendered.count("outcome-view") == 1
    assert rendered.count("control-view") == 3
