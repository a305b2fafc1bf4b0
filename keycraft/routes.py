"""Route constants, URL builders and the one list of every page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

PRODUCT_NAME = "KeyCraft"


@dataclass(frozen=True)
class PageRoute:
    """A page's path and its search/social metadata."""

    path: str
    title: str
    description: str


HOME = PageRoute(
    path="/",
    title=f"{PRODUCT_NAME} — turn piano recordings into editable MIDI",
    description=(
        "Record or upload a piano piece, get it transcribed to MIDI, fix the notes in a "
        "piano-roll editor, play it back and download the MIDI."
    ),
)

PROJECTS = PageRoute(
    path="/projects",
    title=f"Your projects — {PRODUCT_NAME}",
    description="Your pieces: open, rename, duplicate or delete them, or start a new one.",
)

EDITOR = PageRoute(
    path="/editor/[project_id]",
    title=f"Editor — {PRODUCT_NAME}",
    description="Edit, play and export the notes of a piece in the piano roll.",
)


SIGN_UP = PageRoute(
    path="/sign-up",
    title=f"Create your account — {PRODUCT_NAME}",
    description="Create a free KeyCraft account to transcribe, edit and download piano MIDI.",
)
SIGN_IN = PageRoute(
    path="/sign-in",
    title=f"Sign in — {PRODUCT_NAME}",
    description="Sign in to KeyCraft with your password, an email link or a connected account.",
)
EMAIL_LINK = PageRoute(
    path="/sign-in/link",
    title=f"Sign in with your email link — {PRODUCT_NAME}",
    description="Finish signing in to KeyCraft with the link we emailed you.",
)
ACCOUNT = PageRoute(
    path="/account",
    title=f"Your account — {PRODUCT_NAME}",
    description="Your KeyCraft profile, sign-in methods, sessions and plan.",
)


BILLING_RETURN = PageRoute(
    path="/billing/return",
    title=f"Payment received — {PRODUCT_NAME}",
    description="Confirming your KeyCraft subscription.",
)

PRICING = PageRoute(
    path="/pricing",
    title=f"Pricing — {PRODUCT_NAME}",
    description=(
        f"Start free with {PRODUCT_NAME}: transcribe piano recordings to MIDI, edit them in a "
        "piano roll and download a few MIDI files every month."
    ),
)

PRIVACY = PageRoute(
    path="/privacy",
    title=f"Privacy — {PRODUCT_NAME}",
    description=f"What {PRODUCT_NAME} stores about you, why, for how long, and your choices.",
)

TERMS = PageRoute(
    path="/terms",
    title=f"Terms of service — {PRODUCT_NAME}",
    description=f"The terms for using {PRODUCT_NAME}, its free plan and its paid plans.",
)

ADMIN_EXPERIMENTS = PageRoute(
    path="/admin/experiments",
    title=f"Experiments — {PRODUCT_NAME} staff",
    description="Results of running A/B experiments (staff only).",
)

STAFF_PAGES_PREFIX = "/admin/"
"""Every page under this path is for staff: the server answers 403 to anyone else."""

NOT_FOUND = PageRoute(
    path="404",
    title=f"Page not found — {PRODUCT_NAME}",
    description=f"This page does not exist. Go back to {PRODUCT_NAME}'s home page.",
)

PUBLIC_PAGES: tuple[PageRoute, ...] = (HOME, PRICING, PRIVACY, TERMS)
"""Pages listed in sitemap.xml and open to crawlers."""

ALL_PAGES: tuple[PageRoute, ...] = (
    HOME,
    SIGN_UP,
    SIGN_IN,
    EMAIL_LINK,
    ACCOUNT,
    PRICING,
    PRIVACY,
    TERMS,
    ADMIN_EXPERIMENTS,
    NOT_FOUND,
    BILLING_RETURN,
    PROJECTS,
    EDITOR,
)
"""Every page of the app; ``keycraft.pages.PAGES`` supplies a component for each."""

HEALTH_API = "/api/health"
CHECKOUT_API = "/api/billing/checkout"
PORTAL_API = "/api/billing/portal"


def checkout_url(plan_key: str) -> str:
    """Where "Choose <plan>" goes: the checkout redirect (signed-out visitors sign in first)."""
    return f"{CHECKOUT_API}?{urlencode({'plan': plan_key})}"


SIGN_IN_PATH = "/sign-in"

ROBOTS_TXT = "/robots.txt"
SITEMAP_XML = "/sitemap.xml"
EXPERIMENT_CSV_API = "/api/admin/experiments/{key}.csv"
DEMO_MIDI = "/demo/minuet-in-g-transcribed.mid"
DEMO_RECORDING = "/demo/minuet-in-g.mp3"
OG_IMAGE = "/og-image.png"


def experiment_csv_url(key: str) -> str:
    """Download URL of one experiment's results as CSV."""
    return EXPERIMENT_CSV_API.format(key=key)


# Accounts and sign-in API (Starlette): forms POST here and are answered with 303 redirects.
SESSION_API = "/api/session"
LOGOUT_API = "/api/logout"
SIGN_UP_API = "/api/auth/sign-up"
SIGN_IN_API = "/api/auth/sign-in"
EMAIL_LINK_API = "/api/auth/email-link"
EMAIL_LINK_VERIFY_API = "/api/auth/email-link/verify"
OAUTH_START_API = "/api/auth/oauth/{provider}/start"
OAUTH_CALLBACK_API = "/api/auth/oauth/{provider}/callback"
ACCOUNT_PASSWORD_API = "/api/account/password"
ACCOUNT_REVOKE_SESSION_API = "/api/account/sessions/revoke"
ACCOUNT_DELETE_API = "/api/account/delete"

PROJECT_MIDI_API = "/api/projects/{project_id}/midi"
PROJECT_AUDIO_API = "/api/projects/{project_id}/audio"
PROJECT_TRANSCRIPTIONS_API = "/api/projects/{project_id}/transcriptions"
TRANSCRIPTION_API = "/api/transcriptions/{job_id}"


def editor_url(project_id: str) -> str:
    """The editor page of one project."""
    return f"/editor/{project_id}"


def project_midi_url(project_id: str) -> str:
    """Where the browser downloads a project's MIDI file."""
    return PROJECT_MIDI_API.format(project_id=project_id)


def project_audio_url(project_id: str) -> str:
    """Where the editor streams a project's original recording."""
    return PROJECT_AUDIO_API.format(project_id=project_id)


def transcription_api_url(job_id: str) -> str:
    """Where an API client follows (GET) or cancels (DELETE) one transcription job."""
    return TRANSCRIPTION_API.format(job_id=job_id)


def sign_in_url(next_path: str = "") -> str:
    """The sign-in page, returning to ``next_path`` (a same-site path) afterwards."""
    return f"{SIGN_IN_PATH}?{urlencode({'next': next_path})}" if next_path else SIGN_IN_PATH


def with_query(path: str, **params: str) -> str:
    """``path`` with the non-empty ``params`` as its query string."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def email_link_url(app_url: str, token: str, next_path: str = "") -> str:
    """Absolute URL of the landing page that signs in with an emailed ``token``."""
    next_value = next_path if next_path != "/" else ""
    return app_url.rstrip("/") + with_query(EMAIL_LINK.path, token=token, next=next_value)


def oauth_start_url(provider: str, next_path: str = "", intent: str = "") -> str:
    """Where a "continue with <provider>" button points."""
    return with_query(OAUTH_START_API.format(provider=provider), next=next_path, intent=intent)


def oauth_callback_url(app_url: str, provider: str) -> str:
    """The redirect URI registered with ``provider`` (absolute, from ``APP_URL``)."""
    return app_url.rstrip("/") + OAUTH_CALLBACK_API.format(provider=provider)
