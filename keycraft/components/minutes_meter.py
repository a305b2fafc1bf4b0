"""This month's transcription minutes: the meter beside the download meter, and its dialog."""

import reflex as rx

from keycraft.components.upgrade_dialog import upgrade_dialog
from keycraft.state.minutes import MinutesState


def minutes_meter() -> rx.Component:
    """The meter "Transcription: X of Y minutes used this month", read when it is shown."""
    return rx.badge(
        "Transcription: ",
        MinutesState.minutes_used,
        " of ",
        MinutesState.minutes_limit,
        " minutes used this month",
        variant="soft",
        color_scheme=rx.cond(MinutesState.seconds_left > 0, "gray", "amber"),
        on_mount=MinutesState.refresh,
        data_testid="minutes-meter",
    )


def minutes_spent_dialog() -> rx.Component:
    """Shown instead of starting a job whose recording is longer than the minutes left."""
    return upgrade_dialog(
        "Not enough transcription minutes left this month",
        (
            "This recording needs ",
            MinutesState.needed_minutes,
            " min; your plan includes ",
            MinutesState.minutes_limit,
            " minutes of transcription a month and ",
            MinutesState.minutes_left,
            " are left until ",
            MinutesState.minutes_reset,
            ". Nothing was transcribed or kept. A shorter recording still fits, "
            "and a paid plan gives you more minutes right away.",
        ),
        open_=MinutesState.spent_open,
        on_open_change=MinutesState.set_spent_open,
        test_id="minutes-dialog",
    )
