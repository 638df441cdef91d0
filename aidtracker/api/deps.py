"""The dependencies routes share: one `Store` per app, opened on first use.

    @router.get("/page")
    def page(store: StoreDep) -> ...: ...

The database is the one `create_app` was given, else `AIDTRACKER_DB`, else `./aidtracker.db`
(a SQLite path or a SQLAlchemy URL, as everywhere). Opening lazily means the app can be built,
and its OpenAPI schema served, without touching a database; the lock makes sure concurrent
first requests open it once. The web pages reuse `get_store` through `StoreDep`.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from aidtracker.store import Store, open_store


class StoreHolder:
    """Opens the store on first use and closes it with the app."""

    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url
        self._store: Store | None = None
        self._lock = threading.Lock()

    def get(self) -> Store:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(self.db_url)
        return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def holder_of(app: FastAPI) -> StoreHolder:
    holder = getattr(app.state, "store_holder", None)
    if not isinstance(holder, StoreHolder):
        raise RuntimeError("this app was not built by aidtracker.api.create_app")
    return holder


def get_store(request: Request) -> Store:
    """The app's store (a FastAPI dependency)."""
    return holder_of(request.app).get()


StoreDep = Annotated[Store, Depends(get_store)]
