"""Reflex middleware: events of private states run only for a live, signed-in session."""

from __future__ import annotations

from functools import cache

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event

from keycraft.routes import sign_in_url
from keycraft.state.account import AccountState
from keycraft.state.auth import AuthState
from keycraft.state.billing import BillingReturnState
from keycraft.state.editor import EditorState
from keycraft.state.experiment_results import ExperimentResultsState
from keycraft.state.projects import ProjectsState
from keycraft.state.transcription import TranscriptionState

PRIVATE_STATES: tuple[type[rx.State], ...] = (
    AccountState,
    BillingReturnState,
    EditorState,
    ExperimentResultsState,
    ProjectsState,
    TranscriptionState,
)
"""States whose every event reads or changes a user's own data."""


@cache
def _private_names() -> frozenset[str]:
    return frozenset(state.get_full_name() for state in PRIVATE_STATES)


def is_private_event(event_name: str) -> bool:
    """Whether ``event_name`` (``<state full name>.<handler>``) belongs to a private state."""
    return event_name.rsplit(".", 1)[0] in _private_names()


class SessionGuard(Middleware):
    """Re-checks the session cookie (cached for seconds) before each private event.

    ``AuthState.user_id`` is otherwise a value cached per client token: after "sign out
    everywhere", or on a socket reconnecting with an old client token but no cookie, the
    event is dropped and the browser sent to sign in.
    """

    async def preprocess(self, app: rx.App, state: BaseState, event: Event) -> StateUpdate | None:
        """Let the event run when the session is live; otherwise answer with sign-in."""
        if not is_private_event(event.name):
            return None
        auth = await state.get_state(AuthState)
        if await auth.live_user_id():
            return None
        # Static hosting adds a trailing slash to page paths; the app's routes have none.
        path = state.router.url.path.rstrip("/") or "/"
        return StateUpdate(events=Event.from_event_type(rx.redirect(sign_in_url(next_path=path))))
