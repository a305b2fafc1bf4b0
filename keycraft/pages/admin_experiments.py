"""Staff page: results of every experiment, with CSV exports."""

import reflex as rx

from keycraft.components.admin.experiment_results import results_list
from keycraft.components.layout import page_layout
from keycraft.services.experiments.catalog import EXPERIMENTS


def admin_experiments_page() -> rx.Component:
    """Render the experiments results page."""
    return page_layout(
        rx.vstack(
            rx.heading("Experiments", as_="h1", size="8"),
            rx.text(
                "Exposures and conversions per variant for the current version of each "
                "experiment. Bots and staff previews are not counted.",
                color_scheme="gray",
            ),
            results_list(EXPERIMENTS),
            spacing="4",
            width="100%",
            padding_y="1.5rem",
        )
    )
