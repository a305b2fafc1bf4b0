"""A transcription job's line: queue position or percent and time, with a Cancel button."""

# mypy types rx.Field dicts as arrays when indexed by a Var, and event handlers as the
# EventNamespace decorator: the ignores below mark those two Reflex typing gaps.
import reflex as rx

from keycraft.state.jobs import JobsState


def _cancel(job_id: rx.Var | str, test_id: str) -> rx.Component:
    return rx.button(
        "Cancel",
        size="1",
        variant="soft",
        color_scheme="red",
        on_click=JobsState.cancel(job_id),  # type: ignore[operator]
        data_testid=test_id,
    )


def editor_job_status() -> rx.Component:
    """The open project's job: shown while it runs and right after it ends."""
    return rx.cond(
        JobsState.job_text != "",
        rx.hstack(
            rx.cond(JobsState.job_live, rx.spinner(size="2")),
            rx.text(
                JobsState.job_text,
                size="2",
                color_scheme=rx.cond(JobsState.job_failed, "red", "gray"),
                data_testid="job-status",
                role="status",
            ),
            rx.cond(
                JobsState.job_live,
                rx.hstack(
                    rx.progress(value=JobsState.job_percent, width="8rem"),
                    _cancel(JobsState.job_id, "cancel-job"),
                    align="center",
                    spacing="2",
                ),
            ),
            rx.cond(
                JobsState.preview_active,
                rx.text(
                    JobsState.preview_count,
                    " notes so far (preview, read-only until done)",
                    size="2",
                    color_scheme="gray",
                    data_testid="preview-note-count",
                ),
            ),
            align="center",
            spacing="2",
        ),
    )


def card_job_status(project_id: rx.Var | str) -> rx.Component:
    """A project card's job line and, while the job is live, its Cancel button."""
    return rx.cond(
        JobsState.card_status.contains(project_id),
        rx.hstack(
            rx.text(
                JobsState.card_status[project_id],  # type: ignore[call-overload]
                size="2",
                color_scheme="blue",
                data_testid="card-job-status",
            ),
            rx.cond(
                JobsState.card_percent.contains(project_id),
                rx.progress(
                    value=JobsState.card_percent[project_id],  # type: ignore[call-overload]
                    width="5rem",
                    data_testid="card-job-progress",
                ),
            ),
            rx.cond(
                JobsState.card_job.contains(project_id),
                _cancel(JobsState.card_job[project_id], "cancel-card-job"),  # type: ignore[call-overload]
            ),
            align="center",
            spacing="2",
        ),
    )
