"""Account changes over HTTP: add a password, sign out one session, delete the account."""

from __future__ import annotations

import uuid

from keycraft.services.auth.sessions import SESSION_COOKIE, hash_token, start_session
from keycraft.services.clock import utc_now
from tests.integration.auth_client import bridge, page_client, sign_in
from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user
from tests.support.stripe_api import StripeApiServer, subscription


def test_a_passwordless_user_adds_a_password_then_signs_in_with_it(app: RunningApp) -> None:
    email = f"nopw-{uuid.uuid4().hex[:10]}@example.com"
    user = create_user(app, email=email)
    token = start_session(app.repository(), user.id, "pytest", utc_now()).token
    with page_client(app) as client:
        client.cookies.set(SESSION_COOKIE, token)
        weak = client.post("/api/account/password", data={"new_password": "short"})
        saved = client.post("/api/account/password", data={"new_password": "Sonata in C 1788"})
        wrong = client.post(
            "/api/account/password",
            data={"current_password": "nope nope 12", "new_password": "Another sonata 99"},
        )
    assert weak.headers["location"] == "/account?error=password_too_short"
    assert saved.headers["location"] == "/account?notice=password_saved"
    assert wrong.headers["location"] == "/account?error=current_password_wrong"
    with page_client(app) as client:
        assert sign_in(client, email, "Sonata in C 1788").status_code == 303
        assert bridge(client)["user"]["id"] == user.id


def test_signing_out_one_session_leaves_the_others(app: RunningApp) -> None:
    from keycraft.services.auth.overview import public_session_id

    repo = app.repository()
    user = create_user(app)
    mine = start_session(repo, user.id, "laptop", utc_now()).token
    other = start_session(repo, user.id, "phone", utc_now()).token
    with page_client(app) as client:
        client.cookies.set(SESSION_COOKIE, mine)
        public_id = public_session_id(hash_token(other))
        response = client.post("/api/account/sessions/revoke", data={"session": public_id})
        assert response.headers["location"] == "/account?notice=session_revoked"
        assert bridge(client)["authenticated"] is True
    assert repo.get_session(hash_token(other)) is None


def test_deleting_the_account_removes_data_media_and_the_session(app: RunningApp) -> None:
    repo = app.repository()
    user = create_user(app)
    token = start_session(repo, user.id, "pytest", utc_now()).token
    media = app.data_dir / "media" / "users" / user.id / "projects" / "p1"
    media.mkdir(parents=True)
    (media / "take.wav").write_bytes(b"RIFF")
    with page_client(app) as client:
        client.cookies.set(SESSION_COOKIE, token)
        refused = client.post("/api/account/delete", data={"confirm_email": "not@example.com"})
        assert refused.headers["location"] == "/account?error=confirm_mismatch"
        assert repo.get_user(user.id) is not None
        deleted = client.post("/api/account/delete", data={"confirm_email": user.email.upper()})
        assert deleted.status_code == 303
        assert f'{SESSION_COOKIE}=""' in deleted.headers["set-cookie"]
    assert repo.get_user(user.id) is None
    assert repo.get_session(hash_token(token)) is None
    assert not [p for p in (app.data_dir / "media" / "users" / user.id).rglob("*") if p.is_file()]


def test_changing_the_password_signs_out_every_other_session(app: RunningApp) -> None:
    email = f"pwchange-{uuid.uuid4().hex[:10]}@example.com"
    user = create_user(app, email=email)
    repo = app.repository()
    mine = start_session(repo, user.id, "laptop", utc_now()).token
    thief = start_session(repo, user.id, "stolen cookie", utc_now()).token
    with page_client(app) as client:
        client.cookies.set(SESSION_COOKIE, mine)
        saved = client.post("/api/account/password", data={"new_password": "Sonata in C 1788"})
        assert saved.headers["location"] == "/account?notice=password_saved"
        assert bridge(client)["user"]["id"] == user.id  # this browser carries on
    assert repo.get_session(hash_token(thief)) is None
    assert repo.get_session(hash_token(mine)) is None  # replaced by a fresh session
    assert len(repo.list_user_sessions(user.id)) == 1


def test_deleting_the_account_cancels_its_subscription(
    app: RunningApp, stripe_api: StripeApiServer
) -> None:
    sub_id, customer = f"sub_{uuid.uuid4().hex[:10]}", f"cus_{uuid.uuid4().hex[:10]}"
    stripe_api.subscriptions[sub_id] = subscription(sub_id, customer)
    user = create_user(
        app,
        stripe_customer_id=customer,
        subscription_id=sub_id,
        subscription_status="active",
        active_plans=("pro-monthly",),
    )
    token = start_session(app.repository(), user.id, "pytest", utc_now()).token
    with page_client(app) as client:
        client.cookies.set(SESSION_COOKIE, token)
        deleted = client.post("/api/account/delete", data={"confirm_email": user.email})
        assert deleted.headers["location"] == "/?notice=account_deleted"
    assert stripe_api.subscriptions[sub_id]["status"] == "canceled"
    cancels = [c for c in stripe_api.calls if c.method == "DELETE" and sub_id in c.path]
    assert len(cancels) == 1
    assert app.repository().get_user(user.id) is None
