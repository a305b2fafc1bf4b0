"""The lifecycle controls of one experiment: status buttons, split, ramp, winner, previews."""

from typing import Any

import reflex as rx

from keycraft.services.experiments.model import Experiment
from keycraft.state.experiment_admin import ExperimentAdminState
from keycraft.state.experiment_results import ExperimentResultsState


def _summary(experiment: Experiment) -> Any:
    return ExperimentResultsState.summaries[experiment.key]


def _action(experiment: Experiment, flag: str, label: str, handler: Any, icon: str) -> rx.Component:
    return rx.cond(
        _summary(experiment)[flag] != "",
        rx.button(
            rx.icon(icon, size=14, aria_hidden="true"),
            label,
            on_click=handler(experiment.key),
            size="2",
            variant="soft",
            data_testid=f"{label.lower()}-{experiment.key}",
        ),
    )


def status_buttons(experiment: Experiment) -> rx.Component:
    """Start / pause / resume / stop, each shown only when it applies."""
    return rx.hstack(
        _action(experiment, "can_start", "Start", ExperimentAdminState.start, "play"),
        _action(experiment, "can_pause", "Pause", ExperimentAdminState.pause, "pause"),
        _action(experiment, "can_resume", "Resume", ExperimentAdminState.resume, "play"),
        _action(experiment, "can_stop", "Stop", ExperimentAdminState.stop, "square"),
        spacing="2",
        wrap="wrap",
    )


def _hidden_key(experiment: Experiment) -> rx.Component:
    return rx.el.input(type="hidden", name="experiment", value=experiment.key)


def split_form(experiment: Experiment) -> rx.Component:
    """Relative weight per variant; submitting asks for confirmation (new version)."""
    weights = ExperimentResultsState.weights[experiment.key]
    fields = [
        rx.el.label(
            rx.text(variant, size="2"),
            rx.input(
                name=f"weight:{variant}",
                default_value=weights[variant],
                # Re-mounted when the stored split changes, so it never shows stale weights.
                key=weights[variant],
                type="number",
                min=1,
                max=1000,
                width="6rem",
                aria_label=f"Weight of {variant}",
            ),
            display="flex",
            gap="0.5rem",
            align_items="center",
        )
        for variant in experiment.variant_keys
    ]
    return _experiment_form(
        experiment, fields, "Change split", ExperimentAdminState.ask_split, "split"
    )


def ramp_form(experiment: Experiment) -> rx.Component:
    """Share of visitors let into the experiment (the rest see the control, uncounted)."""
    ramp = _summary(experiment)["ramp"]
    percent = rx.el.label(
        rx.text("Visitors in the experiment (%)", size="2"),
        rx.input(
            name="percent",
            default_value=ramp.replace("%", ""),
            key=ramp,
            type="number",
            min=1,
            max=100,
            width="6rem",
        ),
        display="flex",
        gap="0.5rem",
        align_items="center",
    )
    return _experiment_form(
        experiment, [percent], "Set ramp", ExperimentAdminState.set_ramp, "ramp"
    )


def _experiment_form(
    experiment: Experiment,
    fields: list[rx.Component],
    submit_label: str,
    on_submit: Any,
    test_id_prefix: str,
) -> rx.Component:
    """One experiment's form: its key, the fields and a submit button on one wrapping row."""
    return rx.form(
        _hidden_key(experiment),
        rx.hstack(
            *fields,
            rx.button(submit_label, type="submit", size="2", variant="outline"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        on_submit=on_submit,
        data_testid=f"{test_id_prefix}-{experiment.key}",
    )


def winner_buttons(experiment: Experiment) -> rx.Component:
    """One "declare winner" button per variant; hidden when SRM or the state forbids it."""
    return rx.cond(
        _summary(experiment)["can_declare"] != "",
        rx.hstack(
            *[
                rx.button(
                    rx.icon("trophy", size=14, aria_hidden="true"),
                    f"Declare {variant} the winner",
                    on_click=ExperimentAdminState.ask_winner(experiment.key, variant),  # type: ignore[operator]
                    size="2",
                    variant="outline",
                    color_scheme="green",
                )
                for variant in experiment.variant_keys
            ],
            spacing="2",
            wrap="wrap",
        ),
    )


def _preview(row: rx.vars.ObjectVar[dict[str, str]]) -> rx.Component:
    return rx.hstack(
        rx.link(row["variant"], href=row["path"], is_external=True, size="2"),
        rx.icon_button(
            rx.icon("copy", size=14),
            on_click=rx.call_script(
                "navigator.clipboard.writeText(window.location.origin + "
                + row["path"].to_string()
                + ")"
            ),
            size="1",
            variant="ghost",
            aria_label="Copy preview link of " + row["variant"].to(str),
        ),
        spacing="1",
        align="center",
    )


def preview_links(experiment: Experiment) -> rx.Component:
    """Links that show staff each variant (never counted), with a copy button."""
    return rx.hstack(
        rx.text("Preview:", size="2", color_scheme="gray"),
        rx.foreach(ExperimentResultsState.previews[experiment.key], _preview),
        spacing="3",
        align="center",
        wrap="wrap",
        data_testid=f"previews-{experiment.key}",
    )


def controls(experiment: Experiment) -> rx.Component:
    """Every lifecycle control of one experiment."""
    return rx.vstack(
        status_buttons(experiment),
        split_form(experiment),
        ramp_form(experiment),
        winner_buttons(experiment),
        preview_links(experiment),
        spacing="3",
        width="100%",
    )


def confirm_dialog() -> rx.Component:
    """The one confirmation dialog for changes that need it (split, winner)."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(ExperimentAdminState.confirm_title),
            rx.alert_dialog.description(ExperimentAdminState.confirm_text),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Cancel",
                        variant="soft",
                        color_scheme="gray",
                        on_click=ExperimentAdminState.cancel,
                    )
                ),
                rx.alert_dialog.action(rx.button("Confirm", on_click=ExperimentAdminState.confirm)),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
        open=ExperimentAdminState.confirm_open,
    )


def action_feedback() -> rx.Component:
    """What the last action did, or why it was refused."""
    return rx.fragment(
        rx.cond(
            ExperimentAdminState.notice != "",
            rx.callout(
                ExperimentAdminState.notice,
                icon="check",
                color_scheme="green",
                data_testid="admin-notice",
                role="status",
            ),
        ),
        rx.cond(
            ExperimentAdminState.error != "",
            rx.callout(
                ExperimentAdminState.error,
                icon="triangle-alert",
                color_scheme="red",
                data_testid="admin-error",
                role="alert",
            ),
        ),
    )
