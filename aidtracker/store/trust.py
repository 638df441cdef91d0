"""The store's review and access tables: audit entries and users in, records out.

Like `writer` and `view`, each function takes a connection already inside a transaction. A
review is one row, and a merge or split writes its judgement in the same transaction, so a
crash leaves either both or neither. Reviews are never updated or deleted (the database's own
triggers refuse it); users are, but only to revoke a token or to give a revoked name a new one.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from aidtracker.auth import User
from aidtracker.errors import ReviewError
from aidtracker.records import Judgement
from aidtracker.review import EvidenceKey, Review, ReviewAction, review_judgement
from aidtracker.store import rows, writer
from aidtracker.store.tables import reviews, users


def add_review(conn: sa.Connection, review: Review, judgement: Judgement | None, *, now: datetime) -> Review:
    """Append `review` to the trail (with its judgement, for a merge or split); returns it numbered."""
    row = {
        "at": now,
        "by": review.by,
        "action": str(review.action),
        "targets": list(review.targets),
        "keys": [k.as_json() for k in review.keys],
        "before": rows.to_json(review.before, what="review's before"),
        "after": rows.to_json(review.after, what="review's after"),
        "comment": review.comment,
    }
    if not review.keys:
        raise ReviewError(f"a {review.action} review must name the evidence it applies to")
    new_id = conn.execute(sa.insert(reviews).values(**row).returning(reviews.c.id)).scalar_one()
    recorded = dataclasses.replace(review, id=int(new_id), at=now)
    if judgement is not None:
        # Worded from the numbered review, exactly as `apply_reviews` will make it again.
        writer.add_judgement(conn, review_judgement(recorded, judgement.left, judgement.right), now=now)
    return recorded


def list_reviews(conn: sa.Connection) -> list[Review]:
    """Every review, oldest first."""
    return [review_from_row(r) for r in conn.execute(sa.select(reviews).order_by(reviews.c.id)).mappings()]


def review_count(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(reviews)).scalar_one())


def review_from_row(row: rows.Stored) -> Review:
    return Review(
        by=row["by"],
        action=ReviewAction(row["action"]),
        targets=tuple(row["targets"]),
        keys=tuple(EvidenceKey.from_json(k) for k in row["keys"]),
        before=rows.from_json(row["before"]),
        after=rows.from_json(row["after"]),
        comment=row["comment"],
        id=row["id"],
        at=row["at"],
    )


# ------------------------------------------------------------------------------------ users


def add_user(conn: sa.Connection, name: str, role: str, token_hash: str, *, now: datetime) -> User:
    """A new user, or a new token and role for a revoked one; an active user is refused."""
    u = users.c
    existing = conn.execute(sa.select(users).where(u.name == name)).mappings().first()
    values: dict[str, Any] = {"role": role, "token_hash": token_hash, "created_at": now, "revoked_at": None}
    if existing is None:
        conn.execute(sa.insert(users).values(name=name, **values))
    elif existing["revoked_at"] is None:
        raise ReviewError(f"user {name} already exists; `aidtracker user revoke {name}` first to issue a new token")
    else:
        conn.execute(sa.update(users).where(u.name == name).values(**values))
    return User(name, role, now)


def list_users(conn: sa.Connection) -> list[User]:
    return [_user(r) for r in conn.execute(sa.select(users).order_by(users.c.name)).mappings()]


def revoke_user(conn: sa.Connection, name: str, *, now: datetime) -> User:
    """Revoke a user's token (the name stays, without one); revoking twice changes nothing."""
    u = users.c
    existing = conn.execute(sa.select(users).where(u.name == name)).mappings().first()
    if existing is None:
        raise ReviewError(f"no user {name[:64]!r}")
    if existing["revoked_at"] is not None:
        return _user(existing)
    conn.execute(sa.update(users).where(u.name == name).values(token_hash=None, revoked_at=now))
    return dataclasses.replace(_user(existing), revoked_at=now)


def user_by_token_hash(conn: sa.Connection, token_hash: str) -> User | None:
    """The active user holding the token with this hash (revoked tokens have no hash stored)."""
    row = conn.execute(sa.select(users).where(users.c.token_hash == token_hash)).mappings().first()
    return _user(row) if row is not None else None


def _user(row: rows.Stored) -> User:
    return User(row["name"], row["role"], row["created_at"], row["revoked_at"])
