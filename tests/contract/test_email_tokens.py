"""Contract: email-link tokens are stored by hash and work exactly once, before expiry."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from keycraft.services.auth.types import EmailToken, EmailTokenPurpose
from keycraft.services.repository.port import Repository
from tests.support.factories import FUTURE, new_id


def _token(minutes: int = 15) -> EmailToken:
    return EmailToken(
        token_hash=new_id() + new_id(),
        email="link@example.com",
        purpose=EmailTokenPurpose.SIGN_IN,
        expires_at=FUTURE + timedelta(minutes=minutes),
        created_at=FUTURE,
    )


def test_token_is_consumed_once(repo: Repository) -> None:
    token = _token()
    repo.create_email_token(token)
    assert repo.consume_email_token(token.token_hash, FUTURE + timedelta(minutes=1)) == token
    assert repo.consume_email_token(token.token_hash, FUTURE + timedelta(minutes=1)) is None


def test_expired_and_unknown_tokens_give_nothing(repo: Repository) -> None:
    token = _token(minutes=15)
    repo.create_email_token(token)
    assert repo.consume_email_token(token.token_hash, FUTURE + timedelta(minutes=15)) is None
    assert repo.consume_email_token(token.token_hash, FUTURE + timedelta(minutes=20)) is None
    assert repo.consume_email_token("f" * 64, FUTURE) is None


def test_concurrent_consumers_get_the_token_once(repo: Repository) -> None:
    token = _token()
    repo.create_email_token(token)
    with ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(lambda _: repo.consume_email_token(token.token_hash, FUTURE), range(8))
        )
    assert [r for r in results if r is not None] == [token]
