"""Sends email over SMTP (settings), or logs it when no SMTP server is configured."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from keycraft.config import Settings

log = logging.getLogger(__name__)


def smtp_configured(settings: Settings) -> bool:
    """Whether ``SMTP_HOST`` is set (without it, links are only logged)."""
    return bool(settings.smtp_host)


def send_email(settings: Settings, to: str, subject: str, body: str) -> None:
    """Deliver one plain-text message; blocking, so async callers use a worker thread.

    Raises:
        OSError: The server could not be reached or refused the message (smtplib errors
            are OSErrors).
    """
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not smtp_configured(settings):
        if settings.env == "dev":
            log.warning("SMTP_HOST is not set; not sending %r to %s:\n%s", subject, to, body)
        else:
            # The body holds a sign-in link: whoever reads the logs must not get accounts.
            log.error("SMTP_HOST is not set; the email %r to %s was not sent", subject, to)
        return
    timeout = settings.smtp_timeout_s
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.smtp_security == "ssl":
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=context)
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_username, password)
        smtp.send_message(message)


def sign_in_link_email(link: str) -> tuple[str, str]:
    """Subject and body of the email-link message."""
    body = (
        "Use this link to sign in to KeyCraft. It works once and expires in 15 minutes.\n\n"
        f"{link}\n\n"
        "If you did not ask for it, ignore this email: nobody can sign in without the link.\n"
    )
    return "Your KeyCraft sign-in link", body
