"""Single-table key layout for DynamoDB (see docs/data-model.md): key builders and the schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

PK = "PK"
SK = "SK"
TTL_ATTRIBUTE = "expires_epoch"

_ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


def user_pk(user_id: str) -> str:
    """Partition of everything a user owns."""
    return f"USER#{user_id}"


def email_pk(email: str) -> str:
    """Uniqueness guard item for an email address."""
    return f"EMAIL#{email}"


def session_pk(token_hash: str) -> str:
    """Partition of one session (looked up by token hash on every request)."""
    return f"SESSION#{token_hash}"


def user_session_sk(token_hash: str) -> str:
    """Sort key of a session's copy under its user, for listing and revoking them all."""
    return f"SESSION#{token_hash}"


def project_sk(project_id: str) -> str:
    """Sort key of a project's metadata item under its owner."""
    return f"PROJECT#{project_id}"


def project_notes_sk(project_id: str) -> str:
    """Sort key of a project's notes item (kept apart so listing stays cheap)."""
    return f"NOTES#{project_id}"


def project_chunk_prefix(project_id: str) -> str:
    """Sort key prefix of a project's note chunk overlays (see ``note_chunks``)."""
    return f"NOTECHUNK#{project_id}#"


def project_chunk_sk(project_id: str, chunk_index: int) -> str:
    """Sort key of one note chunk overlay; zero-padded so key order is chunk order."""
    return f"{project_chunk_prefix(project_id)}{chunk_index:06d}"


PROFILE_SK = "PROFILE"
QUOTA_SK = "QUOTA"
EMAIL_SK = "EMAIL"
SESSION_SK = "SESSION"


def iso(moment: datetime) -> str:
    """Format a time as fixed-width UTC ISO text, so string order equals time order."""
    return moment.astimezone(UTC).strftime(_ISO)


def parse_iso(text: str) -> datetime:
    """Inverse of :func:`iso`."""
    return datetime.strptime(text, _ISO).replace(tzinfo=UTC)


def table_definition(table_name: str) -> dict[str, Any]:
    """Return ``CreateTable`` arguments for the single table (on-demand, no GSI needed)."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in (PK, SK)
        ],
        "KeySchema": [
            {"AttributeName": PK, "KeyType": "HASH"},
            {"AttributeName": SK, "KeyType": "RANGE"},
        ],
    }


def stripe_customer_pk(customer_id: str) -> str:
    """Guard item linking a Stripe customer to exactly one user."""
    return f"STRIPECUS#{customer_id}"


def stripe_event_pk(event_id: str) -> str:
    """Record of a processed Stripe event (replay protection)."""
    return f"STRIPEEVENT#{event_id}"


STRIPE_CUSTOMER_SK = "STRIPECUS"
STRIPE_EVENT_SK = "STRIPEEVENT"
STRIPE_EVENT_RETENTION_DAYS = 90
