"""One module per page; ``PAGES`` pairs every route with its component."""

from collections.abc import Callable

import reflex as rx

from keycraft.pages.account import account_page
from keycraft.pages.email_link import email_link_page
from keycraft.pages.home import home_page
from keycraft.pages.sign_in import sign_in_page
from keycraft.pages.sign_up import sign_up_page
from keycraft.routes import ACCOUNT, EMAIL_LINK, HOME, SIGN_IN, SIGN_UP, PageRoute

PAGES: dict[PageRoute, Callable[[], rx.Component]] = {
    HOME: home_page,
    SIGN_UP: sign_up_page,
    SIGN_IN: sign_in_page,
    EMAIL_LINK: email_link_page,
    ACCOUNT: account_page,
}
