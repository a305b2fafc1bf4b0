"""Staff page: run experiments (start, pause, split, ramp, winner), read results, manage staff."""

import reflex as rx

from keycraft.components.admin.experiment_controls import action_feedback, confirm_dialog
from keycraft.components.admin.experiment_results import results_list
from keycraft.components.admin.staff_panel import audit_section, staff_section
from keycraft.components.layout import page_layout
from keycraft.services.experiments.catalog import EXPERIMENTS
from keycraft.state.experiment_results import ExperimentResultsState


def admin_experiments_page() -> rx.Component:
    """Render the staff experiments page."""
    return page_layout(
        rx.vstack(
            rx.heading("Experiments", as_="h1", size="8"),
            rx.text(
                "Variants are declared in code; everything else happens here, without a "
                "deploy. Exposures and conversions are per variant for the current version "
                "of each experiment. Bots and staff previews are not counted.",
                color_scheme="gray",
            ),
            action_feedback(),
            results_list(EXPERIMENTS),
            rx.cond(
                ExperimentResultsState.allowed,
                rx.vstack(staff_section(), audit_section(), spacing="5", width="100%"),
            ),
            confirm_dialog(),
            spacing="4",
            width="100%",
            padding_y="1.5rem",
        )
    )
