"""One module per page; ``PAGES`` pairs every route with its component."""

from collections.abc import Callable

import reflex as rx
from reflex.event import EventType

from keycraft.pages.account import account_page
from keycraft.pages.admin_experiments import admin_experiments_page
from keycraft.pages.billing_return import billing_return_page
from keycraft.pages.editor import editor_page
from keycraft.pages.email_link import email_link_page
from keycraft.pages.home import home_page
from keycraft.pages.not_found import not_found_page
from keycraft.pages.pricing import pricing_page
from keycraft.pages.privacy import privacy_page
from keycraft.pages.projects import projects_page
from keycraft.pages.sign_in import sign_in_page
from keycraft.pages.sign_up import sign_up_page
from keycraft.pages.terms import terms_page
from keycraft.routes import (
    ACCOUNT,
    ADMIN_EXPERIMENTS,
    BILLING_RETURN,
    EDITOR,
    EMAIL_LINK,
    HOME,
    NOT_FOUND,
    PRICING,
    PRIVACY,
    PROJECTS,
    SIGN_IN,
    SIGN_UP,
    TERMS,
    PageRoute,
)
from keycraft.state.auth import AuthState
from keycraft.state.billing import BillingReturnState
from keycraft.state.editor import EditorState
from keycraft.state.editor_key import EditorKeyState
from keycraft.state.experiment_results import ExperimentResultsState
from keycraft.state.experiments import ExperimentsState
from keycraft.state.jobs import JobsState
from keycraft.state.projects import ProjectsState
from keycraft.state.staff_admin import StaffAdminState

PAGES: dict[PageRoute, Callable[[], rx.Component]] = {
    HOME: home_page,
    PRICING: pricing_page,
    PRIVACY: privacy_page,
    TERMS: terms_page,
    ADMIN_EXPERIMENTS: admin_experiments_page,
    NOT_FOUND: not_found_page,
    BILLING_RETURN: billing_return_page,
    SIGN_UP: sign_up_page,
    SIGN_IN: sign_in_page,
    EMAIL_LINK: email_link_page,
    ACCOUNT: account_page,
    PROJECTS: projects_page,
    EDITOR: editor_page,
}

_VISITOR = [AuthState.load_user, ExperimentsState.load_variants]

ON_LOAD: dict[PageRoute, list[EventType[()]]] = {
    HOME: _VISITOR,
    PRICING: _VISITOR,
    PRIVACY: _VISITOR,
    TERMS: _VISITOR,
    ADMIN_EXPERIMENTS: [AuthState.require_user, ExperimentResultsState.load, StaffAdminState.load],
    BILLING_RETURN: [AuthState.require_user, BillingReturnState.wait_for_plan],
    # Private pages resolve the user first; their loaders do nothing for signed-out visitors.
    PROJECTS: [AuthState.require_user, ProjectsState.load, JobsState.watch],
    EDITOR: [AuthState.require_user, EditorState.load, EditorKeyState.load, JobsState.watch],
}
"""Events each page runs when it loads (the visitor cookie is set on any marketing page)."""
