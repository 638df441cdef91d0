"""Actors: canonical people and organisations, and an organisation's profile of records and partners."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from aidtracker import query
from aidtracker.api import paging, present
from aidtracker.api.deps import StoreDep
from aidtracker.api.models import ActorDetail, ActorOut, Page
from aidtracker.api.routes.params import DEFAULT_LIMIT, ActorId, Cursor, Limit, Name
from aidtracker.errors import NotFound
from aidtracker.review import states_of
from aidtracker.types import ActorType

router = APIRouter(tags=["actors"])


@router.get("/actors", response_model=Page[ActorOut])
def list_actors(
    store: StoreDep,
    name: Annotated[Name, Query(description="A name or alias (case and accents ignored), else part of one.")] = None,
    type: Annotated[ActorType | None, Query(description="Only actors of this type.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ActorOut]:
    """Canonical actors with their aliases and attested roles, most mentioned first."""
    found = store.actors(name, type=type.value if type else None)
    shown, following = paging.page(
        found,
        key=lambda a: (str(len(a.mentions)).zfill(12), a.id),
        sort="mentions:desc",
        descending=True,
        cursor=cursor,
        limit=limit,
    )
    return Page(items=[present.actor(a) for a in shown], next=following, total=len(found))


@router.get("/actors/{actor_id}", response_model=ActorDetail)
def get_actor(actor_id: ActorId, store: StoreDep) -> ActorDetail:
    """One actor: its commitments (with its role in each), agreements, events, partners and sectors."""
    profile = query.actor_profile(store, actor_id)
    if profile is None:
        raise NotFound(f"no actor {actor_id}")
    clusters = [c for c, _ in profile.commitments] + profile.agreements + profile.events
    return present.actor_detail(profile, states_of(store, clusters))
