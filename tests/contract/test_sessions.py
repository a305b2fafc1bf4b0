"""Contract: sessions are stored by token hash, slid, listed and revoked.

Times lie in the future: DynamoDB's TTL deletes items whose expiry has passed.
"""

from datetime import timedelta

from keycraft.services.repository.port import Repository
from tests.support.factories import FUTURE, make_project, make_session, make_user


def test_session_round_trip_and_touch(repo: Repository) -> None:
    user = repo.create_user(make_user())
    session = make_session(user)
    repo.create_session(session)
    assert repo.get_session(session.token_hash) == session
    later = FUTURE + timedelta(hours=3)
    repo.touch_session(session.token_hash, later, later + timedelta(days=30))
    touched = repo.get_session(session.token_hash)
    assert touched is not None
    assert touched.last_seen_at == later
    assert touched.expires_at == later + timedelta(days=30)


def test_touching_a_revoked_session_does_not_recreate_it(repo: Repository) -> None:
    user = repo.create_user(make_user())
    session = make_session(user)
    repo.create_session(session)
    repo.delete_session(session.token_hash)
    repo.delete_session(session.token_hash)
    repo.touch_session(session.token_hash, FUTURE, FUTURE + timedelta(days=1))
    assert repo.get_session(session.token_hash) is None


def test_list_and_revoke_all_sessions_of_one_user(repo: Repository) -> None:
    user = repo.create_user(make_user())
    other = repo.create_user(make_user())
    mine = [make_session(user, created_at=FUTURE + timedelta(minutes=i)) for i in range(3)]
    theirs = make_session(other)
    for session in [*mine, theirs]:
        repo.create_session(session)
    listed = repo.list_user_sessions(user.id)
    assert [s.token_hash for s in listed] == [s.token_hash for s in reversed(mine)]
    assert repo.delete_user_sessions(user.id) == 3
    assert repo.list_user_sessions(user.id) == []
    assert repo.get_session(theirs.token_hash) == theirs


def test_deleting_a_user_removes_their_sessions_and_projects(repo: Repository) -> None:
    user = repo.create_user(make_user())
    session = make_session(user)
    repo.create_session(session)
    project = repo.create_project(make_project(user))
    repo.delete_user(user.id)
    assert repo.get_session(session.token_hash) is None
    assert repo.get_project(user.id, project.id) is None
    assert repo.list_projects(user.id) == []
