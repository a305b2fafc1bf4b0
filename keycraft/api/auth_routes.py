"""Every accounts and sign-in route, for ``build_api``."""

from starlette.routing import Route

from keycraft.api import account_api, auth_email, auth_oauth, auth_password, session_api
from keycraft.routes import (
    ACCOUNT_DELETE_API,
    ACCOUNT_PASSWORD_API,
    ACCOUNT_REVOKE_SESSION_API,
    EMAIL_LINK_API,
    EMAIL_LINK_VERIFY_API,
    LOGOUT_API,
    OAUTH_CALLBACK_API,
    OAUTH_START_API,
    SESSION_API,
    SIGN_IN_API,
    SIGN_UP_API,
)


def auth_routes() -> list[Route]:
    """The session bridge, logout, sign-up/in, email links, OAuth and account changes."""
    return [
        Route(SESSION_API, session_api.session_bridge, methods=["GET"]),
        Route(LOGOUT_API, session_api.logout, methods=["POST"]),
        Route(SIGN_UP_API, auth_password.sign_up, methods=["POST"]),
        Route(SIGN_IN_API, auth_password.sign_in, methods=["POST"]),
        Route(EMAIL_LINK_API, auth_email.request_email_link, methods=["POST"]),
        Route(EMAIL_LINK_VERIFY_API, auth_email.verify_email_link, methods=["POST"]),
        Route(OAUTH_START_API, auth_oauth.oauth_start, methods=["GET"]),
        Route(OAUTH_CALLBACK_API, auth_oauth.oauth_callback, methods=["GET"]),
        Route(ACCOUNT_PASSWORD_API, account_api.set_password, methods=["POST"]),
        Route(ACCOUNT_REVOKE_SESSION_API, account_api.revoke_one_session, methods=["POST"]),
        Route(ACCOUNT_DELETE_API, account_api.delete_account, methods=["POST"]),
    ]
