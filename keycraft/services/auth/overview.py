"""Read models for the account page and the session bridge: sessions, methods, quota meter."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from keycraft.services.auth.sessions import hash_token
from keycraft.services.billing.plans import Plan, download_limit, plan_for
from keycraft.services.clock import next_monthly_reset
from keycraft.services.domain import Session, User
from keycraft.services.repository.port import Repository


@dataclass(frozen=True, slots=True)
class QuotaMeter:
    """Downloads used in the current window, the plan's limit and when the window restarts."""

    used: int
    limit: int
    reset_date: datetime


@dataclass(frozen=True, slots=True)
class SessionView:
    """A session as its owner sees it; ``public_id`` names it without exposing its key."""

    public_id: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


def public_session_id(token_hash: str) -> str:
    """A short, non-secret name for a session (its storage key is never sent to browsers)."""
    return hashlib.sha256(f"session-view:{token_hash}".encode()).hexdigest()[:24]


def quota_meter(
    repo: Repository, user: User, now: datetime, plans: tuple[Plan, ...] = ()
) -> QuotaMeter:
    """The user's meter; a window that has already ended reads as a fresh one."""
    quota = repo.get_quota(user.id)
    limit = download_limit(user, plans)
    if quota.reset_date <= now:
        return QuotaMeter(used=0, limit=limit, reset_date=next_monthly_reset(quota.anchor_at, now))
    return QuotaMeter(used=quota.used, limit=limit, reset_date=quota.reset_date)


def session_views(
    repo: Repository, user_id: str, current_token: str, now: datetime
) -> list[SessionView]:
    """The user's live sessions, newest first, marking the one making this request."""
    current_hash = hash_token(current_token) if current_token else ""
    sessions: list[Session] = [s for s in repo.list_user_sessions(user_id) if s.expires_at > now]
    return [
        SessionView(
            public_id=public_session_id(s.token_hash),
            user_agent=s.user_agent,
            created_at=s.created_at,
            last_seen_at=s.last_seen_at,
            current=s.token_hash == current_hash,
        )
        for s in sessions
    ]


def revoke_session(repo: Repository, user_id: str, public_id: str) -> bool:
    """Revoke the user's session called ``public_id``; False if they have none by that name."""
    for session in repo.list_user_sessions(user_id):
        if public_session_id(session.token_hash) == public_id:
            repo.delete_session(session.token_hash)
            return True
    return False


def plan_name(user: User, plans: tuple[Plan, ...] = ()) -> str:
    """The name of the plan the user is on ("Free" unless they have a paid plan)."""
    return plan_for(user, plans).name


def bridge_payload(
    repo: Repository, user: User | None, now: datetime, plans: tuple[Plan, ...] = ()
) -> dict[str, Any]:
    """The JSON body of ``GET /api/session`` for sibling sites.

    Args:
        repo: The repository.
        user: The signed-in user, or None.
        now: The current time.
        plans: The plans on offer (the download limit is the user's best active plan's).
    """
    if user is None:
        return {"authenticated": False, "user": None}
    meter = quota_meter(repo, user, now, plans)
    return {
        "authenticated": True,
        "user": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "has_paid": user.has_paid,
            "active_plans": list(user.active_plans),
            "downloads": {
                "used": meter.used,
                "limit": meter.limit,
                "reset_date": meter.reset_date.isoformat(),
            },
        },
    }


@dataclass(frozen=True, slots=True)
class AccountOverview:
    """Everything the account page shows."""

    user: User
    provider_keys: tuple[str, ...]
    sessions: tuple[SessionView, ...]
    meter: QuotaMeter
    plan_name: str


def account_overview(
    repo: Repository,
    user: User,
    current_token: str,
    now: datetime,
    plans: tuple[Plan, ...] = (),
) -> AccountOverview:
    """Gather the account page's data for ``user`` (already resolved from the session)."""
    return AccountOverview(
        user=user,
        provider_keys=tuple(a.provider for a in repo.list_oauth_accounts(user.id)),
        sessions=tuple(session_views(repo, user.id, current_token, now)),
        meter=quota_meter(repo, user, now, plans),
        plan_name=plan_name(user, plans),
    )
