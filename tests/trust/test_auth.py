"""Tokens and rate limits, without a web framework."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from aidtracker.auth import TOKEN_PREFIX, TokenBucket, add_user, allowed, authenticate, hash_token, new_token
from aidtracker.errors import ReviewError
from aidtracker.store import Store, open_store, resolve_url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def test_tokens_are_long_random_and_stored_only_as_a_hash(store: Store, db_url: str) -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(t.startswith(TOKEN_PREFIX) and len(t) == len(TOKEN_PREFIX) + 43 for t in tokens)
    _, token = add_user(store, "alice", "reviewer")
    assert hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    engine = sa.create_engine(resolve_url(db_url))
    with engine.connect() as conn:
        dumped = " ".join(str(v) for row in conn.execute(sa.text("SELECT * FROM users")) for v in row)
    engine.dispose()
    assert token not in dumped and hash_token(token) in dumped


@pytest.mark.parametrize("token", [None, "", "aid_", "Bearer x", "aid_" + "A" * 200, "not-a-token", "aid_' OR 1=1 --"])
def test_bad_tokens_do_not_authenticate(store: Store, token: str | None) -> None:
    add_user(store, "alice", "admin")
    assert authenticate(store, token) is None


def test_roles_and_revocation(store: Store) -> None:
    _, r_token = add_user(store, "rev", "reviewer")
    _, a_token = add_user(store, "adm", "admin")
    assert allowed(authenticate(store, r_token), "review") and not allowed(authenticate(store, r_token), "admin")
    assert allowed(authenticate(store, a_token), "admin")
    assert not allowed(None, "review")
    store.revoke_user("rev")
    assert authenticate(store, r_token) is None
    assert store.revoke_user("rev").revoked_at is not None  # twice is fine
    with pytest.raises(ReviewError, match="no user"):
        store.revoke_user("nobody")
    with pytest.raises(ReviewError, match="not a role"):
        add_user(store, "x", "superuser")


def test_the_bucket_allows_a_burst_then_the_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=3, clock=lambda: now[0])
    assert [bucket.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("a") == pytest.approx(0.5)
    assert bucket.take("b") == 0.0  # each key its own bucket
    now[0] += 0.5
    assert bucket.take("a") == 0.0
    assert bucket.take("a") > 0
    now[0] += 100
    assert [bucket.take("a") for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # refilled to the burst, no more
