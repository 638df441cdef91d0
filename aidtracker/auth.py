"""Access: API users, their bearer tokens, and how a request proves who sent it. No web framework here.

    aidtracker user add alice --role reviewer   → prints a token once; the store keeps its hash
    authenticate(store, token)                  → User | None
    allowed(user, "review") / allowed(user, "admin")
    TokenBucket(rate, burst).take(key)          → per-token rate limit, in memory

Why SHA-256 and not scrypt or PBKDF2: those are for passwords, which people choose and which
are guessable, so each guess must be made expensive. A token here is 32 random bytes from
`secrets` (256 bits): no dictionary holds it and no amount of hashing speed makes brute force
feasible, so a slow hash would add nothing but latency to every request. A fast, unsalted hash
can also be looked up by index, so checking a token is one query whatever the number of users
(a salted hash must be recomputed against every user's salt). Only the hash is stored: someone
who reads the database cannot write with the tokens it holds.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from aidtracker.corrections import check_name
from aidtracker.errors import ReviewError

if TYPE_CHECKING:
    from aidtracker.store import Store

ROLES = ("reviewer", "admin")
TOKEN_PREFIX = "aid_"  # lets secret scanners (and people) recognise a leaked token
TOKEN_BYTES = 32

# What each role may do; reading needs no token at all.
PERMISSIONS: dict[str, frozenset[str]] = {
    "reviewer": frozenset({"review", "upload"}),
    "admin": frozenset({"review", "upload", "admin"}),
}


@dataclass(frozen=True, slots=True)
class User:
    """Someone who may write over the API: a reviewer (reviews, uploads) or an admin (also users)."""

    name: str
    role: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def new_token() -> str:
    """A fresh bearer token: 256 random bits, URL-safe."""
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """What the store keeps of a token (see the module docstring for why SHA-256 suffices)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(store: Store, name: str, role: str) -> tuple[User, str]:
    """Create a user (or re-issue a revoked one) and return it with its token, which is not stored."""
    check_name(name)
    if role not in ROLES:
        raise ReviewError(f"{role[:40]!r} is not a role; use {' or '.join(ROLES)}")
    token = new_token()
    return store.add_user(name, role, hash_token(token)), token


def authenticate(store: Store, token: str | None) -> User | None:
    """The active user this bearer token belongs to, or None for a missing, unknown or revoked one.

    A token of the wrong shape is refused before the database is asked.
    """
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return store.user_by_token_hash(hash_token(token))


def allowed(user: User | None, permission: str) -> bool:
    return user is not None and user.active and permission in PERMISSIONS.get(user.role, frozenset())


class TokenBucket:
    """A rate limit per key (a token's hash): `burst` requests at once, refilled at `rate` per second.

    In memory and per process, which is what one server needs; several servers behind a
    balancer each allow the rate. Thread-safe, since FastAPI runs plain endpoints in threads.
    """

    def __init__(self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens left, when counted)

    def take(self, key: str) -> float:
        """Spend one request for `key`: 0.0 if allowed, else the seconds to wait before the next."""
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > 10_000:  # forget full buckets, so memory stays bounded
                    self._prune(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        for key, (tokens, then) in list(self._buckets.items()):
            if tokens + (now - then) * self.rate >= self.burst:
                del self._buckets[key]
