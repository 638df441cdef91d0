"""Reviews, review states and users as JSON, one spelling for the CLI's `--json` and the API.

Amounts and dates inside a review's before and after are their text ("12100000000",
"2024-03-01"), as everywhere JSON leaves aidtracker; evidence keys are spelled out.
"""

from __future__ import annotations

import json
from typing import Any

from aidtracker.auth import User
from aidtracker.review import Orphan, Review, ReviewStatus
from aidtracker.store import rows


def review_json(r: Review) -> dict[str, Any]:
    return {
        "id": r.id,
        "at": r.at.isoformat() if r.at else None,
        "by": r.by,
        "action": str(r.action),
        "targets": list(r.targets),
        "evidence": [k.as_json() for k in r.keys],
        "before": plain_json(r.before),
        "after": plain_json(r.after),
        "comment": r.comment,
    }


def status_json(s: ReviewStatus) -> dict[str, Any]:
    return {"state": str(s.state), "fields": plain_json(s.fields), "reviews": list(s.reviews)}


def orphan_json(o: Orphan) -> dict[str, Any]:
    return {"review": review_json(o.review), "missing": [k.as_json() for k in o.missing], "partial": o.partial}


def user_json(u: User) -> dict[str, Any]:
    """A user without anything secret: the token hash is never part of a `User`."""
    return {
        "name": u.name,
        "role": u.role,
        "created_at": u.created_at.isoformat(),
        "revoked_at": u.revoked_at.isoformat() if u.revoked_at else None,
    }


def plain_json(value: Any) -> Any:
    """`value` as plain JSON: the store's type tags ({"$decimal": "1.5"}) replaced by their text."""

    def strip(v: Any) -> Any:
        if isinstance(v, dict):
            if len(v) == 1:
                ((tag, raw),) = v.items()
                if tag in ("$decimal", "$date", "$datetime"):
                    return raw
                if tag == "$tuple":
                    return [strip(x) for x in raw]
            return {k: strip(x) for k, x in v.items()}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v

    stripped = strip(rows.to_json(value))
    return json.loads(json.dumps(stripped))
