"""One module per page; ``PAGES`` pairs every route with its component."""

from collections.abc import Callable

import reflex as rx
from reflex.event import EventType

from keycraft.pages.billing_return import billing_return_page
from keycraft.pages.home import home_page
from keycraft.routes import BILLING_RETURN, HOME, PageRoute
from keycraft.state.auth import AuthState
from keycraft.state.billing import BillingReturnState

PAGES: dict[PageRoute, Callable[[], rx.Component]] = {
    HOME: home_page,
    BILLING_RETURN: billing_return_page,
}

ON_LOAD: dict[PageRoute, list[EventType[()]]] = {
    BILLING_RETURN: [AuthState.require_user, BillingReturnState.wait_for_plan],
}
"""Events each page runs on load; private pages start with ``AuthState.require_user``."""
